//! The capture state machine, free of pixels: it sees each frame's analysis
//! and timestamp and decides the feedback, when to keep a frame and when to
//! capture. `T` is whatever the caller keeps of a frame (the session keeps an
//! owned copy; tests keep nothing), so the logic is tested on its own.
//!
//! Time comes only from frame timestamps, never from a wall clock, so a
//! recorded stream always gives the same result.

use std::time::Duration;

use super::config::CaptureConfig;
use super::steady::SteadyWindow;
use super::update::CaptureType;
use crate::analyze::{FeedbackCode, FrameAnalysis, ScanError};
use crate::detect::CardSide;

/// Where the session is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Phase {
    /// Looking for this side.
    Scanning(CardSide),
    /// Front captured; waiting until this time before looking for the back.
    FlipPause { until: Duration },
    /// Every requested side captured.
    Done,
}

/// The machine's decision for one analysed frame.
#[derive(Debug)]
pub(crate) struct Decision<T> {
    pub feedback: FeedbackCode,
    pub steady_progress: f32,
    /// A capture of `side`, with the kept frame.
    pub capture: Option<(CardSide, CaptureType, T)>,
}

#[derive(Debug)]
pub(crate) struct Machine<T> {
    cfg: CaptureConfig,
    phase: Phase,
    window: Option<SteadyWindow<T>>,
    attempt_start: Option<Duration>,
    failed_attempts: u32,
    manual_available: bool,
    manual_requested: bool,
}

impl<T> Machine<T> {
    pub fn new(cfg: CaptureConfig) -> Self {
        Machine {
            cfg,
            phase: Phase::Scanning(CardSide::Front),
            window: None,
            attempt_start: None,
            failed_attempts: 0,
            manual_available: false,
            manual_requested: false,
        }
    }

    /// Back to the front side, forgetting failures too.
    pub fn reset(&mut self) {
        *self = Machine::new(self.cfg);
    }

    /// Ends the flip pause once its time has come; returns the current phase.
    pub fn advance_clock(&mut self, t: Duration) -> Phase {
        if let Phase::FlipPause { until } = self.phase {
            if t >= until {
                self.phase = Phase::Scanning(CardSide::Back);
            }
        }
        self.phase
    }

    pub fn phase(&self) -> Phase {
        self.phase
    }

    /// The side being asked for (`Unknown` when done).
    pub fn expected_side(&self) -> CardSide {
        match self.phase {
            Phase::Scanning(s) => s,
            Phase::FlipPause { .. } => CardSide::Back,
            Phase::Done => CardSide::Unknown,
        }
    }

    pub fn manual_available(&self) -> bool {
        self.manual_available
    }

    pub fn handoff_suggested(&self) -> bool {
        self.failed_attempts >= self.cfg.max_failed_attempts
    }

    pub fn failed_attempts(&self) -> u32 {
        self.failed_attempts
    }

    /// The user pressed the shutter: the next analysed frame is captured.
    pub fn request_manual(&mut self) {
        if matches!(self.phase, Phase::Scanning(_)) {
            self.manual_requested = true;
        }
    }

    /// The service rejected an upload: one more failed attempt, start over
    /// from the front (the API needs a new card for a retry).
    pub fn report_failure(&mut self) {
        let failed = self.failed_attempts.saturating_add(1);
        let manual = self.manual_available;
        self.reset();
        self.failed_attempts = failed;
        self.manual_available = manual;
    }

    /// Decides for one analysed frame at time `t` while scanning.
    /// `snapshot` is called at most once, only when the frame must be kept.
    pub fn on_frame(
        &mut self,
        t: Duration,
        analysis: &FrameAnalysis,
        snapshot: impl FnOnce() -> Result<T, ScanError>,
    ) -> Result<Decision<T>, ScanError> {
        let Phase::Scanning(side) = self.phase else {
            return Ok(Decision {
                feedback: self.idle_feedback(),
                steady_progress: 0.0,
                capture: None,
            });
        };
        let attempt_start = *self.attempt_start.get_or_insert(t);
        if self.manual_requested {
            self.manual_requested = false;
            let kept = snapshot()?;
            return Ok(self.captured(t, side, CaptureType::Manual, kept));
        }
        let mut decision = self.track(t, side, analysis, snapshot)?;
        if decision.capture.is_none() && t.saturating_sub(attempt_start) >= self.cfg.attempt_timeout
        {
            decision.feedback = self.time_out(t);
        }
        Ok(decision)
    }

    /// Feedback while not scanning (flip pause or done).
    pub fn idle_feedback(&self) -> FeedbackCode {
        match self.phase {
            Phase::Done => FeedbackCode::Done,
            _ => FeedbackCode::FlipToBack,
        }
    }

    /// Steadiness tracking and auto-capture.
    fn track(
        &mut self,
        t: Duration,
        side: CardSide,
        analysis: &FrameAnalysis,
        snapshot: impl FnOnce() -> Result<T, ScanError>,
    ) -> Result<Decision<T>, ScanError> {
        let feedback = self.side_checked_feedback(side, analysis);
        let (Some(det), Some(q), FeedbackCode::Scanning) =
            (&analysis.detection, &analysis.quality, feedback)
        else {
            self.window = None;
            return Ok(Decision {
                feedback,
                steady_progress: 0.0,
                capture: None,
            });
        };
        let mut feedback = FeedbackCode::Scanning;
        match &mut self.window {
            Some(w) if w.is_steady(&det.quad, self.cfg.steady_iou) => {
                w.push(det.quad, q.sharpness(), snapshot)?
            }
            window => {
                if window.is_some() {
                    feedback = FeedbackCode::HoldStill;
                }
                *window = Some(SteadyWindow::start(t, det.quad, q.sharpness(), snapshot)?);
            }
        }
        let elapsed = self
            .window
            .as_ref()
            .map_or(Duration::ZERO, |w| w.elapsed(t));
        let progress =
            (elapsed.as_secs_f32() / self.cfg.steady_duration.as_secs_f32().max(1e-6)).min(1.0);
        if elapsed >= self.cfg.steady_duration {
            if let Some((_, kept)) = self.window.take().and_then(|w| w.best) {
                return Ok(self.captured(t, side, CaptureType::Automatic, kept));
            }
        }
        Ok(Decision {
            feedback,
            steady_progress: progress,
            capture: None,
        })
    }

    /// The frame's own feedback, overridden when the wrong side is showing.
    fn side_checked_feedback(&self, side: CardSide, analysis: &FrameAnalysis) -> FeedbackCode {
        let seen = analysis
            .detection
            .map(|d| d.side)
            .unwrap_or(CardSide::Unknown);
        if !self.cfg.enforce_side || seen == CardSide::Unknown || seen == side {
            return analysis.feedback;
        }
        match side {
            CardSide::Back => FeedbackCode::FlipToBack,
            _ => FeedbackCode::FlipToFront,
        }
    }

    /// An attempt ran out of time: offer the shutter, count the failure.
    fn time_out(&mut self, t: Duration) -> FeedbackCode {
        self.attempt_start = Some(t);
        self.failed_attempts = self.failed_attempts.saturating_add(1);
        self.manual_available = true;
        if self.handoff_suggested() {
            FeedbackCode::ScanFailed
        } else {
            FeedbackCode::ManualShutter
        }
    }

    /// Records a capture of `side` and moves to the next phase.
    fn captured(&mut self, t: Duration, side: CardSide, kind: CaptureType, kept: T) -> Decision<T> {
        self.window = None;
        self.attempt_start = None;
        self.manual_available = false;
        self.phase = if side == CardSide::Front && self.cfg.scan_back {
            Phase::FlipPause {
                until: t + self.cfg.flip_pause,
            }
        } else {
            Phase::Done
        };
        Decision {
            feedback: FeedbackCode::Captured,
            steady_progress: 1.0,
            capture: Some((side, kind, kept)),
        }
    }
}
