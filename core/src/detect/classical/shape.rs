//! The ID-1 shape prior: the true aspect ratio of the rectangle behind a
//! perspective quad (Zhang & He, "Whiteboard scanning", 2007), so a tilted card
//! still measures ≈ 1.586 while A4 (1.414), letter (1.294), phones (≈ 2.0) and
//! 16:9 screens (1.78) do not.

use crate::detect::{Point, Quad, CARD_ASPECT};

/// Estimated real-world long/short ratio of the rectangle imaged as `quad`
/// (clockwise, any start), with the principal point at `center` and
/// `fallback_focal` used when the quad does not determine the focal length.
pub fn rectified_aspect(quad: &Quad, center: Point, fallback_focal: f32) -> f32 {
    aspect(quad, center, fallback_focal, true)
}

/// [`rectified_aspect`] with the camera's known focal length `focal`: the
/// quad's own estimate of the focal length fits whatever the quad is, so a
/// wrong outline would measure as a card.
pub fn rectified_aspect_with(quad: &Quad, center: Point, focal: f32) -> f32 {
    aspect(quad, center, focal, false)
}

fn aspect(quad: &Quad, center: Point, fallback_focal: f32, estimate: bool) -> f32 {
    let c = quad.clockwise().corners;
    let m = |p: Point| [(p.x - center.x) as f64, (p.y - center.y) as f64, 1.0];
    let (m1, m2, m4, m3) = (m(c[0]), m(c[1]), m(c[2]), m(c[3]));
    let k2 = dot(cross(m1, m4), m3) / dot(cross(m2, m4), m3);
    let k3 = dot(cross(m1, m4), m2) / dot(cross(m3, m4), m2);
    let n2 = [k2 * m2[0] - m1[0], k2 * m2[1] - m1[1], k2 * m2[2] - m1[2]];
    let n3 = [k3 * m3[0] - m1[0], k3 * m3[1] - m1[1], k3 * m3[2] - m1[2]];
    let denom = n2[2] * n3[2];
    let fallback = fallback_focal as f64;
    let f2 = if denom.abs() > 1e-9 {
        -(n2[0] * n3[0] + n2[1] * n3[1]) / denom
    } else {
        -1.0
    };
    let f2 = if estimate && f2 > (0.4 * fallback).powi(2) && f2 < (4.0 * fallback).powi(2) {
        f2
    } else {
        fallback * fallback
    };
    let norm = |n: [f64; 3]| (n[0] * n[0] + n[1] * n[1]) / f2 + n[2] * n[2];
    let r = (norm(n2) / norm(n3)).sqrt() as f32;
    if !r.is_finite() || r <= 0.0 {
        return quad.aspect_ratio();
    }
    if r >= 1.0 {
        r
    } else {
        1.0 / r
    }
}

/// 1 at the ID-1 ratio, falling off in log-ratio (≈ 0.37 at ±8 %).
pub fn aspect_likelihood(aspect: f32, tolerance: f32) -> f32 {
    let d = (aspect / CARD_ASPECT).ln() / tolerance;
    (-d * d).exp()
}

fn cross(a: [f64; 3], b: [f64; 3]) -> [f64; 3] {
    [
        a[1] * b[2] - a[2] * b[1],
        a[2] * b[0] - a[0] * b[2],
        a[0] * b[1] - a[1] * b[0],
    ]
}

fn dot(a: [f64; 3], b: [f64; 3]) -> f64 {
    a[0] * b[0] + a[1] * b[1] + a[2] * b[2]
}
