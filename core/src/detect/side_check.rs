//! The side check: a tiny network (`core/models/sidecheck.onnx`, trained by
//! `training/train_side_check.py`) that looks across one candidate line of a
//! card's side and says whether it is the card's outer edge.
//!
//! Why: snapping builds outlines from the lines found near the network's
//! sides and ranks them by edge support and ID-1 shape, which are as strong
//! for the edge of a band printed inside the card (a coloured footer, a
//! magnetic stripe) or of the paper under it as for the card's own edge.
//! What tells them apart is what lies on either side of the line: card
//! inside and something else outside. On the test split 16 of the learned
//! detector's 36 misses had the right line for every side among the
//! candidates.
//!
//! The strip: [`STRIP_H`] rows across the line (inside first) spanning
//! ±[`SPAN`] × the card's extent across that side, [`STRIP_W`] columns along
//! it between the reference outline's two corners projected onto the line;
//! bilinear between pixel centres (edge pixels repeated), 0 outside the
//! image; two channels: luma less the in-image mean over the in-image spread
//! + 10, and the in-image mask. Must match `training/cardnet/side_check.py`.

use super::classical::Line;
use super::{Point, Quad};
use crate::frame::ScaledLuma;
use crate::onnx::{sigmoid, Embedded, ModelError};

const STRIP_W: usize = 32;
const STRIP_H: usize = 16;
const SPAN: f32 = 0.3;
/// Strips per network run at most: 4 sides × (8 lines + the network's own
/// side).
const BATCH: usize = 36;
const STRIP: usize = 2 * STRIP_W * STRIP_H;
/// A line less than this share of which lies in the frame is not judged
/// (probability 1): the strip shows too little, and a side out of frame
/// is no reason to cut the card at a line of its own print (a card partly
/// out of frame lost its hidden side to a barcode's edge without this).
const MIN_IN_FRAME: f32 = 0.5;

const ONNX: &[u8] = include_bytes!("../../models/sidecheck.onnx");

/// The check loaded for several batch sizes, smallest first; a run takes
/// the smallest that holds its strips.
///
/// Why: tract plans for a fixed input shape, and a run costs in proportion
/// to its batch whether or not the strips are used. Most runs judge far
/// fewer than [`BATCH`] lines: on 200 test scenes, 262 of 452 runs judged
/// the 4 sides of one outline (the final outline's judgement, side
/// placement) and most of the rest 13–35 candidate lines.
static NETS: [Embedded; 4] = [
    Embedded::new("side-check", ONNX, &[4, 2, STRIP_H, STRIP_W]),
    Embedded::new("side-check", ONNX, &[16, 2, STRIP_H, STRIP_W]),
    Embedded::new("side-check", ONNX, &[24, 2, STRIP_H, STRIP_W]),
    Embedded::new("side-check", ONNX, &[BATCH, 2, STRIP_H, STRIP_W]),
];

/// Parses and optimises the check for every batch size (a few milliseconds
/// each), so that none is loaded in the middle of a scan, where a frame
/// would pay for it.
pub(crate) fn load() -> Result<(), ModelError> {
    NETS.iter().try_for_each(|net| net.get().map(|_| ()))
}

/// The smallest loaded batch size that holds `n` strips (n ≤ [`BATCH`]),
/// and the check loaded for it.
fn net_for(n: usize) -> (usize, &'static Embedded) {
    let net = NETS
        .iter()
        .find(|net| net.shape()[0] >= n)
        .unwrap_or(&NETS[NETS.len() - 1]);
    (net.shape()[0], net)
}

/// For each `(side, line)` (working-image pixels), the probability that the
/// line is side `side` of the card that `near` (working-image pixels)
/// roughly outlines.
pub(crate) fn check(
    image: &ScaledLuma,
    lines: &[(usize, Line)],
    near: &Quad,
) -> Result<Vec<f32>, ModelError> {
    let mut out = Vec::with_capacity(lines.len());
    for chunk in lines.chunks(BATCH) {
        let (batch, net) = net_for(chunk.len());
        let mut input = vec![0.0f32; batch * STRIP];
        let mut judged = [false; BATCH];
        for (((side, line), strip), judged) in
            chunk.iter().zip(input.chunks_mut(STRIP)).zip(&mut judged)
        {
            *judged = fill_strip(image, line, near, *side, strip) >= MIN_IN_FRAME;
        }
        let logits = net.get()?.run(&input, &[batch])?;
        out.extend(
            logits[0][..chunk.len()]
                .iter()
                .zip(judged)
                .map(|(&l, judged)| if judged { sigmoid(l) } else { 1.0 }),
        );
    }
    Ok(out)
}

/// Samples the strip across `line` as side `side` of `near` into `out`
/// (`2 × STRIP_H × STRIP_W`, zeroed). Returns the share of the line itself
/// (between the outline's corners) that lies in the image.
fn fill_strip(image: &ScaledLuma, line: &Line, near: &Quad, side: usize, out: &mut [f32]) -> f32 {
    fill_strip_with(image, line, near, side, out, true)
}

/// [`fill_strip`], with the clamp-free sampling of a strip wholly inside
/// the image allowed or not (the tests compare the two).
fn fill_strip_with(
    image: &ScaledLuma,
    line: &Line,
    near: &Quad,
    side: usize,
    out: &mut [f32],
    clamp_free: bool,
) -> f32 {
    let c = &near.corners;
    let (a0, b0) = (c[side], c[(side + 1) % 4]);
    let (nx, ny) = line.normal();
    // A point on the line and its direction, running from a0 towards b0.
    let p = Point::new(line.rho * nx, line.rho * ny);
    let mut t = (-ny, nx);
    if (b0.x - a0.x) * t.0 + (b0.y - a0.y) * t.1 < 0.0 {
        t = (-t.0, -t.1);
    }
    let project = |q: Point| {
        let s = (q.x - p.x) * t.0 + (q.y - p.y) * t.1;
        Point::new(p.x + s * t.0, p.y + s * t.1)
    };
    let (a, b) = (project(a0), project(b0));
    // The normal pointing away from the outline's centre.
    let mut n = (t.1, -t.0);
    let centre = near.centroid();
    if (0.5 * (a.x + b.x) - centre.x) * n.0 + (0.5 * (a.y + b.y) - centre.y) * n.1 < 0.0 {
        n = (-n.0, -n.1);
    }
    let extent =
        0.5 * (c[(side + 2) % 4].distance(c[(side + 1) % 4]) + c[side].distance(c[(side + 3) % 4]));
    let (luma, mask) = out.split_at_mut(STRIP_W * STRIP_H);
    let at = |i: usize, j: usize| {
        let v = (-SPAN + 2.0 * SPAN * (j as f32 + 0.5) / STRIP_H as f32) * extent;
        let u = (i as f32 + 0.5) / STRIP_W as f32;
        (
            a.x + u * (b.x - a.x) + v * n.0,
            a.y + u * (b.y - a.y) + v * n.1,
        )
    };
    // A strip whose four corners need no clamping needs none anywhere (it
    // is a parallelogram): every point is sampled without the bounds test.
    let inside = clamp_free
        && [
            (0, 0),
            (STRIP_W - 1, 0),
            (0, STRIP_H - 1),
            (STRIP_W - 1, STRIP_H - 1),
        ]
        .iter()
        .all(|&(i, j)| image.clamp_free(at(i, j)));
    for j in 0..STRIP_H {
        for i in 0..STRIP_W {
            let (x, y) = at(i, j);
            let value = if inside {
                Some(image.sample_clamp_free(x, y))
            } else {
                image.sample(x, y)
            };
            if let Some(value) = value {
                luma[j * STRIP_W + i] = value;
                mask[j * STRIP_W + i] = 1.0;
            }
        }
    }
    normalise(luma, mask);
    let on_line = (0..STRIP_W)
        .filter(|&i| {
            let u = (i as f32 + 0.5) / STRIP_W as f32;
            image.contains(a.x + u * (b.x - a.x), a.y + u * (b.y - a.y))
        })
        .count();
    on_line as f32 / STRIP_W as f32
}

/// Luma less its in-image mean, over its in-image spread + 10 (a flat strip
/// stays near 0 instead of amplifying noise); 0 outside the image.
fn normalise(luma: &mut [f32], mask: &[f32]) {
    let n = mask.iter().sum::<f32>().max(1.0);
    let mean = luma.iter().zip(mask).map(|(l, m)| l * m).sum::<f32>() / n;
    let var = luma
        .iter()
        .zip(mask)
        .map(|(l, m)| ((l - mean) * m).powi(2))
        .sum::<f32>()
        / n;
    let scale = 1.0 / (var.sqrt() + 10.0);
    for (l, m) in luma.iter_mut().zip(mask) {
        *l = (*l - mean) * scale * m;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::frame::OwnedFrame;
    use cardscan_synth::{split_scene, SceneConfig, Split};

    /// `line` moved by `d` working pixels along the normal pointing out of
    /// `quad`.
    fn moved(quad: &Quad, side: usize, d: f32) -> Line {
        let (a, b) = (quad.corners[side], quad.corners[(side + 1) % 4]);
        let len = a.distance(b);
        let mut n = ((b.y - a.y) / len, -(b.x - a.x) / len);
        let c = quad.centroid();
        if (a.x - c.x) * n.0 + (a.y - c.y) * n.1 < 0.0 {
            n = (-n.0, -n.1);
        }
        let shift = |p: Point| Point::new(p.x + d * n.0, p.y + d * n.1);
        Line::through(shift(a), shift(b)).unwrap()
    }

    /// Strips sampled without clamps (wholly inside the image) hold the same
    /// values, bit for bit, as sampled point by point, for strips inside,
    /// across the image's edge and outside it.
    #[test]
    fn clamp_free_strips_match_point_samples() {
        let sc = split_scene(Split::Train, 1, &SceneConfig::default());
        let owned = OwnedFrame::i420_from_rgb(&sc.image).unwrap();
        let luma = owned.as_frame().unwrap().luma_downscaled_by(4).unwrap();
        let (w, h) = (luma.image.width() as f32, luma.image.height() as f32);
        let (mut inside, mut crossing) = (0, 0);
        for i in 0..60 {
            // Outlines from well inside to reaching past every edge.
            let (cx, cy) = (
                w * (0.1 + 0.8 * (i % 7) as f32 / 6.0),
                h * (0.5 + 0.1 * (i % 3) as f32),
            );
            let (hw, hh) = (
                w * (0.1 + 0.05 * (i % 5) as f32),
                h * (0.15 + 0.06 * (i % 4) as f32),
            );
            let quad = Quad::new([
                Point::new(cx - hw, cy - hh),
                Point::new(cx + hw, cy - hh * 0.9),
                Point::new(cx + hw * 1.1, cy + hh),
                Point::new(cx - hw, cy + hh * 1.05),
            ]);
            for side in 0..4 {
                let line = moved(&quad, side, (i % 5) as f32 - 2.0);
                let (mut fast, mut slow) = ([0.0f32; STRIP], [0.0f32; STRIP]);
                fill_strip_with(&luma, &line, &quad, side, &mut fast, true);
                fill_strip_with(&luma, &line, &quad, side, &mut slow, false);
                assert!(
                    fast.iter()
                        .zip(&slow)
                        .all(|(a, b)| a.to_bits() == b.to_bits()),
                    "outline {i}, side {side}"
                );
                match slow[STRIP_W * STRIP_H..]
                    .iter()
                    .filter(|&&m| m == 1.0)
                    .count()
                {
                    n if n == STRIP_W * STRIP_H => inside += 1,
                    0 => {}
                    _ => crossing += 1,
                }
            }
        }
        assert!(
            inside > 20 && crossing > 20,
            "{inside} inside, {crossing} crossing"
        );
    }

    /// A line gets the same probability whichever batch size judges it
    /// (4 sides alone, or among 30 lines), and a run of more than
    /// [`BATCH`] lines is split without changing any.
    #[test]
    fn the_batch_size_does_not_change_a_verdict() {
        let sc = split_scene(Split::Train, 0, &SceneConfig::default());
        let card = sc.truth.card.as_ref().unwrap();
        let owned = OwnedFrame::i420_from_rgb(&sc.image).unwrap();
        let luma = owned.as_frame().unwrap().luma_downscaled_by(4).unwrap();
        let quad = Quad::new(card.corners.map(|p| {
            let (x, y) = luma.from_frame(p[0], p[1]);
            Point::new(x, y)
        }));
        let lines: Vec<(usize, Line)> = (0..40)
            .map(|i| (i % 4, moved(&quad, i % 4, (i / 4) as f32 - 4.0)))
            .collect();
        let alone: Vec<f32> = lines
            .chunks(4)
            .flat_map(|four| check(&luma, four, &quad).unwrap())
            .collect();
        for n in [5, 17, 30, 40] {
            let together = check(&luma, &lines[..n], &quad).unwrap();
            for (a, b) in alone.iter().zip(&together) {
                assert!((a - b).abs() < 1e-5, "{n} lines: {a} vs {b}");
            }
        }
        // The true sides (offset 0) pass: the strips are the real ones.
        assert!(alone[16..20].iter().all(|&p| p > 0.5), "{alone:?}");
    }

    /// On fully visible cards of training scenes, each true side is judged
    /// an outer edge and lines a sixth of the card inside or outside it are
    /// not (a mismatch between this sampling and the training script's
    /// would fail this).
    #[test]
    fn true_sides_pass_and_parallel_lines_inside_or_outside_do_not() {
        let (mut sides, mut true_ok, mut inner_ok, mut outer_ok) = (0, 0, 0, 0);
        for i in 0..40 {
            let sc = split_scene(Split::Train, i, &SceneConfig::default());
            let Some(card) = sc.truth.card.as_ref().filter(|c| c.visible_fraction >= 1.0) else {
                continue;
            };
            let owned = OwnedFrame::i420_from_rgb(&sc.image).unwrap();
            let luma = owned.as_frame().unwrap().luma_downscaled_by(4).unwrap();
            let quad = Quad::new(card.corners.map(|p| {
                let (x, y) = luma.from_frame(p[0], p[1]);
                Point::new(x, y)
            }));
            for s in 0..4 {
                let extent = quad.corners[(s + 2) % 4].distance(quad.corners[(s + 1) % 4]);
                let lines = [
                    (s, moved(&quad, s, 0.0)),
                    (s, moved(&quad, s, -extent / 6.0)),
                    (s, moved(&quad, s, extent / 6.0)),
                ];
                let p = check(&luma, &lines, &quad).unwrap();
                sides += 1;
                true_ok += usize::from(p[0] > 0.5);
                inner_ok += usize::from(p[1] < 0.5);
                outer_ok += usize::from(p[2] < 0.5);
            }
        }
        eprintln!(
            "{sides} sides: true {true_ok}, inner rejected {inner_ok}, outer rejected {outer_ok}"
        );
        assert!(sides >= 60, "only {sides} sides");
        let share = |n: usize| n as f32 / sides as f32;
        assert!(
            share(true_ok) >= 0.9,
            "true sides passed: {true_ok} of {sides}"
        );
        assert!(
            share(inner_ok) >= 0.9,
            "inner lines rejected: {inner_ok} of {sides}"
        );
        assert!(
            share(outer_ok) >= 0.9,
            "outer lines rejected: {outer_ok} of {sides}"
        );
    }
}
