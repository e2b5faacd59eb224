//! Specular glare on a glossy card: an elliptical washed-out patch with a soft rim.
//! The share of the card it washes out decides the glare label.

use super::truth::GLARE_WASHED_OUT;
use crate::geom::{bounds, contains, Quad};
use crate::rng::{uniform, Rng};
use image::{GrayImage, RgbImage};

#[derive(Debug, Clone, Copy)]
pub struct Glare {
    pub cx: f32,
    pub cy: f32,
    pub rx: f32,
    pub ry: f32,
    pub angle: f32,
    /// Strength at the centre (1 = pure white).
    pub peak: f32,
    /// Radius share over which the patch stays at full strength.
    pub core: f32,
}

impl Glare {
    /// A patch somewhere on the card quad, sized relative to the card's width `cw`.
    pub fn random(rng: &mut Rng, q: &Quad, cw: f32, peak: f32) -> Self {
        let (u, v) = (uniform(rng, 0.15, 0.85), uniform(rng, 0.15, 0.85));
        let top = lerp(q[0], q[1], u);
        let bottom = lerp(q[3], q[2], u);
        let c = lerp(top, bottom, v);
        let rx = cw * uniform(rng, 0.1, 0.3);
        Self {
            cx: c[0],
            cy: c[1],
            rx,
            ry: rx * uniform(rng, 0.3, 1.0),
            angle: uniform(rng, 0.0, std::f32::consts::PI),
            peak,
            core: uniform(rng, 0.3, 0.7),
        }
    }

    pub fn grow(&mut self, k: f32) {
        self.rx *= k;
        self.ry *= k;
    }

    /// Glare strength at (x, y), 0..peak.
    fn at(&self, x: f32, y: f32) -> f32 {
        let (s, c) = self.angle.sin_cos();
        let (dx, dy) = (x - self.cx, y - self.cy);
        let (u, v) = ((dx * c + dy * s) / self.rx, (-dx * s + dy * c) / self.ry);
        let r = (u * u + v * v).sqrt();
        if r >= 1.0 {
            return 0.0;
        }
        let t = ((r - self.core) / (1.0 - self.core)).clamp(0.0, 1.0);
        self.peak * (1.0 - t * t * (3.0 - 2.0 * t))
    }

    /// Washed-out share of the card's in-frame pixels (excluding occluded ones).
    pub fn washed_fraction(&self, q: &Quad, w: u32, h: u32, occluder: Option<&GrayImage>) -> f32 {
        let (mut card, mut washed) = (0u32, 0u32);
        for_card_pixels(q, w, h, occluder, |x, y| {
            card += 1;
            if self.at(x as f32 + 0.5, y as f32 + 0.5) >= GLARE_WASHED_OUT {
                washed += 1;
            }
        });
        if card == 0 {
            0.0
        } else {
            washed as f32 / card as f32
        }
    }

    /// Brightens the card's pixels toward white.
    pub fn apply(&self, img: &mut RgbImage, q: &Quad, occluder: Option<&GrayImage>) {
        let (w, h) = img.dimensions();
        let mut hits = Vec::new();
        for_card_pixels(q, w, h, occluder, |x, y| hits.push((x, y)));
        for (x, y) in hits {
            let g = self.at(x as f32 + 0.5, y as f32 + 0.5);
            if g > 0.0 {
                let p = img.get_pixel_mut(x, y);
                for c in p.0.iter_mut() {
                    *c = (*c as f32 + (253.0 - *c as f32).max(0.0) * g).round() as u8;
                }
            }
        }
    }
}

fn lerp(a: [f32; 2], b: [f32; 2], t: f32) -> [f32; 2] {
    [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t]
}

/// Calls `f` for every in-frame pixel whose centre is on the card and not
/// covered (≥ 50 %) by the occluder.
pub fn for_card_pixels(
    q: &Quad,
    w: u32,
    h: u32,
    occluder: Option<&GrayImage>,
    mut f: impl FnMut(u32, u32),
) {
    let (x0, y0, x1, y1) = bounds(q);
    let (xa, ya) = (x0.floor().max(0.0) as u32, y0.floor().max(0.0) as u32);
    let (xb, yb) = (
        x1.ceil().clamp(0.0, w as f32) as u32,
        y1.ceil().clamp(0.0, h as f32) as u32,
    );
    for y in ya..yb {
        for x in xa..xb {
            if !contains(q, x as f32 + 0.5, y as f32 + 0.5) {
                continue;
            }
            if let Some(m) = occluder {
                if m.get_pixel_checked(x, y).is_some_and(|p| p.0[0] >= 128) {
                    continue;
                }
            }
            f(x, y);
        }
    }
}
