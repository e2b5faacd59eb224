//! Plane geometry: homographies between a flat object and its image, and quads.

/// A 3×3 projective map, row-major, applied to column vectors (x, y, 1).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Homography(pub [f64; 9]);

pub type Quad = [[f32; 2]; 4];

impl Homography {
    /// The map taking `src[i]` to `dst[i]` for four points, or `None` when the
    /// points are degenerate (three collinear).
    pub fn from_quads(src: &Quad, dst: &Quad) -> Option<Self> {
        let mut a = [[0.0f64; 9]; 8];
        for i in 0..4 {
            let (x, y) = (src[i][0] as f64, src[i][1] as f64);
            let (u, v) = (dst[i][0] as f64, dst[i][1] as f64);
            a[2 * i] = [x, y, 1.0, 0.0, 0.0, 0.0, -u * x, -u * y, u];
            a[2 * i + 1] = [0.0, 0.0, 0.0, x, y, 1.0, -v * x, -v * y, v];
        }
        let h = solve8(a)?;
        Some(Self([h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7], 1.0]))
    }

    pub fn apply(&self, x: f32, y: f32) -> [f32; 2] {
        let m = &self.0;
        let (x, y) = (x as f64, y as f64);
        let w = m[6] * x + m[7] * y + m[8];
        let w = if w.abs() < 1e-12 { 1e-12 } else { w };
        [
            ((m[0] * x + m[1] * y + m[2]) / w) as f32,
            ((m[3] * x + m[4] * y + m[5]) / w) as f32,
        ]
    }

    pub fn inverse(&self) -> Option<Self> {
        let m = &self.0;
        let c = [
            m[4] * m[8] - m[5] * m[7],
            m[2] * m[7] - m[1] * m[8],
            m[1] * m[5] - m[2] * m[4],
            m[5] * m[6] - m[3] * m[8],
            m[0] * m[8] - m[2] * m[6],
            m[2] * m[3] - m[0] * m[5],
            m[3] * m[7] - m[4] * m[6],
            m[1] * m[6] - m[0] * m[7],
            m[0] * m[4] - m[1] * m[3],
        ];
        let det = m[0] * c[0] + m[1] * c[3] + m[2] * c[6];
        if det.abs() < 1e-15 {
            return None;
        }
        Some(Self(c.map(|v| v / det)))
    }
}

/// Gaussian elimination with partial pivoting on an 8×9 augmented system.
fn solve8(mut a: [[f64; 9]; 8]) -> Option<[f64; 8]> {
    for col in 0..8 {
        let pivot = (col..8).max_by(|&i, &j| a[i][col].abs().total_cmp(&a[j][col].abs()))?;
        if a[pivot][col].abs() < 1e-12 {
            return None;
        }
        a.swap(col, pivot);
        for row in 0..8 {
            if row != col {
                let f = a[row][col] / a[col][col];
                let pivot_row = a[col];
                for (v, p) in a[row][col..].iter_mut().zip(&pivot_row[col..]) {
                    *v -= f * p;
                }
            }
        }
    }
    Some(std::array::from_fn(|i| a[i][8] / a[i][i]))
}

/// The rectangle (0,0)-(w,h) as a quad, clockwise from the top-left.
pub fn rect_quad(w: f32, h: f32) -> Quad {
    [[0.0, 0.0], [w, 0.0], [w, h], [0.0, h]]
}

/// Signed area (positive for clockwise in image coordinates, y down).
pub fn area(q: &Quad) -> f32 {
    let mut s = 0.0;
    for i in 0..4 {
        let (a, b) = (q[i], q[(i + 1) % 4]);
        s += a[0] * b[1] - b[0] * a[1];
    }
    s / 2.0
}

/// Axis-aligned bounds (x0, y0, x1, y1) of a quad.
pub fn bounds(q: &Quad) -> (f32, f32, f32, f32) {
    let xs = q.iter().map(|p| p[0]);
    let ys = q.iter().map(|p| p[1]);
    (
        xs.clone().fold(f32::INFINITY, f32::min),
        ys.clone().fold(f32::INFINITY, f32::min),
        xs.fold(f32::NEG_INFINITY, f32::max),
        ys.fold(f32::NEG_INFINITY, f32::max),
    )
}

/// True when (x, y) is inside the convex quad (either winding).
pub fn contains(q: &Quad, x: f32, y: f32) -> bool {
    let mut sign = 0.0f32;
    for i in 0..4 {
        let (a, b) = (q[i], q[(i + 1) % 4]);
        let c = (b[0] - a[0]) * (y - a[1]) - (b[1] - a[1]) * (x - a[0]);
        if c != 0.0 {
            if sign != 0.0 && c.signum() != sign {
                return false;
            }
            sign = c.signum();
        }
    }
    true
}

/// Maps every corner of a quad through a 2-D similarity about the origin.
pub fn transform(q: &Quad, f: impl Fn([f32; 2]) -> [f32; 2]) -> Quad {
    [f(q[0]), f(q[1]), f(q[2]), f(q[3])]
}

/// Area of a simple polygon (absolute value).
pub fn polygon_area(p: &[[f32; 2]]) -> f32 {
    let n = p.len();
    let mut s = 0.0;
    for i in 0..n {
        let (a, b) = (p[i], p[(i + 1) % n]);
        s += a[0] * b[1] - b[0] * a[1];
    }
    (s / 2.0).abs()
}

/// The part of a convex polygon inside the rectangle [0, w] × [0, h]
/// (Sutherland–Hodgman clipping).
pub fn clip_to_frame(poly: &[[f32; 2]], w: f32, h: f32) -> Vec<[f32; 2]> {
    let mut out: Vec<[f32; 2]> = poly.to_vec();
    // Each edge: inside test and intersection with the boundary line.
    let edges: [(usize, f32, bool); 4] =
        [(0, 0.0, true), (0, w, false), (1, 0.0, true), (1, h, false)];
    for (axis, bound, keep_greater) in edges {
        let input = std::mem::take(&mut out);
        let n = input.len();
        let inside = |p: [f32; 2]| {
            if keep_greater {
                p[axis] >= bound
            } else {
                p[axis] <= bound
            }
        };
        for i in 0..n {
            let (cur, prev) = (input[i], input[(i + n - 1) % n]);
            let cross = |a: [f32; 2], b: [f32; 2]| {
                let t = (bound - a[axis]) / (b[axis] - a[axis]);
                [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t]
            };
            match (inside(prev), inside(cur)) {
                (true, true) => out.push(cur),
                (true, false) => out.push(cross(prev, cur)),
                (false, true) => {
                    out.push(cross(prev, cur));
                    out.push(cur);
                }
                (false, false) => {}
            }
        }
    }
    out
}

/// Share of the quad's area inside a `w`×`h` frame.
pub fn visible_fraction(q: &Quad, w: f32, h: f32) -> f32 {
    let total = polygon_area(q);
    if total <= 0.0 {
        return 0.0;
    }
    (polygon_area(&clip_to_frame(q, w, h)) / total).clamp(0.0, 1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn homography_maps_corners_and_inverts() {
        let src = rect_quad(100.0, 60.0);
        let dst = [[10.0, 20.0], [200.0, 30.0], [180.0, 150.0], [5.0, 130.0]];
        let h = Homography::from_quads(&src, &dst).unwrap();
        let inv = h.inverse().unwrap();
        for i in 0..4 {
            let p = h.apply(src[i][0], src[i][1]);
            assert!((p[0] - dst[i][0]).abs() < 1e-3 && (p[1] - dst[i][1]).abs() < 1e-3);
            let back = inv.apply(p[0], p[1]);
            assert!((back[0] - src[i][0]).abs() < 1e-3 && (back[1] - src[i][1]).abs() < 1e-3);
        }
    }

    #[test]
    fn degenerate_quads_have_no_homography() {
        let src = rect_quad(1.0, 1.0);
        let line = [[0.0, 0.0], [1.0, 1.0], [2.0, 2.0], [3.0, 3.0]];
        assert!(Homography::from_quads(&src, &line).is_none());
    }

    #[test]
    fn contains_and_area() {
        let q = rect_quad(10.0, 5.0);
        assert!(contains(&q, 5.0, 2.0));
        assert!(!contains(&q, 11.0, 2.0));
        assert_eq!(area(&q), 50.0);
    }

    #[test]
    fn clipping_measures_the_visible_share() {
        let q = [[-10.0, 0.0], [10.0, 0.0], [10.0, 10.0], [-10.0, 10.0]];
        assert!((visible_fraction(&q, 100.0, 100.0) - 0.5).abs() < 1e-5);
        let inside = rect_quad(20.0, 20.0);
        assert_eq!(visible_fraction(&inside, 100.0, 100.0), 1.0);
        let outside = [[200.0, 0.0], [210.0, 0.0], [210.0, 10.0], [200.0, 10.0]];
        assert_eq!(visible_fraction(&outside, 100.0, 100.0), 0.0);
    }
}
