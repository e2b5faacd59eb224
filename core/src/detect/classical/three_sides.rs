//! Outlines from three of a card's sides, the fourth placed by the ID-1
//! proportions: for cards one of whose sides gave no line.
//!
//! Why: a card side with little contrast to the table (a white card on
//! cream paper, a dark card in a dim room, a blurred edge) often gets too few
//! votes to be among the frame's lines, and four-line hypotheses cannot
//! contain the card then. Three well-supported sides, two roughly parallel
//! ones and one crossing both, fix the card up to where its fourth side is;
//! the ID-1 ratio says where that is, give or take the perspective, which
//! the second look's corner correction (`check.rs`) then takes up.

use super::quads::{self, Frame2};
use super::support::SupportedLine;
use crate::detect::{Point, Quad, CARD_ASPECT};

/// Share of each of the three sides that must be backed by edges.
const MIN_COVERAGE: f32 = 0.6;

/// The `max` best outlines (working-image pixels) made of three of `lines`
/// and a fourth side placed at the ID-1 distance, best first: scored by the
/// three sides' edge coverage times the outline's shape score, less where
/// the sides run on past the corners.
pub(super) fn outlines(lines: &[SupportedLine], area: &Frame2, max: usize) -> Vec<(Quad, f32)> {
    let mut out: Vec<(Quad, f32)> = Vec::new();
    for (i, a) in lines.iter().enumerate() {
        for b in lines[i + 1..]
            .iter()
            .filter(|b| quads::could_be_opposite(&a.line, &b.line))
        {
            for c in lines
                .iter()
                .filter(|c| quads::crosses_like_sides(&a.line, &c.line))
            {
                out.extend(around(a, b, c, area));
            }
        }
    }
    out.sort_by(|x, y| y.1.total_cmp(&x.1));
    out.truncate(max);
    out
}

/// The outlines with sides `a` and `b` (roughly parallel) ended by `c`, the
/// fourth side on either side of `c`, `c` a short or a long side.
fn around(
    a: &SupportedLine,
    b: &SupportedLine,
    c: &SupportedLine,
    area: &Frame2,
) -> Vec<(Quad, f32)> {
    let (Some(pa), Some(pb)) = (a.intersect(c), b.intersect(c)) else {
        return Vec::new();
    };
    let (pa, pb) = (Point::new(pa.0, pa.1), Point::new(pb.0, pb.1));
    let width = pa.distance(pb);
    let Some(cov_c) = coverage(c, pa, pb) else {
        return Vec::new();
    };
    // `b`'s direction, turned to run the same way as `a`'s.
    let same = a.dir.0 * b.dir.0 + a.dir.1 * b.dir.1 >= 0.0;
    let db = if same { b.dir } else { (-b.dir.0, -b.dir.1) };
    let mut out = Vec::new();
    for sign in [1.0f32, -1.0] {
        for ratio in [CARD_ASPECT, 1.0 / CARD_ASPECT] {
            let len = sign * ratio * width;
            let qa = Point::new(pa.x + len * a.dir.0, pa.y + len * a.dir.1);
            let qb = Point::new(pb.x + len * db.0, pb.y + len * db.1);
            let (Some(cov_a), Some(cov_b)) = (coverage(a, pa, qa), coverage(b, pb, qb)) else {
                continue;
            };
            let quad = Quad::from_unordered([pa, qa, qb, pb]);
            let Some(shape) = quads::quad_shape(&quad, area) else {
                continue;
            };
            // Sides running on past their corners mean the corners are
            // crossings of longer lines (print rows, the table's edges).
            let over =
                overrun(c, pb, pa) + overrun(c, pa, pb) + overrun(a, pa, qa) + overrun(b, pb, qb);
            let penalty = 1.0 - 0.6 * (over / 4.0).min(1.0);
            out.push((quad, shape * penalty * (cov_a + cov_b + cov_c) / 3.0));
        }
    }
    out
}

/// Edge support of `line` just past `q`, going from `p` (a fifth of the
/// segment's length), as a share of what is in the image.
fn overrun(line: &SupportedLine, p: Point, q: Point) -> f32 {
    let (tp, tq) = (line.t_of((p.x, p.y)), line.t_of((q.x, q.y)));
    let len = tq - tp;
    let (lo, hi) = if len >= 0.0 {
        (tq + 0.03 * len, tq + 0.2 * len)
    } else {
        (tq + 0.2 * len, tq + 0.03 * len)
    };
    let (pos, neg) = line.support(lo, hi);
    pos.max(neg) as f32 / line.visible_length(lo, hi).max(0.17 * len.abs()).max(1.0)
}

/// Share of the segment p–q of `line`, less the rounded corners, backed by
/// edges of one polarity; `None` below [`MIN_COVERAGE`] or when less than
/// half of it is in the image.
fn coverage(line: &SupportedLine, p: Point, q: Point) -> Option<f32> {
    let (tp, tq) = (line.t_of((p.x, p.y)), line.t_of((q.x, q.y)));
    let side = line.side_support(tp, tq, quads::CORNER_MARGIN);
    if side.hidden() || side.visible <= 1.0 {
        return None;
    }
    let cov = side.coverage();
    (cov >= MIN_COVERAGE).then_some(cov)
}
