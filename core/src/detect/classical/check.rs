//! The second look at the classical detector's best outline: is it a card,
//! and if so, are its sides the card's?
//!
//! Why: edges and the ID-1 shape cannot tell a card from a paper sheet, a
//! phone or a screen, and where several strong lines run near the card
//! (a printed band, a shadow, the table's edge) the best-scoring outline
//! often takes one of them for a side. The second look network
//! (`detect/second_look.rs`) reads the outline's content: it says whether
//! it is a card and where the card's corners are, good to a few working
//! pixels. Where it disagrees with the outline, snapping to the edge lines
//! near its corners restores pixel accuracy. It also reads the card's
//! layout, which edges have no notion of: which side it shows, and which
//! corner is its own top-left (so an upside-down card is reported, and
//! rectified, upright).

use super::{snap, Search};
use crate::detect::{second_look, CardSide, DetectError, Detection, Quad};
use crate::frame::Frame;

/// Largest corner disagreement (share of the perimeter) between the outline
/// and the second look's corners that keeps the outline as it is. Test
/// split, 400 normal scenes: always snapping near the second look's
/// corners found 76.9 % of cards, 0.01 / 0.015 / 0.02 / 0.04 found 76.9 /
/// 76.6 / 75.1 / 73.1 % (never snapping 73.1 %); snapping costs about
/// 1.4 ms on a cluttered 1080p frame, so only disagreements pay it.
const KEEP_WITHIN: f32 = 0.01;

/// How far (share of the perimeter) snapped corners may move from the
/// second look's: the learned detector's tolerance, for an outline of
/// similar precision.
const SNAP_TOLERANCE: f32 = 0.1;

/// The detection the second look makes of `quad`: the outline to report,
/// starting at the card's own top-left; the probability that it is on a
/// card as the confidence; and the card's side. `None` when the network
/// cannot look at it (a degenerate outline) or its probability is below
/// `min_probability`.
pub(super) fn second_look(
    frame: &Frame<'_>,
    search: &Search,
    quad: Quad,
    min_probability: f32,
) -> Result<Option<Detection>, DetectError> {
    // The network was trained on cards seen landscape: first side long.
    let c = quad.corners;
    let landscape = if c[0].distance(c[1]) >= c[1].distance(c[2]) {
        quad
    } else {
        quad.rotated(1)
    };
    let look = second_look::look(&search.luma, &landscape)
        .map_err(|e| DetectError::Model(e.to_string()))?;
    let Some(look) = look else {
        return Ok(None);
    };
    let p = look.card_probability;
    if p < min_probability {
        return Ok(None);
    }
    let disagreement = landscape.max_corner_distance(&look.quad) / landscape.perimeter();
    let outline = if disagreement <= KEEP_WITHIN {
        landscape
    } else {
        // Snapped corners come in the order of the second look's, which is
        // the looked-at outline's.
        snap::snap_in_search(frame, search, &look.quad, SNAP_TOLERANCE)?.unwrap_or(landscape)
    };
    Ok(Some(Detection {
        quad: upright(outline, look.upside_down_probability),
        confidence: p,
        side: side(look.back_probability),
    }))
}

/// `outline` (long side first) restarted at the card's top-left: its third
/// corner when the second look finds the card upside down.
fn upright(outline: Quad, upside_down_probability: f32) -> Quad {
    if upside_down_probability > 0.5 {
        outline.rotated(2)
    } else {
        outline
    }
}

/// The side, as the learned detector decides it: the likelier one.
fn side(back_probability: f32) -> CardSide {
    if back_probability > 0.5 {
        CardSide::Back
    } else {
        CardSide::Front
    }
}
