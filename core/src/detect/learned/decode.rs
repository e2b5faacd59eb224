//! Turns the network's raw outputs into corners and a class.
//!
//! Corners: per heatmap, the arg-max cell, then the softmax-weighted mean of
//! the cell centres in a 5 × 5 window around it. The local window (rather
//! than a soft-argmax over the whole map) keeps a faint second mode — the
//! network hesitating about which corner is the card's own top-left — from
//! pulling the estimate to a point between two corners.

use super::model::{CLASSES, HM_H, HM_W, STRIDE};

/// Window radius, in cells, of the local soft-argmax (the training code
/// decodes the same way: `cardnet.model.local_soft_argmax`).
const RADIUS: usize = 2;

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
/// heatmap order: the card's own top-left, top-right, bottom-right,
/// bottom-left. `heatmaps` is `4 × HM_H × HM_W`, row-major.
pub(crate) fn corners(heatmaps: &[f32]) -> Option<[(f32, f32); 4]> {
    let plane = HM_W * HM_H;
    let mut out = [(0.0, 0.0); 4];
    for (c, o) in out.iter_mut().enumerate() {
        *o = peak(heatmaps.get(c * plane..(c + 1) * plane)?)?;
    }
    Some(out)
}

/// Local soft-argmax of one heatmap, in input pixels.
fn peak(map: &[f32]) -> Option<(f32, f32)> {
    let (best, &max) = map
        .iter()
        .enumerate()
        .filter(|(_, v)| v.is_finite())
        .max_by(|a, b| a.1.total_cmp(b.1))?;
    let (bx, by) = (best % HM_W, best / HM_W);
    let (mut sw, mut sx, mut sy) = (0.0f32, 0.0f32, 0.0f32);
    for y in by.saturating_sub(RADIUS)..(by + RADIUS + 1).min(HM_H) {
        for x in bx.saturating_sub(RADIUS)..(bx + RADIUS + 1).min(HM_W) {
            let v = map.get(y * HM_W + x).copied().unwrap_or(f32::NEG_INFINITY);
            let w = (v - max).exp();
            if w.is_finite() {
                sw += w;
                sx += w * cell_centre(x);
                sy += w * cell_centre(y);
            }
        }
    }
    (sw > 0.0).then(|| (sx / sw, sy / sw))
}

/// Input-pixel coordinate of a heatmap cell's centre.
fn cell_centre(i: usize) -> f32 {
    (i * STRIDE) as f32 + STRIDE as f32 / 2.0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn maps_with_peaks(peaks: [(usize, usize); 4]) -> Vec<f32> {
        let mut m = vec![-10.0; 4 * HM_W * HM_H];
        for (c, (x, y)) in peaks.iter().enumerate() {
            m[c * HM_W * HM_H + y * HM_W + x] = 10.0;
        }
        m
    }

    #[test]
    fn single_peaks_decode_to_cell_centres() {
        let m = maps_with_peaks([(3, 4), (30, 4), (30, 20), (3, 20)]);
        let c = corners(&m).unwrap();
        assert!((c[0].0 - 14.0).abs() < 1e-3 && (c[0].1 - 18.0).abs() < 1e-3);
        assert!((c[2].0 - 122.0).abs() < 1e-3 && (c[2].1 - 82.0).abs() < 1e-3);
    }

    #[test]
    fn equal_neighbours_give_sub_cell_position() {
        let mut m = maps_with_peaks([(3, 4), (30, 4), (30, 20), (3, 20)]);
        m[4 * HM_W + 4] = 10.0; // second equal cell to the right of corner 0
        let c = corners(&m).unwrap();
        assert!((c[0].0 - 16.0).abs() < 1e-2, "{:?}", c[0]);
    }

    #[test]
    fn distant_second_mode_is_ignored() {
        let mut m = maps_with_peaks([(3, 4), (30, 4), (30, 20), (3, 20)]);
        m[20 * HM_W + 30] = 9.0; // corner 0 also fires weakly far away
        let c = corners(&m).unwrap();
        assert!((c[0].0 - 14.0).abs() < 1e-2, "{:?}", c[0]);
    }

    #[test]
    fn short_output_is_rejected() {
        assert!(corners(&[0.0; 10]).is_none());
    }

    #[test]
    fn class_probs_sum_to_one() {
        let p = class_probs(&[0.0, 2.0, -1.0]);
        assert!((p.none + p.front + p.back - 1.0).abs() < 1e-5);
        assert!(p.front > p.none && p.none > p.back);
        assert_eq!(class_probs(&[f32::NAN, 0.0, 0.0]).none, 1.0);
    }
}
