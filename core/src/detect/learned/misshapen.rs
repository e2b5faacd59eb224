//! An outline that is no ID-1 card in perspective, given the camera's focal
//! length: one of its sides is wrong, and is placed again from the other
//! three.
//!
//! Why: the side check judges each side on a strip across it, and a band
//! printed along the card's edge, a finger's shadow or the paper under the
//! card can pass it while the outline as a whole is far from the card's
//! shape. With the focal length the shape is known exactly (the rectified
//! aspect ratio of a card's outline is 85.60 / 53.98 whatever its tilt), so
//! a wrong side shows; without it, any aspect ratio fits some focal length
//! and correct outlines of steeply tilted cards measure as far off as wrong
//! ones (train and test splits: tried with the five assumed focal lengths,
//! one more card found of 1 200 scenes and several wrong outlines made
//! worse, so this runs only when the frame carries the focal length).
//!
//! Each side is placed where an ID-1 card with the other three would have
//! it and snapped (as in `rejected_side.rs`); the result replaces the
//! outline when exactly one placement gives an outline the side check
//! trusts on all four sides, doubts no more than the original and that is
//! itself card-shaped. Two such placements mean the check cannot tell which
//! side was wrong, and the outline is kept.

use super::super::classical::shape::rectified_aspect_with;
use super::super::classical::SideJudging;
use super::super::{DetectError, Point, Quad, CARD_ASPECT};
use super::rejected_side::{best_placement, snapped, TRUSTED};
use super::{mean_doubt, side_probabilities};
use crate::frame::{Frame, ScaledLuma};

/// An outline is misshapen when its rectified aspect ratio is more than
/// this far from ID-1's (absolute log-ratio: 0.15 ≈ 16 %). Correct outlines
/// on the test split (with the scenes' focal lengths) are within 0.067 for
/// 95 % of normal cards; small and partly hidden cards spread further, as
/// a pixel off on a short side moves the ratio more.
const MISSHAPEN: f32 = 0.15;
/// A replacement must be card-shaped within this (absolute log-ratio).
const CARD_SHAPED: f32 = 0.1;
/// Farthest a placement may move the outline's corners (share of the
/// perimeter): a misshapen outline's wrong side is often far from the
/// card's, further than a rejected side's (5 %).
const MAX_MOVE: f32 = 0.2;

/// `quad` with its one wrong side placed again (see the module docs), and
/// the replacement's side probabilities; `None` when the frame carries no
/// focal length, `quad` is card-shaped, or no single placement is clearly
/// right. `sure`: `quad`'s side probabilities.
pub(super) fn replace(
    frame: &Frame<'_>,
    luma: &ScaledLuma,
    k: u32,
    quad: &Quad,
    sure: &[f32],
    judging: SideJudging,
) -> Result<Option<(Quad, Vec<f32>)>, DetectError> {
    let Some(focal) = frame.focal_length() else {
        return Ok(None);
    };
    let misshapen = |q: &Quad, limit: f32| shape_error(frame, q, focal) > limit;
    if !misshapen(quad, MISSHAPEN) {
        return Ok(None);
    }
    let doubt = mean_doubt(sure);
    let mut found = None;
    for side in 0..4 {
        let Some(placed) = best_placement(frame, luma, quad, side, MAX_MOVE)? else {
            continue;
        };
        // A side placed out of frame has no edge to snap to: the placement
        // stands as it is.
        let q = snapped(frame, k, quad, &placed, MAX_MOVE, judging)?.unwrap_or(placed);
        let p = side_probabilities(luma, &q)?;
        let right = p.iter().all(|&v| v >= TRUSTED)
            && mean_doubt(&p) <= doubt
            && !misshapen(&q, CARD_SHAPED);
        if right {
            if found.is_some() {
                return Ok(None);
            }
            found = Some((q, p));
        }
    }
    Ok(found)
}

/// How far `quad`'s rectified aspect ratio (camera of focal length `focal`,
/// principal point at the frame's centre) is from ID-1's, as an absolute
/// log-ratio.
fn shape_error(frame: &Frame<'_>, quad: &Quad, focal: f32) -> f32 {
    let (w, h) = frame.upright_size();
    let centre = Point::new(w as f32 / 2.0, h as f32 / 2.0);
    (rectified_aspect_with(quad, centre, focal) / CARD_ASPECT)
        .ln()
        .abs()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::frame::OwnedFrame;

    /// An ID-1 card (mm) turned by `yaw` and tilted by `pitch` (radians),
    /// 200 mm in front of a camera of focal length `focal` centred in a
    /// 1280 × 720 frame.
    fn card_seen(focal: f32, yaw: f32, pitch: f32) -> Quad {
        let (w, h) = (85.6f32, 53.98f32);
        let corners = [[0.0, 0.0], [w, 0.0], [w, h], [0.0, h]].map(|[x, y]: [f32; 2]| {
            let (x, y) = (x - w / 2.0, y - h / 2.0);
            let (x1, z1) = (x * yaw.cos(), x * yaw.sin());
            let (y2, z2) = (
                y * pitch.cos() - z1 * pitch.sin(),
                y * pitch.sin() + z1 * pitch.cos(),
            );
            let z = z2 + 200.0;
            Point::new(
                640.0 + focal * (x1 + 10.0) / z,
                360.0 + focal * (y2 - 5.0) / z,
            )
        });
        Quad::new(corners)
    }

    /// A flat grey 1280 × 720 frame.
    fn grey() -> OwnedFrame {
        OwnedFrame::from_gray(&image::GrayImage::from_pixel(1280, 720, image::Luma([90]))).unwrap()
    }

    #[test]
    fn a_card_in_perspective_is_card_shaped_and_a_wrong_side_is_not() {
        let owned = grey();
        for (focal, yaw, pitch) in [(900.0, 0.6, -0.4), (1300.0, -0.3, 0.5), (1600.0, 0.0, 0.0)] {
            let f = owned.as_frame().unwrap().with_focal_length(focal).unwrap();
            let card = card_seen(focal, yaw, pitch);
            assert!(
                shape_error(&f, &card, focal) < 0.01,
                "{focal} {yaw} {pitch}"
            );
            // One side moved in by a fifth of the card: a band's edge.
            let mut c = card.corners;
            for i in [2, 3] {
                let j = 3 - i;
                c[i] = Point::new(
                    c[i].x + 0.2 * (c[j].x - c[i].x),
                    c[i].y + 0.2 * (c[j].y - c[i].y),
                );
            }
            let cut = Quad::new(c);
            assert!(
                shape_error(&f, &cut, focal) > MISSHAPEN,
                "{focal} {yaw} {pitch}"
            );
        }
    }

    #[test]
    fn nothing_is_placed_without_the_focal_length() {
        let owned = grey();
        let f = owned.as_frame().unwrap();
        let luma = f.luma_downscaled_by(4).unwrap();
        let mut c = card_seen(1000.0, 0.4, 0.2).corners;
        c[2].y -= 60.0;
        c[3].y -= 60.0;
        let quad = Quad::new(c);
        let got = replace(&f, &luma, 4, &quad, &[1.0; 4], SideJudging::Check).unwrap();
        assert_eq!(got, None);
    }
}
