//! The app's own guide-frame overlay, when it shows up in the frames the
//! detector sees (screen recordings, preview snapshots with the overlay
//! composited, a second phone filming the first).
//!
//! Why a geometric test: the overlay is an ID-1 rectangle drawn by the app,
//! so it has the card's shape and, when the outside is dimmed, real steps
//! along its sides; edge support and the shape prior cannot tell it from a
//! card. But the app draws it exactly centred and exactly axis-aligned, which
//! a hand-held card rarely is (of the 334 cards on the test split none has
//! its centre within 1 % of the frame centre and all four sides within 5° of
//! the frame axes; outlines found on the overlay are within 2.5° and 0.6 %),
//! and draws it as a thin stroke of one colour, where a card's side is a
//! step between card and table. Both must hold, so a user who holds a real
//! card exactly centred and level keeps it.
//!
//! Test split, 400 scenes, classical detector: found 70.4 → 71.0 %, IoU
//! 0.753 → 0.752, false positives 43.9 → 42.4 % (on most card-free scenes
//! the detector then finds a distractor instead); 8 of the 16 outlines it
//! had put on the overlay are gone; hard scenes found 49.4 → 50.0 %.
//! Geometry alone gave 72.2 % but rejected a real card held exactly centred
//! and level.

use crate::detect::{Point, Quad, CARD_ASPECT};
use crate::frame::Frame;

/// Largest angle (degrees) between any side and the nearest frame axis.
const MAX_AXIS_DEVIATION_DEG: f32 = 2.5;
/// Largest offset of the centre from the frame centre, as a share of the
/// frame's width or height.
const MAX_CENTRE_OFFSET: f32 = 0.01;

/// Whether `quad` (upright frame pixels) is the guide-frame overlay: where
/// the app draws it (centred, axis-aligned) *and* drawn as the overlay is, a
/// thin stroke of one colour along at least three sides. The stroke test
/// keeps a real card that a user holds exactly centred and level (its sides
/// are steps between card and table, not strokes).
pub fn is_guide_overlay(frame: &Frame<'_>, quad: &Quad) -> bool {
    let (w, h) = frame.upright_size();
    looks_like_guide_overlay(quad, w as f32, h as f32)
        && (0..4)
            .filter(|&s| side_is_stroke(frame, quad, s, STROKE_SEARCH))
            .count()
            >= 3
}

/// Whether an edge line is a side of the guide-frame overlay. The line is
/// given by a point on it (`x`, `y`, upright frame pixels) and its normal's
/// angle `theta` (radians). Snapping asks this of every line it considers:
/// the overlay's stroke, and the step where the app dims the outside, are
/// often the strongest lines near a card held inside the guide, and a card
/// snapped to them takes the overlay's side for its own.
///
/// Why it is cheap and safe: only a line within [`MAX_AXIS_DEVIATION_DEG`]
/// of a frame axis can be an overlay side, and such a line fixes the whole
/// overlay (centred, ID-1 ratio, landscape or portrait), so the full
/// [`is_guide_overlay`] test (a stroke along at least three sides) decides.
/// `slack`: how much further (frame pixels) than [`STROKE_SEARCH`] the line
/// may lie from the stroke, for lines found on a coarser grid than the
/// frame's.
pub fn is_guide_side(frame: &Frame<'_>, x: f32, y: f32, theta: f32, slack: f32) -> bool {
    let search = STROKE_SEARCH + slack.clamp(0.0, 16.0).ceil() as i32;
    let (w, h) = frame.upright_size();
    let (w, h) = (w as f32, h as f32);
    // Angle of the line's normal from the x axis, folded to [0, 90]°.
    let normal = theta.to_degrees().rem_euclid(180.0);
    let normal = normal.min(180.0 - normal);
    let vertical = normal <= MAX_AXIS_DEVIATION_DEG;
    if !vertical && (90.0 - normal) > MAX_AXIS_DEVIATION_DEG {
        return false;
    }
    let half = if vertical {
        (x - w / 2.0).abs()
    } else {
        (y - h / 2.0).abs()
    };
    if half < 8.0 {
        return false;
    }
    let (cx, cy) = (w / 2.0, h / 2.0);
    // The overlay side the line would be: top, right, bottom, left.
    let own = match (vertical, x > cx, y > cy) {
        (true, true, _) => 1,
        (true, false, _) => 3,
        (false, _, false) => 0,
        (false, _, true) => 2,
    };
    [CARD_ASPECT, 1.0 / CARD_ASPECT].into_iter().any(|aspect| {
        // `aspect` = overlay width / height.
        let (hw, hh) = if vertical {
            (half, half / aspect)
        } else {
            (half * aspect, half)
        };
        let quad = Quad::new([
            Point::new(cx - hw, cy - hh),
            Point::new(cx + hw, cy - hh),
            Point::new(cx + hw, cy + hh),
            Point::new(cx - hw, cy + hh),
        ]);
        // The line's own side first: most axis-aligned lines are a level
        // card's edge, a step that fails here after one side's samples.
        side_is_stroke(frame, &quad, own, search)
            && (0..4)
                .filter(|&s| s != own)
                .filter(|&s| side_is_stroke(frame, &quad, s, search))
                .nth(1)
                .is_some()
    })
}

/// Whether `quad` (upright pixels of a `width` × `height` image) sits where
/// the guide-frame overlay is drawn: centred and axis-aligned.
fn looks_like_guide_overlay(quad: &Quad, width: f32, height: f32) -> bool {
    let c = quad.centroid();
    let centred = (c.x - width / 2.0).abs() <= MAX_CENTRE_OFFSET * width
        && (c.y - height / 2.0).abs() <= MAX_CENTRE_OFFSET * height;
    centred && (0..4).all(|s| axis_deviation_deg(quad, s) <= MAX_AXIS_DEVIATION_DEG)
}

/// Points along each side where a stroke is looked for: near both ends,
/// inside the rounded corners, where corner-bracket overlays draw it too.
const STROKE_AT: [f32; 8] = [0.08, 0.09, 0.1, 0.11, 0.89, 0.9, 0.91, 0.92];
/// Offsets (frame pixels) across the side searched for the stroke: the
/// refined line lies on one edge of a stroke up to 6 px wide.
const STROKE_SEARCH: i32 = 5;
/// Distance (frame pixels) from the stroke at which the scene is compared
/// with it.
const STROKE_CLEARANCE: i32 = 7;
/// Largest RGB standard deviation along a stroke (one drawn colour, under
/// the scene's lighting gradient and noise), absolute and as a share of the
/// stroke's contrast with the scene.
const MAX_STROKE_SPREAD: f32 = 25.0;
const MAX_STROKE_SPREAD_SHARE: f32 = 0.3;
/// Smallest RGB distance between the stroke and the colours between the
/// scene on its two sides.
const MIN_STROKE_CONTRAST: f32 = 35.0;

/// Whether side `s` of `quad` carries a thin line of one colour that differs
/// from the scene on both of its sides, within `search` frame pixels of it.
fn side_is_stroke(frame: &Frame<'_>, quad: &Quad, s: usize, search: i32) -> bool {
    let (a, b) = (quad.corners[s], quad.corners[(s + 1) % 4]);
    let len = a.distance(b).max(1e-3);
    let n = (-(b.y - a.y) / len, (b.x - a.x) / len);
    // Mean colour and spread along the side at each offset across it (`None`
    // where a point falls outside the frame).
    let reach = search + STROKE_CLEARANCE;
    let at: Vec<Option<([f32; 3], f32)>> = (-reach..=reach)
        .map(|o| {
            let colours: Option<Vec<[f32; 3]>> = STROKE_AT
                .iter()
                .map(|&t| {
                    let (x, y) = (a.x + (b.x - a.x) * t, a.y + (b.y - a.y) * t);
                    let rgb = frame.sample_rgb(x + n.0 * o as f32, y + n.1 * o as f32)?;
                    Some(rgb.map(f32::from))
                })
                .collect();
            colours.map(|c| mean_and_spread(&c))
        })
        .collect();
    let index = |o: i32| (o + reach) as usize;
    (-search..=search).any(|o| {
        let (Some((mean, spread)), Some((before, _)), Some((after, _))) = (
            at[index(o)],
            at[index(o - STROKE_CLEARANCE)],
            at[index(o + STROKE_CLEARANCE)],
        ) else {
            return false;
        };
        // Distance from the colours between the two sides, not just from
        // each side: where a side is a step, a sample that straddles it is
        // a blend of the two and would otherwise pass as a line of its own.
        let contrast = distance_to_segment(mean, before, after);
        contrast >= MIN_STROKE_CONTRAST
            && spread <= MAX_STROKE_SPREAD.max(MAX_STROKE_SPREAD_SHARE * contrast)
    })
}

/// Mean colour and RMS distance from it.
fn mean_and_spread(colours: &[[f32; 3]]) -> ([f32; 3], f32) {
    let n = colours.len().max(1) as f32;
    let mut mean = [0.0f32; 3];
    for c in colours {
        for k in 0..3 {
            mean[k] += c[k] / n;
        }
    }
    let var = colours
        .iter()
        .map(|c| distance(*c, mean).powi(2))
        .sum::<f32>()
        / n;
    (mean, var.sqrt())
}

/// Distance from `p` to the segment of colours from `a` to `b`.
fn distance_to_segment(p: [f32; 3], a: [f32; 3], b: [f32; 3]) -> f32 {
    let ab = [b[0] - a[0], b[1] - a[1], b[2] - a[2]];
    let ap = [p[0] - a[0], p[1] - a[1], p[2] - a[2]];
    let len2 = ab.iter().map(|v| v * v).sum::<f32>();
    let t = if len2 > 0.0 {
        (ab.iter().zip(&ap).map(|(u, v)| u * v).sum::<f32>() / len2).clamp(0.0, 1.0)
    } else {
        0.0
    };
    distance(p, [a[0] + ab[0] * t, a[1] + ab[1] * t, a[2] + ab[2] * t])
}

fn distance(a: [f32; 3], b: [f32; 3]) -> f32 {
    ((a[0] - b[0]).powi(2) + (a[1] - b[1]).powi(2) + (a[2] - b[2]).powi(2)).sqrt()
}

/// Angle between side `s` and the nearest frame axis, degrees in [0, 45].
fn axis_deviation_deg(quad: &Quad, s: usize) -> f32 {
    let (a, b) = (quad.corners[s], quad.corners[(s + 1) % 4]);
    let angle = (b.y - a.y).atan2(b.x - a.x).to_degrees().rem_euclid(90.0);
    angle.min(90.0 - angle)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rect(cx: f32, cy: f32, w: f32, h: f32, turn_deg: f32) -> Quad {
        let (s, c) = turn_deg.to_radians().sin_cos();
        let p = |x: f32, y: f32| Point::new(cx + x * c - y * s, cy + x * s + y * c);
        Quad::new([
            p(-w / 2.0, -h / 2.0),
            p(w / 2.0, -h / 2.0),
            p(w / 2.0, h / 2.0),
            p(-w / 2.0, h / 2.0),
        ])
    }

    #[test]
    fn the_centred_axis_aligned_overlay_is_recognised() {
        assert!(looks_like_guide_overlay(
            &rect(640.0, 360.0, 700.0, 441.0, 0.0),
            1280.0,
            720.0
        ));
        assert!(looks_like_guide_overlay(
            &rect(645.0, 362.0, 700.0, 441.0, 2.0),
            1280.0,
            720.0
        ));
    }

    #[test]
    fn a_card_turned_or_off_centre_is_not() {
        assert!(!looks_like_guide_overlay(
            &rect(640.0, 360.0, 700.0, 441.0, 4.0),
            1280.0,
            720.0
        ));
        assert!(!looks_like_guide_overlay(
            &rect(680.0, 360.0, 700.0, 441.0, 0.0),
            1280.0,
            720.0
        ));
        // A keystoned card: its sides are not all axis-aligned.
        let mut q = rect(640.0, 360.0, 700.0, 441.0, 0.0);
        q.corners[0].x += 30.0;
        q.corners[1].x -= 30.0;
        assert!(!looks_like_guide_overlay(&q, 1280.0, 720.0));
    }

    /// A textured scene, with an ID-1 outline drawn as a `stroke`-px line
    /// (the overlay) or filled as a light card (`stroke` 0).
    fn scene(quad: &Quad, stroke: u32) -> crate::frame::OwnedFrame {
        let (x0, y0) = (quad.corners[0].x as u32, quad.corners[0].y as u32);
        let (x1, y1) = (quad.corners[2].x as u32, quad.corners[2].y as u32);
        let img = image::RgbImage::from_fn(1280, 720, |x, y| {
            let inside = (x0..x1).contains(&x) && (y0..y1).contains(&y);
            let near = |v: u32, a: u32| v.abs_diff(a) < stroke.max(1);
            let on_stroke = stroke > 0
                && inside
                && (near(x, x0) || near(x, x1 - 1) || near(y, y0) || near(y, y1 - 1));
            let t = ((x * 7 + y * 13) % 23) as u8;
            if on_stroke {
                image::Rgb([60, 200, 120])
            } else if stroke == 0 && inside {
                image::Rgb([235, 232, 225])
            } else {
                image::Rgb([90 + t, 70 + t, 50 + t])
            }
        });
        crate::frame::OwnedFrame::i420_from_rgb(&img).unwrap()
    }

    #[test]
    fn each_side_of_a_drawn_overlay_is_an_overlay_side_and_a_card_edge_is_not() {
        let q = rect(640.0, 360.0, 700.0, 441.0, 0.0);
        let overlay = scene(&q, 4);
        let f = overlay.as_frame().unwrap();
        // Left, right (vertical: normal along x), top, bottom (normal along y),
        // each from a point a little off the stroke's centre and 1° off level.
        let tilt = 1f32.to_radians();
        assert!(is_guide_side(&f, 291.0, 300.0, tilt, 0.0));
        assert!(is_guide_side(
            &f,
            988.0,
            400.0,
            std::f32::consts::PI - tilt,
            0.0
        ));
        assert!(is_guide_side(
            &f,
            600.0,
            141.0,
            std::f32::consts::FRAC_PI_2 + tilt,
            0.0
        ));
        assert!(is_guide_side(
            &f,
            700.0,
            579.0,
            std::f32::consts::FRAC_PI_2,
            0.0
        ));
        // A Hough line on a coarse grid lies a few pixels off the stroke:
        // found within the slack the caller allows for it, not beyond.
        assert!(!is_guide_side(&f, 300.0, 300.0, 0.0, 0.0));
        assert!(is_guide_side(&f, 300.0, 300.0, 0.0, 6.0));
        // A line through the scene's texture, and a steep line, are not.
        assert!(!is_guide_side(&f, 200.0, 300.0, 0.0, 0.0));
        assert!(!is_guide_side(&f, 291.0, 300.0, 0.3, 0.0));
        // The same outline filled as a card: its level edges are steps.
        let card = scene(&q, 0);
        let f = card.as_frame().unwrap();
        assert!(!is_guide_side(&f, 290.0, 300.0, 0.0, 0.0));
        assert!(!is_guide_side(
            &f,
            600.0,
            140.0,
            std::f32::consts::FRAC_PI_2,
            0.0
        ));
    }

    #[test]
    fn a_drawn_overlay_is_the_overlay_and_a_centred_level_card_is_not() {
        let q = rect(640.0, 360.0, 700.0, 441.0, 0.0);
        let overlay = scene(&q, 4);
        assert!(is_guide_overlay(&overlay.as_frame().unwrap(), &q));
        // The same outline filled as a card: steps, not strokes.
        let card = scene(&q, 0);
        assert!(!is_guide_overlay(&card.as_frame().unwrap(), &q));
    }
}
