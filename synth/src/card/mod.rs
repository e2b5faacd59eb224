//! Insurance-card-like cards: one random [`CardSpec`] (words, colours, typeface,
//! layout) renders both faces at any resolution, with ID-1 proportions and rounded
//! corners (transparent outside the corner arcs).

mod back;
mod barcode;
pub mod canvas;
mod content;
mod front;
mod logo;
mod style;

use crate::rng::{chance, rng_for, uniform, Rng};
use crate::Side;
use canvas::Canvas;
use image::RgbaImage;

/// ID-1 card width in millimetres (ISO/IEC 7810).
pub const CARD_W_MM: f32 = 85.60;
/// ID-1 card height in millimetres.
pub const CARD_H_MM: f32 = 53.98;
/// ID-1 corner radius in millimetres.
pub const CORNER_R_MM: f32 = 3.18;

/// Arrangement switches chosen once per card.
#[derive(Debug, Clone)]
pub struct Layout {
    /// Height of the payer band at the top of the front (0 = none).
    pub header_mm: f32,
    pub footer: bool,
    pub side_stripe: bool,
    pub wave: bool,
    pub magstripe: bool,
    pub barcode: bool,
    pub matrix_code: bool,
}

/// Everything that defines one card; both faces render from it.
#[derive(Debug, Clone)]
pub struct CardSpec {
    pub text: content::CardText,
    pub palette: style::Palette,
    pub face: style::Typeface,
    pub mark: logo::Mark,
    pub layout: Layout,
    seed: u64,
}

impl CardSpec {
    pub fn random(seed: u64) -> Self {
        let mut rng = rng_for(seed, 0xCA4D);
        let palette = style::Palette::random(&mut rng);
        let layout = Layout::random(&mut rng);
        Self {
            text: content::CardText::random(&mut rng),
            face: style::Typeface::random(&mut rng),
            mark: logo::Mark::random(&mut rng),
            palette,
            layout,
            seed,
        }
    }

    /// The face at `px_per_mm` pixels per millimetre (300 DPI ≈ 11.81).
    /// Pixels outside the rounded corners are transparent.
    pub fn render(&self, side: Side, px_per_mm: f32) -> RgbaImage {
        let p = &self.palette;
        let mut cv = Canvas::new(CARD_W_MM, CARD_H_MM, px_per_mm, p.base_top);
        if p.base_top != p.base_bottom {
            cv.gradient(0.0, CARD_H_MM, p.base_top, p.base_bottom);
        }
        // Layout randomness is per face but fixed for the card, so every
        // resolution of the same face is the same picture.
        let mut rng = rng_for(self.seed, 0xFACE + side as u64);
        match side {
            Side::Front => front::draw(&mut cv, self, &mut rng),
            Side::Back => back::draw(&mut cv, self, &mut rng),
        }
        round_corners(&mut cv.img, CORNER_R_MM * px_per_mm);
        cv.img
    }
}

impl Layout {
    fn random(rng: &mut Rng) -> Self {
        let magstripe = chance(rng, 0.45);
        Self {
            header_mm: if chance(rng, 0.55) {
                uniform(rng, 9.0, 14.0)
            } else {
                0.0
            },
            footer: chance(rng, 0.4),
            side_stripe: chance(rng, 0.2),
            wave: chance(rng, 0.25),
            magstripe,
            barcode: chance(rng, 0.6),
            matrix_code: !magstripe && chance(rng, 0.3),
        }
    }
}

/// Makes the pixels outside the corner arcs transparent, anti-aliased.
fn round_corners(img: &mut RgbaImage, r: f32) {
    let (w, h) = (img.width() as f32, img.height() as f32);
    let ri = r.ceil() as u32;
    for y in 0..ri.min(img.height()) {
        for x in 0..ri.min(img.width()) {
            let (px, py) = (x as f32 + 0.5, y as f32 + 0.5);
            let d = ((r - px).powi(2) + (r - py).powi(2)).sqrt();
            let a = (r - d + 0.5).clamp(0.0, 1.0);
            for (cx, cy) in [
                (x, y),
                (w as u32 - 1 - x, y),
                (x, h as u32 - 1 - y),
                (w as u32 - 1 - x, h as u32 - 1 - y),
            ] {
                if let Some(p) = img.get_pixel_mut_checked(cx, cy) {
                    p.0[3] = (p.0[3] as f32 * a).round() as u8;
                }
            }
        }
    }
}
