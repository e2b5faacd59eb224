//! Builds the small rectified [`CardView`] straight from the camera frame.
//!
//! Only luma is sampled for every view pixel; colour is looked up only where
//! luma is bright enough to be glare, which keeps the view cheap enough to
//! build on every frame.

use super::card_view::CardView;
use super::config::QualityConfig;
use crate::frame::Frame;
use crate::rectify::{CardToFrame, RectifyError};

/// Chroma value stored for pixels too dark to be glare (colour not sampled).
pub const CHROMA_NOT_SAMPLED: u8 = u8::MAX;

/// The card bounded by `corners` (clockwise from its top-left, upright frame
/// pixels) rectified to `cfg.view_width` × `cfg.view_height()`.
pub fn card_view(
    frame: &Frame<'_>,
    corners: &[[f32; 2]; 4],
    cfg: &QualityConfig,
) -> Result<CardView, RectifyError> {
    let (w, h) = (cfg.view_width.max(8), cfg.view_height().max(5));
    let map = CardToFrame::new(corners, w, h)?;
    let glare_luma = cfg.glare_min_luma;
    Ok(CardView::from_fn(w as usize, h as usize, |x, y| {
        let (fx, fy) = map.map(x as f32 + 0.5, y as f32 + 0.5);
        match frame.sample_luma_spread(fx, fy, glare_luma) {
            Some((l, spread)) => (l, spread.unwrap_or(CHROMA_NOT_SAMPLED)),
            None => (0, CHROMA_NOT_SAMPLED),
        }
    }))
}
