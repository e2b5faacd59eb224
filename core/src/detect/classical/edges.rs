//! Edge map of the downscaled luma: Sobel gradients thinned by non-maximum
//! suppression. Orientation is kept because lines and card sides are matched
//! against it (a text stroke crossing a card edge must not count as support).

use image::GrayImage;

/// Thinned edges with their gradients (zero where there is no edge).
#[derive(Clone)]
pub struct EdgeMap {
    pub width: usize,
    pub height: usize,
    pub gx: Vec<i16>,
    pub gy: Vec<i16>,
    /// Gradient magnitude (|gx| + |gy| scale) at edge pixels, 0 elsewhere.
    pub strength: Vec<u16>,
    /// Where edges were looked for: there are none outside it.
    pub region: Region,
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

/// A pixel rectangle `[x0, x1) × [y0, y1)` of the working image.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Region {
    pub x0: usize,
    pub y0: usize,
    pub x1: usize,
    pub y1: usize,
}

/// Sobel + non-maximum suppression over several channels (luma, and chroma
/// scaled by `chroma_gain`): each pixel keeps the channel with the strongest
/// gradient. `min_strength` is in Sobel units (a step of Δ levels gives 4Δ).
/// With a `region`, edges are found only inside it (no edges elsewhere):
/// snapping needs them only near the outline it snaps.
pub fn edge_map(
    luma: &GrayImage,
    chroma: Option<(&GrayImage, &GrayImage)>,
    chroma_gain: i16,
    min_strength: u16,
    region: Option<Region>,
) -> EdgeMap {
    let (w, h) = (luma.width() as usize, luma.height() as usize);
    let r = region.unwrap_or(Region {
        x0: 0,
        y0: 0,
        x1: w,
        y1: h,
    });
    // Interior pixels only: Sobel needs a neighbour on every side.
    let r = Region {
        x0: r.x0.max(1),
        y0: r.y0.max(1),
        x1: r.x1.min(w.saturating_sub(1)),
        y1: r.y1.min(h.saturating_sub(1)),
    };
    let mut gx = vec![0i16; w * h];
    let mut gy = vec![0i16; w * h];
    let mut mag = vec![0i16; w * h];
    sobel_max(luma, 1, r, &mut gx, &mut gy, &mut mag);
    if let Some((cb, cr)) = chroma
        .filter(|(a, b)| a.dimensions() == luma.dimensions() && b.dimensions() == luma.dimensions())
    {
        sobel_max(cb, chroma_gain, r, &mut gx, &mut gy, &mut mag);
        sobel_max(cr, chroma_gain, r, &mut gx, &mut gy, &mut mag);
    }
    let strength = suppress(&mag, &gx, &gy, w, r, min_strength);
    EdgeMap {
        width: w,
        height: h,
        gx,
        gy,
        strength,
        region: r,
    }
}

/// Sobel of one channel inside `r` (interior pixels), keeping per pixel
/// whichever channel is strongest so far.
fn sobel_max(
    image: &GrayImage,
    gain: i16,
    r: Region,
    gx: &mut [i16],
    gy: &mut [i16],
    mag: &mut [i16],
) {
    let (w, h) = (image.width() as usize, image.height() as usize);
    let src = image.as_raw();
    if w < 3 || h < 3 || src.len() < w * h || gx.len() < w * h || r.x0 >= r.x1 {
        return;
    }
    for y in r.y0..r.y1 {
        let rows = [
            &src[(y - 1) * w + r.x0 - 1..y * w],
            &src[y * w + r.x0 - 1..(y + 1) * w],
            &src[(y + 1) * w + r.x0 - 1..(y + 2) * w],
        ];
        let out = y * w + r.x0..y * w + r.x1;
        sobel_row(
            rows,
            gain,
            &mut gx[out.clone()],
            &mut gy[out.clone()],
            &mut mag[out],
        );
    }
}

/// One output row (pixels 1..w−1 of the middle row). Written over
/// equal-length slices in i16 with branch-free selects so that it
/// vectorises.
#[inline]
fn sobel_row(rows: [&[u8]; 3], gain: i16, gx: &mut [i16], gy: &mut [i16], mag: &mut [i16]) {
    let n = gx.len();
    let (gy, mag) = (&mut gy[..n], &mut mag[..n]);
    let at = |r: usize, dx: usize| &rows[r][dx..dx + n];
    let (a0, a1, a2) = (at(0, 0), at(0, 1), at(0, 2));
    let (b0, b2) = (at(1, 0), at(1, 2));
    let (c0, c1, c2) = (at(2, 0), at(2, 1), at(2, 2));
    // Sobel sums are within ±1020, so with a gain up to 16 even |sx| + |sy|
    // stays inside i16 (signed lanes vectorise on every SIMD level).
    let gain = gain.clamp(1, 16);
    for i in 0..n {
        let p = |s: &[u8]| s[i] as i16;
        let sx = ((p(a2) + 2 * p(b2) + p(c2)) - (p(a0) + 2 * p(b0) + p(c0))) * gain;
        let sy = ((p(c0) + 2 * p(c1) + p(c2)) - (p(a0) + 2 * p(a1) + p(a2))) * gain;
        let m = sx.max(-sx) + sy.max(-sy);
        // All-ones where this channel is stronger: a blend, not a branch,
        // so every lane is stored.
        let keep = -i16::from(m > mag[i]);
        gx[i] = (sx & keep) | (gx[i] & !keep);
        gy[i] = (sy & keep) | (gy[i] & !keep);
        mag[i] = (m & keep) | (mag[i] & !keep);
    }
}

/// Keeps pixels of `r` (interior pixels) whose magnitude is a maximum
/// across the edge (4 directions).
fn suppress(mag: &[i16], gx: &[i16], gy: &[i16], w: usize, r: Region, min: u16) -> Vec<u16> {
    let mut out = vec![0u16; mag.len()];
    if mag.len() < 9 || w < 3 {
        return out;
    }
    for y in r.y0..r.y1 {
        for x in r.x0..r.x1 {
            let i = y * w + x;
            let m = mag[i];
            if (m as u16) < min {
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
                out[i] = m as u16;
            }
        }
    }
    out
}
