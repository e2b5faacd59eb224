//! Edge map of the downscaled luma: Sobel gradients thinned by non-maximum
//! suppression. Orientation is kept because lines and card sides are matched
//! against it (a text stroke crossing a card edge must not count as support).

use image::GrayImage;

/// Thinned edges with their gradients (zero where there is no edge).
pub struct EdgeMap {
    pub width: usize,
    pub height: usize,
    pub gx: Vec<i16>,
    pub gy: Vec<i16>,
    /// Gradient magnitude (|gx| + |gy| scale) at edge pixels, 0 elsewhere.
    pub strength: Vec<u16>,
}

impl EdgeMap {
    #[inline]
    pub fn strength_at(&self, x: i32, y: i32) -> u16 {
        if x < 0 || y < 0 || x as usize >= self.width || y as usize >= self.height {
            return 0;
        }
        self.strength
            .get(y as usize * self.width + x as usize)
            .copied()
            .unwrap_or(0)
    }

    #[inline]
    pub fn gradient_at(&self, x: i32, y: i32) -> (f32, f32) {
        let i = y as usize * self.width + x as usize;
        (
            self.gx.get(i).copied().unwrap_or(0) as f32,
            self.gy.get(i).copied().unwrap_or(0) as f32,
        )
    }
}

/// Sobel + non-maximum suppression over several channels (luma, and chroma
/// scaled by `chroma_gain`): each pixel keeps the channel with the strongest
/// gradient. `min_strength` is in Sobel units (a step of Δ levels gives 4Δ).
pub fn edge_map(
    luma: &GrayImage,
    chroma: Option<(&GrayImage, &GrayImage)>,
    chroma_gain: i16,
    min_strength: u16,
) -> EdgeMap {
    let (w, h) = (luma.width() as usize, luma.height() as usize);
    let mut gx = vec![0i16; w * h];
    let mut gy = vec![0i16; w * h];
    let mut mag = vec![0u16; w * h];
    sobel_max(luma, 1, &mut gx, &mut gy, &mut mag);
    if let Some((cb, cr)) = chroma
        .filter(|(a, b)| a.dimensions() == luma.dimensions() && b.dimensions() == luma.dimensions())
    {
        sobel_max(cb, chroma_gain, &mut gx, &mut gy, &mut mag);
        sobel_max(cr, chroma_gain, &mut gx, &mut gy, &mut mag);
    }
    let strength = suppress(&mag, &gx, &gy, w, h, min_strength);
    EdgeMap {
        width: w,
        height: h,
        gx,
        gy,
        strength,
    }
}

/// Sobel of one channel, keeping per pixel whichever channel is strongest so far.
fn sobel_max(image: &GrayImage, gain: i16, gx: &mut [i16], gy: &mut [i16], mag: &mut [u16]) {
    let (w, h) = (image.width() as usize, image.height() as usize);
    let src = image.as_raw();
    if w >= 3 && h >= 3 {
        for y in 1..h - 1 {
            let (r0, r1, r2) = (
                &src[(y - 1) * w..y * w],
                &src[y * w..(y + 1) * w],
                &src[(y + 1) * w..(y + 2) * w],
            );
            for x in 1..w - 1 {
                let p = |r: &[u8], i: usize| r[i] as i16;
                let sx = (p(r0, x + 1) + 2 * p(r1, x + 1) + p(r2, x + 1))
                    - (p(r0, x - 1) + 2 * p(r1, x - 1) + p(r2, x - 1));
                let sy = (p(r2, x - 1) + 2 * p(r2, x) + p(r2, x + 1))
                    - (p(r0, x - 1) + 2 * p(r0, x) + p(r0, x + 1));
                let (sx, sy) = (sx.saturating_mul(gain), sy.saturating_mul(gain));
                let m = sx.unsigned_abs().saturating_add(sy.unsigned_abs());
                let i = y * w + x;
                if m > mag[i] {
                    gx[i] = sx;
                    gy[i] = sy;
                    mag[i] = m;
                }
            }
        }
    }
}

/// Keeps pixels whose magnitude is a maximum across the edge (4 directions).
fn suppress(mag: &[u16], gx: &[i16], gy: &[i16], w: usize, h: usize, min: u16) -> Vec<u16> {
    let mut out = vec![0u16; w * h];
    if w < 3 || h < 3 {
        return out;
    }
    for y in 1..h - 1 {
        for x in 1..w - 1 {
            let i = y * w + x;
            let m = mag[i];
            if m < min {
                continue;
            }
            let (ax, ay) = (gx[i].unsigned_abs() as u32, gy[i].unsigned_abs() as u32);
            // tan(22.5°) ≈ 0.4142 ≈ 53/128.
            let (a, b) = if ay * 128 <= ax * 53 {
                (i - 1, i + 1)
            } else if ax * 128 <= ay * 53 {
                (i - w, i + w)
            } else if (gx[i] > 0) == (gy[i] > 0) {
                (i - w - 1, i + w + 1)
            } else {
                (i - w + 1, i + w - 1)
            };
            if m >= mag[a] && m > mag[b] {
                out[i] = m;
            }
        }
    }
    out
}
