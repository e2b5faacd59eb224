//! Thresholds of the quality checks, with the values calibrated on the
//! synthetic train/test splits (never on the evaluation split).

use super::glare::GlareParams;

/// Thresholds and sizes used by [`super::assess`]. `Default` holds the
/// calibrated values; apps can loosen or tighten single checks.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct QualityConfig {
    /// Width of the rectified card view that blur, glare and exposure are
    /// judged on (height follows the ID-1 ratio).
    pub view_width: u32,
    /// Share of the view's width skipped on each side by the blur measure
    /// (rounded corners, background let in by an imprecise quad).
    pub blur_margin: f32,
    /// Blur score (0 sharp – 1 flat) above which the card is blurry.
    pub max_blur: f32,
    /// Directional spread of blur above which a blurry card is reported as
    /// motion-blurred ("hold still") rather than out of focus.
    pub motion_anisotropy: f32,
    /// Minimum luma (0–255) of a washed-out pixel.
    pub glare_min_luma: u8,
    /// How much brighter than the card's paper level (75th luma percentile)
    /// a washed-out pixel must be.
    pub glare_paper_margin: u8,
    /// Paper level above which glare is not judged (white cards: a reflection
    /// over blank white paper leaves no trace in the pixels).
    pub glare_max_paper_luma: u8,
    /// Maximum colour spread (max − min of R, G, B) of a washed-out pixel.
    pub glare_max_chroma: u8,
    /// Minimum glare blob size as a share of the card.
    pub glare_min_blob: f32,
    /// Share of the card covered by glare above which the card has glare.
    pub max_glare_fraction: f32,
    /// Whether the glare network judges too (it needs the default
    /// `view_width`, 256).
    pub glare_model: bool,
    /// The glare network's probability at or above which the card has glare.
    pub glare_min_probability: f32,
    /// Mean card luma (0–1) below which the card is too dark.
    pub min_mean_luma: f32,
    /// Mean card luma (0–1) above which the card is too bright.
    pub max_mean_luma: f32,
    /// The 95th percentile (0–1) below which the card is too dark even if the
    /// mean passes (no part of it reaches paper white).
    pub min_p95_luma: f32,
    /// Effective resolution (card width px / 3.370 in) below which the user
    /// is asked to move closer.
    pub min_dpi: f32,
    /// Largest corner-angle deviation from 90°, in degrees, before "tilt".
    pub max_corner_deviation_deg: f32,
    /// Smallest opposite-edge ratio before "tilt" (perspective foreshortening).
    pub min_opposite_edge_ratio: f32,
    /// A corner closer than this share of the frame's shorter side to the
    /// border counts as out of frame.
    pub border_margin: f32,
}

impl Default for QualityConfig {
    fn default() -> Self {
        QualityConfig {
            view_width: 256,
            blur_margin: 0.04,
            max_blur: 0.27,
            motion_anisotropy: 0.12,
            glare_min_luma: 215,
            glare_paper_margin: 25,
            glare_max_paper_luma: 210,
            glare_max_chroma: 40,
            glare_min_blob: 0.002,
            max_glare_fraction: 0.06,
            glare_model: true,
            glare_min_probability: 0.5,
            min_mean_luma: 0.22,
            max_mean_luma: 0.88,
            min_p95_luma: 0.35,
            min_dpi: 150.0,
            max_corner_deviation_deg: 14.0,
            min_opposite_edge_ratio: 0.85,
            border_margin: 0.005,
        }
    }
}

impl QualityConfig {
    /// Height of the rectified view: width × 53.98 / 85.60.
    pub fn view_height(&self) -> u32 {
        ((self.view_width as f32) * 53.98 / 85.60).round().max(1.0) as u32
    }

    pub fn glare_params(&self) -> GlareParams {
        GlareParams {
            min_luma: self.glare_min_luma,
            paper_margin: self.glare_paper_margin,
            max_paper_luma: self.glare_max_paper_luma,
            max_chroma: self.glare_max_chroma,
            min_blob_fraction: self.glare_min_blob,
        }
    }
}
