//! Blur, including motion blur, measured by "re-blurring".
//!
//! A sharp image loses much of its pixel-to-pixel variation when blurred
//! again; an already blurred one hardly changes (Crété-Roffet et al., 2007).
//! The ratio is normalised by the image's own variation, so it does not depend
//! on how much print the card carries or on its contrast. Measuring it along
//! four directions exposes motion blur: a card moved sideways is blurred along
//! one direction only.

use super::card_view::CardView;

/// Radius of the re-blur box filter (taps = 2r + 1).
const REBLUR_RADIUS: i32 = 4;

/// The four directions measured: 0°, 90°, 45°, 135° (image y grows downwards).
const DIRECTIONS: [(i32, i32, f32); 4] = [(1, 0, 0.0), (0, 1, 90.0), (1, 1, 45.0), (1, -1, 135.0)];

/// Blur measured along each direction, each in [0, 1] (0 sharp, 1 flat).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DirectionalBlur {
    /// Blur along 0°, 90°, 45°, 135°.
    pub per_direction: [f32; 4],
}

impl DirectionalBlur {
    /// The worst direction: how blurred the card is for reading it.
    pub fn score(&self) -> f32 {
        self.per_direction.iter().copied().fold(0.0, f32::max)
    }

    /// Spread between the worst and best directions: large for motion blur.
    pub fn anisotropy(&self) -> f32 {
        let min = self.per_direction.iter().copied().fold(1.0, f32::min);
        self.score() - min
    }

    /// Direction (degrees) of the strongest blur, i.e. the likely motion.
    pub fn worst_direction_deg(&self) -> f32 {
        let mut best = 0;
        for (i, v) in self.per_direction.iter().enumerate() {
            if *v > self.per_direction[best] {
                best = i;
            }
        }
        DIRECTIONS[best].2
    }
}

/// Measures blur on the interior of the view, skipping `margin` pixels on
/// each side (the card's rounded corners and any background the quad let in).
pub fn measure(view: &CardView, margin: usize) -> DirectionalBlur {
    let mut per_direction = [1.0f32; 4];
    for (slot, (dx, dy, _)) in per_direction.iter_mut().zip(DIRECTIONS) {
        *slot = reblur_ratio(view, margin, dx, dy);
    }
    DirectionalBlur { per_direction }
}

/// 1 − (variation removed by re-blurring) / (variation present), along (dx, dy).
fn reblur_ratio(view: &CardView, margin: usize, dx: i32, dy: i32) -> f32 {
    let taps = 2 * REBLUR_RADIUS + 1;
    let pad = (REBLUR_RADIUS + 1) as usize;
    let m = margin.max(pad);
    if view.width <= 2 * m + 1 || view.height <= 2 * m + 1 {
        return 1.0;
    }
    // The box sums at p and p − d share all but one tap at each end, so
    // their difference telescopes to two reads. Each of the four reads of a
    // view row is a slice of some view row (shifted by k·dx), so the inner
    // loop runs over four equal-length slices and vectorises.
    let r = REBLUR_RADIUS as isize;
    let (w, n) = (view.width, view.width - 2 * m);
    let tap = |y: usize, k: isize| {
        let row = (y as isize + k * dy as isize) as usize;
        let start = row * w + (m as isize + k * dx as isize) as usize;
        view.luma.get(start..start + n)
    };
    let (mut total, mut removed) = (0i64, 0i64);
    for y in m..view.height - m {
        // In bounds by the margin; a view whose buffer is short of its
        // size counts as flat rather than panicking.
        let (Some(here), Some(prev), Some(ahead), Some(behind)) =
            (tap(y, 0), tap(y, -1), tap(y, r), tap(y, -r - 1))
        else {
            return 1.0;
        };
        let (mut t, mut rm) = (0i32, 0i32);
        for i in 0..n {
            let d_orig = (i32::from(here[i]) - i32::from(prev[i])).abs() * taps;
            let d_blur = (i32::from(ahead[i]) - i32::from(behind[i])).abs();
            t += d_orig;
            rm += (d_orig - d_blur).max(0);
        }
        total += i64::from(t);
        removed += i64::from(rm);
    }
    if total == 0 {
        return 1.0;
    }
    1.0 - removed as f32 / total as f32
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A fine checker-like texture, optionally box-blurred horizontally.
    fn texture(blur_h: usize) -> CardView {
        let (w, h) = (96, 64);
        let base: Vec<u8> = (0..w * h)
            .map(|i| {
                let (x, y) = (i % w, i / w);
                // Pseudo-random 2×2 blocks: detail at every scale, like print.
                let v = ((x / 2) as u32).wrapping_mul(73_856_093)
                    ^ ((y / 2) as u32).wrapping_mul(19_349_663);
                if (v.wrapping_mul(2_654_435_761) >> 24) & 1 == 0 {
                    40
                } else {
                    210
                }
            })
            .collect();
        let luma: Vec<u8> = (0..w * h)
            .map(|i| {
                let (x, y) = (i % w, i / w);
                let r = blur_h as i32;
                let (mut s, mut n) = (0u32, 0u32);
                for k in -r..=r {
                    let xx = (x as i32 + k).clamp(0, w as i32 - 1) as usize;
                    s += base[y * w + xx] as u32;
                    n += 1;
                }
                (s / n) as u8
            })
            .collect();
        CardView {
            width: w,
            height: h,
            chroma: vec![0; w * h],
            luma,
        }
    }

    #[test]
    fn sharp_texture_scores_low_and_blurred_high() {
        let sharp = measure(&texture(0), 4);
        let blurred = measure(&texture(4), 4);
        assert!(sharp.score() < 0.5, "{sharp:?}");
        assert!(
            blurred.score() > sharp.score() + 0.2,
            "{sharp:?} vs {blurred:?}"
        );
    }

    #[test]
    fn horizontal_motion_shows_as_anisotropy_along_zero_degrees() {
        let blurred = measure(&texture(4), 4);
        assert_eq!(blurred.worst_direction_deg(), 0.0);
        assert!(blurred.anisotropy() > measure(&texture(0), 4).anisotropy());
    }

    #[test]
    fn flat_or_tiny_views_count_as_blurred() {
        let flat = CardView {
            width: 40,
            height: 30,
            luma: vec![128; 1200],
            chroma: vec![0; 1200],
        };
        assert_eq!(measure(&flat, 2).score(), 1.0);
        let tiny = CardView {
            width: 4,
            height: 4,
            luma: vec![0; 16],
            chroma: vec![0; 16],
        };
        assert_eq!(measure(&tiny, 2).score(), 1.0);
    }
}
