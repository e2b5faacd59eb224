//! Where the card sits in the frame: distance (effective DPI), tilt (how far
//! the quad is from a rectangle seen head-on) and whether it leaves the frame.

/// Width of an ID-1 card in inches (85.60 mm).
pub const CARD_WIDTH_IN: f32 = 3.370;

/// Geometric measurements of the card quad, clockwise from the card's top-left.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct QuadGeometry {
    /// Card width in frame pixels (mean of the two long edges).
    pub width_px: f32,
    /// Effective resolution of the card: `width_px / 3.370 in`.
    pub dpi: f32,
    /// Largest deviation of a corner angle from 90°, in degrees.
    pub max_corner_deviation_deg: f32,
    /// Shorter / longer of each pair of opposite edges, the smaller of the
    /// two pairs (1 = seen head-on; perspective foreshortening lowers it).
    pub opposite_edge_ratio: f32,
    /// Smallest distance of a corner to the frame border in pixels
    /// (negative when a corner lies outside the frame).
    pub min_border_distance_px: f32,
}

fn dist(a: [f32; 2], b: [f32; 2]) -> f32 {
    ((a[0] - b[0]).powi(2) + (a[1] - b[1]).powi(2)).sqrt()
}

/// Interior angle at corner `b` between edges to `a` and `c`, in degrees.
fn angle_deg(a: [f32; 2], b: [f32; 2], c: [f32; 2]) -> f32 {
    let (u, v) = ([a[0] - b[0], a[1] - b[1]], [c[0] - b[0], c[1] - b[1]]);
    let nu = (u[0] * u[0] + u[1] * u[1]).sqrt();
    let nv = (v[0] * v[0] + v[1] * v[1]).sqrt();
    if nu <= f32::EPSILON || nv <= f32::EPSILON {
        return 0.0;
    }
    ((u[0] * v[0] + u[1] * v[1]) / (nu * nv))
        .clamp(-1.0, 1.0)
        .acos()
        .to_degrees()
}

fn ratio(a: f32, b: f32) -> f32 {
    let (lo, hi) = (a.min(b), a.max(b));
    if hi <= f32::EPSILON {
        0.0
    } else {
        lo / hi
    }
}

/// Measures the quad `c` (clockwise from the card's top-left) in a frame of
/// `frame_w` × `frame_h` pixels.
pub fn measure(c: &[[f32; 2]; 4], frame_w: f32, frame_h: f32) -> QuadGeometry {
    let e = [
        dist(c[0], c[1]),
        dist(c[1], c[2]),
        dist(c[2], c[3]),
        dist(c[3], c[0]),
    ];
    // The card's top and bottom edges are its width; take the longer pair in
    // case a detector hands the quad over in portrait order.
    let width_px = ((e[0] + e[2]) / 2.0).max((e[1] + e[3]) / 2.0);
    let max_dev = (0..4)
        .map(|i| (angle_deg(c[(i + 3) % 4], c[i], c[(i + 1) % 4]) - 90.0).abs())
        .fold(0.0f32, f32::max);
    let min_border = c
        .iter()
        .map(|p| p[0].min(p[1]).min(frame_w - p[0]).min(frame_h - p[1]))
        .fold(f32::INFINITY, f32::min);
    QuadGeometry {
        width_px,
        dpi: width_px / CARD_WIDTH_IN,
        max_corner_deviation_deg: max_dev,
        opposite_edge_ratio: ratio(e[0], e[2]).min(ratio(e[1], e[3])),
        min_border_distance_px: min_border,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn head_on_card() {
        let q = [
            [100.0, 100.0],
            [774.0, 100.0],
            [774.0, 525.0],
            [100.0, 525.0],
        ];
        let g = measure(&q, 1280.0, 720.0);
        assert!((g.dpi - 200.0).abs() < 0.1, "{g:?}");
        assert!(g.max_corner_deviation_deg < 1e-3);
        assert!((g.opposite_edge_ratio - 1.0).abs() < 1e-6);
        assert_eq!(g.min_border_distance_px, 100.0);
    }

    #[test]
    fn keystoned_card_and_corner_outside() {
        let q = [
            [150.0, 100.0],
            [650.0, 100.0],
            [750.0, 420.0],
            [50.0, 420.0],
        ];
        let g = measure(&q, 700.0, 720.0);
        assert!(g.max_corner_deviation_deg > 15.0);
        assert!((g.opposite_edge_ratio - 500.0 / 700.0).abs() < 1e-4);
        assert!(g.min_border_distance_px < 0.0);
    }
}
