//! Downscaled upright luma: the detector's and quality's working image,
//! produced straight from the Y plane with an integer box filter (no colour
//! conversion, no full-resolution intermediate).

use image::GrayImage;
use imageproc::geometric_transformations::{rotate180, rotate270, rotate90};

use super::{ColorRange, Frame, FrameError, Pixels, Plane, Rotation};

/// A reduced-resolution upright luma image and its mapping to frame pixels.
#[derive(Debug, Clone)]
pub struct ScaledLuma {
    pub image: GrayImage,
    /// Full-frame upright x = `x * scale_x + offset_x` (continuous coordinates).
    pub scale_x: f32,
    pub scale_y: f32,
    pub offset_x: f32,
    pub offset_y: f32,
}

impl ScaledLuma {
    /// Bilinear luma at a continuous coordinate of this image (pixel centres
    /// at `i + 0.5`, edge pixels repeated); `None` outside it. What the
    /// networks that look again at an outline sample (`detect/second_look.rs`,
    /// `detect/side_check.rs`), as their training scripts do.
    pub fn sample(&self, x: f32, y: f32) -> Option<f32> {
        if !self.contains(x, y) {
            return None;
        }
        let (w, h) = self.image.dimensions();
        let px = self.image.as_raw();
        let at = |x: usize, y: usize| px[y * w as usize + x] as f32;
        Some(super::sample::bilinear(x, y, w, h, at))
    }

    /// [`ScaledLuma::sample`] at the `n` points `a + u_j (b − a)`, `u_j =
    /// u0 + span · j / (n − 1)` (`n` ≤ 64), written to `out[..n]`, with bit
    /// `j` of the result set where point `j` lies in the image.
    ///
    /// Why: the print-focal read samples a few hundred thousand points per
    /// read along straight rows. When both ends lie where bilinear sampling
    /// needs no clamping, so does every point between, and the per-point
    /// bounds test and clamps go; the values are the same as `sample`'s.
    pub fn sample_run(
        &self,
        (a, b): ((f32, f32), (f32, f32)),
        (u0, span): (f32, f32),
        n: usize,
        out: &mut [f32],
    ) -> u64 {
        let n = n.min(64).min(out.len());
        let last = (n.max(2) - 1) as f32;
        let point = |j: usize| {
            let u = u0 + span * j as f32 / last;
            (a.0 + u * (b.0 - a.0), a.1 + u * (b.1 - a.1))
        };
        if !(self.clamp_free(point(0)) && self.clamp_free(point(n.max(1) - 1))) {
            let mut valid = 0u64;
            for (j, o) in out.iter_mut().enumerate().take(n) {
                let (x, y) = point(j);
                if let Some(l) = self.sample(x, y) {
                    *o = l;
                    valid |= 1 << j;
                }
            }
            return valid;
        }
        for (j, o) in out.iter_mut().enumerate().take(n) {
            let (x, y) = point(j);
            *o = self.sample_clamp_free(x, y);
        }
        if n == 64 {
            u64::MAX
        } else {
            (1u64 << n) - 1
        }
    }

    /// [`ScaledLuma::sample`] at a point where [`ScaledLuma::clamp_free`]
    /// holds (or between such points): the same value without the bounds
    /// test and clamps (a point elsewhere reads a wrong but in-bounds or
    /// zero value, never panics).
    #[inline]
    pub(crate) fn sample_clamp_free(&self, x: f32, y: f32) -> f32 {
        let w = self.image.width() as usize;
        let px = self.image.as_raw();
        let at = |i: usize| px.get(i).copied().map_or(0.0, f32::from);
        // As `bilinear`, whose clamps cannot bite here. fx, fy lie in
        // [0, side − 1): i32 truncation is the floor, and cheaper than the
        // saturating float-to-usize conversion.
        let (fx, fy) = (x - 0.5, y - 0.5);
        let (x0, y0) = (fx as i32, fy as i32);
        let (tx, ty) = (fx - x0 as f32, fy - y0 as f32);
        // Wrapping: off the image a wrong value (or 0), never a panic.
        let i = (y0 as usize).wrapping_mul(w).wrapping_add(x0 as usize);
        let at = |k: usize| at(i.wrapping_add(k));
        super::sample::blend_f32([at(0), at(1), at(w), at(w + 1)], tx, ty)
    }

    /// Whether bilinear sampling at (x, y) reads no clamped neighbour, with
    /// a margin for the rounding of points between two such ends.
    pub(crate) fn clamp_free(&self, (x, y): (f32, f32)) -> bool {
        let (w, h) = self.image.dimensions();
        const MARGIN: f32 = 1e-2;
        (0.5 + MARGIN..w as f32 - 0.5 - MARGIN).contains(&x)
            && (0.5 + MARGIN..h as f32 - 0.5 - MARGIN).contains(&y)
    }

    /// Whether the continuous coordinate (x, y) lies in this image.
    pub fn contains(&self, x: f32, y: f32) -> bool {
        let (w, h) = self.image.dimensions();
        x >= 0.0 && x < w as f32 && y >= 0.0 && y < h as f32
    }

    /// This image box-filtered again by the integer factor `f`, with its
    /// mapping to frame pixels: one full-frame pass can then feed two
    /// resolutions (the learned detector's network input and its snapping).
    /// Values match a direct downscale by the product of the factors up to
    /// rounding of the intermediate image.
    pub fn reduced(&self, f: u32) -> ScaledLuma {
        let f = f.max(1);
        let (w, h) = self.image.dimensions();
        if w == 0 || h == 0 {
            return self.clone();
        }
        let (rw, rh) = ((w / f).max(1), (h / f).max(1));
        let (fx, fy) = (f.min(w), f.min(h));
        let mean = RoundedMean::new(fx * fy);
        // Blocks never reach past the image (rw·fx ≤ w, rh·fy ≤ h): each
        // output row sums `fy` whole source rows cut into blocks of `fx`.
        let (w, fx, fy) = (w as usize, fx as usize, fy as usize);
        let mut image = GrayImage::new(rw, rh);
        let mut sums = vec![0u32; rw as usize];
        let source_rows = self.image.as_raw().chunks_exact(w * fy);
        for (out, rows) in image.chunks_exact_mut(rw as usize).zip(source_rows) {
            sums.fill(0);
            for row in rows.chunks_exact(w) {
                for (s, block) in sums.iter_mut().zip(row.chunks_exact(fx)) {
                    *s += block.iter().map(|&v| u32::from(v)).sum::<u32>();
                }
            }
            for (o, &s) in out.iter_mut().zip(&sums) {
                *o = mean.of(s);
            }
        }
        ScaledLuma {
            image,
            scale_x: self.scale_x * fx as f32,
            scale_y: self.scale_y * fy as f32,
            offset_x: self.offset_x,
            offset_y: self.offset_y,
        }
    }

    /// Maps a continuous coordinate of [`ScaledLuma::image`] to upright frame pixels.
    pub fn to_frame(&self, x: f32, y: f32) -> (f32, f32) {
        (
            x * self.scale_x + self.offset_x,
            y * self.scale_y + self.offset_y,
        )
    }

    /// Maps an upright frame coordinate into [`ScaledLuma::image`].
    pub fn from_frame(&self, x: f32, y: f32) -> (f32, f32) {
        (
            (x - self.offset_x) / self.scale_x,
            (y - self.offset_y) / self.scale_y,
        )
    }
}

impl Frame<'_> {
    /// Upright luma, box-filtered by the smallest integer factor that makes the
    /// longest side ≤ `max_side` (factor 1 returns full resolution).
    pub fn luma_downscaled(&self, max_side: u32) -> Result<ScaledLuma, FrameError> {
        self.luma_downscaled_by(self.downscale_factor(max_side)?)
    }

    /// The integer box factor [`Frame::luma_downscaled`] uses for `max_side`.
    pub fn downscale_factor(&self, max_side: u32) -> Result<u32, FrameError> {
        if max_side == 0 {
            return Err(FrameError::InvalidTargetSize);
        }
        Ok(self.width.max(self.height).div_ceil(max_side).max(1))
    }

    /// Upright luma box-filtered by the integer factor `k` (clamped to the
    /// frame's size).
    pub fn luma_downscaled_by(&self, k: u32) -> Result<ScaledLuma, FrameError> {
        if k == 0 {
            return Err(FrameError::InvalidTargetSize);
        }
        let (kx, ky) = (k.min(self.width), k.min(self.height));
        let (sw, sh) = (self.width / kx, self.height / ky);
        let mut buf = box_filter(self, kx as usize, ky as usize, sw as usize, sh as usize);
        if self.format() != super::PixelFormat::Gray8
            && self.color_range() == ColorRange::Limited
            && is_yuv(self)
        {
            expand_limited_range(&mut buf);
        }
        let small = GrayImage::from_raw(sw, sh, buf).ok_or(FrameError::InvalidTargetSize)?;
        let rotation = self.rotation();
        let image = match rotation {
            Rotation::Deg0 => small,
            Rotation::Deg90 => rotate90(&small),
            Rotation::Deg180 => rotate180(&small),
            Rotation::Deg270 => rotate270(&small),
        };
        let map = |x: f32, y: f32| {
            let (bx, by) = rotation.upright_to_buffer(x, y, sw, sh);
            rotation.buffer_to_upright(bx * kx as f32, by * ky as f32, self.width, self.height)
        };
        let (x0, y0) = map(0.0, 0.0);
        let (x1, y1) = map(1.0, 1.0);
        Ok(ScaledLuma {
            image,
            scale_x: x1 - x0,
            scale_y: y1 - y0,
            offset_x: x0,
            offset_y: y0,
        })
    }

    /// Luma of the upright pixel `(x, y)`; `None` outside the frame.
    pub fn luma_at(&self, x: u32, y: u32) -> Option<u8> {
        let (w, h) = self.upright_size();
        if x >= w || y >= h {
            return None;
        }
        let (bx, by) = self
            .rotation()
            .upright_to_buffer_px(x, y, self.width(), self.height());
        let v = buffer_luma(self.pixels(), bx as usize, by as usize);
        Some(
            if self.color_range() == ColorRange::Limited && is_yuv(self) {
                limited_to_full(v)
            } else {
                v
            },
        )
    }
}

fn is_yuv(frame: &Frame<'_>) -> bool {
    matches!(frame.pixels(), Pixels::Yuv { .. })
}

/// Luma of a buffer pixel (BT.601 weights for RGB formats).
#[inline]
pub(crate) fn buffer_luma(pixels: &Pixels<'_>, x: usize, y: usize) -> u8 {
    match pixels {
        Pixels::Yuv { y: plane, .. } | Pixels::Gray { plane } => plane.at(x, y),
        Pixels::Packed { plane, r, g, b } => {
            let base = y * plane.row_stride + x * 4;
            let px = |o: usize| plane.data.get(base + o).copied().unwrap_or(0) as u32;
            ((77 * px(*r) + 150 * px(*g) + 29 * px(*b) + 128) >> 8) as u8
        }
    }
}

fn box_filter(frame: &Frame<'_>, kx: usize, ky: usize, sw: usize, sh: usize) -> Vec<u8> {
    // u16 column sums hold up to 257 rows of 255 and fill twice the SIMD
    // lanes of u32.
    if ky <= 257 {
        box_filter_with::<u16>(frame, kx, ky, sw, sh)
    } else {
        box_filter_with::<u32>(frame, kx, ky, sw, sh)
    }
}

fn box_filter_with<T>(frame: &Frame<'_>, kx: usize, ky: usize, sw: usize, sh: usize) -> Vec<u8>
where
    T: Copy + Default + From<u8> + Into<u32> + std::ops::AddAssign,
{
    let mut out = Vec::with_capacity(sw * sh);
    // Column sums over the block's rows first (a vectorisable add per
    // buffer row), then one horizontal pass per output row.
    let mut columns = vec![T::default(); sw * kx];
    let mean = RoundedMean::new((kx * ky) as u32);
    for oy in 0..sh {
        columns.fill(T::default());
        for by in oy * ky..(oy + 1) * ky {
            accumulate_row(frame.pixels(), by, &mut columns);
        }
        block_means(&columns, kx, mean, &mut out);
    }
    out
}

/// Appends the mean of each run of `kx` column sums to `out`.
///
/// Why the fixed widths: with the block width known at compile time each
/// block's sum is a few unrolled adds instead of a loop (the common full-frame
/// factors: 4 at 720p, 5 and 6 at 1080p).
fn block_means<T: Copy + Into<u32>>(
    columns: &[T],
    kx: usize,
    mean: RoundedMean,
    out: &mut Vec<u8>,
) {
    fn fixed<T: Copy + Into<u32>, const K: usize>(
        columns: &[T],
        mean: RoundedMean,
        out: &mut Vec<u8>,
    ) {
        out.extend(columns.chunks_exact(K).map(|c| {
            let sum = (0..K).fold(0u32, |s, i| s + c[i].into());
            mean.of(sum)
        }));
    }
    match kx {
        2 => fixed::<T, 2>(columns, mean, out),
        3 => fixed::<T, 3>(columns, mean, out),
        4 => fixed::<T, 4>(columns, mean, out),
        5 => fixed::<T, 5>(columns, mean, out),
        6 => fixed::<T, 6>(columns, mean, out),
        8 => fixed::<T, 8>(columns, mean, out),
        _ => out.extend(columns.chunks_exact(kx.max(1)).map(|c| {
            let sum: u32 = c.iter().map(|&v| v.into()).sum();
            mean.of(sum)
        })),
    }
}

/// `(sum + count / 2) / count` for sums of `count` bytes, by a multiply and
/// a shift: an integer division per output pixel was a third of the
/// full-frame downscale (57 600 of them at 1080p).
#[derive(Clone, Copy)]
pub(crate) struct RoundedMean {
    count: u32,
    /// ⌊2³² / count⌋ + 1; exact for every sum of up to 4096 bytes (the error
    /// of n·m / 2³² stays below 1 / count), a plain division above.
    multiplier: u64,
}

impl RoundedMean {
    const MAX_EXACT: u32 = 4096;

    pub(crate) fn new(count: u32) -> Self {
        let count = count.max(1);
        RoundedMean {
            count,
            multiplier: (1u64 << 32) / u64::from(count) + 1,
        }
    }

    #[inline]
    pub(crate) fn of(self, sum: u32) -> u8 {
        let n = sum + self.count / 2;
        let q = if self.count <= Self::MAX_EXACT {
            (u64::from(n) * self.multiplier) >> 32
        } else {
            u64::from(n / self.count)
        };
        q.min(255) as u8
    }
}

/// Adds the luma of buffer row `by` (its first `columns.len()` pixels) into `columns`.
fn accumulate_row<T>(pixels: &Pixels<'_>, by: usize, columns: &mut [T])
where
    T: Copy + From<u8> + std::ops::AddAssign,
{
    let contiguous = match pixels {
        Pixels::Yuv { y: plane, .. } | Pixels::Gray { plane } if plane.pixel_stride == 1 => {
            Some(plane)
        }
        _ => None,
    };
    if let Some(row) = contiguous.and_then(|p: &Plane<'_>| p.row(by).get(..columns.len())) {
        for (c, &v) in columns.iter_mut().zip(row) {
            *c += T::from(v);
        }
        return;
    }
    for (bx, c) in columns.iter_mut().enumerate() {
        *c += T::from(buffer_luma(pixels, bx, by));
    }
}

#[inline]
pub(crate) fn limited_to_full(v: u8) -> u8 {
    (((v as i32 - 16) * 255 + 109) / 219).clamp(0, 255) as u8
}

fn expand_limited_range(buf: &mut [u8]) {
    for v in buf {
        *v = limited_to_full(*v);
    }
}

#[cfg(test)]
mod tests {
    use super::{RoundedMean, ScaledLuma};
    use image::GrayImage;

    /// Each output pixel is the rounded mean of its whole block, for sizes
    /// the factor does not divide and factors larger than the image.
    #[test]
    fn reduced_is_the_rounded_block_mean() {
        let mut seed = 7u32;
        for (w, h, f) in [(320, 180, 2), (37, 23, 3), (10, 9, 4), (5, 3, 8), (1, 1, 2)] {
            let image = GrayImage::from_fn(w, h, |_, _| {
                seed = seed.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
                image::Luma([(seed >> 24) as u8])
            });
            let luma = ScaledLuma {
                image: image.clone(),
                scale_x: 1.0,
                scale_y: 1.0,
                offset_x: 0.0,
                offset_y: 0.0,
            };
            let out = luma.reduced(f);
            let (fx, fy) = (f.min(w), f.min(h));
            assert_eq!(out.image.dimensions(), ((w / f).max(1), (h / f).max(1)));
            for (x, y, p) in out.image.enumerate_pixels() {
                let block = (y * fy..(y + 1) * fy)
                    .flat_map(|yy| (x * fx..(x + 1) * fx).map(move |xx| (xx, yy)));
                let sum: u32 = block
                    .map(|(xx, yy)| u32::from(image.get_pixel(xx, yy)[0]))
                    .sum();
                let n = fx * fy;
                assert_eq!(
                    u32::from(p[0]),
                    (sum + n / 2) / n,
                    "{w}×{h} by {f} at ({x}, {y})"
                );
            }
        }
    }

    #[test]
    fn rounded_mean_matches_integer_division_for_every_sum() {
        // Every box size a frame up to 4096 px can ask for, and larger ones
        // (the division path), at every possible sum of `count` bytes.
        for count in (1..=300).chain([1023, 4095, 4096, 4097, 20_000]) {
            let mean = RoundedMean::new(count);
            let step = (count / 300).max(1) as usize;
            for sum in (0..=255 * count).step_by(step).chain([255 * count]) {
                let want = ((sum + count / 2) / count) as u8;
                assert_eq!(mean.of(sum), want, "count {count}, sum {sum}");
            }
        }
    }
    /// Runs give `sample`'s values bit for bit and mark the points outside,
    /// for runs inside, across the edges and wholly outside.
    #[test]
    fn a_run_samples_as_single_points_do() {
        let mut seed = 11u32;
        let mut next = || {
            seed = seed.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
            seed >> 8
        };
        let image = GrayImage::from_fn(97, 61, |_, _| image::Luma([(next() >> 8) as u8]));
        let luma = ScaledLuma {
            image,
            scale_x: 1.0,
            scale_y: 1.0,
            offset_x: 0.0,
            offset_y: 0.0,
        };
        let (mut inside, mut partial) = (0, 0);
        for _ in 0..2000 {
            let mut coord = |max: f32| (next() % 10_000) as f32 / 10_000.0 * (max + 40.0) - 20.0;
            let (a, b) = ((coord(97.0), coord(61.0)), (coord(97.0), coord(61.0)));
            let n = 2 + (next() % 63) as usize;
            let mut out = [f32::NAN; 64];
            let valid = luma.sample_run((a, b), (0.1, 0.8), n, &mut out);
            for (j, got) in out.iter().enumerate().take(n) {
                let u = 0.1 + 0.8 * j as f32 / (n - 1) as f32;
                let p = luma.sample(a.0 + u * (b.0 - a.0), a.1 + u * (b.1 - a.1));
                assert_eq!(valid >> j & 1 == 1, p.is_some(), "{a:?} {b:?} {n} {j}");
                if let Some(p) = p {
                    assert_eq!(got.to_bits(), p.to_bits(), "{a:?} {b:?} {n} {j}");
                }
            }
            assert_eq!(valid.checked_shr(n as u32).unwrap_or(0), 0);
            match valid.count_ones() as usize {
                c if c == n => inside += 1,
                0 => {}
                _ => partial += 1,
            }
        }
        // Both paths ran.
        assert!(inside > 100 && partial > 100, "{inside} {partial}");
    }
}
