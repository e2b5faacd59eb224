//! What the quality checks found, as plain values that serialise to JSON and
//! map one-to-one onto the FFI records.

use serde::Serialize;

use super::glare::NormRect;

/// Sharpness of the card.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct BlurReport {
    /// 0 (sharp) – 1 (no detail left), worst direction.
    pub score: f32,
    /// Score above the configured limit.
    pub blurry: bool,
    /// The blur is directional (the card or phone moved).
    pub motion: bool,
    /// Direction of the strongest blur in degrees (0 = along the card's width).
    pub direction_deg: f32,
}

/// Reflections on the card.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct GlareReport {
    /// Share of the card washed out, 0–1 (bright blobs; none on a white
    /// card, where a reflection is no brighter than the paper).
    pub fraction: f32,
    /// The glare network's probability that glare washed out part of the
    /// card, 0–1; `None` when it did not judge (turned off, or a view size
    /// it was not trained on).
    pub probability: Option<f32>,
    /// The card has glare: the probability is at or above the configured
    /// limit, or (without it) the share is.
    pub glare: bool,
    /// Where: bounding box of the glare in card coordinates (0–1).
    pub bbox: Option<NormRect>,
}

/// Brightness of the card.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ExposureReport {
    /// Mean card luma, 0–1.
    pub mean: f32,
    /// 5th percentile of card luma, 0–1.
    pub p5: f32,
    /// 95th percentile of card luma, 0–1.
    pub p95: f32,
    /// Too dark to read.
    pub too_dark: bool,
    /// Too bright (washed out as a whole).
    pub too_bright: bool,
    /// Neither too dark nor too bright.
    pub ok: bool,
}

/// Where the card sits in the frame.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct PlacementReport {
    /// Card width in frame pixels.
    pub card_width_px: f32,
    /// Effective resolution: card width in pixels / 3.370 in.
    pub dpi: f32,
    /// Below the configured DPI: the user should move closer.
    pub too_far: bool,
    /// Largest corner-angle deviation from 90°, degrees.
    pub corner_deviation_deg: f32,
    /// Smaller ratio of opposite edge lengths (1 = head-on).
    pub opposite_edge_ratio: f32,
    /// The card is seen at an angle: hold the phone parallel to it.
    pub tilted: bool,
    /// A corner touches or leaves the frame.
    pub out_of_frame: bool,
}

/// Everything the quality checks say about one card in one frame.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct QualityReport {
    pub blur: BlurReport,
    pub glare: GlareReport,
    pub exposure: ExposureReport,
    pub placement: PlacementReport,
}

impl QualityReport {
    /// Sharpness for picking the best frame: 1 − blur score.
    pub fn sharpness(&self) -> f32 {
        1.0 - self.blur.score
    }

    /// Every check passes: the card may be captured.
    pub fn passes(&self) -> bool {
        !self.blur.blurry
            && !self.glare.glare
            && self.exposure.ok
            && !self.placement.too_far
            && !self.placement.tilted
            && !self.placement.out_of_frame
    }
}
