//! Hough transform over oriented edge pixels: each pixel votes only near its
//! own gradient direction, so the accumulator stays sparse and text strokes at
//! other angles do not pile up. Gaps (a thumb over an edge, glare) cost votes
//! but do not break a line, unlike contour following.

use super::edges::EdgeMap;
use crate::detect::{Point, Quad};
use crate::fastmath;

/// Angle bins over [0, π).
pub const THETA_BINS: usize = 180;

/// A line `x·cos θ + y·sin θ = rho` in downscaled-image pixels.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Line {
    pub theta: f32,
    pub rho: f32,
    pub votes: f32,
}

impl Line {
    pub fn normal(&self) -> (f32, f32) {
        (self.theta.cos(), self.theta.sin())
    }

    /// The line through `a` and `b` (θ in [0, π), no votes); `None` when
    /// they coincide.
    pub fn through(a: Point, b: Point) -> Option<Line> {
        let (dx, dy) = (b.x - a.x, b.y - a.y);
        let len = (dx * dx + dy * dy).sqrt();
        if len < 1e-3 {
            return None;
        }
        let (mut nx, mut ny) = (-dy / len, dx / len);
        if ny < 0.0 || (ny == 0.0 && nx < 0.0) {
            (nx, ny) = (-nx, -ny);
        }
        Some(Line {
            theta: ny.atan2(nx),
            rho: nx * a.x + ny * a.y,
            votes: 0.0,
        })
    }

    /// The lines through `q`'s sides, each with its side's index (side `s`
    /// runs from corner `s` to corner `s + 1`); a side whose corners
    /// coincide is left out.
    pub fn sides_of(q: &Quad) -> impl Iterator<Item = (usize, Line)> + '_ {
        (0..4).filter_map(|s| Some((s, Line::through(q.corners[s], q.corners[(s + 1) % 4])?)))
    }
}

/// Which accumulator peaks become lines.
#[derive(Debug, Clone, Copy)]
pub struct Peaks {
    /// At most this many, strongest first.
    pub max: usize,
    /// Each with at least this share of the strongest one's votes.
    pub floor: f32,
    /// A peak within 3° and this distance (pixels) of a stronger line is the
    /// same line.
    pub min_gap: f32,
}

/// The lines `rule` keeps, from the edge pixels that `votes(x, y, gx, gy)`
/// lets vote (pixel centre and gradient): snapping keeps only pixels along
/// the sides it snaps to.
pub fn detect_lines(
    edges: &EdgeMap,
    rule: Peaks,
    votes: impl Fn(f32, f32, f32, f32) -> bool,
) -> Vec<Line> {
    let (w, h) = (edges.width, edges.height);
    let diag = ((w * w + h * h) as f32).sqrt().ceil() as usize + 1;
    let rho_bins = 2 * diag + 1;
    let mut acc = vec![0f32; THETA_BINS * rho_bins];
    // θ rows that got a vote: snapping's votes fill only the few dozen
    // rows near its sides' angles, and the peak search skips the rest.
    let mut voted = [false; THETA_BINS];
    let (cos, sin): (Vec<f32>, Vec<f32>) = (0..THETA_BINS)
        .map(|t| {
            let a = t as f32 * std::f32::consts::PI / THETA_BINS as f32;
            (a.cos(), a.sin())
        })
        .unzip();
    // Edges exist only inside the map's region.
    let r = edges.region;
    for y in r.y0..r.y1.min(h) {
        for x in r.x0..r.x1.min(w) {
            let s = edges.strength[y * w + x];
            if s == 0 {
                continue;
            }
            let (gx, gy) = edges.gradient_at(x as i32, y as i32);
            let (px, py) = (x as f32 + 0.5, y as f32 + 0.5);
            if !votes(px, py, gx, gy) {
                continue;
            }
            let angle = fastmath::atan2(gy, gx).rem_euclid(std::f32::consts::PI);
            let center = fastmath::round_i32(angle * (THETA_BINS as f32 / std::f32::consts::PI));
            let weight = (s as f32).min(96.0).sqrt();
            for dt in -2..=2i32 {
                let t = (center + dt).rem_euclid(THETA_BINS as i32) as usize;
                // Each bin uses its own θ, so wrapping past π needs no special case.
                let rho = px * cos[t] + py * sin[t];
                let r = fastmath::round_i32(rho + diag as f32).max(0) as usize;
                if let Some(cell) = acc.get_mut(t * rho_bins + r) {
                    *cell += weight;
                    voted[t] = true;
                }
            }
        }
    }
    peaks(&acc, rho_bins, diag, rule, &voted)
}

/// Local maxima of the accumulator that `rule` keeps, strongest first.
/// Rows of θ without a vote (`voted`) are all zero and hold no maximum.
fn peaks(
    acc: &[f32],
    rho_bins: usize,
    diag: usize,
    rule: Peaks,
    voted: &[bool; THETA_BINS],
) -> Vec<Line> {
    let mut cands: Vec<(f32, usize, usize)> = Vec::new();
    let rows = || (0..THETA_BINS).filter(|&t| voted[t]);
    // Votes are finite sums, so `>` finds the same maximum as `f32::max`.
    let mut most = 0.0f32;
    for t in rows() {
        for &v in &acc[t * rho_bins..(t + 1) * rho_bins] {
            if v > most {
                most = v;
            }
        }
    }
    let floor = most * rule.floor;
    for t in rows() {
        for r in 2..rho_bins - 2 {
            let v = acc[t * rho_bins + r];
            if v <= floor {
                continue;
            }
            let mut is_max = true;
            'n: for dt in -2..=2i32 {
                let tt = (t as i32 + dt).rem_euclid(THETA_BINS as i32) as usize;
                // Across the θ wrap the same line has mirrored ρ.
                let wrapped = (t as i32 + dt) < 0 || (t as i32 + dt) >= THETA_BINS as i32;
                for dr in -2..=2i32 {
                    if dt == 0 && dr == 0 {
                        continue;
                    }
                    let rr = if wrapped {
                        (2 * diag) as i32 - r as i32 - dr
                    } else {
                        r as i32 + dr
                    };
                    let o = acc
                        .get(tt * rho_bins + rr.max(0) as usize)
                        .copied()
                        .unwrap_or(0.0);
                    if o > v || (o == v && (dt, dr) < (0, 0)) {
                        is_max = false;
                        break 'n;
                    }
                }
            }
            if is_max {
                cands.push((v, t, r));
            }
        }
    }
    cands.sort_by(|a, b| b.0.total_cmp(&a.0));
    let mut lines: Vec<Line> = Vec::new();
    for (v, t, r) in cands {
        let line = Line {
            theta: t as f32 * std::f32::consts::PI / THETA_BINS as f32,
            rho: r as f32 - diag as f32,
            votes: v,
        };
        if lines
            .iter()
            .all(|l| !near_duplicate(l, &line, rule.min_gap))
        {
            lines.push(line);
            if lines.len() >= rule.max {
                break;
            }
        }
    }
    lines
}

fn near_duplicate(a: &Line, b: &Line, min_gap: f32) -> bool {
    let mut dt = (a.theta - b.theta).abs();
    let mut rb = b.rho;
    if dt > std::f32::consts::FRAC_PI_2 {
        dt = std::f32::consts::PI - dt;
        rb = -rb;
    }
    dt < 3f32.to_radians() && (a.rho - rb).abs() < min_gap
}
