//! Ground truth written next to every scene (serde JSON), and the rules that
//! turn what was drawn into the labels detectors are scored against.

use super::background::Background;
use crate::Side;
use serde::{Deserialize, Serialize};

/// Everything known about one generated scene.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroundTruth {
    pub seed: u64,
    pub width: u32,
    pub height: u32,
    pub kind: SceneKind,
    pub card: Option<CardTruth>,
    /// True when the picture is clearly blurred (see [`BLUR_RULES`]).
    pub blur: bool,
    pub blur_kind: BlurKind,
    /// Defocus sigma or motion length, as a share of the card's width in pixels
    /// (of the frame's shorter side when there is no card).
    pub blur_strength: f32,
    /// True when at least [`GLARE_MIN_FRACTION`] of the card is washed out.
    pub glare: bool,
    /// Share of the card's in-frame area washed out by specular glare.
    pub glare_fraction: f32,
    pub exposure: Exposure,
    pub background: Background,
    pub distractors: Vec<Distractor>,
    /// The camera's focal length in pixels (principal point at the frame's
    /// centre), for scenes drawn through a pinhole camera; what a platform
    /// reports as the camera's intrinsics.
    #[serde(default)]
    pub focal_px: Option<f32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CardTruth {
    /// The card's corners (intersections of its straight edges, i.e. where the
    /// corners would be without rounding), clockwise starting from the top-left of
    /// the printed face, in image pixels (pixel centres at +0.5). Corners may lie
    /// outside the frame when the card is partly out of frame.
    pub corners: [[f32; 2]; 4],
    pub side: Side,
    /// Share of the card's area inside the frame (1.0 = wholly in frame).
    pub visible_fraction: f32,
    /// Share of the card's area covered by a finger or thumb.
    pub occluded_fraction: f32,
    /// Effective resolution: sqrt(card area in px² / card area in inch²).
    pub dpi: f32,
    /// Seed of the card design (same card on front and back scenes of a video).
    pub design: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SceneKind {
    Card,
    NoCard,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BlurKind {
    None,
    Defocus,
    Motion,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Exposure {
    Ok,
    Dark,
    Bright,
}

/// A card-like object that is not a card.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Distractor {
    pub kind: DistractorKind,
    /// Outline corners in image pixels, clockwise from the object's top-left.
    pub corners: [[f32; 2]; 4],
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DistractorKind {
    Paper,
    Phone,
    Screen,
    Book,
    GuideFrame,
}

/// Labelling rules, in card widths (w = the card's width in pixels, from the
/// mean length of its top and bottom edges). Blurred scenes are drawn only from
/// the "blurred" ranges and sharp ones only from the "sharp" ranges, so no scene
/// falls in between.
pub struct BlurRules {
    /// Defocus (Gaussian sigma) at or below this share of w, and at most
    /// `sharp_max_px`, is sharp.
    pub sharp_defocus: f32,
    /// Motion length at or below this share of w (and `sharp_max_px` × 2.5) is sharp.
    pub sharp_motion: f32,
    pub sharp_max_px: f32,
    /// Defocus sigma at or above this share of w, and at least `blur_min_px`, is blurred.
    pub blur_defocus: f32,
    /// Motion length at or above this share of w, and at least 3 × `blur_min_px`, is blurred.
    pub blur_motion: f32,
    pub blur_min_px: f32,
}

pub const BLUR_RULES: BlurRules = BlurRules {
    sharp_defocus: 0.0008,
    sharp_motion: 0.002,
    sharp_max_px: 0.6,
    blur_defocus: 0.004,
    blur_motion: 0.014,
    blur_min_px: 2.0,
};

/// Glare label: washed-out share of the card's in-frame area at or above this.
pub const GLARE_MIN_FRACTION: f32 = 0.05;
/// Glare scenes are drawn with at least this washed-out share, glare-free ones with
/// at most [`GLARE_FREE_MAX_FRACTION`], leaving the band between empty.
pub const GLARE_DRAWN_MIN_FRACTION: f32 = 0.08;
pub const GLARE_FREE_MAX_FRACTION: f32 = 0.01;
/// A pixel is washed out when the glare layer covers at least this much of it
/// (the printed contrast left is then at most 30 %).
pub const GLARE_WASHED_OUT: f32 = 0.7;

/// Exposure label from the global gain applied to the scene's light: dark at or
/// below `DARK_MAX_GAIN`, bright at or above `BRIGHT_MIN_GAIN` (with clipping), ok
/// within `OK_GAIN`; gains between those bands are never drawn.
pub const DARK_MAX_GAIN: f32 = 0.35;
pub const BRIGHT_MIN_GAIN: f32 = 1.9;
pub const OK_GAIN: (f32, f32) = (0.75, 1.3);
