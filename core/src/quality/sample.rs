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
    let (w, h) = (w as usize, h as usize);
    let (mut luma, mut chroma) = (Vec::with_capacity(w * h), Vec::with_capacity(w * h));
    for y in 0..h {
        let row = row_points(&map, w, y as f32 + 0.5);
        frame.sample_luma_spread_run(row, glare_luma, |s| {
            let (l, spread) = s.unwrap_or((0, None));
            luma.push(l);
            chroma.push(spread.unwrap_or(CHROMA_NOT_SAMPLED));
        });
    }
    Ok(CardView {
        width: w,
        height: h,
        luma,
        chroma,
    })
}

/// Pixels mapped exactly every [`KNOT_STEP`] view pixels along a row and
/// linearly in between.
///
/// Why: the mapping is projective, but over 8 view pixels (a few dozen frame
/// pixels) its curvature moves a point by far less than a frame pixel, and
/// the exact mapping (two divisions) per pixel was a fifth of the view's cost.
fn row_points(map: &CardToFrame, w: usize, y: f32) -> impl Iterator<Item = (f32, f32)> + '_ {
    // The last knot may lie up to 7 pixels past the row: the mapping is
    // defined there too.
    let knot = move |k: usize| map.map(k as f32 + 0.5, y);
    let mut seg = (knot(0), knot(KNOT_STEP));
    (0..w).map(move |x| {
        let (i, j) = (x / KNOT_STEP, x % KNOT_STEP);
        if j == 0 && x > 0 {
            seg = (seg.1, knot((i + 1) * KNOT_STEP));
        }
        let t = j as f32 / KNOT_STEP as f32;
        let ((x0, y0), (x1, y1)) = seg;
        (x0 + (x1 - x0) * t, y0 + (y1 - y0) * t)
    })
}

/// View pixels between exactly mapped points (see [`row_points`]).
const KNOT_STEP: usize = 8;
