//! The camera's focal length read from the card's print, for placing the
//! hidden side of a card partly out of frame when the app does not pass it.
//!
//! Why: with two adjacent corners out of frame the outline shows three
//! sides, and where the fourth lies depends on the focal length (a 25 %
//! error moves the hidden corners by about 4 % of the perimeter, more than
//! the 1.7 % a found card allows). The rails give one vanishing point; the
//! second lies on the visible opposite side's line, and the card's print
//! shows where: text rows, bands and field rules run parallel to that
//! side, so they line up with the pencil of lines through the true
//! vanishing point and fan out through any other. The sharpest row profile
//! of the print's gradient marks it, and two orthogonal vanishing points
//! give the focal length. A card with too little print parallel to the
//! side gives no distinct peak and no answer.

use super::super::{Point, Quad};
use super::{cross, V3 as H3};
use crate::frame::ScaledLuma;

/// Largest convergence searched, as the visible side's length over the
/// distance to the vanishing point (0 = parallel in the image): beyond 0.8
/// the rows through the point collapse near the card and score spuriously.
const MAX_CONVERGENCE: f32 = 0.8;
/// How one pass over candidate vanishing points reads the print: its
/// steps, the rows' spacing (working pixels) and samples per row, between
/// 10 % and 90 % of the way across (away from the card's own edges and
/// rounded corners).
struct Pass {
    steps: usize,
    row_gap: f32,
    samples: usize,
}

/// The coarse pass over ±[`MAX_CONVERGENCE`] (step 0.05) and the fine one
/// over ±1 coarse step around its best. Why these: the sweep reads about
/// 15 ns per sample here and runs once per outline candidate; at 65 + 21
/// steps, one row per working pixel and 64 samples it took 10.1 ms per
/// read at 720p (about 700 000 samples). Rows in pairs one pixel apart
/// (the gradient across them is what scores) every 3 or 2 pixels keep the
/// answers: 3.3 ms per read. Measured on 1500 train scenes (76 cards with a
/// hidden side), answered / within 15 %: before 41 / 31, these 41 / 28.
/// Cards partly out of frame found (train 1500 / train hard 600 / test
/// hard 300 scenes, of 94 / 84 / 43): before 61 / 42 / 12, these
/// 61 / 39 / 13, without the print 58 / 38 / 10; pairs every 4 pixels
/// (2.4 ms) 60 / 39 / 13. Single rows 3 apart (no pairs) answered only 26–33.
const COARSE: Pass = Pass {
    steps: 33,
    row_gap: 3.0,
    samples: 64,
};
/// See [`COARSE`].
const FINE: Pass = Pass {
    steps: 11,
    row_gap: 2.0,
    samples: 32,
};
/// Most pairs of rows per pass: the rows spread further apart on a large
/// card, so that a read costs at most 48 × 2 × 64 × 33 samples (about
/// 3 ms) however near the card is. Bench frame 3 (a near card partly out
/// of frame, 1080p, three outline candidates): 40.8 ms per frame without a
/// limit, 11.2 ms at 64 pairs, 10.0 at 48, 8.2 at 32; cards partly out of
/// frame found (as for [`COARSE`]): 61 / 39 / 13, 61 / 38 / 13,
/// 60 / 39 / 12, 60 / 37 / 12 (59 / 40 / 13 at 48 once the rails' visible
/// run came from a ray-box intersection).
const MAX_PAIRS: usize = 48;
/// Most samples per row (a bit per sample in [`Row::valid`]).
const MAX_ROW_SAMPLES: usize = 64;
/// Shortest visible run of the rails (working pixels) worth reading.
const MIN_RAIL_RUN: f32 = 20.0;
/// How many times the median score the best must reach: a card whose
/// print has no rows parallel to the visible side gives a flat profile.
/// Cards partly out of frame found (train 1500 / train hard 600 / test
/// hard 300 scenes): without the print 58 / 38 / 10; ratio 3: 60 / 39 / 13;
/// ratio 2: 61 / 42 / 12 (of 94 / 84 / 43).
const MIN_PEAK_RATIO: f32 = 2.0;
/// Plausible focal lengths, units of the frame's longer side (phone main
/// and tele cameras with the app's crop span about 0.6–1.6).
const FOCAL_RANGE: (f32, f32) = (0.4, 2.5);

fn homogeneous(p: Point) -> H3 {
    [f64::from(p.x), f64::from(p.y), 1.0]
}

fn line(a: Point, b: Point) -> H3 {
    cross(homogeneous(a), homogeneous(b))
}

/// The finite point of a homogeneous vector, `None` at infinity.
fn finite(v: H3) -> Option<Point> {
    (v[2].abs() > 1e-12).then(|| Point::new((v[0] / v[2]) as f32, (v[1] / v[2]) as f32))
}

/// The three visible sides of `quad` whose side `hidden` is out of frame,
/// named for the search: the visible side from `p` to `q`, the rails from
/// `p` and `q` running toward the hidden corners along `along_p`, `along_q`.
struct Sides {
    p: Point,
    q: Point,
    along_p: Point,
    along_q: Point,
}

impl Sides {
    fn of(quad: &Quad, hidden: usize) -> Option<Sides> {
        let c = quad.rotated(hidden % 4).corners;
        // c[0], c[1]: hidden corners; c[3] -> c[0] and c[2] -> c[1] the rails.
        let unit = |from: Point, to: Point| {
            let d = from.distance(to);
            (d > 1e-3).then(|| Point::new((to.x - from.x) / d, (to.y - from.y) / d))
        };
        Some(Sides {
            p: c[3],
            q: c[2],
            along_p: unit(c[3], c[0])?,
            along_q: unit(c[2], c[1])?,
        })
    }

    /// The vanishing point of the rails (homogeneous, maybe at infinity).
    fn rails_vanish(&self) -> H3 {
        let at = |o: Point, d: Point| Point::new(o.x + d.x, o.y + d.y);
        cross(
            line(self.p, at(self.p, self.along_p)),
            line(self.q, at(self.q, self.along_q)),
        )
    }

    /// The candidate vanishing point of the visible side's direction at
    /// convergence `s` (see [`MAX_CONVERGENCE`]), homogeneous.
    fn side_vanish(&self, s: f32) -> H3 {
        let len = self.p.distance(self.q);
        let (dx, dy) = ((self.q.x - self.p.x) / len, (self.q.y - self.p.y) / len);
        let m = Point::new((self.p.x + self.q.x) / 2.0, (self.p.y + self.q.y) / 2.0);
        let k = f64::from(s / len);
        [
            k * f64::from(m.x) + f64::from(dx),
            k * f64::from(m.y) + f64::from(dy),
            k,
        ]
    }
}

/// The focal length (frame pixels) at which the print of the card in
/// `quad` (upright frame pixels, side `hidden` out of frame) lines up best
/// with its visible side, read from `luma`; `None` without a distinct
/// answer or with an implausible one. `(w, h)`: the upright frame size.
pub(super) fn focal_from_print(
    luma: &ScaledLuma,
    quad: &Quad,
    hidden: usize,
    (w, h): (f32, f32),
) -> Option<f32> {
    let sides = Sides::of(quad, hidden)?;
    let rows = Rows::along(luma, &sides, &COARSE)?;
    let coarse: Vec<(f32, f64)> = (0..COARSE.steps)
        .map(|i| {
            let s = -MAX_CONVERGENCE + 2.0 * MAX_CONVERGENCE * i as f32 / (COARSE.steps - 1) as f32;
            (s, rows.coherence(luma, &sides.side_vanish(s)))
        })
        .collect();
    let mut scores: Vec<f64> = coarse.iter().map(|&(_, c)| c).collect();
    scores.sort_by(f64::total_cmp);
    let median = scores[scores.len() / 2];
    let &(s0, best) = coarse.iter().max_by(|a, b| a.1.total_cmp(&b.1))?;
    if median <= 0.0 || best < f64::from(MIN_PEAK_RATIO) * median {
        return None;
    }
    let step = 2.0 * MAX_CONVERGENCE / (COARSE.steps - 1) as f32;
    let rows = Rows::along(luma, &sides, &FINE)?;
    let (s, _) = (0..FINE.steps)
        .map(|i| {
            let s = s0 - step + 2.0 * step * i as f32 / (FINE.steps - 1) as f32;
            (s, rows.coherence(luma, &sides.side_vanish(s)))
        })
        .max_by(|a, b| a.1.total_cmp(&b.1))?;
    let focal = orthogonal_focal(sides.rails_vanish(), sides.side_vanish(s), w / 2.0, h / 2.0)?;
    let long = w.max(h);
    (focal >= FOCAL_RANGE.0 * long && focal <= FOCAL_RANGE.1 * long).then_some(focal)
}

/// The focal length that makes the viewing rays of the vanishing points
/// `a` and `b` orthogonal (principal point `(cx, cy)`), as a card's two
/// directions are; `None` when no real focal length does.
fn orthogonal_focal(a: H3, b: H3, cx: f32, cy: f32) -> Option<f32> {
    let (a, b) = (finite(a)?, finite(b)?);
    let f2 = -((a.x - cx) * (b.x - cx) + (a.y - cy) * (b.y - cy));
    (f2.is_finite() && f2 > 0.0).then(|| f2.sqrt())
}

/// The rows the print is read along, in pairs one working pixel apart:
/// one pair every `row_gap` pixels (wider apart past [`MAX_PAIRS`]) on the
/// rail from `p`, from 4 % of its visible run (past the card's own edge)
/// to where it leaves the frame.
struct Rows {
    samples: usize,
    /// Each row's start and the next row's, one working pixel further.
    pairs: Vec<[Point; 2]>,
    /// The rail from `q`, as a homogeneous line: where each row ends.
    far_rail: H3,
}

impl Rows {
    fn along(luma: &ScaledLuma, sides: &Sides, pass: &Pass) -> Option<Rows> {
        let pixel = luma.scale_x.abs().max(1e-3);
        let run = visible_run(luma, sides.p, sides.along_p).min(visible_run(
            luma,
            sides.q,
            sides.along_q,
        ));
        if run < MIN_RAIL_RUN * pixel {
            return None;
        }
        // A pair of rows one working pixel apart (the print's strokes are
        // thin) every `row_gap` pixels; at a gap of 1 the pairs share rows.
        let spacing = (pixel * pass.row_gap).max((0.96 * run - pixel) / MAX_PAIRS as f32);
        let n = ((0.96 * run - pixel) / spacing) as usize + 1;
        let at = |t: f32| {
            Point::new(
                sides.p.x + t * sides.along_p.x,
                sides.p.y + t * sides.along_p.y,
            )
        };
        let pairs = (0..n)
            .map(|i| {
                let t = 0.04 * run + i as f32 * spacing;
                [at(t), at(t + pixel)]
            })
            .collect();
        let q2 = Point::new(sides.q.x + sides.along_q.x, sides.q.y + sides.along_q.y);
        Some(Rows {
            samples: pass.samples.min(MAX_ROW_SAMPLES),
            pairs,
            far_rail: line(sides.q, q2),
        })
    }

    /// How coherently the print's gradient across rows adds up along the
    /// rows through vanishing point `v`: Σ_rows (Σ_row Δ)² over
    /// Σ Δ² × samples per row, near 1/n for unaligned texture and up to 1
    /// when every edge lies along a row.
    fn coherence(&self, luma: &ScaledLuma, v: &H3) -> f64 {
        // The last row sampled, reused when the next pair starts on it.
        let mut last: Option<(Point, Option<Row>)> = None;
        let (mut num, mut energy, mut count) = (0.0f64, 0.0f64, 0usize);
        for &[a, b] in &self.pairs {
            let first = match last.take() {
                Some((at, row)) if at.distance(a) < 1e-3 => row,
                _ => self.sample_row(luma, a, v),
            };
            let second = self.sample_row(luma, b, v);
            if let (Some(prev), Some(row)) = (first.as_ref(), second.as_ref()) {
                let both = prev.valid & row.valid;
                let (mut sum, mut squares) = (0.0f32, 0.0f32);
                for j in 0..self.samples {
                    if both >> j & 1 == 1 {
                        let d = soft_sign(row.luma[j] - prev.luma[j]);
                        sum += d;
                        squares += d * d;
                    }
                }
                num += f64::from(sum) * f64::from(sum);
                energy += f64::from(squares);
                count += both.count_ones() as usize;
            }
            last = Some((b, second));
        }
        let rows = self.pairs.len().max(1) as f64;
        let per_row = count as f64 / rows;
        if energy <= 0.0 || per_row < 1.0 {
            return 0.0;
        }
        num / (energy * per_row)
    }

    /// Luma along the row from `start` toward the far rail on the line
    /// through `v`; `None` for a row that does not reach it.
    fn sample_row(&self, luma: &ScaledLuma, start: Point, v: &H3) -> Option<Row> {
        let end = finite(cross(cross(homogeneous(start), *v), self.far_rail))?;
        // The frame-to-image map is affine: step in image pixels.
        let (sx, sy) = luma.from_frame(start.x, start.y);
        let (ex, ey) = luma.from_frame(end.x, end.y);
        let mut luma_row = [0.0; MAX_ROW_SAMPLES];
        let valid = luma.sample_run(
            ((sx, sy), (ex, ey)),
            (0.1, 0.8),
            self.samples,
            &mut luma_row,
        );
        Some(Row {
            luma: luma_row,
            valid,
        })
    }
}

/// One row's samples and which of them fell inside the image (bit `j`).
struct Row {
    luma: [f32; MAX_ROW_SAMPLES],
    valid: u64,
}

/// A luma step capped near ±1: every edge of the print counts about the
/// same, so one long high-contrast line that is not print (the app's guide
/// frame drawn over the picture, a shadow's edge) cannot outvote its rows.
fn soft_sign(d: f32) -> f32 {
    d / (d.abs() + SOFT_STEP)
}

/// Luma step (0–255) at which [`soft_sign`] reaches one half.
const SOFT_STEP: f32 = 8.0;

/// How far (frame pixels) from `from` along the unit `dir` the working
/// image still shows: where the ray leaves its box (the frame-to-image map
/// is affine), 0 from a point outside it.
fn visible_run(luma: &ScaledLuma, from: Point, dir: Point) -> f32 {
    let (x0, y0) = luma.from_frame(from.x, from.y);
    if !luma.contains(x0, y0) {
        return 0.0;
    }
    let (x1, y1) = luma.from_frame(from.x + dir.x, from.y + dir.y);
    let (w, h) = luma.image.dimensions();
    // Per axis, the frame distance to the box's far edge along the ray.
    let exit = |p: f32, d: f32, size: f32| match d {
        d if d > 1e-9 => (size - p) / d,
        d if d < -1e-9 => -p / d,
        _ => f32::INFINITY,
    };
    exit(x0, x1 - x0, w as f32)
        .min(exit(y0, y1 - y0, h as f32))
        .min(1.0e5)
}

#[cfg(test)]
mod tests {
    use super::super::hidden_side;
    use super::*;
    use crate::frame::OwnedFrame;
    use cardscan_synth::{split_scene, SceneConfig, Split};

    /// The truth outline of a generated scene whose card has a side out
    /// of frame, with that side, the scene's focal length and its frame.
    fn hidden_side_scenes(count: u64) -> Vec<(Quad, usize, f32, OwnedFrame)> {
        (0..count)
            .filter_map(|i| {
                let sc = split_scene(Split::Train, i, &SceneConfig::default());
                let card = sc.truth.card.as_ref()?;
                let focal = sc.truth.focal_px?;
                let truth = Quad::new(card.corners.map(|p| Point::new(p[0], p[1])));
                let (w, h) = (sc.truth.width as f32, sc.truth.height as f32);
                let side = hidden_side(&truth, w, h)?;
                Some((
                    truth,
                    side,
                    focal,
                    OwnedFrame::i420_from_rgb(&sc.image).ok()?,
                ))
            })
            .collect()
    }

    /// Two vanishing points of a card seen by a known camera give back its
    /// focal length.
    #[test]
    fn orthogonal_vanishing_points_give_the_focal_length() {
        let (f, cx, cy) = (1100.0f64, 640.0f32, 360.0f32);
        // Two orthogonal directions of a tilted card, in camera space.
        let (a, b) = ([0.8f64, 0.1, 0.59], [-0.2f64, 0.95, 0.11]);
        assert!((a[0] * b[0] + a[1] * b[1] + a[2] * b[2]).abs() < 0.01);
        let vanish = |d: [f64; 3]| {
            [
                f * d[0] / d[2] + f64::from(cx),
                f * d[1] / d[2] + f64::from(cy),
                1.0,
            ]
        };
        let got = orthogonal_focal(vanish(a), vanish(b), cx, cy).unwrap();
        assert!((f64::from(got) - f).abs() < 0.02 * f, "{got}");
        // Directions that are not at right angles in any camera: none.
        let c = [0.8f64, 0.12, 0.6];
        assert_eq!(orthogonal_focal(vanish(a), vanish(c), cx, cy), None);
    }

    /// The scene generator's cards partly out of frame: where the print
    /// gives an answer, it is the scene camera's focal length within 15 %
    /// for most cards (measured: 7 of 10 answers, 17 cards; the rest were
    /// 17–37 % off, which the placement's move limit mostly absorbs).
    #[test]
    fn the_print_of_generated_cards_gives_their_cameras_focal_length() {
        let scenes = hidden_side_scenes(240);
        let (mut answered, mut near) = (0, 0);
        for (truth, side, focal, owned) in &scenes {
            let frame = owned.as_frame().unwrap();
            let (w, h) = frame.upright_size();
            let luma = frame.luma_downscaled(super::super::PRINT_SIDE).unwrap();
            if let Some(got) = focal_from_print(&luma, truth, *side, (w as f32, h as f32)) {
                answered += 1;
                near += usize::from((got - focal).abs() <= 0.15 * focal);
            }
        }
        assert!(scenes.len() >= 15, "only {} cards", scenes.len());
        assert!(answered * 2 >= scenes.len(), "{answered} answers");
        assert!(near * 10 >= answered * 6, "{near} of {answered}");
    }

    /// A card with no print (a flat frame) lines up with every vanishing
    /// point alike: no answer.
    #[test]
    fn a_card_without_print_gives_no_focal_length() {
        let (truth, side, _, _) = hidden_side_scenes(120).into_iter().next().unwrap();
        let rgb = image::RgbImage::from_pixel(1280, 720, image::Rgb([128, 128, 128]));
        let owned = OwnedFrame::i420_from_rgb(&rgb).unwrap();
        let frame = owned.as_frame().unwrap();
        let luma = frame.luma_downscaled(super::super::PRINT_SIDE).unwrap();
        assert_eq!(focal_from_print(&luma, &truth, side, (1280.0, 720.0)), None);
    }
}
