//! The random decisions for one scene, drawn up front: what is in it, how it is
//! lit and which labelled defects it has. Rendering then follows the plan.

use super::truth::{BlurKind, Exposure, BLUR_RULES, BRIGHT_MIN_GAIN, DARK_MAX_GAIN, OK_GAIN};
use super::{Difficulty, SceneConfig};
use crate::rng::{chance, uniform, Rng};
use crate::Side;
use std::f32::consts::{FRAC_PI_2, PI};

#[derive(Debug, Clone)]
pub struct Plan {
    pub has_card: bool,
    pub side: Side,
    pub design: u64,
    /// Untilted card width as a share of the frame's shorter side.
    pub card_size: f32,
    pub max_tilt: f32,
    pub roll: f32,
    /// The camera's focal length in units of the frame's longer side
    /// (phone main and 2× cameras, with the app's crop: 0.6–1.6).
    pub focal: f32,
    pub out_of_frame: bool,
    pub finger: bool,
    pub blur: BlurPlan,
    pub glare: bool,
    pub sheen: bool,
    pub exposure: Exposure,
    pub gain: f32,
    pub noise_sigma: f32,
    pub jpeg_quality: u8,
    pub cast_shadow: bool,
    pub distractors: usize,
    pub guide_frame: bool,
}

/// Blur as a share of the reference width (the card's width in pixels).
#[derive(Debug, Clone, Copy)]
pub struct BlurPlan {
    pub kind: BlurKind,
    /// Share of the reference width (defocus sigma or motion length).
    pub rel: f32,
    /// Motion direction, radians.
    pub angle: f32,
    pub blurred: bool,
}

impl BlurPlan {
    /// Strength in pixels for a reference width, respecting the pixel floors and
    /// ceilings of the label rules.
    pub fn pixels(&self, ref_w: f32) -> f32 {
        let r = &BLUR_RULES;
        let px = self.rel * ref_w;
        match (self.kind, self.blurred) {
            (BlurKind::None, _) => 0.0,
            (BlurKind::Defocus, true) => px.max(r.blur_min_px),
            (BlurKind::Motion, true) => px.max(3.0 * r.blur_min_px),
            (BlurKind::Defocus, false) => px.min(r.sharp_max_px),
            (BlurKind::Motion, false) => px.min(2.5 * r.sharp_max_px),
        }
    }
}

impl Plan {
    pub fn draw(rng: &mut Rng, cfg: &SceneConfig) -> Self {
        let hard = cfg.difficulty == Difficulty::Hard;
        let has_card = !(cfg.allow_no_card && chance(rng, cfg.no_card_rate));
        let side = if chance(rng, 0.5) {
            Side::Front
        } else {
            Side::Back
        };
        let design = rand::Rng::random(rng);
        let card_size = if hard {
            uniform(rng, 0.22, 1.2)
        } else {
            uniform(rng, 0.5, 1.05)
        };
        let max_tilt = if hard { 0.8 } else { 0.45 };
        let roll = draw_roll(rng, hard);
        let (exposure, gain) = draw_exposure(rng, hard);
        let blur = draw_blur(rng, hard);
        let noise_sigma = match exposure {
            Exposure::Dark => uniform(rng, 3.0, 8.0),
            _ => uniform(rng, 0.8, 3.5),
        };
        let glare = chance(rng, if hard { 0.3 } else { 0.2 });
        Self {
            has_card,
            side,
            design,
            card_size,
            max_tilt,
            roll,
            focal: uniform(rng, 0.6, 1.6),
            out_of_frame: chance(rng, if hard { 0.18 } else { 0.08 }),
            finger: chance(rng, if hard { 0.3 } else { 0.15 }),
            blur,
            glare,
            sheen: !glare && chance(rng, 0.25),
            exposure,
            gain,
            noise_sigma,
            jpeg_quality: if hard {
                uniform(rng, 35.0, 95.0)
            } else {
                uniform(rng, 60.0, 95.0)
            } as u8,
            cast_shadow: chance(rng, 0.3),
            distractors: draw_distractor_count(rng, has_card),
            guide_frame: chance(rng, if has_card { 0.1 } else { 0.25 }),
        }
    }
}

fn draw_roll(rng: &mut Rng, hard: bool) -> f32 {
    let any = if hard { 0.5 } else { 0.15 };
    let r: f32 = rand::Rng::random(rng);
    if r < any {
        uniform(rng, -PI, PI)
    } else if r < any + 0.2 {
        let quarter = [FRAC_PI_2, -FRAC_PI_2, PI][rand::Rng::random_range(rng, 0..3)];
        quarter + uniform(rng, -0.2, 0.2)
    } else {
        uniform(rng, -0.2, 0.2)
    }
}

fn draw_exposure(rng: &mut Rng, hard: bool) -> (Exposure, f32) {
    let (p_dark, p_bright) = if hard { (0.2, 0.2) } else { (0.08, 0.07) };
    let r: f32 = rand::Rng::random(rng);
    if r < p_dark {
        (Exposure::Dark, uniform(rng, 0.12, DARK_MAX_GAIN))
    } else if r < p_dark + p_bright {
        (Exposure::Bright, uniform(rng, BRIGHT_MIN_GAIN, 2.8))
    } else {
        (Exposure::Ok, uniform(rng, OK_GAIN.0, OK_GAIN.1))
    }
}

fn draw_blur(rng: &mut Rng, hard: bool) -> BlurPlan {
    let r = &BLUR_RULES;
    let blurred = chance(rng, if hard { 0.3 } else { 0.22 });
    let angle = uniform(rng, 0.0, PI);
    if blurred {
        if chance(rng, 0.6) {
            BlurPlan {
                kind: BlurKind::Defocus,
                rel: uniform(rng, r.blur_defocus, r.blur_defocus * 3.0),
                angle,
                blurred,
            }
        } else {
            BlurPlan {
                kind: BlurKind::Motion,
                rel: uniform(rng, r.blur_motion, r.blur_motion * 3.5),
                angle,
                blurred,
            }
        }
    } else if chance(rng, 0.5) {
        // Sharp but not perfectly crisp: a slight softness well inside the sharp band.
        BlurPlan {
            kind: BlurKind::Defocus,
            rel: uniform(rng, 0.0, r.sharp_defocus),
            angle,
            blurred,
        }
    } else {
        BlurPlan {
            kind: BlurKind::None,
            rel: 0.0,
            angle,
            blurred,
        }
    }
}

fn draw_distractor_count(rng: &mut Rng, has_card: bool) -> usize {
    let r: f32 = rand::Rng::random(rng);
    if has_card {
        usize::from(r < 0.25)
    } else if r < 0.15 {
        0
    } else if r < 0.7 {
        1
    } else {
        2 + usize::from(r > 0.9)
    }
}
