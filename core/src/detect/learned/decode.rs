//! Turns the network's raw outputs into corners and a class.
//!
//! Corners: per corner, the arg-max cell of its heatmap plus the offset the
//! network predicts at that cell (CenterNet-style). The offset gives sub-cell
//! precision and reaches corners outside the frame, whose heatmaps peak on
//! the border; taking the arg-max (not a soft-argmax over the whole map) keeps
//! a faint second mode from pulling the corner between two candidates. The
//! training code decodes the same way (`cardnet.model.decode_corners`).

use super::model::CLASSES;

/// A heatmap grid: `w × h` cells of `stride` input pixels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Grid {
    pub w: usize,
    pub h: usize,
    pub stride: usize,
}

impl Grid {
    /// Cells per heatmap plane.
    pub(crate) fn plane(&self) -> usize {
        self.w * self.h
    }

    /// Input-pixel coordinate of cell `i`'s centre (either axis).
    fn centre(&self, i: usize) -> f32 {
        (i * self.stride) as f32 + self.stride as f32 / 2.0
    }
}

/// What the class head says.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct ClassProbs {
    pub none: f32,
    pub front: f32,
    pub back: f32,
}

/// Softmax over the three class logits (`none`, `front`, `back`).
pub(crate) fn class_probs(logits: &[f32]) -> ClassProbs {
    let mut p = [0.0f32; CLASSES];
    let max = logits
        .iter()
        .take(CLASSES)
        .copied()
        .fold(f32::NEG_INFINITY, f32::max);
    for (o, &l) in p.iter_mut().zip(logits) {
        *o = (l - max).exp();
    }
    let sum: f32 = p.iter().sum();
    if !(sum.is_finite() && sum > 0.0) {
        return ClassProbs {
            none: 1.0,
            front: 0.0,
            back: 0.0,
        };
    }
    ClassProbs {
        none: p[0] / sum,
        front: p[1] / sum,
        back: p[2] / sum,
    }
}

/// The four corners in network-input pixels (continuous coordinates), in
/// heatmap order (for the detector: the card's own top-left, top-right,
/// bottom-right, bottom-left). `heatmaps` is `4 × h × w` and `offsets`
/// `8 × h × w` on `grid`, row-major; `None` if either is short or not finite.
pub(crate) fn corners(grid: Grid, heatmaps: &[f32], offsets: &[f32]) -> Option<[(f32, f32); 4]> {
    let plane = grid.plane();
    let mut out = [(0.0, 0.0); 4];
    for (c, o) in out.iter_mut().enumerate() {
        let cell = arg_max(heatmaps.get(c * plane..(c + 1) * plane)?)?;
        *o = point(grid, offsets, c, cell)?;
    }
    Some(out)
}

/// Corner `c` decoded at `cell`: the cell's centre plus the network's
/// offset there, in input pixels; `None` when out of range or not finite.
fn point(grid: Grid, offsets: &[f32], c: usize, cell: usize) -> Option<(f32, f32)> {
    let plane = grid.plane();
    let dx = *offsets.get(2 * c * plane + cell)?;
    let dy = *offsets.get((2 * c + 1) * plane + cell)?;
    let (x, y) = (
        grid.centre(cell % grid.w) + dx * grid.stride as f32,
        grid.centre(cell / grid.w) + dy * grid.stride as f32,
    );
    (x.is_finite() && y.is_finite()).then_some((x, y))
}

/// Other readings of the heatmaps than their arg-maxes: each corner may
/// instead take one of its two strongest separate peaks (local maxima more
/// than one cell from the arg-max) whose logit is within `max_gap` of the
/// arg-max's. Combinations that differ from [`corners`] in at least one
/// corner, the smallest summed logit gap first, at most `max` of them.
///
/// Why: where a card lies on a sheet of paper, a screen or a guide frame,
/// a corner's heatmap often peaks on the other object's corner and has a
/// second, slightly weaker peak on the card's own (test split, model r8:
/// 3 of the 18 misses, and 8 of 38 on the train split, had the true corner
/// at a second peak within 4 logits). Which reading is the card is left
/// to the caller, who can judge each outline's edges.
pub(crate) fn alternatives(
    grid: Grid,
    heatmaps: &[f32],
    offsets: &[f32],
    max_gap: f32,
    max: usize,
) -> Vec<[(f32, f32); 4]> {
    let plane = grid.plane();
    // Per corner: (cell, gap) with the arg-max first.
    let mut options: Vec<Vec<(usize, f32)>> = Vec::with_capacity(4);
    for c in 0..4 {
        let Some(map) = heatmaps.get(c * plane..(c + 1) * plane) else {
            return Vec::new();
        };
        let Some(best) = arg_max(map) else {
            return Vec::new();
        };
        let mut peaks: Vec<(usize, f32)> = local_maxima(grid, map)
            .filter(|&i| cells_apart(grid, i, best) > 1)
            .map(|i| (i, map[best] - map[i]))
            .filter(|&(_, gap)| gap <= max_gap)
            .collect();
        peaks.sort_by(|a, b| a.1.total_cmp(&b.1));
        peaks.truncate(2);
        peaks.insert(0, (best, 0.0));
        options.push(peaks);
    }
    // Every choice of one option per corner, as the digits of a mixed-radix
    // count; 0 (every corner at its arg-max) is the first reading itself.
    let total: usize = options.iter().map(Vec::len).product();
    let mut combos: Vec<(f32, [usize; 4])> = (1..total)
        .map(|mut n| {
            let pick = [0, 1, 2, 3].map(|k| {
                let digit = n % options[k].len();
                n /= options[k].len();
                digit
            });
            let gap = (0..4).map(|k| options[k][pick[k]].1).sum();
            (gap, pick)
        })
        .collect();
    combos.sort_by(|x, y| x.0.total_cmp(&y.0));
    combos
        .into_iter()
        .filter_map(|(_, pick)| {
            let mut out = [(0.0, 0.0); 4];
            for (k, o) in out.iter_mut().enumerate() {
                *o = point(grid, offsets, k, options[k][pick[k]].0)?;
            }
            Some(out)
        })
        .take(max)
        .collect()
}

/// Cells of `map` at least as high as their eight neighbours.
fn local_maxima(grid: Grid, map: &[f32]) -> impl Iterator<Item = usize> + '_ {
    (0..map.len()).filter(move |&i| {
        let (x, y) = ((i % grid.w) as isize, (i / grid.w) as isize);
        map[i].is_finite()
            && (-1..=1).all(|dy| {
                (-1..=1).all(|dx| {
                    let (nx, ny) = (x + dx, y + dy);
                    nx < 0
                        || ny < 0
                        || nx >= grid.w as isize
                        || ny >= grid.h as isize
                        || map[ny as usize * grid.w + nx as usize] <= map[i]
                })
            })
    })
}

/// Chebyshev distance between two cells.
fn cells_apart(grid: Grid, a: usize, b: usize) -> usize {
    let (ax, ay) = (a % grid.w, a / grid.w);
    let (bx, by) = (b % grid.w, b / grid.w);
    ax.abs_diff(bx).max(ay.abs_diff(by))
}

/// Index of the largest finite value.
fn arg_max(map: &[f32]) -> Option<usize> {
    map.iter()
        .enumerate()
        .filter(|(_, v)| v.is_finite())
        .max_by(|a, b| a.1.total_cmp(b.1))
        .map(|(i, _)| i)
}

#[cfg(test)]
mod tests {
    use super::super::model::{GRID, HM_H, HM_W};
    use super::*;

    const PLANE: usize = HM_W * HM_H;

    fn maps_with_peaks(peaks: [(usize, usize); 4]) -> Vec<f32> {
        let mut m = vec![-10.0; 4 * PLANE];
        for (c, (x, y)) in peaks.iter().enumerate() {
            m[c * PLANE + y * HM_W + x] = 10.0;
        }
        m
    }

    #[test]
    fn peaks_without_offsets_decode_to_cell_centres() {
        let m = maps_with_peaks([(3, 4), (30, 4), (30, 20), (3, 20)]);
        let c = corners(GRID, &m, &vec![0.0; 8 * PLANE]).unwrap();
        assert!((c[0].0 - 14.0).abs() < 1e-3 && (c[0].1 - 18.0).abs() < 1e-3);
        assert!((c[2].0 - 122.0).abs() < 1e-3 && (c[2].1 - 82.0).abs() < 1e-3);
    }

    #[test]
    fn offsets_move_corners_sub_cell_and_out_of_frame() {
        let m = maps_with_peaks([(3, 4), (30, 4), (30, 20), (0, 23)]);
        let mut off = vec![0.0; 8 * PLANE];
        off[4 * HM_W + 3] = 0.25; // corner 0 dx at its peak
        off[PLANE + 4 * HM_W + 3] = -0.5; // corner 0 dy
        off[6 * PLANE + 23 * HM_W] = -3.0; // corner 3 dx: three cells left of the frame
        let c = corners(GRID, &m, &off).unwrap();
        assert!(
            (c[0].0 - 15.0).abs() < 1e-3 && (c[0].1 - 16.0).abs() < 1e-3,
            "{:?}",
            c[0]
        );
        assert!((c[3].0 + 10.0).abs() < 1e-3, "{:?}", c[3]);
    }

    #[test]
    fn a_second_peak_within_the_gap_gives_another_reading() {
        let mut m = maps_with_peaks([(3, 4), (30, 4), (30, 20), (3, 20)]);
        // Corner 1: a second peak 1.5 logits down, far from the first; a
        // cell next to the first, nearly as high, is the same peak.
        m[PLANE + 10 * HM_W + 25] = 8.5;
        m[PLANE + 4 * HM_W + 31] = 9.9;
        // Corner 2: a second peak 3 logits down, beyond a gap of 2.
        m[2 * PLANE + 12 * HM_W + 20] = 7.0;
        let off = vec![0.0; 8 * PLANE];
        let first = corners(GRID, &m, &off).unwrap();
        let others = alternatives(GRID, &m, &off, 2.0, 5);
        assert_eq!(others.len(), 1, "{others:?}");
        let mut expected = first;
        expected[1] = (102.0, 42.0);
        assert_eq!(others[0], expected);
        // With a gap of 3 both count: three other readings, the smallest
        // summed gap (corner 1 alone) first, and `max` caps the list.
        let others = alternatives(GRID, &m, &off, 3.0, 5);
        assert_eq!(others.len(), 3);
        assert_eq!(others[0], expected);
        assert_eq!(alternatives(GRID, &m, &off, 3.0, 2).len(), 2);
        assert!(alternatives(GRID, &m, &off, 1.0, 5).is_empty());
    }

    #[test]
    fn short_or_broken_output_is_rejected() {
        assert!(corners(GRID, &[0.0; 10], &[0.0; 10]).is_none());
        let m = maps_with_peaks([(3, 4), (30, 4), (30, 20), (3, 20)]);
        assert!(corners(GRID, &m, &[0.0; 10]).is_none());
        assert!(corners(GRID, &m, &vec![f32::NAN; 8 * PLANE]).is_none());
    }

    #[test]
    fn class_probs_sum_to_one() {
        let p = class_probs(&[0.0, 2.0, -1.0]);
        assert!((p.none + p.front + p.back - 1.0).abs() < 1e-5);
        assert!(p.front > p.none && p.none > p.back);
        assert_eq!(class_probs(&[f32::NAN, 0.0, 0.0]).none, 1.0);
    }
}
