//! A side the side check rejects, placed again from the other three.
//!
//! Why: where a card's edge barely shows (a white card on a white table, a
//! light card on a pale screen, an edge under a finger's shadow), snapping
//! has no line near it and takes the strongest one within reach: a printed
//! band, a shadow or the paper under the card. The side check then says
//! plainly that this side is not the card's edge while it trusts the other
//! three. Those three fix the card up to its fourth side, and the ID-1
//! proportions (in perspective, with the camera's focal length or a few
//! likely ones) say where that side is; snapping near that placement, at
//! twice the working resolution, then looks for its faint edge, and the
//! side check judges the result.

use super::super::classical::SideJudging;
use super::super::{hidden_side, ClassicalDetector, DetectError, Quad};
use super::{mean_doubt, side_probabilities};
use crate::frame::{Frame, ScaledLuma};

/// A side is rejected below this probability of being the card's edge…
const REJECTED: f32 = 0.1;
/// …when the other three are trusted at least this much.
pub(super) const TRUSTED: f32 = 0.9;
/// Farthest a placement may move the outline's corners (share of the
/// perimeter): about the snapping tolerance.
const MAX_MOVE: f32 = 0.05;
/// How far (share of the perimeter) snapping may move a placement's
/// corners: placements with a wrong focal length are a few per cent off.
const SNAP_TOLERANCE: f32 = 0.04;

/// The one side of an outline that the side check rejects while it trusts
/// the other three, if there is exactly one.
fn rejected(sure: &[f32]) -> Option<usize> {
    if sure.len() != 4 {
        return None;
    }
    let mut low = (0..4).filter(|&s| sure[s] < REJECTED);
    let side = low.next()?;
    let others_trusted = (0..4).all(|s| s == side || sure[s] >= TRUSTED);
    (low.next().is_none() && others_trusted).then_some(side)
}

/// `quad` with its rejected side replaced, and the replacement's side
/// probabilities, when the side check trusts all four of the
/// replacement's sides, doubts it less than `quad` (`sure`: `quad`'s side
/// probabilities) and its corners moved at most [`MAX_MOVE`]; `None`
/// otherwise. `luma`, `k`: the frame's working image and its box factor.
pub(super) fn replace(
    frame: &Frame<'_>,
    luma: &ScaledLuma,
    k: u32,
    quad: &Quad,
    sure: &[f32],
    judging: SideJudging,
) -> Result<Option<(Quad, Vec<f32>)>, DetectError> {
    let Some(side) = rejected(sure) else {
        return Ok(None);
    };
    let Some(placed) = best_placement(frame, luma, quad, side, MAX_MOVE)? else {
        return Ok(None);
    };
    let Some(candidate) = snapped(frame, k, quad, &placed, MAX_MOVE, judging)? else {
        return Ok(None);
    };
    let p = side_probabilities(luma, &candidate)?;
    let better = p.iter().all(|&v| v >= TRUSTED) && mean_doubt(&p) < mean_doubt(sure);
    Ok(better.then_some((candidate, p)))
}

/// Where side `side` of `quad` would lie if the other three are an ID-1
/// card's (see [`hidden_side::placements`]; corners moved at most
/// `max_move` × the perimeter): of the placements for the likely focal
/// lengths, the one whose placed side the side check likes best.
pub(super) fn best_placement(
    frame: &Frame<'_>,
    luma: &ScaledLuma,
    quad: &Quad,
    side: usize,
    max_move: f32,
) -> Result<Option<Quad>, DetectError> {
    // Snapping is the costly step (edges and lines around the whole
    // outline): only the placement whose placed side the check likes best
    // is snapped.
    let mut placed: Option<(f32, Quad)> = None;
    for q in hidden_side::placements(frame, quad, side, max_move) {
        let p = side_probabilities(luma, &q)?
            .get(side)
            .copied()
            .unwrap_or(0.0);
        if placed.is_none_or(|(best, _)| p > best) {
            placed = Some((p, q));
        }
    }
    Ok(placed.map(|(_, q)| q))
}

/// `placed` snapped to the edge lines near it, when snapping finds an
/// outline within `max_move` × the perimeter of `quad` (the outline it was
/// placed from).
pub(super) fn snapped(
    frame: &Frame<'_>,
    k: u32,
    quad: &Quad,
    placed: &Quad,
    max_move: f32,
    judging: SideJudging,
) -> Result<Option<Quad>, DetectError> {
    // At twice the working image's resolution: the edge that gave no line
    // there is faint, and finer pixels average less of it away (train and
    // test splits, mean IoU at the working / twice its resolution: test
    // 0.9665 / 0.9676, hard 0.8304 / 0.8319, train 0.9626 / 0.9638, hard
    // 0.8617 / 0.8621; found the same). The side check reads strips scaled
    // to the outline, so it judges them alike.
    let fine = (k / 2).max(1);
    let snapped = ClassicalDetector::default().snap_on(
        frame,
        frame.luma_downscaled_by(fine)?,
        fine,
        placed,
        SNAP_TOLERANCE,
        judging,
    )?;
    Ok(snapped.filter(|c| c.max_corner_distance(quad) <= max_move * quad.perimeter()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_one_rejected_side_among_three_trusted_ones_is_placed_again() {
        assert_eq!(rejected(&[0.99, 0.02, 0.95, 1.0]), Some(1));
        assert_eq!(rejected(&[0.0, 0.9, 0.9, 0.9]), Some(0));
        // Two rejected sides: the other two do not fix the card.
        assert_eq!(rejected(&[0.01, 0.02, 0.95, 1.0]), None);
        // A side neither trusted nor rejected.
        assert_eq!(rejected(&[0.99, 0.02, 0.5, 1.0]), None);
        // All trusted, or a side only doubted.
        assert_eq!(rejected(&[0.99, 0.95, 0.95, 1.0]), None);
        assert_eq!(rejected(&[0.99, 0.2, 0.95, 1.0]), None);
        // Not an outline's four sides.
        assert_eq!(rejected(&[0.0, 1.0, 1.0]), None);
        assert_eq!(rejected(&[]), None);
        assert_eq!(rejected(&[f32::NAN, 0.0, 1.0, 1.0]), None);
    }
}
