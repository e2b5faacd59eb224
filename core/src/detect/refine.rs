//! Sub-pixel corner refinement on the full-resolution frame.
//!
//! A coarse quad (from a downscaled image or a network) is only good to a few
//! pixels. Each side is refined independently: along the side, the strongest
//! luma step across it is located to sub-pixel precision, a line is fitted
//! robustly to those points (Tukey reweighting, so a thumb or a glare spot
//! on part of the edge does not pull it), and adjacent lines are intersected.
//! Corners themselves are never searched for: cards have rounded corners and
//! the ground truth (and the rectifier) want where the straight edges meet.

use super::{Point, Quad};
use crate::frame::Frame;

/// Samples taken along each side.
const SAMPLES_PER_SIDE: usize = 28;
/// Share of a side's length skipped at each end (rounded corners).
const END_MARGIN: f32 = 0.12;

/// Refines `quad` (upright frame pixels) by searching up to `search_radius`
/// pixels across each side. Sides with too little evidence keep their coarse
/// line; the result is the coarse quad if refinement would distort it.
pub fn refine_quad(frame: &Frame<'_>, quad: &Quad, search_radius: f32) -> Quad {
    let q = quad.clockwise();
    let c = q.corners;
    let lines: [Option<FitLine>; 4] =
        std::array::from_fn(|s| refine_side(frame, c[s], c[(s + 1) % 4], search_radius));
    let coarse: [FitLine; 4] = std::array::from_fn(|s| FitLine::through(c[s], c[(s + 1) % 4]));
    let pick = |s: usize| lines[s].unwrap_or(coarse[s]);
    let mut corners = c;
    for (i, corner) in corners.iter_mut().enumerate() {
        match pick((i + 3) % 4).intersect(&pick(i)) {
            Some(p) => *corner = p,
            None => return *quad,
        }
    }
    let refined = Quad::new(corners);
    let moved = refined.max_corner_distance(&q);
    if !refined.is_finite() || !refined.is_convex() || moved > 3.0 * search_radius {
        return *quad;
    }
    // Keep the caller's starting corner.
    let start = (0..4)
        .find(|&k| q.corners[k] == quad.corners[0])
        .unwrap_or(0);
    refined.rotated(start)
}

/// A line `n·p = d` with unit normal `n`.
#[derive(Debug, Clone, Copy)]
struct FitLine {
    n: (f32, f32),
    d: f32,
}

impl FitLine {
    fn through(a: Point, b: Point) -> FitLine {
        let (dx, dy) = (b.x - a.x, b.y - a.y);
        let len = dx.hypot(dy).max(1e-6);
        let n = (-dy / len, dx / len);
        FitLine {
            n,
            d: n.0 * a.x + n.1 * a.y,
        }
    }

    fn intersect(&self, o: &FitLine) -> Option<Point> {
        let det = self.n.0 * o.n.1 - self.n.1 * o.n.0;
        if det.abs() < 1e-6 {
            return None;
        }
        Some(Point::new(
            (self.d * o.n.1 - o.d * self.n.1) / det,
            (self.n.0 * o.d - o.n.0 * self.d) / det,
        ))
    }
}

/// Edge points across the side a→b, then a robust line through them.
fn refine_side(frame: &Frame<'_>, a: Point, b: Point, radius: f32) -> Option<FitLine> {
    let (dx, dy) = (b.x - a.x, b.y - a.y);
    let len = dx.hypot(dy);
    if len < 4.0 {
        return None;
    }
    let (ux, uy) = (dx / len, dy / len);
    let n = (-uy, ux);
    let mut points = Vec::with_capacity(SAMPLES_PER_SIDE);
    let mut polarity_sum = 0.0;
    let found: Vec<(Point, f32)> = (0..SAMPLES_PER_SIDE)
        .filter_map(|i| {
            let s =
                END_MARGIN + (1.0 - 2.0 * END_MARGIN) * (i as f32 + 0.5) / SAMPLES_PER_SIDE as f32;
            let p = Point::new(a.x + dx * s, a.y + dy * s);
            strongest_step(frame, p, n, (ux, uy), radius)
        })
        .collect();
    for (_, g) in &found {
        polarity_sum += g;
    }
    // Keep the dominant polarity: the card edge is one consistent step.
    for (p, g) in found {
        if g * polarity_sum > 0.0 {
            points.push((p, g.abs()));
        }
    }
    if points.len() < SAMPLES_PER_SIDE / 4 {
        return None;
    }
    fit_line_robust(&points, FitLine::through(a, b))
}

/// Position (and signed strength) of the strongest luma step along the
/// normal through `p`, averaged over three parallel profiles.
fn strongest_step(
    frame: &Frame<'_>,
    p: Point,
    n: (f32, f32),
    u: (f32, f32),
    radius: f32,
) -> Option<(Point, f32)> {
    let r = radius.ceil() as i32 + 1;
    let len = (2 * r + 1) as usize;
    let mut profile = vec![0.0f32; len];
    let mut line = vec![0.0f32; len];
    let start = -(r as f32);
    for along in [-1.0f32, 0.0, 1.0] {
        let origin = (
            p.x + n.0 * start + u.0 * along,
            p.y + n.1 * start + u.1 * along,
        );
        frame.sample_luma_line(origin, n, &mut line)?;
        for (sum, v) in profile.iter_mut().zip(&line) {
            *sum += v;
        }
    }
    for v in &mut profile {
        *v /= 3.0;
    }
    let deriv: Vec<f32> = profile.windows(3).map(|w| (w[2] - w[0]) / 2.0).collect();
    let (best, &g) = deriv
        .iter()
        .enumerate()
        .max_by(|a, b| a.1.abs().total_cmp(&b.1.abs()))?;
    if g.abs() < 2.0 {
        return None;
    }
    let sub = if best > 0 && best + 1 < deriv.len() {
        let (l, c, rr) = (deriv[best - 1].abs(), g.abs(), deriv[best + 1].abs());
        let den = l - 2.0 * c + rr;
        if den.abs() > 1e-6 {
            (0.5 * (l - rr) / den).clamp(-0.5, 0.5)
        } else {
            0.0
        }
    } else {
        0.0
    };
    let offset = (best as f32 + 1.0 + sub) - r as f32;
    Some((Point::new(p.x + n.0 * offset, p.y + n.1 * offset), g))
}

/// Weighted total-least-squares line with Tukey reweighting.
fn fit_line_robust(points: &[(Point, f32)], init: FitLine) -> Option<FitLine> {
    let mut line = init;
    let mut weights: Vec<f32> = points.iter().map(|(_, w)| *w).collect();
    for iter in 0..4 {
        if iter > 0 {
            let residuals: Vec<f32> = points
                .iter()
                .map(|(p, _)| (line.n.0 * p.x + line.n.1 * p.y - line.d).abs())
                .collect();
            let mut sorted = residuals.clone();
            sorted.sort_by(f32::total_cmp);
            let mad = sorted.get(sorted.len() / 2).copied().unwrap_or(1.0);
            let c = (4.685 * 1.4826 * mad).max(0.75);
            for ((w, r), (_, s)) in weights.iter_mut().zip(&residuals).zip(points) {
                let t = r / c;
                *w = if t < 1.0 {
                    s * (1.0 - t * t).powi(2)
                } else {
                    0.0
                };
            }
        }
        line = weighted_tls(points, &weights)?;
    }
    Some(line)
}

fn weighted_tls(points: &[(Point, f32)], weights: &[f32]) -> Option<FitLine> {
    let sw: f32 = weights.iter().sum();
    if sw <= 1e-6 {
        return None;
    }
    let mx = points
        .iter()
        .zip(weights)
        .map(|((p, _), w)| p.x * w)
        .sum::<f32>()
        / sw;
    let my = points
        .iter()
        .zip(weights)
        .map(|((p, _), w)| p.y * w)
        .sum::<f32>()
        / sw;
    let (mut sxx, mut sxy, mut syy) = (0.0, 0.0, 0.0);
    for ((p, _), w) in points.iter().zip(weights) {
        let (x, y) = (p.x - mx, p.y - my);
        sxx += w * x * x;
        sxy += w * x * y;
        syy += w * y * y;
    }
    // Normal = eigenvector of the smaller eigenvalue of the scatter matrix.
    let theta = 0.5 * (2.0 * sxy).atan2(sxx - syy);
    let n = (-theta.sin(), theta.cos());
    Some(FitLine {
        n,
        d: n.0 * mx + n.1 * my,
    })
}
