//! The perspective-corrected card for upload: the detected quad mapped onto a
//! fixed-size landscape rectangle at about 300 DPI (1011 × 638 for an ID-1
//! card), sampled bilinearly in colour from the full-resolution frame and
//! JPEG-encoded at a settable quality. Runs once per capture, not per frame.

mod homography;
mod jpeg;
mod warp;

pub use homography::CardToFrame;
pub use jpeg::{encode_jpeg, frame_jpeg};
pub use warp::rectify;

use crate::frame::{Frame, FrameError};

/// Output width at 300 DPI: 3.370 in × 300.
pub const CARD_WIDTH_300DPI: u32 = 1011;
/// Output height at 300 DPI: 2.125 in × 300.
pub const CARD_HEIGHT_300DPI: u32 = 638;
/// Largest accepted output side (keeps a bad configuration from allocating gigabytes).
pub const MAX_OUTPUT_SIDE: u32 = 4096;

/// Why a card could not be rectified or encoded.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum RectifyError {
    /// The corners do not describe a quadrilateral that can be mapped.
    #[error("cannot rectify: {0}")]
    InvalidQuad(&'static str),
    /// The requested output size is zero or too large.
    #[error("output size {width}x{height} is invalid: each side must be between 1 and {max}")]
    InvalidSize { width: u32, height: u32, max: u32 },
    /// JPEG quality outside 1–100.
    #[error("JPEG quality {0} is invalid: must be between 1 and 100")]
    InvalidQuality(u8),
    /// The frame could not be read.
    #[error(transparent)]
    Frame(#[from] FrameError),
    /// The JPEG encoder failed.
    #[error("JPEG encoding failed: {0}")]
    Encode(String),
}

/// Output size and JPEG quality of the rectified card.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RectifyConfig {
    /// Output width in pixels (landscape).
    pub width: u32,
    /// Output height in pixels.
    pub height: u32,
    /// JPEG quality, 1–100.
    pub jpeg_quality: u8,
}

impl Default for RectifyConfig {
    fn default() -> Self {
        RectifyConfig {
            width: CARD_WIDTH_300DPI,
            height: CARD_HEIGHT_300DPI,
            jpeg_quality: 90,
        }
    }
}

impl RectifyConfig {
    pub(crate) fn validate(&self) -> Result<(), RectifyError> {
        let ok = |v: u32| (1..=MAX_OUTPUT_SIDE).contains(&v);
        if !ok(self.width) || !ok(self.height) {
            return Err(RectifyError::InvalidSize {
                width: self.width,
                height: self.height,
                max: MAX_OUTPUT_SIDE,
            });
        }
        if !(1..=100).contains(&self.jpeg_quality) {
            return Err(RectifyError::InvalidQuality(self.jpeg_quality));
        }
        Ok(())
    }
}

/// A rectified card ready for upload.
#[derive(Clone, PartialEq, Eq)]
pub struct RectifiedCard {
    /// JPEG bytes.
    pub jpeg: Vec<u8>,
    /// Pixel width of the encoded image.
    pub width: u32,
    /// Pixel height of the encoded image.
    pub height: u32,
}

/// Card images are PHI: never print their bytes.
impl std::fmt::Debug for RectifiedCard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RectifiedCard")
            .field("width", &self.width)
            .field("height", &self.height)
            .field("jpeg_bytes", &self.jpeg.len())
            .finish()
    }
}

/// Rectifies the card bounded by `corners` (clockwise from the card's
/// top-left, upright frame pixels) and encodes it as JPEG.
pub fn rectify_jpeg(
    frame: &Frame<'_>,
    corners: &[[f32; 2]; 4],
    cfg: &RectifyConfig,
) -> Result<RectifiedCard, RectifyError> {
    cfg.validate()?;
    let image = rectify(frame, corners, cfg.width, cfg.height)?;
    let jpeg = encode_jpeg(&image, cfg.jpeg_quality)?;
    Ok(RectifiedCard {
        jpeg,
        width: cfg.width,
        height: cfg.height,
    })
}
