//! Colour schemes and type styles of a card: white cards, pastel cards, saturated
//! and dark cards, with accents, so detectors meet low- and high-contrast cards.

use super::canvas::{luma, mix, Rgb, TextMm};
use crate::rng::{chance, pick, uniform, Rng};
use rand::Rng as _;

#[derive(Debug, Clone)]
pub struct Palette {
    /// Card stock (top and bottom of a vertical gradient; equal when flat).
    pub base_top: Rgb,
    pub base_bottom: Rgb,
    /// Bands, logo, stripes.
    pub accent: Rgb,
    pub accent2: Rgb,
    /// Main text on the card stock, and labels.
    pub ink: Rgb,
    pub label: Rgb,
    /// Text on accent bands.
    pub on_accent: Rgb,
}

const ACCENTS: [Rgb; 14] = [
    [0, 82, 155],
    [0, 120, 190],
    [0, 150, 136],
    [46, 125, 50],
    [198, 40, 40],
    [106, 27, 154],
    [239, 108, 0],
    [0, 61, 104],
    [21, 101, 192],
    [183, 28, 28],
    [0, 105, 92],
    [255, 179, 0],
    [69, 90, 100],
    [142, 36, 170],
];
const DARKS: [Rgb; 6] = [
    [16, 24, 48],
    [20, 20, 22],
    [10, 50, 40],
    [70, 10, 30],
    [30, 30, 60],
    [40, 44, 52],
];
const LIGHTS: [Rgb; 6] = [
    [255, 255, 255],
    [250, 250, 246],
    [244, 246, 250],
    [252, 250, 240],
    [238, 244, 252],
    [246, 250, 246],
];

impl Palette {
    pub fn random(rng: &mut Rng) -> Self {
        let accent = *pick(rng, &ACCENTS);
        let mut accent2 = *pick(rng, &ACCENTS);
        if accent2 == accent {
            accent2 = mix(accent, [255, 255, 255], 0.45);
        }
        let kind = rng.random_range(0..10);
        let (base_top, base_bottom) = match kind {
            0..=3 => {
                let c = *pick(rng, &LIGHTS);
                (c, c)
            }
            4..=5 => {
                let c = mix(*pick(rng, &LIGHTS), accent, uniform(rng, 0.08, 0.25));
                (c, mix(c, [255, 255, 255], uniform(rng, 0.0, 0.5)))
            }
            6..=7 => {
                let c = *pick(rng, &DARKS);
                (c, mix(c, accent, uniform(rng, 0.0, 0.4)))
            }
            _ => {
                let c = mix(accent, [0, 0, 0], uniform(rng, 0.0, 0.3));
                (c, mix(c, accent2, uniform(rng, 0.0, 0.6)))
            }
        };
        let dark_card = luma(mix(base_top, base_bottom, 0.5)) < 0.5;
        let ink = if dark_card {
            [250, 250, 250]
        } else {
            *pick(rng, &[[20, 20, 24], [30, 40, 60], [40, 40, 40]])
        };
        let label = if dark_card {
            mix(ink, accent2, 0.3)
        } else {
            mix(ink, accent, uniform(rng, 0.3, 0.8))
        };
        let on_accent = if luma(accent) < 0.6 {
            [255, 255, 255]
        } else {
            [20, 20, 20]
        };
        Self {
            base_top,
            base_bottom,
            accent,
            accent2,
            ink,
            label,
            on_accent,
        }
    }

    pub fn is_dark(&self) -> bool {
        luma(mix(self.base_top, self.base_bottom, 0.5)) < 0.5
    }
}

/// A card's "typeface": one family of styles derived from a base.
#[derive(Debug, Clone, Copy)]
pub struct Typeface {
    pub body: TextMm,
}

impl Typeface {
    pub fn random(rng: &mut Rng) -> Self {
        let body = TextMm {
            size: uniform(rng, 2.0, 2.6),
            width: uniform(rng, 0.7, 1.05),
            weight: if chance(rng, 0.3) {
                uniform(rng, 0.3, 0.7)
            } else {
                uniform(rng, 0.0, 0.2)
            },
            slant: if chance(rng, 0.15) {
                uniform(rng, 0.1, 0.22)
            } else {
                0.0
            },
            spacing: uniform(rng, -0.6, 0.6),
            smooth: !chance(rng, 0.15),
        };
        Self { body }
    }

    pub fn label(&self) -> TextMm {
        TextMm {
            size: self.body.size * 0.72,
            weight: 0.0,
            ..self.body
        }
    }

    pub fn value(&self) -> TextMm {
        self.body.bold()
    }

    pub fn small(&self) -> TextMm {
        TextMm {
            size: self.body.size * 0.68,
            weight: self.body.weight * 0.5,
            slant: 0.0,
            ..self.body
        }
    }

    pub fn title(&self, size: f32) -> TextMm {
        TextMm {
            size,
            ..self.body.bold()
        }
    }
}
