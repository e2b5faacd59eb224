//! The scanner the apps drive: frames in, one [`ScanUpdate`] out per frame.

use std::time::Duration;

use super::config::CaptureConfig;
use super::machine::{Machine, Phase};
use super::snapshot::Snapshot;
use super::update::{CaptureType, CapturedCard, ScanUpdate};
use crate::analyze::{self, corners_of, FrameAnalysis, ScanError};
use crate::detect::{CardSide, Detection, Detector};
use crate::frame::Frame;
use crate::quality::QualityReport;
use crate::rectify::{self, RectifiedCard};

/// What the session keeps of the best frame of a steady window.
#[derive(Debug)]
struct Kept {
    snapshot: Snapshot,
    detection: Option<Detection>,
    quality: Option<QualityReport>,
}

/// A front-then-back scanning session over a live camera stream.
///
/// Feed every camera frame to [`CaptureSession::process`] (with its camera
/// timestamp). The session answers with one feedback code per frame and, on
/// the frame where a side is captured, the rectified card as JPEG.
pub struct CaptureSession {
    detector: Box<dyn Detector>,
    cfg: CaptureConfig,
    machine: Machine<Kept>,
    captures: Vec<CapturedCard>,
}

impl std::fmt::Debug for CaptureSession {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CaptureSession")
            .field("detector", &self.detector.name())
            .field("phase", &self.machine.phase())
            .field("captures", &self.captures.len())
            .finish()
    }
}

impl CaptureSession {
    /// A session using `detector`; refuses an out-of-range configuration.
    pub fn new(detector: Box<dyn Detector>, cfg: CaptureConfig) -> Result<Self, ScanError> {
        cfg.validate()?;
        crate::quality::preload(&cfg.analyze.quality);
        Ok(CaptureSession {
            detector,
            cfg,
            machine: Machine::new(cfg),
            captures: Vec::new(),
        })
    }

    /// The configuration in use.
    pub fn config(&self) -> &CaptureConfig {
        &self.cfg
    }

    /// Analyses one camera frame and advances the session.
    pub fn process(&mut self, frame: &Frame<'_>) -> Result<ScanUpdate, ScanError> {
        let t = frame.timestamp();
        if !matches!(self.machine.advance_clock(t), Phase::Scanning(_)) {
            return Ok(self.update(t, self.machine.idle_feedback(), None, 0.0, None));
        }
        let analysis = analyze::analyze(frame, self.detector.as_ref(), &self.cfg.analyze)?;
        let decision = self
            .machine
            .on_frame(t, &analysis, || keep(frame, &analysis))?;
        let captured = match decision.capture {
            Some((side, kind, kept)) => Some(self.finish_capture(side, kind, &kept)?),
            None => None,
        };
        if let Some(card) = &captured {
            self.captures.push(card.clone());
        }
        Ok(self.update(
            t,
            decision.feedback,
            Some(analysis),
            decision.steady_progress,
            captured,
        ))
    }

    /// The user pressed the shutter: the next frame is captured as it is
    /// (rectified if a card is found in it, else the whole frame).
    pub fn capture_now(&mut self) {
        self.machine.request_manual();
    }

    /// Starts over from the front, forgetting captures and failed attempts.
    pub fn reset(&mut self) {
        self.machine.reset();
        self.captures.clear();
    }

    /// The upload of the captured card(s) was rejected by the service (e.g.
    /// the card went to `frontside_failed`): counts a failed attempt and
    /// starts over from the front.
    pub fn report_upload_rejected(&mut self) {
        self.machine.report_failure();
        self.captures.clear();
    }

    /// Cards captured so far in this attempt (front first).
    pub fn captures(&self) -> &[CapturedCard] {
        &self.captures
    }

    /// The side the session is asking for (`Unknown` once done).
    pub fn expected_side(&self) -> CardSide {
        self.machine.expected_side()
    }

    /// Failed attempts so far (timeouts and rejected uploads).
    pub fn failed_attempts(&self) -> u32 {
        self.machine.failed_attempts()
    }

    /// Every requested side is captured.
    pub fn is_done(&self) -> bool {
        self.machine.phase() == Phase::Done
    }

    fn update(
        &self,
        t: Duration,
        feedback: analyze::FeedbackCode,
        analysis: Option<FrameAnalysis>,
        steady_progress: f32,
        captured: Option<CapturedCard>,
    ) -> ScanUpdate {
        ScanUpdate {
            timestamp: t,
            feedback,
            expected_side: self.machine.expected_side(),
            analysis,
            steady_progress,
            captured,
            manual_shutter_available: self.machine.manual_available(),
            handoff_suggested: self.machine.handoff_suggested(),
            done: self.is_done(),
        }
    }

    /// Rectifies (or, without a card, encodes the whole frame) the kept frame.
    fn finish_capture(
        &self,
        side: CardSide,
        kind: CaptureType,
        kept: &Kept,
    ) -> Result<CapturedCard, ScanError> {
        let frame = kept.snapshot.view()?;
        let corners = kept.detection.map(|d| corners_of(&d.quad));
        let quality = self.cfg.rectify.jpeg_quality;
        let image = match &corners {
            Some(c) => rectify::rectify_jpeg(&frame, c, &self.cfg.rectify)?,
            None => {
                let (width, height) = frame.upright_size();
                RectifiedCard {
                    jpeg: rectify::frame_jpeg(&frame, quality)?,
                    width,
                    height,
                }
            }
        };
        let raw_frame_jpeg = if self.cfg.include_raw_frame {
            Some(rectify::frame_jpeg(&frame, quality)?)
        } else {
            None
        };
        tracing::debug!(
            ?side,
            capture_type = kind.as_str(),
            bytes = image.jpeg.len(),
            "card captured"
        );
        Ok(CapturedCard {
            side,
            capture_type: kind,
            rectified: corners.is_some(),
            image,
            raw_frame_jpeg,
            corners,
            quality: kept.quality,
            timestamp: frame.timestamp(),
        })
    }
}

fn keep(frame: &Frame<'_>, analysis: &FrameAnalysis) -> Result<Kept, ScanError> {
    Ok(Kept {
        snapshot: Snapshot::of(frame)?,
        detection: analysis.detection,
        quality: analysis.quality,
    })
}
