//! Camera-side effects: uneven light and colour cast with the exposure gain,
//! sensor noise, and JPEG re-encoding.

use super::noise::Fast;
use crate::rng::{uniform, Rng};
use crate::sample::encode_jpeg;
use image::RgbImage;

/// Light falling on the scene: a linear gradient, a vignette, a colour cast and
/// the global exposure gain, applied in one pass.
#[derive(Debug, Clone, Copy)]
pub struct Lighting {
    pub gain: f32,
    /// Relative change of light across the frame along `dir`.
    pub slope: f32,
    pub dir: (f32, f32),
    pub vignette: f32,
    pub tint: [f32; 3],
}

impl Lighting {
    pub fn random(rng: &mut Rng, gain: f32) -> Self {
        let a = uniform(rng, 0.0, std::f32::consts::TAU);
        let warm = uniform(rng, -0.08, 0.08);
        Self {
            gain,
            slope: uniform(rng, 0.0, 0.5),
            dir: (a.cos(), a.sin()),
            vignette: uniform(rng, 0.0, 0.35),
            tint: [1.0 + warm, 1.0, 1.0 - warm],
        }
    }

    pub fn apply(&self, img: &mut RgbImage) {
        let (w, h) = (img.width() as f32, img.height() as f32);
        let diag = (w * w + h * h).sqrt() / 2.0;
        let width = img.width() as usize;
        for (y, row) in img.as_mut().chunks_exact_mut(width * 3).enumerate() {
            let dy = y as f32 - h / 2.0;
            // Light is linear along x within a row except for the vignette.
            let base = 1.0 + self.slope * dy * self.dir.1 / diag;
            let step = self.slope * self.dir.0 / diag;
            for (x, px) in row.chunks_exact_mut(3).enumerate() {
                let dx = x as f32 - w / 2.0;
                let r2 = (dx * dx + dy * dy) / (diag * diag);
                let k = self.gain * (base + step * dx) * (1.0 - self.vignette * r2);
                for (v, tint) in px.iter_mut().zip(self.tint) {
                    *v = (*v as f32 * k * tint).clamp(0.0, 255.0) as u8;
                }
            }
        }
    }
}

/// Adds Gaussian sensor noise: luminance noise of `sigma` grey levels plus a
/// third as much per-channel (chroma) noise.
pub fn sensor_noise(img: &mut RgbImage, fast: &mut Fast, sigma: f32) {
    if sigma <= 0.0 {
        return;
    }
    let chroma = sigma * 0.35 * 3.46; // uniform with a third of the luma deviation
    for px in img.as_mut().chunks_exact_mut(3) {
        let l = fast.gauss() * sigma;
        let r = fast.next_u64();
        for (i, c) in px.iter_mut().enumerate() {
            let u = ((r >> (i * 20)) & 0xFFFFF) as f32 / 1_048_575.0 - 0.5;
            *c = (*c as f32 + l + u * chroma + 0.5).clamp(0.0, 255.0) as u8;
        }
    }
}

/// JPEG round trip at `quality`, leaving the blocking and ringing a phone's
/// encoder would. Keeps the original if decoding ever fails.
pub fn jpeg_artifacts(img: &RgbImage, quality: u8) -> RgbImage {
    let bytes = encode_jpeg(img, quality);
    match image::load_from_memory_with_format(&bytes, image::ImageFormat::Jpeg) {
        Ok(decoded) => decoded.to_rgb8(),
        Err(_) => img.clone(),
    }
}
