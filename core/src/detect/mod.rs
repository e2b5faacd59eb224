//! Card detection: where the card is in a frame (four corners), how sure we
//! are, and which side faces the camera.
//!
//! Everything downstream (quality, capture, rectify, FFI) codes against the
//! [`Detector`] trait and the plain data types here, so detectors can be
//! swapped (classical today, a learned model from issue 4) without touching
//! them.

pub mod classical;
mod error;
mod geometry;
mod hidden_side;
mod homography;
mod learned;
pub mod refine;
mod second_look;
mod side_check;

pub use classical::{ClassicalConfig, ClassicalDetector, SideJudging};
pub use error::DetectError;
pub use geometry::{Point, Quad};
pub use homography::Homography;
pub use learned::{CoarseDetection, LearnedDetector, ModelError};

use serde::{Deserialize, Serialize};

use crate::frame::Frame;

/// ID-1 card width (ISO/IEC 7810), millimetres.
pub const CARD_WIDTH_MM: f32 = 85.60;
/// ID-1 card height, millimetres.
pub const CARD_HEIGHT_MM: f32 = 53.98;
/// ID-1 aspect ratio (long side / short side) ≈ 1.586.
pub const CARD_ASPECT: f32 = CARD_WIDTH_MM / CARD_HEIGHT_MM;

/// Which side of the card faces the camera.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CardSide {
    Front,
    Back,
    #[default]
    Unknown,
}

/// One detected card.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Detection {
    /// Corners in upright frame pixels, clockwise from the card's top-left.
    pub quad: Quad,
    /// Calibrated probability-like score in `[0, 1]`.
    pub confidence: f32,
    pub side: CardSide,
}

/// Finds at most one card in a frame.
pub trait Detector: Send + Sync {
    /// `Ok(None)` when no card is visible; `Err` only for unusable input.
    fn detect(&self, frame: &Frame<'_>) -> Result<Option<Detection>, DetectError>;
    /// Short stable name for logs and reports ("classical", "learned").
    fn name(&self) -> &'static str;
}

/// The available detector implementations. The learned one is the default:
/// on the held-out eval split it finds cards more precisely, almost never
/// mistakes paper or screens for a card, and tells front from back (figures
/// in `core/models/MODEL_CARD.md`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DetectorKind {
    /// Edges, Hough lines and the ID-1 shape prior; no model.
    Classical,
    /// The embedded network, snapped to edge lines at full resolution.
    #[default]
    Learned,
}

impl std::str::FromStr for DetectorKind {
    type Err = DetectError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "classical" => Ok(DetectorKind::Classical),
            "learned" => Ok(DetectorKind::Learned),
            other => Err(DetectError::UnknownDetector(
                other.chars().take(32).collect(),
            )),
        }
    }
}

/// Builds a detector of the given kind.
pub fn new_detector(kind: DetectorKind) -> Result<Box<dyn Detector>, DetectError> {
    match kind {
        DetectorKind::Classical => Ok(Box::new(ClassicalDetector::default())),
        DetectorKind::Learned => Ok(Box::new(LearnedDetector::new()?)),
    }
}
