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
    let mut out = |s: Option<(u8, Option<u8>)>| {
        let (l, spread) = s.unwrap_or((0, None));
        luma.push(l);
        chroma.push(spread.unwrap_or(CHROMA_NOT_SAMPLED));
    };
    // Each row's knots, mapped once: a row is warmed with them
    // `WARM_AHEAD` rows before it is sampled along them. The last knot may lie up to 7 pixels
    // past the row: the mapping is defined there too.
    let per_row = w.div_ceil(KNOT_STEP) + 1;
    let knots: Vec<(f32, f32)> = (0..h)
        .flat_map(|y| (0..per_row).map(move |k| (k * KNOT_STEP, y)))
        .map(|(x, y)| map.map(x as f32 + 0.5, y as f32 + 0.5))
        .collect();
    let row = |y: usize| &knots[y * per_row..(y + 1) * per_row];
    for y in 0..h {
        if y + WARM_AHEAD < h {
            frame.warm_luma(row(y + WARM_AHEAD).iter().copied());
        }
        for (k, ends) in row(y).windows(2).enumerate() {
            let n = KNOT_STEP.min(w - k * KNOT_STEP);
            frame.sample_luma_spread_segment(
                (ends[0], ends[1]),
                KNOT_STEP,
                n,
                glare_luma,
                &mut out,
            );
        }
    }
    Ok(CardView {
        width: w,
        height: h,
        luma,
        chroma,
    })
}

/// View pixels between exactly mapped points along a row.
///
/// Why: the mapping is projective, but over 8 view pixels (a few dozen frame
/// pixels) its curvature moves a point by far less than a frame pixel, and
/// the exact mapping (two divisions) per pixel was a fifth of the view's
/// cost. Between knots the frame is sampled along a straight segment, which
/// settles bounds and rotation once per segment.
const KNOT_STEP: usize = 8;

/// How many view rows ahead the frame rows are read early (see
/// [`Frame::warm_luma`]); 2 and 5 measured the same.
const WARM_AHEAD: usize = 3;
