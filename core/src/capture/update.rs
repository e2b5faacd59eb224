//! What the scanner reports for each frame, and the captured card.

use std::time::Duration;

use serde::Serialize;

use crate::analyze::{FeedbackCode, FrameAnalysis};
use crate::detect::CardSide;
use crate::quality::QualityReport;
use crate::rectify::RectifiedCard;

/// How a card image was taken (the API's `capture_type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum CaptureType {
    /// The scanner captured on its own (steady, sharp, no glare).
    Automatic,
    /// The user pressed the shutter ([`super::CaptureSession::capture_now`]).
    Manual,
}

impl CaptureType {
    /// The API's query value (`capture_type=automatic|manual`).
    pub fn as_str(self) -> &'static str {
        match self {
            CaptureType::Automatic => "automatic",
            CaptureType::Manual => "manual",
        }
    }
}

/// One captured side, ready for upload.
#[derive(Clone, PartialEq)]
pub struct CapturedCard {
    /// Which side this is (the side the scanner was asking for).
    pub side: CardSide,
    /// Automatic or manual.
    pub capture_type: CaptureType,
    /// The perspective-corrected card as JPEG (the whole frame when a manual
    /// capture found no card).
    pub image: RectifiedCard,
    /// Whether `image` is the rectified card (false: the whole frame).
    pub rectified: bool,
    /// The whole upright frame as JPEG, when requested in the configuration.
    pub raw_frame_jpeg: Option<Vec<u8>>,
    /// Corners of the card in the captured frame (upright pixels).
    pub corners: Option<[[f32; 2]; 4]>,
    /// Quality of the captured frame's card.
    pub quality: Option<QualityReport>,
    /// Timestamp of the frame that was captured.
    pub timestamp: Duration,
}

/// Card images are PHI: never print their bytes.
impl std::fmt::Debug for CapturedCard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CapturedCard")
            .field("side", &self.side)
            .field("capture_type", &self.capture_type)
            .field("image", &self.image)
            .field("rectified", &self.rectified)
            .field(
                "raw_frame_jpeg_bytes",
                &self.raw_frame_jpeg.as_ref().map(Vec::len),
            )
            .field("timestamp", &self.timestamp)
            .finish()
    }
}

/// The scanner's answer to one frame.
#[derive(Debug, Clone, PartialEq)]
pub struct ScanUpdate {
    /// The frame's timestamp.
    pub timestamp: Duration,
    /// The one instruction for the user now.
    pub feedback: FeedbackCode,
    /// The side the scanner is asking for (`Unknown` once done).
    pub expected_side: CardSide,
    /// Detection and quality of this frame (None while pausing or done).
    pub analysis: Option<FrameAnalysis>,
    /// Share of the steady time reached, 0–1 (for a progress ring).
    pub steady_progress: f32,
    /// The card captured on this frame, if any.
    pub captured: Option<CapturedCard>,
    /// Auto-capture timed out at least once: show the shutter button.
    pub manual_shutter_available: bool,
    /// Two attempts failed: offer the web-to-mobile handoff.
    pub handoff_suggested: bool,
    /// Every requested side is captured.
    pub done: bool,
}

impl ScanUpdate {
    /// Default English message for [`ScanUpdate::feedback`].
    pub fn message(&self) -> String {
        self.feedback.message()
    }
}
