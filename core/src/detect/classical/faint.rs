//! Faint edges along a known side: lines found by summing luma profiles
//! across a side over its whole length, with no edge threshold.
//!
//! Why: a white card on a white table, or a dark card on a dark one, steps
//! by a grey level or two at its edge. Sobel + non-maximum suppression
//! drops such pixels (or leaves them to noise), so the Hough transform has
//! no line there and snapping cannot reach the edge. Averaged along a side
//! of a hundred pixels, the same step stands out of the noise (which
//! cancels) and out of texture (whose steps point every way).
//!
//! Snapping asks for these lines only on sides where the side check trusts
//! none of the Hough lines (`snap.rs`), and the side check judges them too.

use super::hough::Line;
use crate::detect::{Point, Quad};
use crate::fastmath::round_i32;
use image::GrayImage;

/// Lines kept per side, strongest step first. Test and train splits (400 +
/// 200 hard scenes each, model r8): 2 / 4 / 6 found about the same cards;
/// 4 was never behind (the summary in `snap.rs`).
const LINES_PER_SIDE: usize = 4;
/// How far across a side lines are looked for, as a share of the outline's
/// perimeter. Test / train splits, found (hard): 0.02: 92.2 (70.7) / 90.3
/// (66.2) %; 0.03: 92.2 (70.1) / 90.6 (66.2) %; 0.05: 91.9 (70.1) / 90.6
/// (66.2) %; 0.08: 91.9 (69.5) / 89.6 (65.6) %. Past a few per cent the
/// step that wins is a band printed inside the card or a shadow outside it.
const REACH: f32 = 0.03;
/// Upper bound of the reach in working pixels (a card filling a 400-pixel
/// working image has a perimeter of about 1 100).
const MAX_REACH_PX: f32 = 40.0;
/// Largest difference (working pixels) between the offsets of a line's two
/// ends, in steps of one pixel: the network's sides are good to a few
/// degrees.
const MAX_TILT: i32 = 6;
/// Share of a side left out at each end (rounded corners, the other sides'
/// edges).
const END_MARGIN: f32 = 0.12;
/// Share of a side that must lie in the frame for lines to be looked for
/// along it: a short piece at the frame's edge is no side (without this
/// rule, cards partly out of frame lost their hidden side to the frame's
/// own border region: train split, 3 cards).
const MIN_IN_FRAME: f32 = 0.7;

/// Up to [`LINES_PER_SIDE`] lines along each side `s` of `q` (working
/// pixels) for which `wanted[s]`, the strongest steps first, tagged with
/// the side.
pub(super) fn faint_lines(luma: &GrayImage, q: &Quad, wanted: [bool; 4]) -> Vec<(usize, Line)> {
    // Bounded (and finite) whatever the outline: the profiles' width
    // follows it.
    let reach = (REACH * q.perimeter()).clamp(2.0, MAX_REACH_PX);
    if !reach.is_finite() {
        return Vec::new();
    }
    (0..4)
        .filter(|&s| wanted[s])
        .flat_map(|s| {
            let (a, b) = (q.corners[s], q.corners[(s + 1) % 4]);
            side_lines(luma, a, b, reach)
                .into_iter()
                .map(move |l| (s, l))
        })
        .collect()
}

/// Pieces a side is cut into along its length: each gets its own profile
/// across the side, and a tilted line reads each piece's at its own offset.
const PIECES: usize = 8;

/// The strongest steps across the segment a–b.
fn side_lines(luma: &GrayImage, a: Point, b: Point, reach: f32) -> Vec<Line> {
    let len = a.distance(b);
    let (w, h) = luma.dimensions();
    if len < 8.0 || in_frame_share(a, b, w, h) < MIN_IN_FRAME {
        return Vec::new();
    }
    let side = Side {
        a,
        dir: ((b.x - a.x) / len, (b.y - a.y) / len),
        len,
    };
    // Profiles reach far enough for the most tilted line's ends.
    let half = (reach + MAX_TILT as f32 / 2.0).ceil() as i32 + 2;
    let profiles: Vec<Option<Profile>> = (0..PIECES)
        .map(|m| {
            let (from, to) = side.piece(m);
            profile(luma, &side, from, to, half)
        })
        .collect();
    let bins = (2.0 * reach).round() as usize + 1;
    let steps = step_sizes(&side, &profiles, half, reach, bins);
    let n = side.normal();
    peaks(&steps, TILTS, bins, LINES_PER_SIDE)
        .into_iter()
        .filter_map(|(ti, bin)| {
            let tilt = ti as f32 - MAX_TILT as f32;
            let off = bin as f32 - reach + subpixel(&steps[ti * bins..(ti + 1) * bins], bin);
            let p = Point::new(
                a.x + n.0 * (off - tilt / 2.0),
                a.y + n.1 * (off - tilt / 2.0),
            );
            let q = Point::new(
                b.x + n.0 * (off + tilt / 2.0),
                b.y + n.1 * (off + tilt / 2.0),
            );
            Line::through(p, q)
        })
        .collect()
}

/// Line tilts tried: −MAX_TILT..=MAX_TILT.
const TILTS: usize = (2 * MAX_TILT + 1) as usize;

/// A side of the outline: its start, unit direction and length.
struct Side {
    a: Point,
    dir: (f32, f32),
    len: f32,
}

impl Side {
    /// The unit normal (to the left of the direction).
    fn normal(&self) -> (f32, f32) {
        (-self.dir.1, self.dir.0)
    }

    /// Where piece `m` starts and ends along the side.
    fn piece(&self, m: usize) -> (f32, f32) {
        let (lo, hi) = (END_MARGIN * self.len, (1.0 - END_MARGIN) * self.len);
        let step = (hi - lo) / PIECES as f32;
        (lo + m as f32 * step, lo + (m + 1) as f32 * step)
    }

    /// Piece `m`'s middle, from −0.5 (the side's start) to 0.5 (its end).
    fn piece_middle(&self, m: usize) -> f32 {
        let (from, to) = self.piece(m);
        0.5 * (from + to) / self.len - 0.5
    }
}

/// For every tilt and offset (bins 0..`bins` ↔ −reach..=reach), the size of
/// the luma step a line there crosses: the mean over the pieces of each
/// profile's difference across the line (two pixels apart), signed so that
/// only a step of one polarity along the whole side adds up. 0 where too
/// few pieces have a profile there (the line runs beyond the image's
/// border).
fn step_sizes(
    side: &Side,
    profiles: &[Option<Profile>],
    half: i32,
    reach: f32,
    bins: usize,
) -> Vec<f32> {
    let mut steps = vec![0f32; TILTS * bins];
    for ti in 0..TILTS {
        let tilt = ti as f32 - MAX_TILT as f32;
        for bin in 0..bins {
            let off = bin as f32 - reach + half as f32;
            let (mut sum, mut used) = (0.0, 0usize);
            for (m, p) in profiles.iter().enumerate() {
                let x = off + tilt * side.piece_middle(m);
                let step = p
                    .as_ref()
                    .and_then(|p| Some(read(p, x + 1.0)? - read(p, x - 1.0)?));
                if let Some(step) = step {
                    sum += step;
                    used += 1;
                }
            }
            if used as f32 >= MIN_IN_FRAME * PIECES as f32 {
                steps[ti * bins + bin] = (sum / used as f32).abs();
            }
        }
    }
    steps
}

/// The mean luma across the side, at whole-pixel offsets −half..=half from
/// it, over the piece `from..to` along it (nearest pixels). An offset the
/// image's border cuts (fewer than half the piece's samples in the image)
/// has no mean: a side near the frame's edge still has its profile on the
/// image's side of the border. `None` when the piece has no sample at all.
fn profile(luma: &GrayImage, side: &Side, from: f32, to: f32, half: i32) -> Option<Profile> {
    let (w, h) = (luma.width() as i32, luma.height() as i32);
    let raw = luma.as_raw();
    let n = side.normal();
    let width = (2 * half + 1) as usize;
    let mut sum = vec![0f32; width];
    let mut count = vec![0u32; width];
    let mut samples = 0u32;
    let mut along = from;
    while along < to {
        let (cx, cy) = (side.a.x + side.dir.0 * along, side.a.y + side.dir.1 * along);
        for j in 0..width {
            let off = j as f32 - half as f32;
            // Pixel i covers [i, i + 1): its centre is at i + 0.5.
            let (x, y) = (
                round_i32(cx + n.0 * off - 0.5),
                round_i32(cy + n.1 * off - 0.5),
            );
            if x >= 0 && y >= 0 && x < w && y < h {
                if let Some(&v) = raw.get((y * w + x) as usize) {
                    sum[j] += f32::from(v);
                    count[j] += 1;
                }
            }
        }
        samples += 1;
        along += 1.0;
    }
    if count.iter().all(|&c| c == 0) {
        return None;
    }
    Some(
        sum.iter()
            .zip(&count)
            .map(|(s, &c)| (c > 0 && 2 * c >= samples).then(|| s / c as f32))
            .collect(),
    )
}

/// Mean luma per offset across a side; `None` where the image's border
/// cuts the offset.
type Profile = Vec<Option<f32>>;

/// `p` at the fractional index `x` (linear); `None` outside it or where
/// either neighbour has no mean.
fn read(p: &[Option<f32>], x: f32) -> Option<f32> {
    if !(x >= 0.0 && x <= (p.len() - 1) as f32) {
        return None;
    }
    let i = (x as usize).min(p.len() - 2);
    let f = x - i as f32;
    Some(p[i]? * (1.0 - f) + p[i + 1]? * f)
}

/// The peak's offset from bin `b` by a parabola through it and its
/// neighbours (within ±0.5).
fn subpixel(v: &[f32], b: usize) -> f32 {
    if b == 0 || b + 1 >= v.len() {
        return 0.0;
    }
    let (l, c, r) = (v[b - 1], v[b], v[b + 1]);
    let d = l - 2.0 * c + r;
    if d >= 0.0 {
        return 0.0;
    }
    (0.5 * (l - r) / d).clamp(-0.5, 0.5)
}

/// The share of the segment a–b inside a w × h image (sampled).
fn in_frame_share(a: Point, b: Point, w: u32, h: u32) -> f32 {
    const N: usize = 16;
    let inside = (0..N)
        .filter(|&i| {
            let t = (i as f32 + 0.5) / N as f32;
            let (x, y) = (a.x + t * (b.x - a.x), a.y + t * (b.y - a.y));
            x >= 0.0 && y >= 0.0 && x < w as f32 && y < h as f32
        })
        .count();
    inside as f32 / N as f32
}

/// The `k` largest local maxima (3 × 3 in tilt × offset) of `v`, as
/// (tilt index, offset bin).
fn peaks(v: &[f32], tilts: usize, bins: usize, k: usize) -> Vec<(usize, usize)> {
    let at = |t: i64, b: i64| {
        if t < 0 || b < 0 || t >= tilts as i64 || b >= bins as i64 {
            0.0
        } else {
            v[t as usize * bins + b as usize]
        }
    };
    let mut found: Vec<(f32, usize, usize)> = Vec::new();
    for t in 0..tilts {
        for b in 0..bins {
            let x = v[t * bins + b];
            let (ti, bi) = (t as i64, b as i64);
            let is_max = (-1..=1)
                .all(|dt| (-1..=1).all(|db| (dt, db) == (0, 0) || at(ti + dt, bi + db) < x));
            if is_max && x > 0.0 {
                found.push((x, t, b));
            }
        }
    }
    found.sort_by(|a, b| b.0.total_cmp(&a.0));
    found.into_iter().take(k).map(|(_, t, b)| (t, b)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::Luma;

    /// A 320 × 180 image: a tilted card-sized quad two grey levels brighter
    /// than the table, under noise of ±4 levels (a fixed pseudo-random
    /// sequence), so no single pixel shows the edge.
    fn faint_card(card: &Quad) -> GrayImage {
        let mut state = 12345u32;
        GrayImage::from_fn(320, 180, |x, y| {
            state = state.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            let noise = ((state >> 16) % 9) as i32 - 4;
            let inside = card.contains(Point::new(x as f32 + 0.5, y as f32 + 0.5));
            Luma([(200 + if inside { 2 } else { 0 } + noise) as u8])
        })
    }

    fn card() -> Quad {
        Quad::new([
            Point::new(80.0, 50.0),
            Point::new(230.0, 40.0),
            Point::new(236.0, 134.0),
            Point::new(86.0, 144.0),
        ])
    }

    /// How far `line` is from the segment a–b's two ends.
    fn distance(line: &Line, a: Point, b: Point) -> f32 {
        let (nx, ny) = line.normal();
        let d = |p: Point| (p.x * nx + p.y * ny - line.rho).abs();
        d(a).max(d(b))
    }

    #[test]
    fn a_two_level_step_under_noise_is_found_on_every_side() {
        let truth = card();
        let img = faint_card(&truth);
        // The network's outline: a few pixels and a degree or two off.
        let near = truth.map(|p| Point::new(p.x + 3.0 + 0.02 * p.y, p.y - 2.0));
        let lines = faint_lines(&img, &near, [true; 4]);
        for s in 0..4 {
            let (a, b) = (truth.corners[s], truth.corners[(s + 1) % 4]);
            let best = lines
                .iter()
                .filter(|(side, _)| *side == s)
                .map(|(_, l)| distance(l, a, b))
                .fold(f32::INFINITY, f32::min);
            assert!(best <= 1.0, "side {s}: nearest line {best} px off");
        }
    }

    #[test]
    fn only_wanted_sides_in_frame_get_lines() {
        let truth = card();
        let img = faint_card(&truth);
        let lines = faint_lines(&img, &truth, [true, false, true, false]);
        assert!(lines.iter().all(|(s, _)| *s == 0 || *s == 2));
        assert!(lines.iter().any(|(s, _)| *s == 0));
        // Shifted so that its left side lies out of the image.
        let out = truth.map(|p| Point::new(p.x - 100.0, p.y));
        let lines = faint_lines(&img, &out, [true; 4]);
        assert!(lines.iter().all(|(s, _)| *s != 3), "left side out of frame");
    }

    #[test]
    fn a_side_near_the_images_border_still_gets_its_line() {
        // The card's top side 3–5 pixels below the image's top: the
        // profiles across it reach about 20 pixels past the border.
        let truth = Quad::new([
            Point::new(80.0, 5.0),
            Point::new(230.0, 3.0),
            Point::new(236.0, 97.0),
            Point::new(86.0, 99.0),
        ]);
        let img = faint_card(&truth);
        let near = truth.map(|p| Point::new(p.x + 2.0, p.y + 2.0));
        let (a, b) = (truth.corners[0], truth.corners[1]);
        let best = faint_lines(&img, &near, [true, false, false, false])
            .iter()
            .map(|(_, l)| distance(l, a, b))
            .fold(f32::INFINITY, f32::min);
        assert!(best <= 1.0, "top side: nearest line {best} px off");
    }

    #[test]
    fn a_flat_image_gives_no_lines() {
        let img = GrayImage::from_pixel(320, 180, Luma([128]));
        assert!(faint_lines(&img, &card(), [true; 4]).is_empty());
    }

    #[test]
    fn degenerate_outlines_give_no_lines_and_no_panic() {
        let img = faint_card(&card());
        let p = Point::new(10.0, 10.0);
        assert!(faint_lines(&img, &Quad::new([p; 4]), [true; 4]).is_empty());
        let far = Quad::new([Point::new(f32::MAX, 0.0), p, p, Point::new(f32::NAN, 1.0)]);
        let _ = faint_lines(&img, &far, [true; 4]);
    }
}
