//! Snapping another detector's coarse outline (the network's) to the edge
//! lines that run along its sides.
//!
//! Why: a network knows *where* the card is (and which corner is its own
//! top-left) but is only good to a few of its input pixels; the lines here
//! are good to a pixel but cannot tell a card from a sheet of paper. Knowing
//! the outline also makes the search cheap: only edge pixels near a side,
//! with a gradient across that side, vote for lines, and quads are built
//! from one line per side instead of from every pair of line pairs.

use super::hough::{self, Line};
use super::search::{Search, Working};
use super::support::SupportedLine;
use super::{edges, faint, overlay, quads, ClassicalDetector};
use crate::detect::refine::refine_quad;
use crate::detect::side_check;
use crate::detect::{DetectError, Point, Quad};
use crate::frame::{Frame, ScaledLuma};

/// Hough peaks taken from the voting bands before sorting them by side: up
/// to 64, with 8 % of the strongest one's votes, 3 pixels apart. Test split,
/// 400 scenes, model r8: a floor of 4 % found 88.3 % of cards against
/// 88.6 %, lines 6 pixels apart 88.0 %.
const PEAKS: hough::Peaks = hough::Peaks {
    max: 64,
    floor: 0.08,
    min_gap: 3.0,
};
/// Lines kept per side (strongest first). Test split, 400 scenes: 5 → 10
/// lines found 78.8 → 80.9 % of cards; 12 (of 96 peaks) gave 81.3 % but
/// cost more than it gained. With pinhole-true scenes and model r4, 6 / 8 /
/// 10 lines found 85.0 / 85.9 / 85.9 % (hard scenes 53.7 % for each; 8
/// changed 16 outlines of 10's, no outcome), and 8 leaves about half the
/// combinations to score.
const LINES_PER_SIDE: usize = 8;
/// What a snapped corner's distance from the network's costs, per `tol`,
/// against the classical score. Test split, 400 scenes, with the network's
/// own sides among the candidates and pinhole-true scenes: 0.1 / 0.2 / 0.3 /
/// 0.45 / 0.6 / 0.8 / 1.0 found 83.5 / 83.8 / 84.1 / 83.8 / 82.9 / 82.0 /
/// 81.7 % of cards (hard scenes, 0.3 / 0.6: 51.2 / 50.0 %). Now that the ID-1
/// score is right about true outlines it can be trusted more than before
/// (0.6 was best when a quarter of true cards scored as non-cards).
const DISTANCE_WEIGHT: f32 = 0.3;
/// What moving a side inside the network's outline costs, per `tol`, on
/// top of [`DISTANCE_WEIGHT`]. The typical bad snap takes a line printed
/// inside the card (a coloured band's edge, a row of text, a barcode) for a
/// faint outer edge, so it shrinks the card; the network's sides rarely lie
/// outside the card by much. Test split with model r5, 400 scenes: 0 / 0.3 /
/// 1.0 / 2.5 / 4 found 87.1 / 87.7 / 88.3 / 88.0 / 87.7 % of cards (hard
/// scenes, 0 / 1.0 / 2.5: 54.9 / 57.3 / 57.3 %); the distance weight stayed
/// best at 0.3 with it (0.15 / 0.45: 88.3 / 88.0 %).
const INWARD_WEIGHT: f32 = 1.0;
/// What an outline's doubtful sides cost, against the classical score: the
/// mean over its four lines of 1 − the side check's probability that the
/// line is the card's outer edge (`detect/side_check.rs`; 0 when the check
/// is off). Test split, 400 scenes (model r8, with the classical fallback),
/// with the first check network: 0 / 0.3 / 1 / 3 / 10 / 30 found 89.2 /
/// 89.8 / 91.0 / 91.6 / 91.3 / 90.1 % of cards (hard scenes 67.1 / 68.3 /
/// 69.5 / 70.1 / 69.5 / 69.5 %); the committed one at 3: 91.6 % (hard
/// 69.5 %). Not tuned there, the train split's first 400 scenes: 89.3 →
/// 89.6 % (hard, 200: 63.1 → 65.6 %).
const SIDE_WEIGHT: f32 = 3.0;
/// A side has a line the side check trusts when one of its candidates has
/// at least this probability; only the others get faint lines. Test /
/// train splits (400 + 200 hard scenes each, model r8, faint lines reaching
/// 5 %): every side, 0.99 and 0.9 found the same cards (91.9 / 90.6 %, hard
/// 70.1 / 66.2 %), 0.5 one train card fewer; 0.9 adds faint lines to few
/// frames (bench: detection +0.11 ms per frame against +0.55 ms for every
/// side).
const TRUSTED: f32 = 0.9;
/// Extra doubt (against the side check's 1 − p) for a faint line: where the
/// check likes a Hough line and a faint one alike, the Hough line, which
/// carries edge support, should win. 0 / 0.3 / 0.6 found the same cards on
/// the test split; 0.3 one more hard train card than 0.
const FAINT_DOUBT: f32 = 0.3;
/// An edge pixel votes only when its gradient is within this angle of a
/// side's normal: the network's sides are good to about 10°.
const MAX_SIDE_ANGLE_DEG: f32 = 25.0;

/// How snapping judges its candidate lines beyond edge support and shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SideJudging {
    /// Edge support and the ID-1 shape only.
    Off,
    /// The side check judges every candidate line.
    Check,
    /// As `Check`, and a side with no line the check trusts also gets the
    /// faint lines along it (`classical/faint.rs`): for a white card on a
    /// white table, whose edge gives no Hough line.
    CheckWithFaintLines,
}

impl ClassicalDetector {
    /// The best line-bounded outline whose corners all lie within
    /// `tolerance` × perimeter of `near` (a coarse outline in upright frame
    /// pixels, e.g. from the learned detector), refined at full resolution
    /// and starting at the corner nearest `near`'s first, so the other
    /// detector's corner order is kept. `None` when no such outline is found.
    /// `judging` says whether the side check (`detect/side_check.rs`) judges
    /// every candidate line (outlines of doubtful lines cost more) and
    /// whether sides without a trusted line get faint lines.
    ///
    /// Among the outlines within reach, the one that balances the classical
    /// score (edge support, ID-1 shape) against its distance from `near`
    /// wins: on the test split this beat both "best score" (77.2 → 80.9 %
    /// of cards found) and "nearest" (74.4 %).
    pub fn snap(
        &self,
        frame: &Frame<'_>,
        near: &Quad,
        tolerance: f32,
        judging: SideJudging,
    ) -> Result<Option<Quad>, DetectError> {
        let k = frame.downscale_factor(super::WORK_SIDE)?;
        self.snap_on(
            frame,
            frame.luma_downscaled_by(k)?,
            k,
            near,
            tolerance,
            judging,
        )
    }

    /// [`ClassicalDetector::snap`] on a luma image the caller already
    /// downscaled by the box factor `k` (the learned detector shares one
    /// full-frame pass between its network input and this search).
    pub fn snap_on(
        &self,
        frame: &Frame<'_>,
        luma: ScaledLuma,
        k: u32,
        near: &Quad,
        tolerance: f32,
        judging: SideJudging,
    ) -> Result<Option<Quad>, DetectError> {
        let q = in_working(&luma, near);
        let region = band_region(&q, tolerance, luma.image.dimensions());
        snap_in(
            frame,
            Working::from_luma(frame, luma, k, Some(region))?,
            &q,
            near,
            tolerance,
            judging,
        )
    }
}

/// [`ClassicalDetector::snap`] in the working images of a full search
/// (edges already found everywhere).
pub(super) fn snap_in_search(
    frame: &Frame<'_>,
    search: &Search,
    near: &Quad,
    tolerance: f32,
) -> Result<Option<Quad>, DetectError> {
    let q = in_working(&search.luma, near);
    // Only the band around `q` is searched: as [`ClassicalDetector::snap_on`]
    // computes edges only there, with the same results.
    let mut work = search.working();
    work.edges.region = band_region(&q, tolerance, search.luma.image.dimensions());
    snap_in(frame, work, &q, near, tolerance, SideJudging::Off)
}

/// `near` (upright frame pixels) in `luma`'s pixels: what both the edge
/// band and the search work in (and the side check judges).
pub(crate) fn in_working(luma: &ScaledLuma, near: &Quad) -> Quad {
    near.map(|p| {
        let (x, y) = luma.from_frame(p.x, p.y);
        Point::new(x, y)
    })
}

/// The working-image pixels snapping can use: `q`'s bounding box grown by
/// 1.5 × the tolerance (the voting bands reach one tolerance past each side,
/// edge support past the corners at most a fifth of a side beyond that).
/// Edges elsewhere are never looked at, so they are not computed (a card
/// filling half the frame leaves about half of the edge map to skip).
fn band_region(q: &Quad, tolerance: f32, (w, h): (u32, u32)) -> edges::Region {
    let grow = 1.5 * tolerance * q.perimeter() + 2.0;
    let (x0, y0, x1, y1) = q.bounds();
    let clamp = |v: f32, max: u32| v.clamp(0.0, max as f32) as usize;
    edges::Region {
        x0: clamp((x0 - grow).floor(), w),
        y0: clamp((y0 - grow).floor(), h),
        x1: clamp((x1 + grow).ceil(), w),
        y1: clamp((y1 + grow).ceil(), h),
    }
}

/// Snaps `q` (the outline `near` in working-image pixels) within `work`.
fn snap_in(
    frame: &Frame<'_>,
    work: Working,
    q: &Quad,
    near: &Quad,
    tolerance: f32,
    judging: SideJudging,
) -> Result<Option<Quad>, DetectError> {
    let tol = tolerance * q.perimeter();
    let bands = Bands::new(q, tol);
    let peaks = hough::detect_lines(&work.edges, PEAKS, |x, y, gx, gy| {
        bands.admits(x, y, gx, gy)
    });
    let mut sided = by_side(peaks, q, tol);
    // The app's guide-frame overlay is not the card's side, however strong
    // its line (a stroke, or the step where the outside is dimmed).
    sided.retain(|(_, line)| !is_overlay_side(frame, &work.luma, line));
    // The network's own sides compete too: where a side's edge is faint
    // (a dark card over its own shadow) the strongest line nearby is often
    // a band printed inside the card. Test split, 400 scenes: found 80.8 →
    // 81.7 %, outlines snapping made worse 16 → 11.
    sided.extend(Line::sides_of(q));
    let verdicts = judge(&work.luma, &mut sided, q, judging)?;
    let search = work.into_search(sided.iter().map(|(_, l)| *l).collect());
    let mut sides: [Vec<(&SupportedLine, f32)>; 4] = Default::default();
    for (((s, _), line), v) in sided.iter().zip(&search.lines).zip(verdicts) {
        sides[*s].push((line, v));
    }
    let Some(best) = best_quad(&sides, q, tol, &search.area) else {
        return Ok(None);
    };
    let best = search.to_frame(&best);
    let refined = refine_quad(frame, &best, search.refine_radius()).clockwise();
    Ok(Some(refined.rotated(refined.start_nearest(near))))
}

/// How sure the side check is that each of `sided`'s lines is the card's
/// edge (all 1 without it). With faint lines on, every side none of whose
/// lines the check trusts ([`TRUSTED`]) gets faint lines too
/// (`classical/faint.rs`), appended to `sided` and judged the same way, less
/// [`FAINT_DOUBT`].
fn judge(
    luma: &ScaledLuma,
    sided: &mut Vec<(usize, Line)>,
    q: &Quad,
    judging: SideJudging,
) -> Result<Vec<f32>, DetectError> {
    let check = |lines: &[(usize, Line)]| {
        side_check::check(luma, lines, q).map_err(|e| DetectError::Model(e.to_string()))
    };
    if judging == SideJudging::Off {
        return Ok(vec![1.0; sided.len()]);
    }
    let mut verdicts = check(sided)?;
    if judging == SideJudging::CheckWithFaintLines {
        let mut trusted = [false; 4];
        for ((s, _), v) in sided.iter().zip(&verdicts) {
            trusted[*s] |= *v >= TRUSTED;
        }
        let faint = faint::faint_lines(&luma.image, q, trusted.map(|t| !t));
        if !faint.is_empty() {
            verdicts.extend(check(&faint)?.into_iter().map(|v| v - FAINT_DOUBT));
            sided.extend(faint);
        }
    }
    Ok(verdicts)
}

/// Whether `line` (working-image pixels) is a side of the guide-frame
/// overlay (see [`overlay::is_guide_side`]).
fn is_overlay_side(frame: &Frame<'_>, luma: &ScaledLuma, line: &Line) -> bool {
    // The point of the line nearest the working image's centre.
    let (w, h) = luma.image.dimensions();
    let (cx, cy) = (w as f32 / 2.0, h as f32 / 2.0);
    let (nx, ny) = line.normal();
    let t = line.rho - (cx * nx + cy * ny);
    let (x, y) = luma.to_frame(cx + t * nx, cy + t * ny);
    // A Hough line lies on the working image's grid: up to a working pixel
    // (and a half, with the edge's own width) off the stroke it found, and
    // the stroke search alone (5 frame pixels) missed the overlay's side on
    // 720p frames (4 pixels a working pixel). Test split 300: learned
    // 93.6 → 94.4 % found (IoU 0.969 → 0.970), classical 87.6 → 88.0 %;
    // train 600 and test hard 300 unchanged.
    let slack = 1.5 * luma.scale_x.abs().max(luma.scale_y.abs());
    overlay::is_guide_side(frame, x, y, line.theta, slack)
}

/// The quad made of one line per side that scores best on the classical
/// score (edge support, ID-1 shape; at most 1) less [`DISTANCE_WEIGHT`] ×
/// its worst corner's distance from `near`'s and [`INWARD_WEIGHT`] × its
/// deepest side inside `near`'s, both in units of `tol`, and less
/// [`SIDE_WEIGHT`] × its lines' mean doubt (each line comes with the side
/// check's probability that it is the card's edge); only quads whose
/// corners all lie within `tol` count.
///
/// Corners come from line intersections, so each combination's cost
/// (distance and inward depth) is known before it is scored; combinations
/// are scored cheapest first and only while they can still win: most of the
/// up to `LINES_PER_SIDE`⁴ are never scored, and of the rest only those
/// whose shape alone (an upper bound of the score) could still win have
/// their edge support measured.
fn best_quad(
    sides: &[Vec<(&SupportedLine, f32)>; 4],
    near: &Quad,
    tol: f32,
    area: &quads::Frame2,
) -> Option<Quad> {
    // corner[k][i][j]: where side k−1's line i meets side k's line j, and
    // how far that is from corner k (infinite for parallel lines).
    let corner: [Vec<Vec<(Point, f32)>>; 4] = std::array::from_fn(|k| {
        let (prev, next) = (&sides[(k + 3) % 4], &sides[k]);
        let c = near.corners[k];
        prev.iter()
            .map(|a| {
                next.iter()
                    .map(|b| {
                        a.0.intersect(b.0).map_or((c, f32::INFINITY), |(x, y)| {
                            let p = Point::new(x, y);
                            (p, p.distance(c))
                        })
                    })
                    .collect()
            })
            .collect()
    });
    let dist = |k: usize, i: usize, j: usize| corner[k][i][j].1;
    let quad_of = |[i0, i1, i2, i3]: [usize; 4]| {
        Quad::new([
            corner[0][i3][i0].0,
            corner[1][i0][i1].0,
            corner[2][i1][i2].0,
            corner[3][i2][i3].0,
        ])
    };
    let inward = Inward::new(near);
    let mut combos = Vec::new();
    for i0 in 0..sides[0].len() {
        for i1 in (0..sides[1].len()).filter(|&i| dist(1, i0, i) <= tol) {
            for i2 in (0..sides[2].len()).filter(|&i| dist(2, i1, i) <= tol) {
                for i3 in (0..sides[3].len()).filter(|&i| dist(3, i2, i) <= tol) {
                    let d = dist(0, i3, i0);
                    if d <= tol {
                        let d = d
                            .max(dist(1, i0, i1))
                            .max(dist(2, i1, i2))
                            .max(dist(3, i2, i3));
                        let idx = [i0, i1, i2, i3];
                        let doubt = (0..4).map(|s| 1.0 - sides[s][idx[s]].1).sum::<f32>() / 4.0;
                        let cost = (DISTANCE_WEIGHT * d
                            + INWARD_WEIGHT * inward.shrink(&quad_of(idx)))
                            / tol
                            + SIDE_WEIGHT * doubt;
                        combos.push(Combo { cost, idx });
                    }
                }
            }
        }
    }
    // Cheapest first: a combination's value is at most 1 − cost, so once
    // that cannot beat the best so far, no later one can either. A heap,
    // as few are taken before that (sorting them all was 3 % of a frame).
    let mut combos = std::collections::BinaryHeap::from(combos);
    let mut best: Option<(f32, Quad)> = None;
    while let Some(Combo { cost, idx }) = combos.pop() {
        if best.is_some_and(|(b, _)| 1.0 - cost <= b) {
            break;
        }
        let quad = quad_of(idx);
        let Some(shape) = quads::quad_shape(&quad, area) else {
            continue;
        };
        if best.is_some_and(|(b, _)| shape - cost <= b) {
            continue;
        }
        let [i0, i1, i2, i3] = idx;
        let lines = [
            sides[0][i0].0,
            sides[1][i1].0,
            sides[2][i2].0,
            sides[3][i3].0,
        ];
        // The network vouches for the card, so a side out of frame is no
        // reason to cut it at a line of its own print (found 81.7 → 82.9 %).
        if let Some(h) = quads::score_support(lines, quad, shape, quads::Hidden::Ignore) {
            let v = h.score - cost;
            if best.is_none_or(|(b, _)| v > b) {
                best = Some((v, h.quad));
            }
        }
    }
    best.map(|(_, q)| q)
}

/// One line per side (indices into each side's lines) and its cost; the
/// heap's greatest is the cheapest, ties to the first built (lowest
/// indices), the order a stable sort by cost gave.
struct Combo {
    cost: f32,
    idx: [usize; 4],
}

impl Ord for Combo {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        other
            .cost
            .total_cmp(&self.cost)
            .then_with(|| other.idx.cmp(&self.idx))
    }
}

impl PartialOrd for Combo {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Combo {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other).is_eq()
    }
}

impl Eq for Combo {}

/// `near`'s sides as lines facing into it, for measuring how far another
/// outline's sides lie inside them.
struct Inward {
    /// Per side: unit normal pointing into `near`, and its offset.
    sides: [((f32, f32), f32); 4],
}

impl Inward {
    fn new(near: &Quad) -> Inward {
        let c = near.centroid();
        Inward {
            sides: std::array::from_fn(|s| {
                let (a, b) = (near.corners[s], near.corners[(s + 1) % 4]);
                let len = a.distance(b).max(1e-6);
                let mut n = (-(b.y - a.y) / len, (b.x - a.x) / len);
                if (c.x - a.x) * n.0 + (c.y - a.y) * n.1 < 0.0 {
                    n = (-n.0, -n.1);
                }
                (n, n.0 * a.x + n.1 * a.y)
            }),
        }
    }

    /// How far `quad`'s sides lie inside `near`'s: the largest, over sides,
    /// of the mean inward offset of its two corners from `near`'s side line
    /// (0 when no side moved inward).
    fn shrink(&self, quad: &Quad) -> f32 {
        self.sides
            .iter()
            .enumerate()
            .map(|(s, &(n, offset))| {
                let depth = |p: Point| p.x * n.0 + p.y * n.1 - offset;
                0.5 * (depth(quad.corners[s]) + depth(quad.corners[(s + 1) % 4]))
            })
            .fold(0.0, f32::max)
    }
}

/// Up to [`LINES_PER_SIDE`] lines (strongest first) running along each side
/// of `q` within `tol`, tagged with the side. A line may serve two sides of
/// a tiny outline.
fn by_side(lines: Vec<Line>, q: &Quad, tol: f32) -> Vec<(usize, Line)> {
    let mut per_side = [0usize; 4];
    let mut out = Vec::new();
    for l in lines {
        for (s, n) in per_side.iter_mut().enumerate() {
            if *n < LINES_PER_SIDE && runs_along(&l, q.corners[s], q.corners[(s + 1) % 4], tol) {
                *n += 1;
                out.push((s, l));
            }
        }
    }
    out
}

/// Whether both ends of the segment a–b lie within `tol` of `line`.
fn runs_along(line: &Line, a: Point, b: Point, tol: f32) -> bool {
    let (nx, ny) = line.normal();
    let d = |p: Point| (p.x * nx + p.y * ny - line.rho).abs();
    d(a) <= tol && d(b) <= tol
}

/// The strips within `tol` of each side of an outline, and the gradient
/// direction edge pixels must have there.
struct Bands {
    sides: [Band; 4],
    /// Half-width of each strip.
    tol: f32,
    /// Squared cosine of the largest angle between a voting gradient and
    /// the normal.
    min_cos2: f32,
}

struct Band {
    /// Unit normal, offset of the side's line along it, unit direction,
    /// start point and length.
    normal: (f32, f32),
    offset: f32,
    dir: (f32, f32),
    start: Point,
    len: f32,
}

impl Bands {
    fn new(q: &Quad, tol: f32) -> Bands {
        let band = |s: usize| {
            let (a, b) = (q.corners[s], q.corners[(s + 1) % 4]);
            let len = ((b.x - a.x).powi(2) + (b.y - a.y).powi(2)).sqrt().max(1e-3);
            let dir = ((b.x - a.x) / len, (b.y - a.y) / len);
            let normal = (-dir.1, dir.0);
            Band {
                normal,
                offset: normal.0 * a.x + normal.1 * a.y,
                dir,
                start: a,
                len,
            }
        };
        Bands {
            sides: [band(0), band(1), band(2), band(3)],
            tol,
            min_cos2: MAX_SIDE_ANGLE_DEG.to_radians().cos().powi(2),
        }
    }

    /// Whether an edge pixel at (x, y) with gradient (gx, gy) lies along a
    /// side and crosses it.
    fn admits(&self, x: f32, y: f32, gx: f32, gy: f32) -> bool {
        // Position first: most edge pixels are nowhere near a side.
        let g2 = gx * gx + gy * gy;
        self.sides.iter().any(|b| {
            let across = (b.normal.0 * x + b.normal.1 * y - b.offset).abs();
            if across > self.tol {
                return false;
            }
            let along = b.dir.0 * (x - b.start.x) + b.dir.1 * (y - b.start.y);
            let dot = b.normal.0 * gx + b.normal.1 * gy;
            (-self.tol..=b.len + self.tol).contains(&along) && dot * dot >= self.min_cos2 * g2
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rect() -> Quad {
        Quad::new([
            Point::new(10.0, 10.0),
            Point::new(110.0, 10.0),
            Point::new(110.0, 70.0),
            Point::new(10.0, 70.0),
        ])
    }

    #[test]
    fn bands_admit_edge_pixels_along_and_across_a_side_only() {
        let b = Bands::new(&rect(), 5.0);
        // Across the top side the gradient is vertical.
        assert!(b.admits(60.0, 12.0, 0.0, -30.0));
        assert!(b.admits(60.0, 12.0, 10.0, 30.0), "18° off the normal");
        assert!(!b.admits(60.0, 12.0, 30.0, 0.0), "gradient along the side");
        assert!(!b.admits(60.0, 12.0, 20.0, 30.0), "34° off the normal");
        assert!(!b.admits(60.0, 40.0, 0.0, 30.0), "middle of the card");
        assert!(
            b.admits(109.0, 40.0, 30.0, 0.0),
            "right side, horizontal gradient"
        );
        assert!(
            !b.admits(200.0, 10.0, 0.0, 30.0),
            "past the end of the side"
        );
    }

    #[test]
    fn shrink_measures_the_deepest_side_moved_inward_only() {
        let near = rect();
        assert!(Inward::new(&near).shrink(&near) < 1e-4);
        let moved = |dy_top: f32, dx_right: f32| {
            let [a, b, c, d] = near.corners;
            Quad::new([
                Point::new(a.x, a.y + dy_top),
                Point::new(b.x + dx_right, b.y + dy_top),
                Point::new(c.x + dx_right, c.y),
                d,
            ])
        };
        assert!(
            (Inward::new(&near).shrink(&moved(6.0, 0.0)) - 6.0).abs() < 1e-4,
            "top side down"
        );
        assert!(
            (Inward::new(&near).shrink(&moved(6.0, -9.0)) - 9.0).abs() < 1e-4,
            "right side in"
        );
        assert!(
            Inward::new(&near).shrink(&moved(-6.0, 9.0)) < 1e-4,
            "both sides out"
        );
    }

    #[test]
    fn lines_are_sorted_to_the_side_they_run_along() {
        let top = Line {
            theta: std::f32::consts::FRAC_PI_2,
            rho: 11.0,
            votes: 1.0,
        };
        let left = Line {
            theta: 0.0,
            rho: 9.0,
            votes: 1.0,
        };
        let diagonal = Line {
            theta: 0.7,
            rho: 40.0,
            votes: 1.0,
        };
        let sided = by_side(vec![top, left, diagonal], &rect(), 4.0);
        let sides: Vec<usize> = sided.iter().map(|(s, _)| *s).collect();
        assert_eq!(sides, vec![0, 3]);
    }
}
