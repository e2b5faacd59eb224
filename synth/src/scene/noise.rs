//! Cheap noise: a per-pixel hash generator for sensor grain and speckle, and
//! smooth value noise / fBm fields for textures and uneven lighting.
//!
//! ChaCha (the scene RNG) would cost too much per pixel; `Fast` is a wyrand-style
//! generator seeded from it, so scenes stay deterministic.

use crate::rng::Rng;
use rand::Rng as _;

pub struct Fast(u64);

impl Fast {
    pub fn from_rng(rng: &mut Rng) -> Self {
        Self(rng.random())
    }

    #[inline]
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0xA076_1D64_78BD_642F);
        let t = (self.0 as u128).wrapping_mul((self.0 ^ 0xE703_7ED1_A0B4_28DB) as u128);
        ((t >> 64) ^ t) as u64
    }

    /// Uniform in [0, 1).
    #[inline]
    pub fn unit(&mut self) -> f32 {
        (self.next_u64() >> 40) as f32 / (1u64 << 24) as f32
    }

    /// Approximately standard normal (sum of four uniforms, rescaled).
    #[inline]
    pub fn gauss(&mut self) -> f32 {
        let r = self.next_u64();
        let s: u32 = (0..4).map(|i| ((r >> (i * 16)) & 0xFFFF) as u32).sum();
        (s as f32 / 65535.0 - 2.0) * 1.732
    }
}

/// A smooth random field over a `w`×`h` grid: value noise with cells of `cell`
/// pixels, smoothstep-interpolated, values in [0, 1].
pub fn value_noise(rng: &mut Rng, w: usize, h: usize, cell: f32) -> Vec<f32> {
    let cell = cell.max(1.0);
    let gw = (w as f32 / cell).ceil() as usize + 2;
    let gh = (h as f32 / cell).ceil() as usize + 2;
    let grid: Vec<f32> = (0..gw * gh).map(|_| rng.random::<f32>()).collect();
    let mut out = vec![0.0; w * h];
    for y in 0..h {
        let fy = y as f32 / cell;
        let gy = fy as usize;
        let ty = smooth(fy - gy as f32);
        for x in 0..w {
            let fx = x as f32 / cell;
            let gx = fx as usize;
            let tx = smooth(fx - gx as f32);
            let i = gy * gw + gx;
            let top = grid[i] + (grid[i + 1] - grid[i]) * tx;
            let bot = grid[i + gw] + (grid[i + gw + 1] - grid[i + gw]) * tx;
            out[y * w + x] = top + (bot - top) * ty;
        }
    }
    out
}

/// Fractal sum of `octaves` value-noise layers, halving the cell each time; [0, 1].
pub fn fbm(rng: &mut Rng, w: usize, h: usize, cell: f32, octaves: u32) -> Vec<f32> {
    let mut out = vec![0.0; w * h];
    let (mut amp, mut total, mut c) = (1.0, 0.0, cell);
    for _ in 0..octaves {
        let layer = value_noise(rng, w, h, c);
        for (o, v) in out.iter_mut().zip(layer) {
            *o += v * amp;
        }
        total += amp;
        amp *= 0.5;
        c = (c / 2.0).max(1.0);
    }
    for o in &mut out {
        *o /= total;
    }
    out
}

#[inline]
fn smooth(t: f32) -> f32 {
    t * t * (3.0 - 2.0 * t)
}
