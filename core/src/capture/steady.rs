//! The steady window: consecutive frames whose card corners barely move
//! (IoU ≥ threshold) and whose quality passes, with the sharpest frame kept.

use std::time::Duration;

use crate::analyze::ScanError;
use crate::detect::Quad;

/// An unbroken run of steady, good frames.
#[derive(Debug)]
pub(crate) struct SteadyWindow<T> {
    /// Timestamp of the run's first frame.
    pub start: Duration,
    /// Quad of the run's latest frame (compared with the next one).
    pub last: Quad,
    /// Sharpness and payload of the best frame so far.
    pub best: Option<(f32, T)>,
}

impl<T> SteadyWindow<T> {
    /// A run starting at `t` with this frame as its best.
    pub fn start(
        t: Duration,
        quad: Quad,
        sharpness: f32,
        snapshot: impl FnOnce() -> Result<T, ScanError>,
    ) -> Result<Self, ScanError> {
        Ok(SteadyWindow {
            start: t,
            last: quad,
            best: Some((sharpness, snapshot()?)),
        })
    }

    /// Whether `quad` continues the run.
    pub fn is_steady(&self, quad: &Quad, min_iou: f32) -> bool {
        self.last.iou(quad) >= min_iou
    }

    /// Adds a frame to the run; keeps it (calling `snapshot`) only if it is
    /// sharper than the best so far, so frames are copied only when useful.
    pub fn push(
        &mut self,
        quad: Quad,
        sharpness: f32,
        snapshot: impl FnOnce() -> Result<T, ScanError>,
    ) -> Result<(), ScanError> {
        self.last = quad;
        let better = self.best.as_ref().is_none_or(|(s, _)| sharpness > *s);
        if better {
            self.best = Some((sharpness, snapshot()?));
        }
        Ok(())
    }

    /// Time covered by the run at `t`.
    pub fn elapsed(&self, t: Duration) -> Duration {
        t.saturating_sub(self.start)
    }
}
