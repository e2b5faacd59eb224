//! Text from the embedded 8×8 bitmap font (`font8x8`), drawn in several styles.
//!
//! CI machines have no system fonts, so every glyph comes from the 8×8 public-domain
//! bitmaps. To look like printed type rather than pixel art at card resolution, the
//! bitmap is sampled as a smooth field (bilinear, then thresholded) with 2×2
//! supersampling; styles vary height, width, weight (threshold = dilation), slant
//! and letter spacing, which gives visibly different "fonts".

use font8x8::BASIC_UNICODE;
use image::{Rgba, RgbaImage};

/// How a run of text looks.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FontStyle {
    /// Height of the 8-unit glyph cell in pixels.
    pub size_px: f32,
    /// Cell width relative to its height (1.0 = the font's square cell).
    pub width: f32,
    /// 0 = regular; up to ~1 = heavy (lowers the outline threshold).
    pub weight: f32,
    /// Horizontal shear, in cell widths per cell height (0.2 ≈ italic).
    pub slant: f32,
    /// Extra advance between letters, in font units.
    pub spacing: f32,
    /// Smooth outlines (true) or crisp pixel blocks (thermal-printer look).
    pub smooth: bool,
}

impl FontStyle {
    pub fn regular(size_px: f32) -> Self {
        Self {
            size_px,
            width: 0.9,
            weight: 0.0,
            slant: 0.0,
            spacing: 0.0,
            smooth: true,
        }
    }

    /// Pixel advance of one character.
    pub fn advance(&self) -> f32 {
        (8.0 + self.spacing) * self.unit_x()
    }

    /// Width in pixels of `text` on one line.
    pub fn text_width(&self, text: &str) -> f32 {
        text.chars().count() as f32 * self.advance()
    }

    fn unit_x(&self) -> f32 {
        self.size_px * self.width / 8.0
    }

    fn unit_y(&self) -> f32 {
        self.size_px / 8.0
    }
}

fn glyph(c: char) -> [u8; 8] {
    let code = c as usize;
    if code < BASIC_UNICODE.len() {
        BASIC_UNICODE[code].byte_array()
    } else {
        BASIC_UNICODE[b'?' as usize].byte_array()
    }
}

fn bit(g: &[u8; 8], x: i32, y: i32) -> f32 {
    if (0..8).contains(&x) && (0..8).contains(&y) && g[y as usize] & (1 << x) != 0 {
        1.0
    } else {
        0.0
    }
}

/// Ink at font-space point (u, v) (units of the 8×8 cell).
fn ink(g: &[u8; 8], u: f32, v: f32, style: &FontStyle) -> bool {
    if style.smooth {
        let (fu, fv) = (u - 0.5, v - 0.5);
        let (x0, y0) = (fu.floor(), fv.floor());
        let (tx, ty) = (fu - x0, fv - y0);
        let (x, y) = (x0 as i32, y0 as i32);
        let top = bit(g, x, y) * (1.0 - tx) + bit(g, x + 1, y) * tx;
        let bottom = bit(g, x, y + 1) * (1.0 - tx) + bit(g, x + 1, y + 1) * tx;
        let value = top * (1.0 - ty) + bottom * ty;
        value > 0.5 - 0.3 * style.weight
    } else {
        let (x, y) = (u.floor() as i32, v.floor() as i32);
        bit(g, x, y) > 0.0 || (style.weight > 0.5 && bit(g, x - 1, y) > 0.0)
    }
}

/// Draws `text` with its cell's top-left at (x, y) pixels; returns the width drawn.
pub fn draw_text(
    img: &mut RgbaImage,
    x: f32,
    y: f32,
    text: &str,
    style: &FontStyle,
    color: [u8; 3],
) -> f32 {
    let mut pen = x;
    for c in text.chars() {
        if c != ' ' {
            draw_glyph(img, pen, y, &glyph(c), style, color);
        }
        pen += style.advance();
    }
    pen - x
}

fn draw_glyph(img: &mut RgbaImage, x: f32, y: f32, g: &[u8; 8], style: &FontStyle, color: [u8; 3]) {
    let (ux, uy) = (style.unit_x(), style.unit_y());
    let shear = style.slant * 8.0 * ux; // pixels of lean over the cell height
    let x_min = (x - shear.abs() - 1.0).floor().max(0.0) as i64;
    let x_max = (x + 8.0 * ux + shear.abs() + 1.0)
        .ceil()
        .min(img.width() as f32) as i64;
    let y_min = y.floor().max(0.0) as i64;
    let y_max = (y + 8.0 * uy + 1.0).ceil().min(img.height() as f32) as i64;
    const SUB: [(f32, f32); 4] = [(0.25, 0.25), (0.75, 0.25), (0.25, 0.75), (0.75, 0.75)];
    for py in y_min..y_max {
        for px in x_min..x_max {
            let mut hits = 0u32;
            for (sx, sy) in SUB {
                let v = (py as f32 + sy - y) / uy;
                // Lean to the right going up: bottom of the cell is unshifted.
                let lean = style.slant * (8.0 - v);
                let u = (px as f32 + sx - x) / ux - lean;
                if ink(g, u, v, style) {
                    hits += 1;
                }
            }
            if hits > 0 {
                blend(img, px as u32, py as u32, color, hits as f32 / 4.0);
            }
        }
    }
}

/// Alpha-blends `color` over the pixel at (x, y) with coverage `a` (0..1).
pub fn blend(img: &mut RgbaImage, x: u32, y: u32, color: [u8; 3], a: f32) {
    if let Some(p) = img.get_pixel_mut_checked(x, y) {
        let Rgba([r, g, b, al]) = *p;
        let mix = |o: u8, n: u8| (o as f32 + (n as f32 - o as f32) * a).round() as u8;
        *p = Rgba([mix(r, color[0]), mix(g, color[1]), mix(b, color[2]), al]);
    }
}
