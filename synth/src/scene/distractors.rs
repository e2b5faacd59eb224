//! Rectangles that are not cards: paper sheets (A4, US letter), phones, tablet or
//! monitor screens, books, and the app's own guide-frame overlay. Detectors must
//! reject all of them.

use super::truth::DistractorKind;
use crate::card::canvas::{mix, Canvas, Rgb, TextMm};
use crate::card::{CARD_H_MM, CARD_W_MM};
use crate::geom::Quad;
use crate::rng::{chance, letters, pick, uniform, Rng};
use image::{Rgb as Px, RgbImage, RgbaImage};
use rand::Rng as _;

/// Physical size in mm of a distractor of this kind.
pub fn size_mm(rng: &mut Rng, kind: DistractorKind) -> (f32, f32) {
    match kind {
        DistractorKind::Paper => *pick(
            rng,
            &[
                (210.0, 297.0),
                (215.9, 279.4),
                (297.0, 210.0),
                (148.0, 210.0),
            ],
        ),
        DistractorKind::Phone => *pick(
            rng,
            &[(71.5, 147.5), (75.0, 160.0), (67.0, 139.0), (147.5, 71.5)],
        ),
        DistractorKind::Screen => *pick(rng, &[(250.0, 174.0), (300.0, 190.0), (174.0, 250.0)]),
        DistractorKind::Book => *pick(rng, &[(150.0, 230.0), (135.0, 210.0), (190.0, 250.0)]),
        DistractorKind::GuideFrame => (CARD_W_MM, CARD_H_MM),
    }
}

/// Renders the object flat, `px_per_mm` pixels per millimetre.
pub fn render(
    rng: &mut Rng,
    kind: DistractorKind,
    w_mm: f32,
    h_mm: f32,
    px_per_mm: f32,
) -> RgbaImage {
    match kind {
        DistractorKind::Paper => paper(rng, w_mm, h_mm, px_per_mm),
        DistractorKind::Phone | DistractorKind::Screen => device(rng, kind, w_mm, h_mm, px_per_mm),
        DistractorKind::Book | DistractorKind::GuideFrame => book(rng, w_mm, h_mm, px_per_mm),
    }
}

fn body_text() -> TextMm {
    TextMm {
        size: 3.2,
        width: 0.85,
        weight: 0.0,
        slant: 0.0,
        spacing: 0.0,
        smooth: true,
    }
}

fn paper(rng: &mut Rng, w: f32, h: f32, s: f32) -> RgbaImage {
    let stock: Rgb = *pick(
        rng,
        &[
            [250, 250, 248],
            [244, 244, 240],
            [255, 255, 255],
            [252, 248, 235],
        ],
    );
    let mut cv = Canvas::new(w, h, s, stock);
    let ink: Rgb = *pick(rng, &[[30, 30, 30], [40, 40, 90], [60, 60, 60]]);
    let margin = 20.0;
    let mut y = margin;
    if chance(rng, 0.6) {
        let title = TextMm {
            size: 7.0,
            weight: 0.7,
            ..body_text()
        };
        cv.text(margin, y, &crate::rng::word(rng, 5, 14), &title, ink);
        y += 14.0;
    }
    let style = body_text();
    let chars = ((w - 2.0 * margin) / style.width_mm("M")) as usize;
    while y < h - margin {
        if chance(rng, 0.12) {
            y += 6.0;
            continue;
        }
        let n = rng.random_range(chars / 2..chars.max(chars / 2 + 1));
        let line: String = (0..n)
            .map(|i| {
                if i % rng.random_range(3..9) == 0 {
                    ' '
                } else {
                    char::from(b'a' + (i * 7 % 26) as u8)
                }
            })
            .collect();
        cv.text(margin, y, &line, &style, ink);
        y += 5.0;
    }
    cv.img
}

fn device(rng: &mut Rng, kind: DistractorKind, w: f32, h: f32, s: f32) -> RgbaImage {
    let frame: Rgb = *pick(
        rng,
        &[[15, 15, 18], [30, 30, 34], [200, 200, 205], [60, 50, 45]],
    );
    let mut cv = Canvas::new(w, h, s, frame);
    let bezel = if kind == DistractorKind::Phone {
        3.0
    } else {
        8.0
    };
    let (sw, sh) = (w - 2.0 * bezel, h - 2.0 * bezel);
    let a: Rgb = [rng.random(), rng.random(), rng.random()];
    let bright = mix(a, [255, 255, 255], uniform(rng, 0.3, 0.9));
    cv.gradient(bezel, sh, bright, mix(bright, a, 0.5));
    cv.rect(0.0, 0.0, bezel, h, frame);
    cv.rect(w - bezel, 0.0, bezel, h, frame);
    // App-like blocks and text rows on the screen.
    let rows = rng.random_range(3..9);
    for i in 0..rows {
        let y = bezel + 8.0 + i as f32 * (sh - 10.0) / rows as f32;
        let c: Rgb = if chance(rng, 0.5) {
            [40, 40, 40]
        } else {
            [rng.random(), rng.random(), rng.random()]
        };
        if chance(rng, 0.5) {
            cv.rect(bezel + 4.0, y, sw * uniform(rng, 0.2, 0.8), 3.0, c);
        } else {
            cv.text(bezel + 4.0, y, &letters(rng, 8), &body_text(), c);
        }
    }
    round(
        &mut cv.img,
        if kind == DistractorKind::Phone {
            9.0 * s
        } else {
            4.0 * s
        },
    );
    cv.img
}

fn book(rng: &mut Rng, w: f32, h: f32, s: f32) -> RgbaImage {
    let cover: Rgb = [
        rng.random_range(20..230),
        rng.random_range(20..230),
        rng.random_range(20..230),
    ];
    let mut cv = Canvas::new(w, h, s, cover);
    cv.rect(0.0, 0.0, 8.0, h, mix(cover, [0, 0, 0], 0.3));
    let ink = if crate::card::canvas::luma(cover) > 0.5 {
        [20, 20, 20]
    } else {
        [245, 240, 230]
    };
    let title = TextMm {
        size: 12.0,
        weight: 0.8,
        ..body_text()
    };
    cv.text(20.0, h * 0.2, &crate::rng::word(rng, 4, 9), &title, ink);
    cv.text(20.0, h * 0.75, &letters(rng, 10), &body_text(), ink);
    cv.img
}

/// Rounds the four corners (transparent outside), radius in pixels.
fn round(img: &mut RgbaImage, r: f32) {
    let (w, h) = img.dimensions();
    for y in 0..h {
        for x in 0..w {
            let cx = if (x as f32) < r {
                r
            } else if (x as f32) > w as f32 - r {
                w as f32 - r
            } else {
                continue;
            };
            let cy = if (y as f32) < r {
                r
            } else if (y as f32) > h as f32 - r {
                h as f32 - r
            } else {
                continue;
            };
            let d = ((x as f32 + 0.5 - cx).powi(2) + (y as f32 + 0.5 - cy).powi(2)).sqrt();
            let a = (r - d + 0.5).clamp(0.0, 1.0);
            let p = img.get_pixel_mut(x, y);
            p.0[3] = (p.0[3] as f32 * a) as u8;
        }
    }
}

/// The app's guide frame: an upright rounded rectangle at ID-1 ratio drawn over
/// the preview (full outline or corner brackets), optionally dimming the outside.
/// Returns its corners.
pub fn guide_frame(rng: &mut Rng, img: &mut RgbImage) -> Quad {
    let (w, h) = (img.width() as f32, img.height() as f32);
    let gw = w.min(h * CARD_W_MM / CARD_H_MM) * uniform(rng, 0.6, 0.85);
    let gh = gw * CARD_H_MM / CARD_W_MM;
    let (x0, y0) = ((w - gw) / 2.0, (h - gh) / 2.0);
    let q: Quad = [[x0, y0], [x0 + gw, y0], [x0 + gw, y0 + gh], [x0, y0 + gh]];
    let stroke = uniform(rng, 2.0, 6.0);
    let radius = gw * uniform(rng, 0.03, 0.07);
    let colour: [u8; 3] = *pick(
        rng,
        &[
            [255, 255, 255],
            [60, 200, 120],
            [80, 160, 255],
            [255, 210, 60],
        ],
    );
    let brackets = chance(rng, 0.4);
    let dim = if chance(rng, 0.5) {
        uniform(rng, 0.3, 0.6)
    } else {
        0.0
    };
    for (x, y, p) in img.enumerate_pixels_mut() {
        let (px, py) = (x as f32 + 0.5, y as f32 + 0.5);
        let d = rounded_rect_sdf(px - w / 2.0, py - h / 2.0, gw / 2.0, gh / 2.0, radius);
        if d > 0.0 && dim > 0.0 {
            *p = Px(p.0.map(|c| (c as f32 * (1.0 - dim)) as u8));
        }
        let on_line = (d.abs() - stroke / 2.0).max(0.0) < 1.0;
        if !on_line {
            continue;
        }
        // Corner brackets: only the stroke near the four corners.
        let (ax, ay) = ((px - w / 2.0).abs(), (py - h / 2.0).abs());
        if brackets && (ax < gw * 0.35 || ay < gh * 0.28) {
            continue;
        }
        let a = (1.0 - (d.abs() - stroke / 2.0).max(0.0)).clamp(0.0, 1.0);
        *p = Px([0, 1, 2].map(|k| (p.0[k] as f32 * (1.0 - a) + colour[k] as f32 * a) as u8));
    }
    q
}

/// Signed distance to a rounded rectangle centred at the origin.
fn rounded_rect_sdf(x: f32, y: f32, hw: f32, hh: f32, r: f32) -> f32 {
    let qx = x.abs() - (hw - r);
    let qy = y.abs() - (hh - r);
    let outside = (qx.max(0.0).powi(2) + qy.max(0.0).powi(2)).sqrt();
    outside + qx.max(qy).min(0.0) - r
}
