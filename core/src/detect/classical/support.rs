//! Edge support along a line: for every position along it, whether an edge
//! pixel with a matching orientation lies within a pixel, split by polarity.
//! Prefix sums make "how much of this segment is supported" O(1), so
//! thousands of quad hypotheses can be scored cheaply.

use super::edges::EdgeMap;
use super::hough::Line;
use crate::fastmath::round_i32;

/// Orientation tolerance between an edge pixel's gradient and the line normal.
const MAX_ANGLE_COS: f32 = 0.94; // ≈ 20°

/// A line with cumulative support counts, indexed by position `t` along it.
pub struct SupportedLine {
    pub line: Line,
    /// Direction along the line.
    pub dir: (f32, f32),
    /// Unit normal (cos θ, sin θ), kept so scoring thousands of quads does
    /// not recompute it.
    pub normal: (f32, f32),
    /// The `t` interval that lies inside the image, if any.
    pub visible: Option<(f32, f32)>,
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
        // Only positions whose probes (a pixel either side) can touch the
        // edge map's region can count (the region's frame shifts the origin,
        // not the positions along the line).
        let r = edges.region;
        let (lo, hi) = inside_range(
            (line.rho * nx - r.x0 as f32, line.rho * ny - r.y0 as f32),
            dir,
            r.x1.saturating_sub(r.x0) as f32,
            r.y1.saturating_sub(r.y0) as f32,
            2.0,
        )
        .unwrap_or((0.0, 0.0));
        let first = ((lo + diag).floor().max(0.0) as usize).min(n);
        let last = ((hi + diag).ceil().max(0.0) as usize).min(n);
        for i in first..last {
            let t = i as f32 - diag;
            let (x, y) = (line.rho * nx + t * dir.0, line.rho * ny + t * dir.1);
            let s = polarity_at(edges, x, y, nx, ny);
            pos[i + 1] = pos[i] + u32::from(s > 0);
            neg[i + 1] = neg[i] + u32::from(s < 0);
        }
        for i in last..n {
            pos[i + 1] = pos[i];
            neg[i + 1] = neg[i];
        }
        SupportedLine {
            line,
            dir,
            normal: (nx, ny),
            visible: inside_range((line.rho * nx, line.rho * ny), dir, w, h, 0.0),
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
        let i0 = (round_i32(lo + self.t0).max(0) as usize).min(n);
        let i1 = (round_i32(hi + self.t0).max(0) as usize).min(n);
        (self.pos[i1] - self.pos[i0], self.neg[i1] - self.neg[i0])
    }
}

/// The `t` interval over which the line `o + t·dir` lies inside the `w` × `h`
/// image grown by `margin` on every side; `None` when it misses it.
pub fn inside_range(
    (ox, oy): (f32, f32),
    dir: (f32, f32),
    w: f32,
    h: f32,
    margin: f32,
) -> Option<(f32, f32)> {
    let (mut lo, mut hi) = (f32::NEG_INFINITY, f32::INFINITY);
    for (o, d, max) in [(ox, dir.0, w), (oy, dir.1, h)] {
        if d.abs() < 1e-6 {
            if o < -margin || o > max + margin {
                return None;
            }
            continue;
        }
        let (a, b) = ((-margin - o) / d, (max + margin - o) / d);
        lo = lo.max(a.min(b));
        hi = hi.min(a.max(b));
    }
    (hi > lo).then_some((lo, hi))
}

impl SupportedLine {
    /// Intersection with another line; `None` when (nearly) parallel.
    pub fn intersect(&self, other: &SupportedLine) -> Option<(f32, f32)> {
        let ((a1, b1), (a2, b2)) = (self.normal, other.normal);
        let det = a1 * b2 - a2 * b1;
        if det.abs() < 1e-4 {
            return None;
        }
        let (r1, r2) = (self.line.rho, other.line.rho);
        Some(((r1 * b2 - r2 * b1) / det, (a1 * r2 - a2 * r1) / det))
    }

    /// Length of `[lo, hi]` along the line that lies inside the image.
    pub fn visible_length(&self, lo: f32, hi: f32) -> f32 {
        match self.visible {
            Some((a, b)) => (hi.min(b) - lo.max(a)).max(0.0),
            None => 0.0,
        }
    }
}

/// Edge support of a side between its corners, less the rounded corners.
#[derive(Debug, Clone, Copy)]
pub struct SideSupport {
    /// Length of the trimmed side inside the image.
    pub visible: f32,
    /// Supported positions with the gradient along +normal / −normal.
    pub pos: u32,
    pub neg: u32,
    /// Length of the trimmed side.
    trimmed: f32,
}

impl SideSupport {
    /// Whether less than half of the trimmed side lies inside the image.
    pub fn hidden(&self) -> bool {
        self.visible < 0.5 * self.trimmed
    }

    /// Share of the visible trimmed side backed by edges of one polarity.
    pub fn coverage(&self) -> f32 {
        (self.pos.max(self.neg) as f32 / self.visible.max(1.0)).min(1.0)
    }
}

impl SupportedLine {
    /// Support of the side between the corners at `ta` and `tb` along the
    /// line, `margin` × its length at both ends left out (rounded card
    /// corners carry no straight edge).
    pub fn side_support(&self, ta: f32, tb: f32, margin: f32) -> SideSupport {
        let m = margin * (tb - ta).abs();
        let (lo, hi) = (ta.min(tb) + m, ta.max(tb) - m);
        let (pos, neg) = self.support(lo, hi);
        SideSupport {
            visible: self.visible_length(lo, hi),
            pos,
            neg,
            trimmed: hi - lo,
        }
    }
}

/// +1 / −1 when an oriented edge lies within a pixel of `(x, y)` across the
/// line, 0 otherwise.
fn polarity_at(edges: &EdgeMap, x: f32, y: f32, nx: f32, ny: f32) -> i8 {
    for off in [0.0f32, -1.0, 1.0] {
        let (px, py) = (round_i32(x + off * nx - 0.5), round_i32(y + off * ny - 0.5));
        if edges.strength_at(px, py) == 0 {
            continue;
        }
        let (gx, gy) = edges.gradient_at(px, py);
        // cos(angle) = dot / |g|, compared without dividing.
        let limit = MAX_ANGLE_COS * (gx * gx + gy * gy).sqrt();
        if limit <= 0.0 {
            continue;
        }
        let dot = gx * nx + gy * ny;
        if dot >= limit {
            return 1;
        }
        if dot <= -limit {
            return -1;
        }
    }
    0
}
