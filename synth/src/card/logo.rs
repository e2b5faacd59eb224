//! Payer logos: a mark built from simple shapes next to a bold wordmark.

use super::canvas::{Canvas, Rgb, TextMm};
use crate::rng::Rng;
use rand::Rng as _;
use std::f32::consts::{PI, TAU};

#[derive(Debug, Clone, Copy)]
pub enum Mark {
    Disc,
    Ring,
    Cross,
    Shield,
    Peaks,
    Bars,
    Petals,
    Diamond,
}

impl Mark {
    pub fn random(rng: &mut Rng) -> Self {
        use Mark::*;
        [Disc, Ring, Cross, Shield, Peaks, Bars, Petals, Diamond][rng.random_range(0..8)]
    }
}

/// Draws the mark in a square of side `size` mm at (x, y) top-left.
pub fn draw_mark(cv: &mut Canvas, mark: Mark, x: f32, y: f32, size: f32, c: Rgb, bg: Rgb) {
    let (cx, cy, r) = (x + size / 2.0, y + size / 2.0, size / 2.0);
    match mark {
        Mark::Disc => {
            cv.circle(cx, cy, r, c);
            cv.circle(cx + r * 0.3, cy - r * 0.3, r * 0.35, bg);
        }
        Mark::Ring => {
            cv.circle(cx, cy, r, c);
            cv.circle(cx, cy, r * 0.62, bg);
            cv.circle(cx, cy, r * 0.3, c);
        }
        Mark::Cross => {
            let t = size * 0.32;
            cv.rect(cx - t / 2.0, y, t, size, c);
            cv.rect(x, cy - t / 2.0, size, t, c);
        }
        Mark::Shield => {
            let pts = [
                (x, y),
                (x + size, y),
                (x + size, cy),
                (cx, y + size),
                (x, cy),
            ];
            cv.polygon(&pts, c);
            let t = size * 0.16;
            cv.rect(cx - t / 2.0, y + size * 0.15, t, size * 0.55, bg);
            cv.rect(
                x + size * 0.22,
                cy - size * 0.1 - t / 2.0,
                size * 0.56,
                t,
                bg,
            );
        }
        Mark::Peaks => {
            cv.polygon(
                &[
                    (x, y + size),
                    (x + size * 0.38, y + size * 0.15),
                    (x + size * 0.7, y + size),
                ],
                c,
            );
            cv.polygon(
                &[
                    (x + size * 0.35, y + size),
                    (x + size * 0.7, y + size * 0.4),
                    (x + size, y + size),
                ],
                c,
            );
        }
        Mark::Bars => {
            for i in 0..4 {
                let h = size * (0.35 + 0.2 * i as f32);
                cv.rect(x + i as f32 * size * 0.26, y + size - h, size * 0.18, h, c);
            }
        }
        Mark::Petals => {
            for i in 0..6 {
                let a = i as f32 * TAU / 6.0;
                cv.circle(cx + a.cos() * r * 0.55, cy + a.sin() * r * 0.55, r * 0.4, c);
            }
            cv.circle(cx, cy, r * 0.25, bg);
        }
        Mark::Diamond => {
            let pts: Vec<(f32, f32)> = (0..4)
                .map(|i| {
                    (
                        cx + (i as f32 * PI / 2.0).cos() * r,
                        cy + (i as f32 * PI / 2.0).sin() * r,
                    )
                })
                .collect();
            cv.polygon(&pts, c);
            let inner: Vec<(f32, f32)> = pts
                .iter()
                .map(|&(px, py)| (cx + (px - cx) * 0.45, cy + (py - cy) * 0.45))
                .collect();
            cv.polygon(&inner, bg);
        }
    }
}

/// Mark plus wordmark; returns the total width in mm.
#[allow(clippy::too_many_arguments)]
pub fn draw_logo(
    cv: &mut Canvas,
    mark: Mark,
    x: f32,
    y: f32,
    h: f32,
    name: &str,
    word: &TextMm,
    c: Rgb,
    bg: Rgb,
) -> f32 {
    draw_mark(cv, mark, x, y, h, c, bg);
    let style = word.sized(h * 0.62);
    let w = cv.text(x + h * 1.25, y + h * 0.22, name, &style, c);
    h * 1.25 + w
}
