//! Plane-to-plane projective maps (for rectification and shape checks).

use super::Point;

/// A 3×3 projective transform, row-major, applied to `(x, y, 1)`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Homography {
    m: [f64; 9],
}

impl Homography {
    pub fn from_matrix(m: [f64; 9]) -> Self {
        Homography { m }
    }

    /// Row-major matrix (e.g. for `imageproc::geometric_transformations::Projection::from_matrix`).
    pub fn matrix(&self) -> [f64; 9] {
        self.m
    }

    /// The transform mapping each `src[i]` to `dst[i]`; `None` if degenerate.
    pub fn from_points(src: &[Point; 4], dst: &[Point; 4]) -> Option<Homography> {
        let mut a = [[0f64; 9]; 8];
        for i in 0..4 {
            let (x, y) = (src[i].x as f64, src[i].y as f64);
            let (u, v) = (dst[i].x as f64, dst[i].y as f64);
            a[2 * i] = [x, y, 1.0, 0.0, 0.0, 0.0, -u * x, -u * y, u];
            a[2 * i + 1] = [0.0, 0.0, 0.0, x, y, 1.0, -v * x, -v * y, v];
        }
        let h = solve8(a)?;
        let m = [h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7], 1.0];
        m.iter().all(|v| v.is_finite()).then_some(Homography { m })
    }

    /// Maps a point; `None` if it lands at infinity.
    pub fn apply(&self, p: Point) -> Option<Point> {
        let (x, y) = (p.x as f64, p.y as f64);
        let m = &self.m;
        let w = m[6] * x + m[7] * y + m[8];
        if w.abs() < 1e-12 {
            return None;
        }
        Some(Point::new(
            ((m[0] * x + m[1] * y + m[2]) / w) as f32,
            ((m[3] * x + m[4] * y + m[5]) / w) as f32,
        ))
    }

    /// The inverse map; `None` if singular.
    pub fn inverse(&self) -> Option<Homography> {
        let m = &self.m;
        let cof = [
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
        let det = m[0] * cof[0] + m[1] * cof[3] + m[2] * cof[6];
        if det.abs() < 1e-12 {
            return None;
        }
        Some(Homography {
            m: cof.map(|c| c / det),
        })
    }
}

/// Gaussian elimination with partial pivoting on an 8×8 augmented system.
fn solve8(mut a: [[f64; 9]; 8]) -> Option<[f64; 8]> {
    for col in 0..8 {
        let pivot = (col..8).max_by(|&i, &j| a[i][col].abs().total_cmp(&a[j][col].abs()))?;
        if a[pivot][col].abs() < 1e-10 {
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
