//! Photographs of cards that never existed: a card (or none) with perspective on
//! a surface, with distractors, shadows, light, glare, fingers, blur, noise and
//! JPEG artefacts, plus ground truth for each.

pub mod background;
pub(crate) mod blur;
mod distractors;
pub(crate) mod effects;
mod finger;
mod glare;
pub(crate) mod noise;
pub(crate) mod placement;
mod plan;
pub(crate) mod shadow;
pub mod truth;
pub(crate) mod warp;

use crate::card::{CardSpec, CARD_H_MM, CARD_W_MM};
use crate::geom::{self, Quad};
use crate::rng::{chance, pick, rng_for, uniform, Rng};
use image::RgbImage;
use plan::Plan;
use serde::{Deserialize, Serialize};
use truth::{BlurKind, CardTruth, Distractor, DistractorKind, GroundTruth, SceneKind};

/// Card area in square inches (ID-1), for effective DPI.
const CARD_AREA_IN2: f32 = (CARD_W_MM / 25.4) * (CARD_H_MM / 25.4);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Difficulty {
    /// What a patient produces following the app's prompts most of the time.
    #[default]
    Normal,
    /// Small and steeply tilted cards, any rotation, more occlusion, darker and
    /// brighter rooms, stronger JPEG compression.
    Hard,
}

/// What to generate.
#[derive(Debug, Clone, PartialEq)]
pub struct SceneConfig {
    pub width: u32,
    pub height: u32,
    /// Whether some scenes have no card (see `no_card_rate`).
    pub allow_no_card: bool,
    /// Share of card-free scenes when allowed.
    pub no_card_rate: f32,
    pub difficulty: Difficulty,
    /// Draw the frame size per scene from common camera sizes (landscape and
    /// portrait) instead of `width`×`height`.
    pub vary_frame: bool,
    /// Re-encode as JPEG at a random quality (artefacts as in a phone photo).
    pub jpeg: bool,
}

impl Default for SceneConfig {
    fn default() -> Self {
        Self {
            width: 1280,
            height: 720,
            allow_no_card: true,
            no_card_rate: 0.18,
            difficulty: Difficulty::Normal,
            vary_frame: false,
            jpeg: true,
        }
    }
}

/// One generated picture and what is in it.
#[derive(Debug, Clone)]
pub struct Scene {
    pub image: RgbImage,
    pub truth: GroundTruth,
}

const FRAMES: [(u32, u32); 6] = [
    (1280, 720),
    (720, 1280),
    (1920, 1080),
    (1080, 1920),
    (1024, 768),
    (768, 1024),
];

/// The scene for `seed`: always the same picture and truth for the same seed and
/// configuration.
pub fn scene(seed: u64, cfg: &SceneConfig) -> Scene {
    let mut rng = rng_for(seed, 1);
    let (w, h) = if cfg.vary_frame {
        *pick(&mut rng, &FRAMES)
    } else {
        (cfg.width.max(16), cfg.height.max(16))
    };
    let plan = Plan::draw(&mut rng, cfg);
    let bg_kind = background::Background::random(&mut rng);
    let mut img = background::paint(&mut rng_for(seed, 2), bg_kind, w, h);
    let mut drng = rng_for(seed, 3);
    let mut found = Vec::new();
    for _ in 0..plan.distractors {
        found.push(add_distractor(
            &mut drng,
            &mut img,
            plan.has_card,
            plan.focal,
        ));
    }
    let mut crng = rng_for(seed, 4);
    let card_quad = if plan.has_card {
        place_card(&mut crng, &plan, w as f32, h as f32)
    } else {
        None
    };
    let mut finger_mask = None;
    if let Some(q) = &card_quad {
        draw_card(&mut crng, &mut img, &plan, q);
        if plan.finger {
            let f = finger::Finger::over_edge(&mut crng, q, card_height_px(q));
            finger_mask = Some(f.draw(&mut img));
        }
    }
    let mut erng = rng_for(seed, 5);
    if plan.cast_shadow {
        let poly = shadow_blob(&mut erng, w as f32, h as f32);
        shadow::cast(
            &mut img,
            &poly,
            uniform(&mut erng, 0.2, 0.5),
            uniform(&mut erng, 10.0, 40.0),
        );
    }
    if plan.guide_frame {
        found.push(Distractor {
            kind: DistractorKind::GuideFrame,
            corners: distractors::guide_frame(&mut erng, &mut img),
        });
    }
    effects::Lighting::random(&mut erng, plan.gain).apply(&mut img);
    let glare_fraction = match &card_quad {
        Some(q) => add_glare(&mut erng, &mut img, &plan, q, finger_mask.as_ref()),
        None => 0.0,
    };
    let ref_w = card_quad
        .as_ref()
        .map(card_width_px)
        .unwrap_or(w.min(h) as f32 * 0.6);
    let blur_px = plan.blur.pixels(ref_w);
    img = match plan.blur.kind {
        BlurKind::None => img,
        BlurKind::Defocus => blur::defocus(&img, blur_px),
        BlurKind::Motion => blur::motion(&img, blur_px, plan.blur.angle),
    };
    effects::sensor_noise(
        &mut img,
        &mut noise::Fast::from_rng(&mut erng),
        plan.noise_sigma,
    );
    if cfg.jpeg {
        img = effects::jpeg_artifacts(&img, plan.jpeg_quality);
    }
    let card = card_quad.map(|q| card_truth(&q, &plan, w, h, finger_mask.as_ref()));
    let truth = GroundTruth {
        seed,
        width: w,
        height: h,
        kind: if card.is_some() {
            SceneKind::Card
        } else {
            SceneKind::NoCard
        },
        card,
        blur: plan.blur.blurred,
        blur_kind: plan.blur.kind,
        blur_strength: blur_px / ref_w,
        glare: glare_fraction >= truth::GLARE_MIN_FRACTION,
        glare_fraction,
        exposure: plan.exposure,
        background: bg_kind,
        distractors: found,
        focal_px: Some(plan.focal * w.max(h) as f32),
    };
    Scene { image: img, truth }
}

/// Card width in pixels: the mean length of its top and bottom edges.
pub fn card_width_px(q: &Quad) -> f32 {
    (dist(q[0], q[1]) + dist(q[3], q[2])) / 2.0
}

fn card_height_px(q: &Quad) -> f32 {
    (dist(q[0], q[3]) + dist(q[1], q[2])) / 2.0
}

fn dist(a: [f32; 2], b: [f32; 2]) -> f32 {
    ((a[0] - b[0]).powi(2) + (a[1] - b[1]).powi(2)).sqrt()
}

/// Projects and positions the card; `None` only if no placement fits at all.
/// The card is projected on the optical axis, then the camera turns (see
/// [`placement::pan`]) so it lands where a 2-D placement put it.
fn place_card(rng: &mut Rng, plan: &Plan, w: f32, h: f32) -> Option<Quad> {
    let mut size = plan.card_size * w.min(h);
    let focal = plan.focal * w.max(h);
    let margin = (0.02 * w.min(h)).max(4.0);
    for _ in 0..12 {
        let pose = placement::random_pose(rng, w, h, size, plan.max_tilt, plan.roll);
        let q = placement::project(CARD_W_MM, CARD_H_MM, &pose, focal / size);
        if let Some(inside) = placement::place_inside(rng, &q, w, h, margin) {
            let target = if plan.out_of_frame {
                push_out(rng, &inside, w, h)
            } else {
                inside
            };
            let panned = pan_to(&q, &target, focal, w, h);
            if plan.out_of_frame || fits(&panned, w, h, margin) {
                return Some(panned);
            }
        }
        size *= 0.85;
    }
    None
}

/// `q` (centred in the frame) seen with the camera turned so its first
/// corner lands where `target`'s is: `target` is `q` moved in 2-D.
fn pan_to(q: &Quad, target: &Quad, focal: f32, w: f32, h: f32) -> Quad {
    let shift = [target[0][0] - q[0][0], target[0][1] - q[0][1]];
    placement::pan(q, shift, focal, [w / 2.0, h / 2.0])
}

fn fits(q: &Quad, w: f32, h: f32, margin: f32) -> bool {
    let (x0, y0, x1, y1) = geom::bounds(q);
    x0 >= margin && y0 >= margin && x1 <= w - margin && y1 <= h - margin
}

/// Slides a card that fits toward a random border until 55–95 % stays visible.
fn push_out(rng: &mut Rng, q: &Quad, w: f32, h: f32) -> Quad {
    let target = uniform(rng, 0.55, 0.95);
    let a = uniform(rng, 0.0, std::f32::consts::TAU);
    let (dx, dy) = (a.cos(), a.sin());
    let mut step = w.max(h) / 200.0;
    let mut cur = *q;
    for _ in 0..400 {
        let next = cur.map(|p| [p[0] + dx * step, p[1] + dy * step]);
        if geom::visible_fraction(&next, w, h) < target {
            step /= 2.0;
            if step < 0.05 {
                break;
            }
            continue;
        }
        cur = next;
    }
    cur
}

fn draw_card(rng: &mut Rng, img: &mut RgbImage, plan: &Plan, q: &Quad) {
    let cw = card_width_px(q);
    // Lifted edges cast a soft offset shadow on the surface.
    let off = cw * uniform(rng, 0.005, 0.02);
    let a = uniform(rng, 0.0, std::f32::consts::TAU);
    shadow::drop_shadow(
        img,
        q,
        a.cos() * off,
        a.sin() * off,
        uniform(rng, 0.15, 0.45),
        uniform(rng, 2.0, 8.0),
    );
    let longest = (0..4)
        .map(|i| dist(q[i], q[(i + 1) % 4]))
        .fold(0.0, f32::max);
    let ppm = (longest / CARD_W_MM * 1.1).clamp(1.0, 12.0);
    let face = CardSpec::random(plan.design).render(plan.side, ppm);
    warp::warp_into(img, &face, q);
}

fn add_glare(
    rng: &mut Rng,
    img: &mut RgbImage,
    plan: &Plan,
    q: &Quad,
    occ: Option<&image::GrayImage>,
) -> f32 {
    let (w, h) = img.dimensions();
    let cw = card_width_px(q);
    if plan.sheen {
        // A faint sheen: never strong enough to wash anything out.
        let peak = uniform(rng, 0.15, 0.45);
        let g = glare::Glare::random(rng, q, cw, peak);
        g.apply(img, q, occ);
        return 0.0;
    }
    if !plan.glare {
        return 0.0;
    }
    let peak = uniform(rng, 0.93, 1.0);
    let mut g = glare::Glare::random(rng, q, cw, peak);
    for _ in 0..10 {
        let f = g.washed_fraction(q, w, h, occ);
        if f >= truth::GLARE_DRAWN_MIN_FRACTION {
            g.apply(img, q, occ);
            return f;
        }
        g.grow(1.25);
    }
    0.0
}

fn add_distractor(rng: &mut Rng, img: &mut RgbImage, beside_card: bool, focal: f32) -> Distractor {
    use DistractorKind::*;
    let kind = *pick(rng, &[Paper, Paper, Phone, Phone, Screen, Book]);
    let (wm, hm) = distractors::size_mm(rng, kind);
    let (w, h) = (img.width() as f32, img.height() as f32);
    let rel = match kind {
        Paper => uniform(rng, 0.6, 1.6),
        Phone => uniform(rng, 0.3, 0.9),
        Screen => uniform(rng, 0.6, 1.4),
        _ => uniform(rng, 0.4, 1.0),
    } * if beside_card { 0.8 } else { 1.0 };
    let size_w = rel * w.min(h) * wm / wm.max(hm);
    let roll = if chance(rng, 0.6) {
        uniform(rng, -0.3, 0.3)
    } else {
        uniform(rng, -3.2, 3.2)
    };
    let pose = placement::random_pose(rng, w, h, size_w, 0.5, roll);
    // The scene's camera, as for the card (see `place_card`).
    let focal = focal * w.max(h);
    // `project` scales the longer side's distance: focal = size_w · ratio · max / wm.
    let q = placement::project(wm, hm, &pose, focal * wm / (size_w.max(1.0) * wm.max(hm)));
    let moved = placement::center_at(&q, uniform(rng, 0.1, 0.9) * w, uniform(rng, 0.1, 0.9) * h);
    let q = pan_to(&q, &moved, focal, w, h);
    let longest = (0..4)
        .map(|i| dist(q[i], q[(i + 1) % 4]))
        .fold(0.0, f32::max);
    let budget = (1.2e6 / (wm * hm)).sqrt();
    let ppm = (longest / wm.max(hm) * 1.1).min(budget).max(0.5);
    let flat = distractors::render(rng, kind, wm, hm, ppm);
    shadow::drop_shadow(img, &q, 3.0, 4.0, uniform(rng, 0.1, 0.35), 6.0);
    warp::warp_into(img, &flat, &q);
    Distractor { kind, corners: q }
}

/// A big soft blob: the shadow of a hand or phone held over the scene.
fn shadow_blob(rng: &mut Rng, w: f32, h: f32) -> Vec<[f32; 2]> {
    let (cx, cy) = (uniform(rng, 0.0, w), uniform(rng, 0.0, h));
    let r = uniform(rng, 0.2, 0.6) * w.min(h);
    let n = 7;
    (0..n)
        .map(|i| {
            let a = i as f32 / n as f32 * std::f32::consts::TAU;
            let rr = r * uniform(rng, 0.6, 1.4);
            [cx + a.cos() * rr * 1.6, cy + a.sin() * rr]
        })
        .collect()
}

fn card_truth(
    q: &Quad,
    plan: &Plan,
    w: u32,
    h: u32,
    finger: Option<&image::GrayImage>,
) -> CardTruth {
    let area = geom::polygon_area(q);
    let occluded = finger.map_or(0.0, |m| {
        let mut n = 0u32;
        glare::for_card_pixels(q, w, h, None, |x, y| {
            n += u32::from(m.get_pixel(x, y).0[0] >= 128)
        });
        n as f32 / area.max(1.0)
    });
    CardTruth {
        corners: *q,
        side: plan.side,
        visible_fraction: geom::visible_fraction(q, w as f32, h as f32),
        occluded_fraction: occluded,
        dpi: (area / CARD_AREA_IN2).sqrt(),
        design: plan.design,
    }
}
