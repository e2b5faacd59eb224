//! Point sampling in upright coordinates: bilinear luma and colour, used by
//! the rectifier and by colour cues, without converting the frame.

use super::luma::{buffer_luma, limited_to_full};
use super::{ColorRange, Frame, Pixels, Plane};
use crate::fastmath::round_u8;

impl Frame<'_> {
    /// Bilinear luma at a continuous upright coordinate; `None` outside the frame.
    pub fn sample_luma(&self, x: f32, y: f32) -> Option<f32> {
        let (bx, by) = self.buffer_point(x, y)?;
        let (w, h) = (self.width(), self.height());
        // Match the storage once, not per tap.
        let v = match self.pixels() {
            Pixels::Yuv { y: plane, .. } | Pixels::Gray { plane } => {
                bilinear(bx, by, w, h, |px, py| plane.at(px, py) as f32)
            }
            pixels @ Pixels::Packed { .. } => {
                bilinear(bx, by, w, h, |px, py| buffer_luma(pixels, px, py) as f32)
            }
        };
        Some(self.luma_to_full(v))
    }

    /// Bilinear RGB at a continuous upright coordinate (luma and chroma
    /// interpolated separately, BT.601); `None` outside the frame.
    pub fn sample_rgb(&self, x: f32, y: f32) -> Option<[u8; 3]> {
        let (bx, by) = self.buffer_point(x, y)?;
        let (w, h) = (self.width(), self.height());
        match self.pixels() {
            Pixels::Yuv { y: yp, u, v } => {
                let luma = bilinear(bx, by, w, h, |px, py| yp.at(px, py) as f32);
                Some(self.yuv_rgb(luma, (u, v), bx, by))
            }
            Pixels::Packed { plane, r, g, b } => {
                let ch =
                    |o: usize| bilinear(bx, by, w, h, |px, py| packed_at(plane, px, py, o) as f32);
                Some([round_u8(ch(*r)), round_u8(ch(*g)), round_u8(ch(*b))])
            }
            Pixels::Gray { plane } => {
                let l = round_u8(bilinear(bx, by, w, h, |px, py| plane.at(px, py) as f32));
                Some([l, l, l])
            }
        }
    }

    /// [`Frame::sample_luma`] at `origin + step · i` for each `i` in
    /// `0..out.len()`, into `out`; `None` (with `out` partly written) when
    /// any point lies outside the frame.
    ///
    /// Why: sub-pixel refinement reads about 12 000 such points per frame
    /// along short profiles across the card's sides. When both ends of a
    /// profile lie well inside a luma plane, the rotation, the bounds and
    /// the pixel layout are settled once for the whole profile.
    pub fn sample_luma_line(
        &self,
        origin: (f32, f32),
        step: (f32, f32),
        out: &mut [f32],
    ) -> Option<()> {
        let at = |i: usize| (origin.0 + step.0 * i as f32, origin.1 + step.1 * i as f32);
        let Some(last) = out.len().checked_sub(1) else {
            return Some(());
        };
        let (Some(plane), Some(a), Some(b)) = (
            self.pixels().luma_plane(),
            self.interior(at(0)),
            self.interior(at(last)),
        ) else {
            for (i, o) in out.iter_mut().enumerate() {
                let (x, y) = at(i);
                *o = self.sample_luma(x, y)?;
            }
            return Some(());
        };
        let (w, h) = (self.width(), self.height());
        let d = (
            (b.0 - a.0) / last.max(1) as f32,
            (b.1 - a.1) / last.max(1) as f32,
        );
        for (i, o) in out.iter_mut().enumerate() {
            let (bx, by) = (a.0 + d.0 * i as f32, a.1 + d.1 * i as f32);
            let v = bilinear(bx, by, w, h, |px, py| plane.at(px, py) as f32);
            *o = self.luma_to_full(v);
        }
        Some(())
    }

    /// Luma, and where it reaches `spread_from` also the colour spread
    /// max(R,G,B) − min(R,G,B), at one point: what the quality view needs per
    /// pixel. Luma as [`Frame::sample_luma`] (rounded); the spread as from
    /// [`Frame::sample_rgb`], except that for YUV frames the chroma is the
    /// nearest chroma sample, not interpolated: chroma is already half
    /// resolution, the spread only separates white glare from coloured
    /// print, and this saves six of the eight chroma reads (test split, 400
    /// scenes: glare accuracy unchanged at 93.8 %). `None` outside the frame.
    pub fn sample_luma_spread(&self, x: f32, y: f32, spread_from: u8) -> Option<(u8, Option<u8>)> {
        let mut result = None;
        self.sample_luma_spread_run(std::iter::once((x, y)), spread_from, |r| result = r);
        result
    }

    /// [`Frame::sample_luma_spread`] at each of `points`, in order, calling
    /// `out` with each result: the same values, with the pixel layout matched
    /// once per run instead of per point (the quality view samples about
    /// 41 000 points per frame).
    pub fn sample_luma_spread_run(
        &self,
        points: impl Iterator<Item = (f32, f32)>,
        spread_from: u8,
        mut out: impl FnMut(Option<(u8, Option<u8>)>),
    ) {
        let Pixels::Yuv { y: yp, u, v } = self.pixels() else {
            for (x, y) in points {
                out(self.sample_luma(x, y).map(|l| {
                    let l = round_u8(l);
                    let spread = (l >= spread_from)
                        .then(|| self.sample_rgb(x, y).map(spread_of))
                        .flatten();
                    (l, spread)
                }));
            }
            return;
        };
        let (w, h) = (self.width(), self.height());
        let finish = YuvSpread::new(self, u, v, spread_from);
        for (x, y) in points {
            let Some((bx, by)) = self.buffer_point(x, y) else {
                out(None);
                continue;
            };
            out(Some(finish.at(bilinear_u8(yp, bx, by, w, h), bx, by)));
        }
    }

    /// [`Frame::sample_luma_spread`] at the first `n` of the points
    /// `a + (b − a) · i / steps` (upright coordinates), in order: what the
    /// quality view needs along a stretch of one of its rows.
    ///
    /// Why a segment and not a list of points: when both ends lie well inside
    /// a YUV frame every point between them does too, so the rotation, the
    /// bounds and the clamping are settled once per segment and each point
    /// costs a lerp, four luma reads and a fixed-point blend (the view
    /// samples about 41 000 points per frame). The values are those of
    /// [`Frame::sample_luma_spread`] at the same points (lerping in buffer
    /// instead of upright coordinates may move a rotated frame's points by
    /// float rounding).
    #[inline(always)]
    pub fn sample_luma_spread_segment(
        &self,
        (a, b): ((f32, f32), (f32, f32)),
        steps: usize,
        n: usize,
        spread_from: u8,
        mut out: impl FnMut(Option<(u8, Option<u8>)>),
    ) {
        // Multiplying by the reciprocal equals dividing for the power-of-two
        // step counts the quality view uses.
        let inv = 1.0 / steps as f32;
        let lerp = |(a, b): ((f32, f32), (f32, f32)), i: usize| {
            let t = i as f32 * inv;
            (a.0 + (b.0 - a.0) * t, a.1 + (b.1 - a.1) * t)
        };
        let (Pixels::Yuv { y: yp, u, v }, Some(ba), Some(bb)) =
            (self.pixels(), self.interior(a), self.interior(b))
        else {
            let points = (0..n).map(|i| lerp((a, b), i));
            self.sample_luma_spread_run(points, spread_from, out);
            return;
        };
        let finish = YuvSpread::new(self, u, v, spread_from);
        let (rs, ps) = (yp.row_stride, yp.pixel_stride);
        let tap = |i: usize| u32::from(yp.data.get(i).copied().unwrap_or(0));
        for i in 0..n {
            let (bx, by) = lerp((ba, bb), i);
            // As `bilinear_u8`, whose clamps cannot bite in the interior.
            let (ix, iy) = (
                ((bx - 0.5) * 256.0) as i32 as u32,
                ((by - 0.5) * 256.0) as i32 as u32,
            );
            let at = (iy >> 8) as usize * rs + (ix >> 8) as usize * ps;
            let taps = [tap(at), tap(at + ps), tap(at + rs), tap(at + rs + ps)];
            out(Some(finish.at(blend_u8(taps, ix & 255, iy & 255), bx, by)));
        }
    }

    /// The buffer point of an upright point at least half a pixel inside the
    /// last pixel centres, where bilinear sampling needs no clamping: a
    /// segment between two such points stays inside, float rounding
    /// included.
    fn interior(&self, (x, y): (f32, f32)) -> Option<(f32, f32)> {
        let (bx, by) = self.buffer_point(x, y)?;
        let (w, h) = (self.width() as f32, self.height() as f32);
        ((0.5..=w - 1.0).contains(&bx) && (0.5..=h - 1.0).contains(&by)).then_some((bx, by))
    }

    /// Reads the luma plane at each point (upright coordinates; points
    /// outside the frame are skipped), so that the cache lines a later
    /// bilinear sample there needs are already on their way.
    ///
    /// Why: the quality view reads a few hundred frame rows in an order the
    /// hardware prefetcher cannot guess (each view row crosses the frame at
    /// the card's angle), and its hottest instruction was waiting on the
    /// first tap's load. Reading the next rows' lines early, a few dozen
    /// independent loads at a time, overlaps those waits (quality alone
    /// 0.72 → 0.66 ms per 1080p frame). A plain load and not a prefetch
    /// instruction, which would need `unsafe`.
    #[inline]
    pub fn warm_luma(&self, points: impl Iterator<Item = (f32, f32)>) {
        let Some(plane) = self.pixels().luma_plane() else {
            return;
        };
        let mut sum = 0u32;
        for (x, y) in points {
            if let Some((bx, by)) = self.buffer_point(x, y) {
                let (px, py) = (bx as i32 as usize, by as i32 as usize);
                sum = sum
                    .wrapping_add(u32::from(plane.at(px, py)))
                    .wrapping_add(u32::from(plane.at(px, py + 1)));
            }
        }
        std::hint::black_box(sum);
    }

    /// RGB from an interpolated (stored-range) luma and the chroma planes
    /// sampled bilinearly at buffer point (bx, by).
    fn yuv_rgb(&self, luma: f32, (u, v): (&Plane<'_>, &Plane<'_>), bx: f32, by: f32) -> [u8; 3] {
        let (cw, ch) = (self.width().div_ceil(2), self.height().div_ceil(2));
        let cb = bilinear(bx / 2.0, by / 2.0, cw, ch, |px, py| u.at(px, py) as f32);
        let cr = bilinear(bx / 2.0, by / 2.0, cw, ch, |px, py| v.at(px, py) as f32);
        yuv_to_rgb(luma, cb, cr, self.color_range())
    }

    /// Stored luma expanded to full range for video-range YUV frames.
    fn luma_to_full(&self, v: f32) -> f32 {
        if self.is_limited_yuv() {
            limited_to_full(round_u8(v)) as f32
        } else {
            v
        }
    }

    fn buffer_point(&self, x: f32, y: f32) -> Option<(f32, f32)> {
        let (uw, uh) = self.upright_size();
        if !(x >= 0.0 && y >= 0.0 && x <= uw as f32 && y <= uh as f32) {
            return None;
        }
        Some(
            self.rotation()
                .upright_to_buffer(x, y, self.width(), self.height()),
        )
    }

    fn is_limited_yuv(&self) -> bool {
        self.color_range() == ColorRange::Limited && matches!(self.pixels(), Pixels::Yuv { .. })
    }
}

#[inline]
fn packed_at(plane: &Plane<'_>, x: usize, y: usize, offset: usize) -> u8 {
    plane
        .data
        .get(y * plane.row_stride + x * 4 + offset)
        .copied()
        .unwrap_or(0)
}

/// [`bilinear`] on an 8-bit plane in 8-bit fixed point, rounded: the same
/// value as rounding the float result to within one level, without the four
/// integer-to-float conversions per point that dominated the quality view
/// (41 000 points per frame).
#[inline]
fn bilinear_u8(plane: &Plane<'_>, x: f32, y: f32, w: u32, h: u32) -> u8 {
    let fx = (x - 0.5).clamp(0.0, (w - 1) as f32);
    let fy = (y - 0.5).clamp(0.0, (h - 1) as f32);
    // Non-negative, so truncation is the floor; through i32 (as in
    // `bilinear`), the cheaper conversion.
    let (ix, iy) = ((fx * 256.0) as i32 as u32, (fy * 256.0) as i32 as u32);
    let (x0, y0) = ((ix >> 8) as usize, (iy >> 8) as usize);
    let (x1, y1) = ((x0 + 1).min(w as usize - 1), (y0 + 1).min(h as usize - 1));
    let at = |px: usize, py: usize| u32::from(plane.at(px, py));
    let taps = [at(x0, y0), at(x1, y0), at(x0, y1), at(x1, y1)];
    blend_u8(taps, ix & 255, iy & 255)
}

/// The fixed-point bilinear blend of four taps (top-left, top-right,
/// bottom-left, bottom-right) at fractions `tx`, `ty` in 1/256, rounded.
#[inline]
fn blend_u8([t00, t10, t01, t11]: [u32; 4], tx: u32, ty: u32) -> u8 {
    let top = t00 * (256 - tx) + t10 * tx;
    let bottom = t01 * (256 - tx) + t11 * tx;
    ((top * (256 - ty) + bottom * ty + (1 << 15)) >> 16) as u8
}

/// What turns an interpolated stored luma at a buffer point of a YUV frame
/// into the quality view's (luma, colour spread): the range expansion, and
/// the spread from the nearest chroma sample where luma reaches
/// `spread_from`.
struct YuvSpread<'p> {
    u: &'p Plane<'p>,
    v: &'p Plane<'p>,
    chroma_size: (usize, usize),
    range: ColorRange,
    limited: bool,
    spread_from: u8,
}

impl<'p> YuvSpread<'p> {
    fn new(frame: &Frame<'_>, u: &'p Plane<'p>, v: &'p Plane<'p>, spread_from: u8) -> Self {
        let (w, h) = (frame.width(), frame.height());
        YuvSpread {
            u,
            v,
            chroma_size: (w.div_ceil(2) as usize, h.div_ceil(2) as usize),
            range: frame.color_range(),
            limited: frame.is_limited_yuv(),
            spread_from,
        }
    }

    #[inline(always)]
    fn at(&self, raw: u8, bx: f32, by: f32) -> (u8, Option<u8>) {
        let l = if self.limited {
            limited_to_full(raw)
        } else {
            raw
        };
        if l < self.spread_from {
            return (l, None);
        }
        // bx, by ≥ 0 here, so truncation is the floor.
        // Through i32: cheaper than the saturating float-to-usize conversion.
        let cx = ((bx * 0.5) as i32 as usize).min(self.chroma_size.0 - 1);
        let cy = ((by * 0.5) as i32 as usize).min(self.chroma_size.1 - 1);
        let (cb, cr) = (self.u.at(cx, cy) as f32, self.v.at(cx, cy) as f32);
        (
            l,
            Some(spread_of(yuv_to_rgb(raw as f32, cb, cr, self.range))),
        )
    }
}

/// Bilinear interpolation with pixel centres at `i + 0.5`, clamped at the edges.
#[inline]
pub(super) fn bilinear(x: f32, y: f32, w: u32, h: u32, at: impl Fn(usize, usize) -> f32) -> f32 {
    let fx = (x - 0.5).clamp(0.0, (w - 1) as f32);
    let fy = (y - 0.5).clamp(0.0, (h - 1) as f32);
    // fx, fy ≥ 0, so truncation is the floor; `f32::floor` is a libm call
    // on baseline x86_64 and showed at 4 % of the per-frame profile.
    // Through i32 (image sides are far below 2³¹): float-to-usize
    // conversion saturates over a 64-bit range and costs several
    // instructions more (the print-focal read: 9.3 → 7.7 ms on a 1080p frame).
    let (x0, y0) = (fx as i32, fy as i32);
    let (tx, ty) = (fx - x0 as f32, fy - y0 as f32);
    let (x0, y0) = (x0 as usize, y0 as usize);
    let (x1, y1) = ((x0 + 1).min(w as usize - 1), (y0 + 1).min(h as usize - 1));
    blend_f32([at(x0, y0), at(x1, y0), at(x0, y1), at(x1, y1)], tx, ty)
}

/// The bilinear blend of four taps (top-left, top-right, bottom-left,
/// bottom-right) at fractions `tx`, `ty`: shared by every float bilinear
/// sampler, whose values must agree bit for bit.
#[inline]
pub(super) fn blend_f32([t00, t10, t01, t11]: [f32; 4], tx: f32, ty: f32) -> f32 {
    let top = t00 * (1.0 - tx) + t10 * tx;
    let bottom = t01 * (1.0 - tx) + t11 * tx;
    top * (1.0 - ty) + bottom * ty
}

#[inline]
fn spread_of([r, g, b]: [u8; 3]) -> u8 {
    r.max(g).max(b) - r.min(g).min(b)
}

/// BT.601 YCbCr → RGB (JFIF full range, or video range expanded first).
#[inline]
pub(crate) fn yuv_to_rgb(y: f32, cb: f32, cr: f32, range: ColorRange) -> [u8; 3] {
    let (y, cb, cr) = match range {
        ColorRange::Full => (y, cb - 128.0, cr - 128.0),
        ColorRange::Limited => (
            (y - 16.0) * 255.0 / 219.0,
            (cb - 128.0) * 255.0 / 224.0,
            (cr - 128.0) * 255.0 / 224.0,
        ),
    };
    [
        round_u8(y + 1.402 * cr),
        round_u8(y - 0.344_136 * cb - 0.714_136 * cr),
        round_u8(y + 1.772 * cb),
    ]
}
