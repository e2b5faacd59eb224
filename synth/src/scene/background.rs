//! Surfaces a card is photographed on: wood, fabric, paper, clutter, skin, dark
//! and white tables, gradients and noise textures (marble, granite, carpet).
//!
//! Textures are computed at half resolution and upsampled (they are soft anyway,
//! and it keeps a 720p scene fast); clutter is drawn at full resolution so its
//! edges are as crisp as a card's, which is what makes it a hard negative.

use super::noise::{fbm, Fast};
use crate::card::canvas::mix;
use crate::font::{draw_text, FontStyle};
use crate::rng::{chance, pick, uniform, Rng};
use image::{Rgb, RgbImage, RgbaImage};
use imageproc::drawing::{
    draw_filled_circle_mut, draw_filled_rect_mut, draw_line_segment_mut, draw_polygon_mut,
};
use imageproc::point::Point;
use imageproc::rect::Rect;
use rand::Rng as _;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Background {
    Wood,
    Fabric,
    Paper,
    Clutter,
    Skin,
    DarkTable,
    WhiteTable,
    Gradient,
    Stone,
    Carpet,
}

const ALL: [Background; 10] = [
    Background::Wood,
    Background::Fabric,
    Background::Paper,
    Background::Clutter,
    Background::Skin,
    Background::DarkTable,
    Background::WhiteTable,
    Background::Gradient,
    Background::Stone,
    Background::Carpet,
];

impl Background {
    pub fn random(rng: &mut Rng) -> Self {
        *pick(rng, &ALL)
    }
}

type C = [u8; 3];

/// Paints the background `kind` over the whole `w`×`h` frame.
pub fn paint(rng: &mut Rng, kind: Background, w: u32, h: u32) -> RgbImage {
    let (hw, hh) = ((w / 2).max(1) as usize, (h / 2).max(1) as usize);
    let half = match kind {
        Background::Wood => wood(rng, hw, hh),
        Background::Fabric => fabric(rng, hw, hh),
        Background::Paper | Background::WhiteTable => {
            light_surface(rng, hw, hh, kind == Background::Paper)
        }
        Background::DarkTable => dark_surface(rng, hw, hh),
        Background::Skin => skin(rng, hw, hh),
        Background::Gradient | Background::Clutter => gradient(rng, hw, hh),
        Background::Stone => stone(rng, hw, hh),
        Background::Carpet => carpet(rng, hw, hh),
    };
    let mut img = crate::resample::upscale(&half, w, h);
    if kind == Background::Clutter {
        clutter(rng, &mut img);
    }
    img
}

fn from_fn(w: usize, h: usize, mut f: impl FnMut(usize, usize) -> C) -> RgbImage {
    let mut buf = Vec::with_capacity(w * h * 3);
    for y in 0..h {
        for x in 0..w {
            buf.extend_from_slice(&f(x, y));
        }
    }
    RgbImage::from_raw(w as u32, h as u32, buf).unwrap_or_else(|| RgbImage::new(w as u32, h as u32))
}

fn shade(c: C, k: f32) -> C {
    [
        (c[0] as f32 * k).min(255.0) as u8,
        (c[1] as f32 * k).min(255.0) as u8,
        (c[2] as f32 * k).min(255.0) as u8,
    ]
}

fn wood(rng: &mut Rng, w: usize, h: usize) -> RgbImage {
    const TONES: [(C, C); 5] = [
        ([196, 150, 100], [160, 110, 66]),
        ([120, 78, 46], [86, 52, 30]),
        ([222, 190, 148], [190, 150, 108]),
        ([70, 44, 28], [48, 30, 20]),
        ([170, 120, 80], [130, 84, 52]),
    ];
    let (light, dark) = *pick(rng, &TONES);
    let warp = fbm(rng, w, h, 60.0, 3);
    let fine = fbm(rng, w, h, 6.0, 2);
    let angle = uniform(rng, 0.0, std::f32::consts::PI);
    let (ca, sa) = (angle.cos(), angle.sin());
    let freq = uniform(rng, 0.05, 0.15);
    let planks = chance(rng, 0.5);
    let plank_w = uniform(rng, 40.0, 120.0);
    from_fn(w, h, |x, y| {
        let i = y * w + x;
        let across = x as f32 * -sa + y as f32 * ca;
        let t = ((across + warp[i] * 40.0) * freq).sin() * 0.5 + 0.5;
        let g = t.powf(3.0) * 0.7 + fine[i] * 0.3;
        let mut c = mix(light, dark, g);
        if planks && (across.rem_euclid(plank_w)) < 1.2 {
            c = shade(c, 0.6);
        }
        c
    })
}

fn fabric(rng: &mut Rng, w: usize, h: usize) -> RgbImage {
    const TONES: [C; 8] = [
        [60, 80, 120],
        [140, 40, 50],
        [90, 110, 80],
        [200, 190, 170],
        [40, 40, 46],
        [120, 90, 140],
        [180, 120, 60],
        [70, 100, 130],
    ];
    let base = *pick(rng, &TONES);
    let period = rng.random_range(3..7);
    let twill = chance(rng, 0.5);
    let mottle = fbm(rng, w, h, 40.0, 3);
    let mut fast = Fast::from_rng(rng);
    let contrast = uniform(rng, 0.1, 0.3);
    from_fn(w, h, |x, y| {
        let (cx, cy) = (x / period, y / period);
        let over = if twill {
            (x + y) / period % 2 == 0
        } else {
            (cx + cy) % 2 == 0
        };
        let phase = if over {
            (x % period) as f32
        } else {
            (y % period) as f32
        } / period as f32;
        let thread = 1.0 - contrast + contrast * (phase * std::f32::consts::PI).sin();
        let k = thread * (0.85 + 0.3 * mottle[y * w + x]) * (0.95 + 0.1 * fast.unit());
        shade(base, k)
    })
}

fn light_surface(rng: &mut Rng, w: usize, h: usize, paper: bool) -> RgbImage {
    let base: C = *pick(
        rng,
        &[
            [245, 245, 242],
            [236, 236, 232],
            [250, 248, 240],
            [228, 232, 236],
            [255, 255, 255],
        ],
    );
    let low = fbm(rng, w, h, 120.0, 3);
    let mut fast = Fast::from_rng(rng);
    let grain = if paper { 0.04 } else { 0.015 };
    from_fn(w, h, |x, y| {
        shade(
            base,
            0.92 + 0.08 * low[y * w + x] + grain * (fast.unit() - 0.5),
        )
    })
}

fn dark_surface(rng: &mut Rng, w: usize, h: usize) -> RgbImage {
    let base: C = *pick(
        rng,
        &[
            [30, 30, 32],
            [45, 36, 30],
            [20, 24, 30],
            [55, 55, 58],
            [15, 15, 15],
        ],
    );
    let low = fbm(rng, w, h, 90.0, 4);
    let mut fast = Fast::from_rng(rng);
    from_fn(w, h, |x, y| {
        shade(base, 0.8 + 0.5 * low[y * w + x] + 0.05 * fast.unit())
    })
}

fn skin(rng: &mut Rng, w: usize, h: usize) -> RgbImage {
    let base = *pick(rng, &SKIN);
    let low = fbm(rng, w, h, 80.0, 4);
    let mut fast = Fast::from_rng(rng);
    from_fn(w, h, |x, y| {
        shade(base, 0.8 + 0.35 * low[y * w + x] + 0.04 * fast.unit())
    })
}

/// Skin tones from light to deep, shared with the finger occluder.
pub const SKIN: [C; 8] = [
    [241, 194, 167],
    [224, 172, 138],
    [198, 134, 96],
    [161, 102, 70],
    [120, 76, 50],
    [86, 54, 38],
    [232, 185, 150],
    [180, 130, 100],
];

fn gradient(rng: &mut Rng, w: usize, h: usize) -> RgbImage {
    let a: C = [rng.random(), rng.random(), rng.random()];
    let b: C = mix(
        a,
        [rng.random(), rng.random(), rng.random()],
        uniform(rng, 0.2, 0.8),
    );
    let angle = uniform(rng, 0.0, std::f32::consts::TAU);
    let (ca, sa) = (angle.cos(), angle.sin());
    let span = (w as f32 * ca.abs() + h as f32 * sa.abs()).max(1.0);
    from_fn(w, h, |x, y| {
        let t = ((x as f32 - w as f32 / 2.0) * ca + (y as f32 - h as f32 / 2.0) * sa) / span + 0.5;
        mix(a, b, t.clamp(0.0, 1.0))
    })
}

fn stone(rng: &mut Rng, w: usize, h: usize) -> RgbImage {
    let a: C = *pick(
        rng,
        &[
            [220, 220, 215],
            [90, 90, 95],
            [180, 170, 160],
            [40, 42, 45],
            [200, 190, 175],
        ],
    );
    let b: C = *pick(
        rng,
        &[
            [120, 120, 125],
            [30, 30, 35],
            [240, 236, 230],
            [160, 150, 140],
        ],
    );
    let veins = fbm(rng, w, h, 100.0, 5);
    let mut fast = Fast::from_rng(rng);
    let speckle = uniform(rng, 0.0, 0.25);
    from_fn(w, h, |x, y| {
        let v = veins[y * w + x];
        let t = (1.0 - ((v * 14.0).sin()).abs()).powf(6.0);
        let c = mix(a, b, t * 0.8);
        if fast.unit() < speckle * 0.3 {
            mix(c, b, 0.6)
        } else {
            c
        }
    })
}

fn carpet(rng: &mut Rng, w: usize, h: usize) -> RgbImage {
    let base: C = [
        rng.random_range(40..200),
        rng.random_range(40..200),
        rng.random_range(40..200),
    ];
    let low = fbm(rng, w, h, 30.0, 3);
    let mut fast = Fast::from_rng(rng);
    from_fn(w, h, |x, y| {
        shade(base, 0.75 + 0.3 * low[y * w + x] + 0.25 * fast.unit())
    })
}

/// Random shapes, strokes and scraps of text at full resolution.
fn clutter(rng: &mut Rng, img: &mut RgbImage) {
    let (w, h) = (img.width() as f32, img.height() as f32);
    let n = rng.random_range(8..30);
    for _ in 0..n {
        let c = Rgb([rng.random(), rng.random(), rng.random()]);
        let (x, y) = (uniform(rng, -0.1, 1.0) * w, uniform(rng, -0.1, 1.0) * h);
        let s = uniform(rng, 0.03, 0.25) * w.min(h);
        match rng.random_range(0..5) {
            0 => draw_filled_rect_mut(
                img,
                Rect::at(x as i32, y as i32)
                    .of_size(s as u32 + 1, (s * uniform(rng, 0.2, 2.0)) as u32 + 1),
                c,
            ),
            1 => draw_filled_circle_mut(img, (x as i32, y as i32), (s / 2.0) as i32 + 1, c),
            2 => {
                let k = rng.random_range(3..7);
                let mut pts: Vec<Point<i32>> = (0..k)
                    .map(|i| {
                        let a =
                            i as f32 / k as f32 * std::f32::consts::TAU + uniform(rng, -0.3, 0.3);
                        let r = s * uniform(rng, 0.4, 1.0);
                        Point::new((x + a.cos() * r) as i32, (y + a.sin() * r) as i32)
                    })
                    .collect();
                pts.dedup();
                if pts.len() >= 3 && pts.first() != pts.last() {
                    draw_polygon_mut(img, &pts, c);
                }
            }
            3 => {
                for k in 0..rng.random_range(1..6) {
                    let o = k as f32 * 3.0;
                    draw_line_segment_mut(
                        img,
                        (x + o, y),
                        (x + s * 2.0 + o, y + uniform(rng, -s, s)),
                        c,
                    );
                }
            }
            _ => text_scrap(rng, img, x, y, c.0),
        }
    }
}

fn text_scrap(rng: &mut Rng, img: &mut RgbImage, x: f32, y: f32, c: C) {
    let size = uniform(rng, 8.0, 28.0);
    let style = FontStyle {
        size_px: size,
        ..FontStyle::regular(size)
    };
    let word = crate::rng::word(rng, 3, 12);
    // Draw onto a small RGBA patch, then composite where ink landed.
    let pw = style.text_width(&word).ceil() as u32 + 2;
    let ph = size.ceil() as u32 + 2;
    let mut rgba = RgbaImage::new(pw, ph);
    draw_text(&mut rgba, 1.0, 1.0, &word, &style, [255, 255, 255]);
    for (px, py, p) in rgba.enumerate_pixels() {
        let a = p.0[0] as f32 / 255.0;
        let (tx, ty) = (x as i64 + px as i64, y as i64 + py as i64);
        if a > 0.0 && tx >= 0 && ty >= 0 && (tx as u32) < img.width() && (ty as u32) < img.height()
        {
            let q = img.get_pixel_mut(tx as u32, ty as u32);
            for (q, &c) in q.0.iter_mut().zip(&c) {
                *q = (*q as f32 * (1.0 - a) + c as f32 * a) as u8;
            }
        }
    }
}
