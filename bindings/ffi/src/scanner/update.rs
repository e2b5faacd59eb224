//! What the scanner reports: feedback, corners, quality scores and, on the
//! frame where a side is captured, the card as JPEG.

use cardscan_core::analyze::{FeedbackCode as CoreFeedback, FrameAnalysis};
use cardscan_core::capture as core;
use cardscan_core::detect::CardSide as CoreSide;
use cardscan_core::quality::QualityReport;

/// The one instruction for the user now. Localise by code; `message` in
/// updates carries the default English text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, uniffi::Enum)]
pub enum FeedbackCode {
    NoCard,
    OutOfFrame,
    MoveCloser,
    Tilt,
    TooDark,
    TooBright,
    ReduceGlare,
    HoldStill,
    Blurry,
    FlipToFront,
    FlipToBack,
    Scanning,
    Captured,
    /// Auto-capture timed out: show the shutter button (`captureNow`).
    ManualShutter,
    /// Two attempts failed: offer the web-to-mobile handoff.
    ScanFailed,
    Done,
}

impl From<CoreFeedback> for FeedbackCode {
    fn from(c: CoreFeedback) -> Self {
        use CoreFeedback as C;
        match c {
            C::NoCard => FeedbackCode::NoCard,
            C::OutOfFrame => FeedbackCode::OutOfFrame,
            C::MoveCloser => FeedbackCode::MoveCloser,
            C::Tilt => FeedbackCode::Tilt,
            C::TooDark => FeedbackCode::TooDark,
            C::TooBright => FeedbackCode::TooBright,
            C::ReduceGlare => FeedbackCode::ReduceGlare,
            C::HoldStill => FeedbackCode::HoldStill,
            C::Blurry => FeedbackCode::Blurry,
            C::FlipToFront => FeedbackCode::FlipToFront,
            C::FlipToBack => FeedbackCode::FlipToBack,
            C::Scanning => FeedbackCode::Scanning,
            C::Captured => FeedbackCode::Captured,
            C::ManualShutter => FeedbackCode::ManualShutter,
            C::ScanFailed => FeedbackCode::ScanFailed,
            C::Done => FeedbackCode::Done,
            // Non-exhaustive in the core: a new code reads as "keep scanning".
            #[allow(unreachable_patterns)]
            _ => FeedbackCode::Scanning,
        }
    }
}

/// Which side of the card.
#[derive(Clone, Copy, Debug, PartialEq, Eq, uniffi::Enum)]
pub enum CardSide {
    Front,
    Back,
    Unknown,
}

impl From<CoreSide> for CardSide {
    fn from(s: CoreSide) -> Self {
        match s {
            CoreSide::Front => CardSide::Front,
            CoreSide::Back => CardSide::Back,
            #[allow(unreachable_patterns)]
            _ => CardSide::Unknown,
        }
    }
}

/// A point in upright frame pixels.
#[derive(Clone, Copy, Debug, PartialEq, uniffi::Record)]
pub struct Point {
    pub x: f32,
    pub y: f32,
}

/// The card's quality in this frame (judged on the card, not the frame).
#[derive(Clone, Copy, Debug, PartialEq, uniffi::Record)]
pub struct QualityScores {
    /// 0 (sharp) – 1 (no detail).
    pub blur_score: f32,
    pub blurry: bool,
    /// Directional blur: the card or phone moved.
    pub motion_blur: bool,
    /// Share of the card washed out by glare, 0–1 (bright blobs; none on a
    /// white card, where a reflection is no brighter than the paper).
    pub glare_fraction: f32,
    /// The glare network's probability that glare washed out part of the
    /// card, 0–1 (null when it did not judge).
    pub glare_probability: Option<f32>,
    /// The card has glare: "reduce glare".
    pub glare: bool,
    /// Mean card brightness, 0–1.
    pub exposure_mean: f32,
    pub too_dark: bool,
    pub too_bright: bool,
    /// Effective resolution of the card (width in px / 3.37 in).
    pub dpi: f32,
    pub too_far: bool,
    pub tilted: bool,
    pub out_of_frame: bool,
    /// Every check passes.
    pub passes: bool,
}

impl From<&QualityReport> for QualityScores {
    fn from(q: &QualityReport) -> Self {
        QualityScores {
            blur_score: q.blur.score,
            blurry: q.blur.blurry,
            motion_blur: q.blur.motion,
            glare_fraction: q.glare.fraction,
            glare_probability: q.glare.probability,
            glare: q.glare.glare,
            exposure_mean: q.exposure.mean,
            too_dark: q.exposure.too_dark,
            too_bright: q.exposure.too_bright,
            dpi: q.placement.dpi,
            too_far: q.placement.too_far,
            tilted: q.placement.tilted,
            out_of_frame: q.placement.out_of_frame,
            passes: q.passes(),
        }
    }
}

/// The card found in a frame.
#[derive(Clone, Debug, PartialEq, uniffi::Record)]
pub struct DetectedCard {
    /// Four corners, clockwise from the card's top-left, upright pixels.
    pub corners: Vec<Point>,
    /// 0–1.
    pub confidence: f32,
    pub side: CardSide,
    pub quality: Option<QualityScores>,
}

/// Detection and quality of one frame or still image.
#[derive(Clone, Debug, PartialEq, uniffi::Record)]
pub struct FrameAnalysisResult {
    /// Upright size: the coordinate space of the corners.
    pub width: u32,
    pub height: u32,
    /// None when no card was found.
    pub card: Option<DetectedCard>,
    pub feedback: FeedbackCode,
    pub message: String,
}

impl From<&FrameAnalysis> for FrameAnalysisResult {
    fn from(a: &FrameAnalysis) -> Self {
        FrameAnalysisResult {
            width: a.frame_size.0,
            height: a.frame_size.1,
            card: a.detection.as_ref().map(|d| DetectedCard {
                corners: d
                    .quad
                    .corners
                    .iter()
                    .map(|p| Point { x: p.x, y: p.y })
                    .collect(),
                confidence: d.confidence,
                side: d.side.into(),
                quality: a.quality.as_ref().map(Into::into),
            }),
            feedback: a.feedback.into(),
            message: a.feedback.message(),
        }
    }
}

/// Automatic (steady and sharp) or the user pressed the shutter.
#[derive(Clone, Copy, Debug, PartialEq, Eq, uniffi::Enum)]
pub enum CaptureType {
    Automatic,
    Manual,
}

/// A captured side, ready for `uploadCardImage`.
#[derive(Clone, PartialEq, uniffi::Record)]
pub struct CapturedCard {
    pub side: CardSide,
    pub capture_type: CaptureType,
    /// The perspective-corrected card (about 300 DPI), JPEG.
    pub jpeg: Vec<u8>,
    pub width: u32,
    pub height: u32,
    /// False when a manual capture found no card: `jpeg` is the whole frame.
    pub rectified: bool,
    /// The whole upright frame as JPEG, when `includeRawFrame` was set.
    pub raw_frame_jpeg: Option<Vec<u8>>,
    /// Corners in the captured frame, when a card was found.
    pub corners: Vec<Point>,
}

/// Card images are PHI: never print their bytes.
impl std::fmt::Debug for CapturedCard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CapturedCard")
            .field("side", &self.side)
            .field("capture_type", &self.capture_type)
            .field("jpeg_bytes", &self.jpeg.len())
            .finish_non_exhaustive()
    }
}

impl From<core::CapturedCard> for CapturedCard {
    fn from(c: core::CapturedCard) -> Self {
        CapturedCard {
            side: c.side.into(),
            capture_type: match c.capture_type {
                core::CaptureType::Manual => CaptureType::Manual,
                _ => CaptureType::Automatic,
            },
            width: c.image.width,
            height: c.image.height,
            jpeg: c.image.jpeg,
            rectified: c.rectified,
            raw_frame_jpeg: c.raw_frame_jpeg,
            corners: c
                .corners
                .map(|cs| cs.iter().map(|p| Point { x: p[0], y: p[1] }).collect())
                .unwrap_or_default(),
        }
    }
}

/// The scanner's answer to one frame.
#[derive(Clone, Debug, PartialEq, uniffi::Record)]
pub struct ScanUpdate {
    pub feedback: FeedbackCode,
    /// Default English text for `feedback`.
    pub message: String,
    /// The side the scanner asks for (`Unknown` once done).
    pub expected_side: CardSide,
    /// This frame's detection and quality (None while pausing or done).
    pub analysis: Option<FrameAnalysisResult>,
    /// 0–1 share of the steady time reached (for a progress ring).
    pub steady_progress: f32,
    /// The card captured on this frame, if any.
    pub captured: Option<CapturedCard>,
    /// Show the shutter button.
    pub manual_shutter_available: bool,
    /// Offer the web-to-mobile handoff.
    pub handoff_suggested: bool,
    /// Every requested side is captured.
    pub done: bool,
}

impl From<core::ScanUpdate> for ScanUpdate {
    fn from(u: core::ScanUpdate) -> Self {
        ScanUpdate {
            message: u.message(),
            feedback: u.feedback.into(),
            expected_side: u.expected_side.into(),
            analysis: u.analysis.as_ref().map(Into::into),
            steady_progress: u.steady_progress,
            captured: u.captured.map(Into::into),
            manual_shutter_available: u.manual_shutter_available,
            handoff_suggested: u.handoff_suggested,
            done: u.done,
        }
    }
}
