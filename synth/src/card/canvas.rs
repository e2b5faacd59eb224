//! A drawing surface measured in millimetres, so one card layout renders at any
//! resolution (300 DPI for upload-like samples, a few px/mm for distant cards).

use crate::font::{self, FontStyle};
use image::{Rgba, RgbaImage};
use imageproc::drawing::{draw_filled_circle_mut, draw_filled_rect_mut, draw_polygon_mut};
use imageproc::point::Point;
use imageproc::rect::Rect;

pub type Rgb = [u8; 3];

pub struct Canvas {
    pub img: RgbaImage,
    /// Pixels per millimetre.
    pub s: f32,
}

/// A text style in millimetres; converted to pixels at draw time.
#[derive(Debug, Clone, Copy)]
pub struct TextMm {
    pub size: f32,
    pub width: f32,
    pub weight: f32,
    pub slant: f32,
    pub spacing: f32,
    pub smooth: bool,
}

impl TextMm {
    pub fn px(&self, s: f32) -> FontStyle {
        FontStyle {
            size_px: self.size * s,
            width: self.width,
            weight: self.weight,
            slant: self.slant,
            spacing: self.spacing,
            smooth: self.smooth,
        }
    }

    pub fn sized(&self, size: f32) -> Self {
        Self { size, ..*self }
    }

    pub fn bold(&self) -> Self {
        Self {
            weight: (self.weight + 0.6).min(1.0),
            ..*self
        }
    }

    /// Width in mm of `text`.
    pub fn width_mm(&self, text: &str) -> f32 {
        self.px(1.0).text_width(text)
    }
}

impl Canvas {
    pub fn new(w_mm: f32, h_mm: f32, s: f32, fill: Rgb) -> Self {
        let w = (w_mm * s).round().max(1.0) as u32;
        let h = (h_mm * s).round().max(1.0) as u32;
        Self {
            img: RgbaImage::from_pixel(w, h, Rgba([fill[0], fill[1], fill[2], 255])),
            s,
        }
    }

    pub fn rect(&mut self, x: f32, y: f32, w: f32, h: f32, c: Rgb) {
        let (x0, y0) = ((x * self.s).round() as i32, (y * self.s).round() as i32);
        let (x1, y1) = (
            ((x + w) * self.s).round() as i32,
            ((y + h) * self.s).round() as i32,
        );
        if x1 > x0 && y1 > y0 {
            let r = Rect::at(x0, y0).of_size((x1 - x0) as u32, (y1 - y0) as u32);
            draw_filled_rect_mut(&mut self.img, r, rgba(c));
        }
    }

    pub fn circle(&mut self, cx: f32, cy: f32, r: f32, c: Rgb) {
        let center = ((cx * self.s).round() as i32, (cy * self.s).round() as i32);
        draw_filled_circle_mut(
            &mut self.img,
            center,
            (r * self.s).round().max(1.0) as i32,
            rgba(c),
        );
    }

    /// A filled polygon through mm points (at least three, not closed).
    pub fn polygon(&mut self, pts: &[(f32, f32)], c: Rgb) {
        let mut p: Vec<Point<i32>> = pts
            .iter()
            .map(|&(x, y)| Point::new((x * self.s).round() as i32, (y * self.s).round() as i32))
            .collect();
        p.dedup();
        if p.len() >= 3 && p.first() != p.last() {
            draw_polygon_mut(&mut self.img, &p, rgba(c));
        }
    }

    /// Vertical gradient from `top` to `bottom` over the band [y, y+h].
    pub fn gradient(&mut self, y: f32, h: f32, top: Rgb, bottom: Rgb) {
        let (y0, y1) = ((y * self.s) as u32, ((y + h) * self.s) as u32);
        let span = (y1.saturating_sub(y0)).max(1) as f32;
        for py in y0..y1.min(self.img.height()) {
            let t = (py - y0) as f32 / span;
            let c = mix(top, bottom, t);
            for px in 0..self.img.width() {
                self.img.put_pixel(px, py, rgba(c));
            }
        }
    }

    /// Draws text with its cell's top-left at (x, y) mm; returns the width in mm.
    pub fn text(&mut self, x: f32, y: f32, text: &str, style: &TextMm, c: Rgb) -> f32 {
        font::draw_text(
            &mut self.img,
            x * self.s,
            y * self.s,
            text,
            &style.px(self.s),
            c,
        ) / self.s
    }

    /// Text whose right edge is at x.
    pub fn text_right(&mut self, x_right: f32, y: f32, text: &str, style: &TextMm, c: Rgb) {
        let w = style.width_mm(text);
        self.text(x_right - w, y, text, style, c);
    }
}

pub fn rgba(c: Rgb) -> Rgba<u8> {
    Rgba([c[0], c[1], c[2], 255])
}

pub fn mix(a: Rgb, b: Rgb, t: f32) -> Rgb {
    let m = |x: u8, y: u8| {
        (x as f32 + (y as f32 - x as f32) * t)
            .round()
            .clamp(0.0, 255.0) as u8
    };
    [m(a[0], b[0]), m(a[1], b[1]), m(a[2], b[2])]
}

/// Relative luminance 0..1, to choose readable text colours.
pub fn luma(c: Rgb) -> f32 {
    (0.299 * c[0] as f32 + 0.587 * c[1] as f32 + 0.114 * c[2] as f32) / 255.0
}
