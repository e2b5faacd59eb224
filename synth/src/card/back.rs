//! Back layouts: magnetic stripe or none, dense fine print, phone numbers, claims
//! address, website, and a barcode or 2-D code.

use super::barcode::{draw_barcode, draw_matrix_code};
use super::canvas::{Canvas, Rgb};
use super::content::fine_print;
use super::{CardSpec, CARD_H_MM, CARD_W_MM};
use crate::rng::{chance, uniform, Rng};
use rand::Rng as _;

pub fn draw(cv: &mut Canvas, spec: &CardSpec, rng: &mut Rng) {
    let p = &spec.palette;
    let f = &spec.face;
    let t = &spec.text;
    let margin = uniform(rng, 3.5, 5.5);
    let mut y = 3.5;
    if spec.layout.magstripe {
        // ISO 7811: stripe from 5.54 mm, 12.7 mm high (approx.).
        let stripe: Rgb = if chance(rng, 0.7) {
            [28, 24, 22]
        } else {
            [70, 50, 36]
        };
        cv.rect(0.0, 5.5, CARD_W_MM, 12.7, stripe);
        y = 20.5;
    } else if spec.layout.header_mm > 0.0 && chance(rng, 0.5) {
        let h = uniform(rng, 4.0, 7.0);
        cv.rect(0.0, 0.0, CARD_W_MM, h, p.accent);
        y = h + 2.0;
    }
    let small = f.small().sized(uniform(rng, 1.35, 1.8));
    let bold = small.bold();
    let step = small.size + uniform(rng, 0.45, 0.8);
    let code_w = if spec.layout.matrix_code { 16.0 } else { 0.0 };
    let text_right = CARD_W_MM - margin - code_w;
    let chars = ((text_right - margin) / small.width_mm("M")).max(10.0) as usize;
    // Fine print paragraph.
    for _ in 0..rng.random_range(2..5) {
        let line = fine_print(rng, 12);
        let clipped: String = line.chars().take(chars).collect();
        cv.text(margin, y, &clipped, &small, p.ink);
        y += step;
    }
    y += step * 0.4;
    // Phone numbers, two columns when they fit.
    let col2 = CARD_W_MM / 2.0 + 1.0;
    let phones = rng.random_range(3..7).min(t.phones.len());
    for (i, (k, v)) in t.phones.iter().take(phones).enumerate() {
        let x = if i % 2 == 0 { margin } else { col2 };
        cv.text(x, y, k, &small, p.label);
        cv.text(x, y + step, v, &bold, p.ink);
        if i % 2 == 1 || i + 1 == phones {
            y += step * 2.1;
        }
    }
    // Claims address and website.
    let addr_y = y + step * 0.3;
    for (i, l) in t.claims_address.iter().enumerate() {
        let style = if i == 0 { &bold } else { &small };
        cv.text(margin, addr_y + i as f32 * step, l, style, p.ink);
    }
    cv.text(col2, addr_y, &t.website, &bold, p.label);
    let bottom = CARD_H_MM - 3.0;
    if spec.layout.barcode {
        let h = (bottom - (addr_y + 3.0 * step)).clamp(3.0, 7.0);
        let x = CARD_W_MM - margin - 30.0;
        let bg = p.base_bottom;
        cv.rect(
            x - 1.0,
            bottom - h - 1.0,
            32.0,
            h + 2.0,
            if p.is_dark() { [245, 245, 245] } else { bg },
        );
        draw_barcode(cv, rng, x, bottom - h, 30.0, h, [15, 15, 15]);
    }
    if spec.layout.matrix_code {
        let light: Rgb = [250, 250, 250];
        let x = CARD_W_MM - margin - 14.0;
        cv.rect(x - 1.0, y.min(24.0) - 1.0, 16.0, 16.0, light);
        draw_matrix_code(cv, rng, x, y.min(24.0), 14.0, [15, 15, 15], light);
    }
}
