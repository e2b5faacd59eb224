//! Optical blur: defocus (Gaussian, as three box passes) and camera-shake motion
//! (a line kernel). Strong blurs run at half resolution: the result is smooth, so
//! nothing is lost, and a 720p scene stays fast.

use image::RgbImage;

/// Gaussian-like blur of standard deviation `sigma` pixels.
pub fn defocus(img: &RgbImage, sigma: f32) -> RgbImage {
    if sigma <= 0.0 {
        return img.clone();
    }
    if sigma < 1.0 {
        return three_tap(img, sigma);
    }
    if sigma >= 3.0 {
        return at_half(img, |half| defocus(half, sigma / 2.0));
    }
    let mut out = img.clone();
    // Three box passes of width b give variance 3·(b²−1)/12 ≈ sigma².
    let b = ((4.0 * sigma * sigma + 1.0).sqrt()).round().max(1.0) as usize;
    let r = b / 2;
    for _ in 0..3 {
        box_pass(&mut out, r, true);
        box_pass(&mut out, r, false);
    }
    out
}

/// Motion blur: the average of the image shifted along a segment of `length`
/// pixels at `angle` radians.
pub fn motion(img: &RgbImage, length: f32, angle: f32) -> RgbImage {
    if length <= 1.0 {
        return img.clone();
    }
    if length > 10.0 {
        return at_half(img, |half| motion(half, length / 2.0, angle));
    }
    let taps = (length / 0.75).ceil().clamp(2.0, 16.0) as usize;
    let (dx, dy) = (angle.cos(), angle.sin());
    let (w, h) = (img.width() as usize, img.height() as usize);
    let src = img.as_raw();
    let mut acc = vec![0.0f32; w * h * 3];
    for t in 0..taps {
        let s = (t as f32 / (taps - 1) as f32 - 0.5) * length;
        add_shifted(src, &mut acc, w, h, s * dx, s * dy);
    }
    let k = 1.0 / taps as f32;
    let buf: Vec<u8> = acc
        .iter()
        .map(|v| (v * k).round().clamp(0.0, 255.0) as u8)
        .collect();
    RgbImage::from_raw(w as u32, h as u32, buf).unwrap_or_else(|| img.clone())
}

fn at_half(img: &RgbImage, f: impl Fn(&RgbImage) -> RgbImage) -> RgbImage {
    let (w, h) = img.dimensions();
    crate::resample::upscale(&f(&crate::resample::half(img)), w, h)
}

/// Adds the image sampled at (x − ox, y − oy) (bilinear, edges clamped) into `acc`.
fn add_shifted(src: &[u8], acc: &mut [f32], w: usize, h: usize, ox: f32, oy: f32) {
    let (fx, fy) = (ox.floor(), oy.floor());
    let (tx, ty) = (ox - fx, oy - fy);
    let (ix, iy) = (fx as i64, fy as i64);
    let wts = [
        (1.0 - tx) * (1.0 - ty),
        tx * (1.0 - ty),
        (1.0 - tx) * ty,
        tx * ty,
    ];
    for y in 0..h {
        let y0 = (y as i64 - iy).clamp(0, h as i64 - 1) as usize;
        let y1 = (y as i64 - iy - 1).clamp(0, h as i64 - 1) as usize;
        for x in 0..w {
            let x0 = (x as i64 - ix).clamp(0, w as i64 - 1) as usize;
            let x1 = (x as i64 - ix - 1).clamp(0, w as i64 - 1) as usize;
            let o = (y * w + x) * 3;
            let (a, b, c, d) = (
                (y0 * w + x0) * 3,
                (y0 * w + x1) * 3,
                (y1 * w + x0) * 3,
                (y1 * w + x1) * 3,
            );
            for k in 0..3 {
                acc[o + k] += src[a + k] as f32 * wts[0]
                    + src[b + k] as f32 * wts[1]
                    + src[c + k] as f32 * wts[2]
                    + src[d + k] as f32 * wts[3];
            }
        }
    }
}

/// A [a, 1−2a, a] kernel in both directions: variance 2a per direction.
fn three_tap(img: &RgbImage, sigma: f32) -> RgbImage {
    let a = (sigma * sigma / 2.0).min(0.33);
    let (w, h) = (img.width() as usize, img.height() as usize);
    let mut tmp = img.as_raw().clone();
    let src = img.as_raw();
    for (axis_step, len, other) in [(3usize, w, h), (w * 3, h, w)] {
        let input = if axis_step == 3 {
            src.clone()
        } else {
            tmp.clone()
        };
        for o in 0..other {
            for i in 0..len {
                let base = if axis_step == 3 {
                    o * w * 3 + i * 3
                } else {
                    i * w * 3 + o * 3
                };
                let prev = if i > 0 { base - axis_step } else { base };
                let next = if i + 1 < len { base + axis_step } else { base };
                for k in 0..3 {
                    let v = input[base + k] as f32 * (1.0 - 2.0 * a)
                        + (input[prev + k] as f32 + input[next + k] as f32) * a;
                    tmp[base + k] = v.round() as u8;
                }
            }
        }
    }
    RgbImage::from_raw(w as u32, h as u32, tmp).unwrap_or_else(|| img.clone())
}

/// One running-sum box pass of radius `r`, along rows (`horizontal`) or columns.
fn box_pass(img: &mut RgbImage, r: usize, horizontal: bool) {
    if r == 0 {
        return;
    }
    let (w, h) = (img.width() as usize, img.height() as usize);
    let (len, lines, step, line_step) = if horizontal {
        (w, h, 3, w * 3)
    } else {
        (h, w, w * 3, 3)
    };
    let buf: &mut [u8] = &mut *img;
    let mut line = vec![0u8; len * 3];
    let norm = 1.0 / (2 * r + 1) as f32;
    for l in 0..lines {
        let start = l * line_step;
        for i in 0..len {
            line[i * 3..i * 3 + 3].copy_from_slice(&buf[start + i * step..start + i * step + 3]);
        }
        for k in 0..3 {
            let at = |i: i64| line[(i.clamp(0, len as i64 - 1) as usize) * 3 + k] as u32;
            let mut sum: u32 = (-(r as i64)..=r as i64).map(at).sum();
            for i in 0..len {
                buf[start + i * step + k] = (sum as f32 * norm).round() as u8;
                sum = sum + at(i as i64 + r as i64 + 1) - at(i as i64 - r as i64);
            }
        }
    }
}
