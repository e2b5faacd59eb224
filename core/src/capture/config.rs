//! Settings of the capture state machine.

use std::time::Duration;

use crate::analyze::{AnalyzeConfig, ScanError};
use crate::rectify::RectifyConfig;

/// How the scanner decides to capture. `Default` follows the product: front
/// then back, auto-capture after 300 ms of steady corners (IoU ≥ 0.95),
/// manual shutter after 15 s without a capture, handoff after two failures.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CaptureConfig {
    /// Per-frame analysis (detection confidence, quality thresholds).
    pub analyze: AnalyzeConfig,
    /// Output size and JPEG quality of the captured card.
    pub rectify: RectifyConfig,
    /// Scan the back after the front. When false the session ends after the front.
    pub scan_back: bool,
    /// Minimum IoU between the quads of consecutive frames for "steady".
    pub steady_iou: f32,
    /// How long the corners must stay steady (with quality passing) before capture.
    pub steady_duration: Duration,
    /// Pause after the front is captured ("Rotate card to scan back") before
    /// the back is looked for, so the front is not captured twice.
    pub flip_pause: Duration,
    /// Time without a capture after which an attempt counts as failed and
    /// the manual shutter is offered.
    pub attempt_timeout: Duration,
    /// Failed attempts (timeouts or rejected uploads) after which the
    /// web-to-mobile handoff should be offered.
    pub max_failed_attempts: u32,
    /// Also encode the whole upright frame of each capture as JPEG.
    pub include_raw_frame: bool,
    /// Refuse to capture a side the detector reports as the other side
    /// (front expected, back seen, and vice versa).
    pub enforce_side: bool,
}

impl Default for CaptureConfig {
    fn default() -> Self {
        CaptureConfig {
            analyze: AnalyzeConfig::default(),
            rectify: RectifyConfig::default(),
            scan_back: true,
            steady_iou: 0.95,
            steady_duration: Duration::from_millis(300),
            flip_pause: Duration::from_millis(1000),
            attempt_timeout: Duration::from_secs(15),
            max_failed_attempts: 2,
            include_raw_frame: false,
            enforce_side: true,
        }
    }
}

impl CaptureConfig {
    /// Checks ranges; the session refuses a configuration that cannot work.
    pub fn validate(&self) -> Result<(), ScanError> {
        let bad = |m: &str| Err(ScanError::Config(m.to_string()));
        if !(self.steady_iou > 0.0 && self.steady_iou <= 1.0) {
            return bad("steady_iou must be in (0, 1]");
        }
        if self.attempt_timeout.is_zero() {
            return bad("attempt_timeout must be positive");
        }
        if self.max_failed_attempts == 0 {
            return bad("max_failed_attempts must be at least 1");
        }
        if !(0.0..=1.0).contains(&self.analyze.min_confidence) {
            return bad("min_confidence must be in [0, 1]");
        }
        self.rectify.validate().map_err(ScanError::from)
    }
}
