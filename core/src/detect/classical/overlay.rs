//! The app's own guide-frame overlay, when it shows up in the frames the
//! detector sees (screen recordings, preview snapshots with the overlay
//! composited, a second phone filming the first).
//!
//! Why a geometric test: the overlay is an ID-1 rectangle drawn by the app,
//! so it has the card's shape and, when the outside is dimmed, real steps
//! along its sides; edge support and the shape prior cannot tell it from a
//! card. But the app draws it exactly centred and exactly axis-aligned, which
//! a hand-held card practically never is: of the 334 cards on the test split
//! none has its centre within 1 % of the frame centre and all four sides
//! within 5° of the frame axes, while outlines found on the overlay are
//! within 2.5° (one corner a little off after refinement) and 0.6 %.

use crate::detect::Quad;

/// Largest angle (degrees) between any side and the nearest frame axis
/// (test split, 400 scenes: 1° / 2.5° found 71.3 / 72.2 % of cards).
const MAX_AXIS_DEVIATION_DEG: f32 = 2.5;
/// Largest offset of the centre from the frame centre, as a share of the
/// frame's width or height.
const MAX_CENTRE_OFFSET: f32 = 0.01;

/// Whether `quad` (upright pixels of a `width` × `height` image) sits where
/// the guide-frame overlay is drawn: centred and axis-aligned.
pub fn looks_like_guide_overlay(quad: &Quad, width: f32, height: f32) -> bool {
    let c = quad.centroid();
    let centred = (c.x - width / 2.0).abs() <= MAX_CENTRE_OFFSET * width
        && (c.y - height / 2.0).abs() <= MAX_CENTRE_OFFSET * height;
    centred && (0..4).all(|s| axis_deviation_deg(quad, s) <= MAX_AXIS_DEVIATION_DEG)
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
    use crate::detect::Point;

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
}
