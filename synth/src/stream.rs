//! A bundled handheld video: an empty table, the card entering and coming closer
//! (motion-blurred), held steady and sharp long enough for auto-capture, flipped,
//! and the back held steady. Used by `cardscan demo`, `cardscan scan` tests and
//! the binding tests, with ground truth for every frame.

use crate::card::{CardSpec, CARD_H_MM, CARD_W_MM};
use crate::geom::{self, Quad};
use crate::rng::{normal, rng_for, uniform};
use crate::scene::background::{self, Background};
use crate::scene::placement::{project, Pose};
use crate::scene::truth::{BlurKind, CardTruth, Exposure, GroundTruth, SceneKind, BLUR_RULES};
use crate::scene::{blur, card_width_px, effects, noise, shadow, warp};
use crate::y4m::{I420Frame, Y4mHeader, Y4mWriter};
use crate::Side;
use image::RgbImage;

pub const STREAM_WIDTH: u32 = 960;
pub const STREAM_HEIGHT: u32 = 540;
pub const STREAM_FPS: u32 = 15;
/// Seconds of video.
pub const STREAM_SECONDS: f32 = 5.0;

/// Frames (I420, as a camera hands them over), their rate and their truth.
#[derive(Debug, Clone)]
pub struct SampleStream {
    pub fps: u32,
    pub frames: Vec<I420Frame>,
    pub truth: Vec<GroundTruth>,
}

impl SampleStream {
    pub fn header(&self) -> Y4mHeader {
        Y4mHeader {
            width: STREAM_WIDTH,
            height: STREAM_HEIGHT,
            fps_num: self.fps,
            fps_den: 1,
        }
    }

    /// The stream as `.y4m` bytes.
    pub fn to_y4m(&self) -> Vec<u8> {
        let mut out = Vec::new();
        if let Ok(mut w) = Y4mWriter::new(&mut out, self.header()) {
            for f in &self.frames {
                // Frames are built at the header's size, so this cannot mismatch.
                if w.write_frame(f).is_err() {
                    break;
                }
            }
        }
        out
    }
}

/// Where the card is in one frame.
#[derive(Debug, Clone, Copy)]
struct CardState {
    cx: f32,
    cy: f32,
    /// Untilted width in pixels.
    size: f32,
    roll: f32,
    /// Rotation about the card's vertical axis (the flip), radians in [0, π].
    flip: f32,
}

/// The timeline, in seconds.
const EMPTY_UNTIL: f32 = 0.6;
const ENTER_UNTIL: f32 = 1.3;
const APPROACH_UNTIL: f32 = 1.9;
const FRONT_STEADY_UNTIL: f32 = 3.0;
const FLIP_UNTIL: f32 = 3.6;

fn state_at(t: f32, w: f32, h: f32) -> Option<CardState> {
    let far = CardState {
        cx: 0.62 * w,
        cy: 0.55 * h,
        size: 0.45 * w,
        roll: 0.12,
        flip: 0.0,
    };
    let near = CardState {
        cx: 0.5 * w,
        cy: 0.5 * h,
        size: 0.78 * w,
        roll: 0.03,
        flip: 0.0,
    };
    let lerp = |a: CardState, b: CardState, k: f32| CardState {
        cx: a.cx + (b.cx - a.cx) * k,
        cy: a.cy + (b.cy - a.cy) * k,
        size: a.size + (b.size - a.size) * k,
        roll: a.roll + (b.roll - a.roll) * k,
        flip: a.flip + (b.flip - a.flip) * k,
    };
    if t < EMPTY_UNTIL {
        None
    } else if t < ENTER_UNTIL {
        let start = CardState {
            cx: w + 0.3 * far.size,
            cy: 0.7 * h,
            roll: 0.35,
            ..far
        };
        Some(lerp(
            start,
            far,
            (t - EMPTY_UNTIL) / (ENTER_UNTIL - EMPTY_UNTIL),
        ))
    } else if t < APPROACH_UNTIL {
        Some(lerp(
            far,
            near,
            (t - ENTER_UNTIL) / (APPROACH_UNTIL - ENTER_UNTIL),
        ))
    } else if t < FRONT_STEADY_UNTIL {
        Some(near)
    } else if t < FLIP_UNTIL {
        Some(CardState {
            flip: std::f32::consts::PI * (t - FRONT_STEADY_UNTIL)
                / (FLIP_UNTIL - FRONT_STEADY_UNTIL),
            ..near
        })
    } else {
        Some(CardState {
            flip: std::f32::consts::PI,
            ..near
        })
    }
}

/// The visible side and the quad for a state (the back is seen after half a flip).
fn quad_for(s: &CardState) -> (Side, Quad) {
    let (side, yaw) = if s.flip <= std::f32::consts::FRAC_PI_2 {
        (Side::Front, s.flip)
    } else {
        (Side::Back, s.flip - std::f32::consts::PI)
    };
    // Keep the card from going exactly edge-on (a degenerate quad).
    let yaw = yaw.clamp(-1.45, 1.45);
    let pose = Pose {
        pitch: 0.05,
        yaw,
        roll: s.roll,
        size_px: s.size,
        cx: s.cx,
        cy: s.cy,
    };
    (side, project(CARD_W_MM, CARD_H_MM, &pose, 3.0))
}

/// The sample stream for `seed` (the same frames for the same seed).
pub fn sample_stream(seed: u64) -> SampleStream {
    let (w, h) = (STREAM_WIDTH, STREAM_HEIGHT);
    let mut rng = rng_for(seed, 0x51DE0);
    let bg_kind = *crate::rng::pick(
        &mut rng,
        &[
            Background::Wood,
            Background::DarkTable,
            Background::Fabric,
            Background::Stone,
        ],
    );
    let table = background::paint(&mut rng, bg_kind, w, h);
    let design = seed;
    let spec = CardSpec::random(design);
    let ppm = 0.8 * w as f32 / CARD_W_MM * 1.1;
    let faces = [spec.render(Side::Front, ppm), spec.render(Side::Back, ppm)];
    let gain = uniform(&mut rng, 0.9, 1.1);
    let light = effects::Lighting::random(&mut rng, gain);
    let mut fast = noise::Fast::from_rng(&mut rng);
    let n = (STREAM_SECONDS * STREAM_FPS as f32).round() as usize;
    let dt = 1.0 / STREAM_FPS as f32;
    let mut prev: Option<Quad> = None;
    let (mut frames, mut truth) = (Vec::with_capacity(n), Vec::with_capacity(n));
    for i in 0..n {
        let t = i as f32 * dt;
        let state = state_at(t, w as f32, h as f32).map(|mut s| {
            // Hand tremor: well under a pixel, so steady frames stay sharp.
            s.cx += 0.25 * normal(&mut rng);
            s.cy += 0.25 * normal(&mut rng);
            s
        });
        let placed = state.map(|s| quad_for(&s));
        let mut img = table.clone();
        let mut label = FrameBlur {
            blurred: false,
            px: 0.0,
        };
        if let Some((side, q)) = &placed {
            shadow::drop_shadow(&mut img, q, 4.0, 6.0, 0.3, 5.0);
            let face = if *side == Side::Front {
                &faces[0]
            } else {
                &faces[1]
            };
            warp::warp_into(&mut img, face, q);
        }
        light.apply(&mut img);
        if let (Some((_, q)), Some(p)) = (&placed, &prev) {
            label = motion_between(p, q);
            if label.px > 1.0 {
                img = blur::motion(&img, label.px, label.angle(p, q));
            }
        }
        effects::sensor_noise(&mut img, &mut fast, 1.5);
        prev = placed.map(|(_, q)| q);
        truth.push(frame_truth(seed, w, h, bg_kind, placed, label, design));
        frames.push(I420Frame::from_rgb(&img));
    }
    SampleStream {
        fps: STREAM_FPS,
        frames,
        truth,
    }
}

struct FrameBlur {
    blurred: bool,
    px: f32,
}

impl FrameBlur {
    fn angle(&self, a: &Quad, b: &Quad) -> f32 {
        let (ca, cb) = (centroid(a), centroid(b));
        (cb[1] - ca[1]).atan2(cb[0] - ca[0])
    }
}

fn centroid(q: &Quad) -> [f32; 2] {
    [
        q.iter().map(|p| p[0]).sum::<f32>() / 4.0,
        q.iter().map(|p| p[1]).sum::<f32>() / 4.0,
    ]
}

/// Motion during the exposure (half the frame interval): half the largest corner
/// displacement since the previous frame; labelled with the scene rules.
fn motion_between(a: &Quad, b: &Quad) -> FrameBlur {
    let d = (0..4)
        .map(|i| ((a[i][0] - b[i][0]).powi(2) + (a[i][1] - b[i][1]).powi(2)).sqrt())
        .fold(0.0, f32::max);
    let px = d * 0.5;
    let cw = card_width_px(b);
    let blurred = px >= (BLUR_RULES.blur_motion * cw).max(3.0 * BLUR_RULES.blur_min_px);
    FrameBlur { blurred, px }
}

fn frame_truth(
    seed: u64,
    w: u32,
    h: u32,
    bg: Background,
    placed: Option<(Side, Quad)>,
    blur: FrameBlur,
    design: u64,
) -> GroundTruth {
    let card = placed.map(|(side, q)| {
        let area = geom::polygon_area(&q);
        CardTruth {
            corners: q,
            side,
            visible_fraction: geom::visible_fraction(&q, w as f32, h as f32),
            occluded_fraction: 0.0,
            dpi: (area / ((CARD_W_MM / 25.4) * (CARD_H_MM / 25.4))).sqrt(),
            design,
        }
    });
    let ref_w = card.as_ref().map_or(1.0, |c| card_width_px(&c.corners));
    GroundTruth {
        seed,
        width: w,
        height: h,
        kind: if card.is_some() {
            SceneKind::Card
        } else {
            SceneKind::NoCard
        },
        card,
        blur: blur.blurred,
        blur_kind: if blur.px > 0.0 {
            BlurKind::Motion
        } else {
            BlurKind::None
        },
        blur_strength: blur.px / ref_w,
        glare: false,
        glare_fraction: 0.0,
        exposure: Exposure::Ok,
        background: bg,
        distractors: Vec::new(),
        focal_px: None,
    }
}

/// Convenience for callers that want RGB frames.
pub fn frame_rgb(stream: &SampleStream, index: usize) -> Option<RgbImage> {
    stream.frames.get(index).map(I420Frame::to_rgb)
}
