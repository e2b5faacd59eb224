//! Fast 2× downsampling and bilinear upsampling for the generator's soft layers
//! (textures, strong blurs, shadow masks). `image::imageops::resize` is general
//! but several times slower, and these layers are redone for every scene.

use image::{GrayImage, ImageBuffer, Pixel, RgbImage};

/// Halves both dimensions by averaging 2×2 blocks (odd edges dropped).
pub fn half(img: &RgbImage) -> RgbImage {
    let (w, h) = ((img.width() / 2).max(1), (img.height() / 2).max(1));
    let (sw, sh) = (img.width() as usize, img.height() as usize);
    let src = img.as_raw();
    let mut out = Vec::with_capacity((w * h * 3) as usize);
    for y in 0..h as usize {
        let (r0, r1) = (
            (2 * y).min(sh - 1) * sw * 3,
            (2 * y + 1).min(sh - 1) * sw * 3,
        );
        for x in 0..w as usize {
            let (c0, c1) = ((2 * x).min(sw - 1) * 3, (2 * x + 1).min(sw - 1) * 3);
            for k in 0..3 {
                let s = src[r0 + c0 + k] as u16
                    + src[r0 + c1 + k] as u16
                    + src[r1 + c0 + k] as u16
                    + src[r1 + c1 + k] as u16;
                out.push(((s + 2) / 4) as u8);
            }
        }
    }
    RgbImage::from_raw(w, h, out).unwrap_or_else(|| RgbImage::new(w, h))
}

/// Bilinear resize to `w`×`h` (meant for upsampling smooth content).
pub fn upscale<P: Pixel<Subpixel = u8>>(
    img: &ImageBuffer<P, Vec<u8>>,
    w: u32,
    h: u32,
) -> ImageBuffer<P, Vec<u8>> {
    let ch = P::CHANNEL_COUNT as usize;
    let (sw, sh) = (img.width() as usize, img.height() as usize);
    let src = img.as_raw();
    // Per-column source indices and weights, computed once.
    let sx = |x: usize, n: usize, sn: usize| -> (usize, usize, u32) {
        let f = ((x as f32 + 0.5) * sn as f32 / n as f32 - 0.5).max(0.0);
        let i = (f as usize).min(sn - 1);
        let t = ((f - i as f32) * 256.0) as u32;
        (i, (i + 1).min(sn - 1), t.min(256))
    };
    let cols: Vec<(usize, usize, u32)> = (0..w as usize).map(|x| sx(x, w as usize, sw)).collect();
    let mut out = vec![0u8; w as usize * h as usize * ch];
    for y in 0..h as usize {
        let (y0, y1, ty) = sx(y, h as usize, sh);
        let (r0, r1) = (y0 * sw * ch, y1 * sw * ch);
        let row = &mut out[y * w as usize * ch..(y + 1) * w as usize * ch];
        for (x, &(x0, x1, tx)) in cols.iter().enumerate() {
            for k in 0..ch {
                let a =
                    src[r0 + x0 * ch + k] as u32 * (256 - tx) + src[r0 + x1 * ch + k] as u32 * tx;
                let b =
                    src[r1 + x0 * ch + k] as u32 * (256 - tx) + src[r1 + x1 * ch + k] as u32 * tx;
                row[x * ch + k] = ((a * (256 - ty) + b * ty + (1 << 15)) >> 16) as u8;
            }
        }
    }
    ImageBuffer::from_raw(w, h, out).unwrap_or_else(|| ImageBuffer::new(w, h))
}

/// Gray convenience wrapper (shadow masks).
pub fn upscale_gray(img: &GrayImage, w: u32, h: u32) -> GrayImage {
    upscale(img, w, h)
}
