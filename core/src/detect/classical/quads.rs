//! Quadrilateral hypotheses from pairs of roughly parallel lines, scored by
//! how much of each side is backed by oriented edges and by the ID-1 prior.

use super::hough::Line;
use super::shape;
use super::support::SupportedLine;
use crate::detect::{Point, Quad};

/// Rounded card corners carry no straight edge: this share of each side's
/// length at both ends is not expected to be supported.
pub(super) const CORNER_MARGIN: f32 = 0.1;
/// Opposite sides of a tilted card stay within this angle of each other.
const MAX_OPPOSITE_ANGLE: f32 = 30.0;

/// One scored hypothesis in downscaled-image pixels.
#[derive(Debug, Clone, Copy)]
pub struct Hypothesis {
    pub quad: Quad,
    pub score: f32,
}

pub struct Frame2 {
    pub width: f32,
    pub height: f32,
    pub focal: f32,
}

/// The `limit` best plausible quads, best first.
///
/// Why the two passes: every combination of two line pairs has its shape
/// scored (cheap), but its edge support (most of the cost) is measured only
/// while its shape, an upper bound of its whole score, can still enter the
/// best `limit`.
pub fn hypotheses(lines: &[SupportedLine], area: &Frame2, limit: usize) -> Vec<Hypothesis> {
    let mut shaped = Vec::new();
    for_each_quad(lines, |sides| {
        if let Some((quad, shape)) = shape_of(sides.map(|i| &lines[i]), area) {
            shaped.push((shape, quad, sides));
        }
    });
    shaped.sort_by(|a, b| b.0.total_cmp(&a.0));
    let mut out: Vec<Hypothesis> = Vec::new();
    for (shape, quad, sides) in shaped {
        if out.len() >= limit && out.last().is_some_and(|w| shape <= w.score) {
            break;
        }
        let sides = sides.map(|i| &lines[i]);
        if let Some(h) = score_support(sides, quad, shape, Hidden::Reject) {
            let at = out.partition_point(|o| o.score >= h.score);
            out.insert(at, h);
            out.truncate(limit);
        }
    }
    out
}

/// Calls `f` with the line indices, in cyclic order, of every quad made of
/// two roughly parallel pairs that cross at a card-like angle.
fn for_each_quad(lines: &[SupportedLine], mut f: impl FnMut([usize; 4])) {
    let mut pairs = Vec::new();
    for i in 0..lines.len() {
        for j in i + 1..lines.len() {
            if could_be_opposite(&lines[i].line, &lines[j].line) {
                pairs.push((i, j));
            }
        }
    }
    for (a, &(i, j)) in pairs.iter().enumerate() {
        for &(k, l) in &pairs[a + 1..] {
            if [k, l].contains(&i) || [k, l].contains(&j) {
                continue;
            }
            if crosses_like_sides(&lines[i].line, &lines[k].line) {
                f([i, k, j, l]);
            }
        }
    }
}

/// Whether two lines could be neighbouring sides of a card (they cross at
/// 50–90°, perspective included).
pub(super) fn crosses_like_sides(a: &Line, b: &Line) -> bool {
    (50f32.to_radians()..=90f32.to_radians()).contains(&angle_between(a, b))
}

/// Whether two lines could be opposite sides of a card.
pub(super) fn could_be_opposite(a: &Line, b: &Line) -> bool {
    angle_between(a, b) <= MAX_OPPOSITE_ANGLE.to_radians()
}

/// Acute angle between two lines, radians in [0, π/2].
fn angle_between(a: &Line, b: &Line) -> f32 {
    let d = (a.theta - b.theta).abs() % std::f32::consts::PI;
    d.min(std::f32::consts::PI - d)
}

/// What a side that lies mostly outside the image does to a quad.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hidden {
    /// Rules the quad out: with nothing else to go on, a card must show
    /// its four sides.
    Reject,
    /// Is left out of the score: when another detector vouches for the
    /// card, a card partly out of frame keeps its true outline instead of
    /// being cut at a line of its own print.
    Ignore,
}

/// The quad bounded by four lines given in cyclic order, if a hand-held card
/// could look like it, and the shape part of its score (ID-1 aspect and
/// size). Every other factor of the score is at most 1, so this bounds the
/// whole score: a search can skip the costly edge-support part.
pub fn shape_of(sides: [&SupportedLine; 4], area: &Frame2) -> Option<(Quad, f32)> {
    let corner = |a: &SupportedLine, b: &SupportedLine| a.intersect(b);
    let pts = [
        corner(sides[3], sides[0])?,
        corner(sides[0], sides[1])?,
        corner(sides[1], sides[2])?,
        corner(sides[2], sides[3])?,
    ];
    let quad = Quad::new(pts.map(|(x, y)| Point::new(x, y)));
    Some((quad, quad_shape(&quad, area)?))
}

/// [`shape_of`] for the quad the four lines bound, when the caller already
/// has its corners.
pub fn quad_shape(quad: &Quad, area: &Frame2) -> Option<f32> {
    if !quad.is_convex() || !plausible_geometry(quad, area) {
        return None;
    }
    let center = Point::new(area.width / 2.0, area.height / 2.0);
    let aspect = shape::rectified_aspect(quad, center, area.focal);
    let size = (quad.area() / (area.width * area.height)).clamp(0.0, 1.0);
    Some(shape::aspect_likelihood(aspect, 0.09) * (0.8 + 0.2 * size.sqrt()))
}

/// The score of the quad four lines bound (cyclic order), given
/// [`shape_of`]'s result: the edge-support part.
pub fn score_support(
    sides: [&SupportedLine; 4],
    quad: Quad,
    shape: f32,
    hidden: Hidden,
) -> Option<Hypothesis> {
    let pts = quad.corners.map(|p| (p.x, p.y));
    let mut supported = 0.0;
    let mut visible = 0.0;
    let mut min_cov = f32::INFINITY;
    let mut polarity = [0i8; 4];
    let mut overrun = 0.0;
    let centroid = quad.centroid();
    for s in 0..4 {
        let (p, q) = (pts[s], pts[(s + 1) % 4]);
        let line = sides[s];
        let (ta, tb) = (line.t_of(p), line.t_of(q));
        let len = (tb - ta).abs();
        let side = line.side_support(ta, tb, CORNER_MARGIN);
        if side.hidden() {
            match hidden {
                Hidden::Reject => return None,
                Hidden::Ignore => continue,
            }
        }
        // A real corner ends both edges: support running on past it means the
        // "corner" is a crossing of longer lines (paper, text rows, furniture).
        let (a0, b0) = if ta < tb { (ta, tb) } else { (tb, ta) };
        let ext = 0.2 * len;
        let (p1, n1) = line.support(a0 - ext, a0 - 0.03 * len);
        let (p2, n2) = line.support(b0 + 0.03 * len, b0 + ext);
        let ext_vis = line.visible_length(a0 - ext, a0) + line.visible_length(b0, b0 + ext);
        overrun += (p1.max(n1) + p2.max(n2)) as f32 / ext_vis.max(0.2 * ext);
        let cov = side.coverage();
        supported += cov * side.visible;
        visible += side.visible;
        min_cov = min_cov.min(cov);
        polarity[s] = inward_polarity(line, centroid, side.pos, side.neg);
    }
    if visible <= 0.0 {
        return None;
    }
    let coverage = supported / visible.max(1.0);
    // Hidden sides (polarity 0) have no say in the polarity check.
    let mut seen = polarity.iter().filter(|&&p| p != 0);
    let first = seen.next().copied().unwrap_or(0);
    let consistent = seen.all(|&p| p == first);
    let score = coverage
        * min_cov.sqrt()
        * shape
        * if consistent { 1.0 } else { 0.85 }
        * (1.0 - 0.6 * (overrun / 4.0).min(1.0));
    Some(Hypothesis { quad, score })
}

/// +1 when the inside is brighter than the outside along this side.
fn inward_polarity(line: &SupportedLine, centroid: Point, pos: u32, neg: u32) -> i8 {
    let (nx, ny) = line.normal;
    let inside_positive = centroid.x * nx + centroid.y * ny > line.line.rho;
    let grad_positive = pos >= neg;
    if inside_positive == grad_positive {
        1
    } else {
        -1
    }
}

/// Reject shapes that no hand-held card produces: tiny, needle-like, far
/// outside the frame, or with extreme corner angles.
fn plausible_geometry(quad: &Quad, area: &Frame2) -> bool {
    let frame_area = area.width * area.height;
    let a = quad.area();
    if a < 0.03 * frame_area || a > 1.2 * frame_area {
        return false;
    }
    if quad.side_lengths().iter().any(|&l| l < 8.0) {
        return false;
    }
    // Interior angles within 45–135°, compared as cosines (no acos).
    let max_cos = 45f32.to_radians().cos();
    if quad.interior_cosines().iter().any(|c| c.abs() > max_cos) {
        return false;
    }
    let (x0, y0, x1, y1) = quad.bounds();
    let (mx, my) = (0.3 * area.width, 0.3 * area.height);
    x0 > -mx && y0 > -my && x1 < area.width + mx && y1 < area.height + my
}
