//! Edge support along a line: for every position along it, whether an edge
//! pixel with a matching orientation lies within a pixel, split by polarity.
//! Prefix sums make "how much of this segment is supported" O(1), so
//! thousands of quad hypotheses can be scored cheaply.

use super::edges::EdgeMap;
use super::hough::Line;

/// Orientation tolerance between an edge pixel's gradient and the line normal.
const MAX_ANGLE_COS: f32 = 0.94; // ≈ 20°

/// A line with cumulative support counts, indexed by position `t` along it.
pub struct SupportedLine {
    pub line: Line,
    /// Direction along the line.
    pub dir: (f32, f32),
    /// Offset so that index = t + t0.
    t0: f32,
    /// Prefix sums of supported positions whose gradient points along +normal / −normal.
    pos: Vec<u32>,
    neg: Vec<u32>,
}

impl SupportedLine {
    pub fn new(line: Line, edges: &EdgeMap) -> Self {
        let (w, h) = (edges.width as f32, edges.height as f32);
        let diag = (w * w + h * h).sqrt().ceil();
        let (nx, ny) = line.normal();
        let dir = (-ny, nx);
        let n = (2.0 * diag) as usize + 1;
        let (mut pos, mut neg) = (vec![0u32; n + 1], vec![0u32; n + 1]);
        for i in 0..n {
            let t = i as f32 - diag;
            let (x, y) = (line.rho * nx + t * dir.0, line.rho * ny + t * dir.1);
            let s = polarity_at(edges, x, y, nx, ny);
            pos[i + 1] = pos[i] + u32::from(s > 0);
            neg[i + 1] = neg[i] + u32::from(s < 0);
        }
        SupportedLine {
            line,
            dir,
            t0: diag,
            pos,
            neg,
        }
    }

    /// Position along the line of a point on (or near) it.
    pub fn t_of(&self, p: (f32, f32)) -> f32 {
        p.0 * self.dir.0 + p.1 * self.dir.1
    }

    /// Supported counts (positive, negative polarity) on `[ta, tb]`.
    pub fn support(&self, ta: f32, tb: f32) -> (u32, u32) {
        let (lo, hi) = if ta <= tb { (ta, tb) } else { (tb, ta) };
        let n = self.pos.len() - 1;
        let i0 = ((lo + self.t0).round().max(0.0) as usize).min(n);
        let i1 = ((hi + self.t0).round().max(0.0) as usize).min(n);
        (self.pos[i1] - self.pos[i0], self.neg[i1] - self.neg[i0])
    }
}

/// +1 / −1 when an oriented edge lies within a pixel of `(x, y)` across the
/// line, 0 otherwise.
fn polarity_at(edges: &EdgeMap, x: f32, y: f32, nx: f32, ny: f32) -> i8 {
    for off in [0.0f32, -1.0, 1.0] {
        let (px, py) = (
            (x + off * nx - 0.5).round() as i32,
            (y + off * ny - 0.5).round() as i32,
        );
        if edges.strength_at(px, py) == 0 {
            continue;
        }
        let (gx, gy) = edges.gradient_at(px, py);
        let norm = gx.hypot(gy);
        if norm <= 0.0 {
            continue;
        }
        let c = (gx * nx + gy * ny) / norm;
        if c >= MAX_ANGLE_COS {
            return 1;
        }
        if c <= -MAX_ANGLE_COS {
            return -1;
        }
    }
    0
}
