//! A finger or thumb holding the card: a shaded skin capsule with a nail, coming
//! from outside the card over one of its edges.

use super::background::SKIN;
use crate::geom::Quad;
use crate::rng::{pick, uniform, Rng};
use image::{GrayImage, Luma, RgbImage};
use rand::Rng as _;

#[derive(Debug, Clone, Copy)]
pub struct Finger {
    /// Fingertip centre.
    pub tip: [f32; 2],
    /// Unit direction from the tip back toward the hand (out of the card).
    pub dir: [f32; 2],
    pub radius: f32,
    pub length: f32,
    pub skin: [u8; 3],
}

impl Finger {
    /// A finger over edge `edge` (0 top, 1 right, 2 bottom, 3 left) of card `q`,
    /// reaching `depth` (share of the card's height) into the card.
    pub fn over_edge(rng: &mut Rng, q: &Quad, card_h_px: f32) -> Self {
        let edge = rng.random_range(0..4usize);
        let (a, b) = (q[edge], q[(edge + 1) % 4]);
        let t = uniform(rng, 0.2, 0.8);
        let on_edge = [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t];
        let cx = q.iter().map(|p| p[0]).sum::<f32>() / 4.0;
        let cy = q.iter().map(|p| p[1]).sum::<f32>() / 4.0;
        // Outward normal of the edge, tilted a little.
        let (ex, ey) = (b[0] - a[0], b[1] - a[1]);
        let len = (ex * ex + ey * ey).sqrt().max(1e-3);
        let mut n = [ey / len, -ex / len];
        if (on_edge[0] - cx) * n[0] + (on_edge[1] - cy) * n[1] < 0.0 {
            n = [-n[0], -n[1]];
        }
        let tilt = uniform(rng, -0.5, 0.5);
        let (s, c) = tilt.sin_cos();
        let dir = [n[0] * c - n[1] * s, n[0] * s + n[1] * c];
        let radius = card_h_px * uniform(rng, 0.1, 0.16);
        let depth = card_h_px * uniform(rng, 0.08, 0.25);
        let tip = [on_edge[0] - dir[0] * depth, on_edge[1] - dir[1] * depth];
        Self {
            tip,
            dir,
            radius,
            length: card_h_px * 3.0,
            skin: *pick(rng, &SKIN),
        }
    }

    /// Draws the finger and returns its coverage mask (255 = covered).
    pub fn draw(&self, img: &mut RgbImage) -> GrayImage {
        let (w, h) = img.dimensions();
        let mut mask = GrayImage::new(w, h);
        let end = [
            self.tip[0] + self.dir[0] * self.length,
            self.tip[1] + self.dir[1] * self.length,
        ];
        let r = self.radius;
        let xa = (self.tip[0].min(end[0]) - r - 1.0).max(0.0) as u32;
        let ya = (self.tip[1].min(end[1]) - r - 1.0).max(0.0) as u32;
        let xb = (self.tip[0].max(end[0]) + r + 1.0).clamp(0.0, w as f32) as u32;
        let yb = (self.tip[1].max(end[1]) + r + 1.0).clamp(0.0, h as f32) as u32;
        for y in ya..yb {
            for x in xa..xb {
                let (px, py) = (x as f32 + 0.5 - self.tip[0], y as f32 + 0.5 - self.tip[1]);
                let along = px * self.dir[0] + py * self.dir[1];
                let across = -px * self.dir[1] + py * self.dir[0];
                let dist = if along < 0.0 {
                    (px * px + py * py).sqrt()
                } else {
                    across.abs()
                };
                if along > self.length {
                    continue;
                }
                let cover = (r - dist + 0.5).clamp(0.0, 1.0);
                if cover <= 0.0 {
                    continue;
                }
                let shade = 1.0 - 0.45 * (dist / r).powi(2);
                let mut c = self.skin.map(|v| v as f32 * shade);
                let nail = along > r * 0.05 && along < r * 1.3 && across.abs() < r * 0.55;
                if nail {
                    c = c.map(|v| v * 0.6 + 235.0 * 0.4);
                }
                let p = img.get_pixel_mut(x, y);
                for (v, c) in p.0.iter_mut().zip(c) {
                    *v = (*v as f32 * (1.0 - cover) + c * cover)
                        .round()
                        .clamp(0.0, 255.0) as u8;
                }
                mask.put_pixel(x, y, Luma([(cover * 255.0) as u8]));
            }
        }
        mask
    }
}
