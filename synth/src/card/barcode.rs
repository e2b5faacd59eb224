//! Barcode-like bar patterns and 2-D code blocks for card backs. They only need to
//! look like codes (dense high-contrast bars), not decode.

use super::canvas::{Canvas, Rgb};
use crate::rng::Rng;
use rand::Rng as _;

/// A linear barcode filling the box (x, y, w, h) mm.
pub fn draw_barcode(cv: &mut Canvas, rng: &mut Rng, x: f32, y: f32, w: f32, h: f32, c: Rgb) {
    let module = w / 95.0;
    let mut pos = 0.0;
    let mut bar = true;
    while pos < w {
        let width = module * rng.random_range(1..5) as f32;
        if bar {
            cv.rect(x + pos, y, width.min(w - pos), h, c);
        }
        pos += width;
        bar = !bar;
    }
}

/// A QR-like square block of random modules with three finder squares.
pub fn draw_matrix_code(
    cv: &mut Canvas,
    rng: &mut Rng,
    x: f32,
    y: f32,
    size: f32,
    c: Rgb,
    bg: Rgb,
) {
    let n = 21;
    let m = size / n as f32;
    for j in 0..n {
        for i in 0..n {
            if rng.random_bool(0.5) {
                cv.rect(x + i as f32 * m, y + j as f32 * m, m, m, c);
            }
        }
    }
    for (fx, fy) in [(0, 0), (n - 7, 0), (0, n - 7)] {
        let (px, py) = (x + fx as f32 * m, y + fy as f32 * m);
        cv.rect(px, py, 7.0 * m, 7.0 * m, c);
        cv.rect(px + m, py + m, 5.0 * m, 5.0 * m, bg);
        cv.rect(px + 2.0 * m, py + 2.0 * m, 3.0 * m, 3.0 * m, c);
    }
}
