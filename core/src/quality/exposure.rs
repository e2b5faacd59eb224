//! Exposure of the card itself (not the frame): a dark table around a well lit
//! card must not read as "too dark".

use super::card_view::CardView;

/// Luma statistics of the card, each in [0, 1].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LumaStats {
    /// Mean luma.
    pub mean: f32,
    /// 5th percentile (the card's darkest print).
    pub p5: f32,
    /// 95th percentile (the card's brightest areas).
    pub p95: f32,
}

/// Mean and percentiles from a 256-bin histogram.
pub fn measure(view: &CardView) -> LumaStats {
    let mut hist = [0u32; 256];
    let mut sum = 0u64;
    for &l in &view.luma {
        hist[l as usize] += 1;
        sum += l as u64;
    }
    let n = view.luma.len().max(1) as u64;
    LumaStats {
        mean: sum as f32 / n as f32 / 255.0,
        p5: percentile(&hist, n, 0.05),
        p95: percentile(&hist, n, 0.95),
    }
}

fn percentile(hist: &[u32; 256], n: u64, q: f64) -> f32 {
    let target = (q * n as f64).ceil().max(1.0) as u64;
    let mut acc = 0u64;
    for (v, &c) in hist.iter().enumerate() {
        acc += c as u64;
        if acc >= target {
            return v as f32 / 255.0;
        }
    }
    1.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stats_of_a_two_tone_card() {
        // 10 % dark print (20), 90 % paper (200).
        let v = CardView::from_fn(100, 10, |x, _| if x < 10 { (20, 0) } else { (200, 0) });
        let s = measure(&v);
        assert!((s.mean - (0.1 * 20.0 + 0.9 * 200.0) / 255.0).abs() < 1e-3);
        assert_eq!(s.p5, 20.0 / 255.0);
        assert_eq!(s.p95, 200.0 / 255.0);
    }
}
