//! What kind of card a scene shows, for the found rate by condition.
//!
//! Why: the overall found rate mixes cards whose outline the picture fully
//! shows with cards it cannot: a card partly out of frame (its hidden corners
//! are placed from perspective, exact only with the camera's focal length)
//! and a card with a side whose edge has no contrast against the table (a
//! white card on a white table: the side is placed from the card's shape).
//! Reporting them apart says where the misses are.

use cardscan_synth::{CardTruth, GroundTruth};
use image::RgbImage;
use serde::Serialize;

/// A card scene's condition; the first that applies, in this order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Condition {
    /// Part of the card lies outside the frame.
    OutOfFrame,
    /// In frame, but on some side the card and what lies beyond it differ by
    /// less than [`FAINT_LEVELS`] in luma and in chroma.
    FaintEdge,
    /// In frame with visible edges, but under [`SMALL_DPI`].
    Small,
    /// In frame, every edge visible, at least [`SMALL_DPI`].
    Clear,
}

impl Condition {
    pub const ALL: [Condition; 4] = [
        Condition::Clear,
        Condition::Small,
        Condition::FaintEdge,
        Condition::OutOfFrame,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Condition::OutOfFrame => "partly out of frame",
            Condition::FaintEdge => "a side with no visible edge",
            Condition::Small => "small (under 100 dpi)",
            Condition::Clear => "in frame, edges visible",
        }
    }
}

/// Mean difference (levels of 255) between the two sides of an edge below
/// which the edge counts as invisible.
pub const FAINT_LEVELS: f32 = 3.0;
/// Card resolution below which a card counts as small.
pub const SMALL_DPI: f32 = 100.0;

/// The condition of the card scene `truth` drawn in `image`; `None` for a
/// card-free scene.
pub fn of_scene(truth: &GroundTruth, image: &RgbImage) -> Option<Condition> {
    let card = truth.card.as_ref()?;
    Some(if card.visible_fraction < 0.999 {
        Condition::OutOfFrame
    } else if weakest_edge(card, image) < FAINT_LEVELS {
        Condition::FaintEdge
    } else if card.dpi < SMALL_DPI {
        Condition::Small
    } else {
        Condition::Clear
    })
}

/// The contrast of the card's least visible side: per side, the larger of
/// the luma and chroma differences between the means of points just inside
/// and just outside it (along its middle 70 %); the smallest over the sides
/// with enough points in the image (infinite when none has).
pub fn weakest_edge(card: &CardTruth, image: &RgbImage) -> f32 {
    let c = card.corners;
    let centre = (
        c.iter().map(|p| p[0]).sum::<f32>() / 4.0,
        c.iter().map(|p| p[1]).sum::<f32>() / 4.0,
    );
    // About 5 pixels at 1280 × 720, where the categories were checked by eye.
    let offset = 0.004 * image.width().max(image.height()) as f32;
    (0..4)
        .filter_map(|k| side_contrast(image, c[k], c[(k + 1) % 4], centre, offset))
        .fold(f32::INFINITY, f32::min)
}

fn side_contrast(
    image: &RgbImage,
    a: [f32; 2],
    b: [f32; 2],
    centre: (f32, f32),
    offset: f32,
) -> Option<f32> {
    let (dx, dy) = (b[0] - a[0], b[1] - a[1]);
    let len = dx.hypot(dy);
    if len < 1.0 {
        return None;
    }
    // The unit normal pointing into the card.
    let mut n = (-dy / len, dx / len);
    if (centre.0 - a[0]) * n.0 + (centre.1 - a[1]) * n.1 < 0.0 {
        n = (-n.0, -n.1);
    }
    let mean_at = |depth: f32| {
        let points = (0..40).filter_map(|i| {
            let t = 0.15 + 0.7 * i as f32 / 39.0;
            let (x, y) = (a[0] + dx * t + n.0 * depth, a[1] + dy * t + n.1 * depth);
            ycc_at(image, x, y)
        });
        let (sum, count) = points.fold(([0.0f32; 3], 0u32), |(s, k), p| {
            ([s[0] + p[0], s[1] + p[1], s[2] + p[2]], k + 1)
        });
        (count >= 10).then(|| sum.map(|v| v / count as f32))
    };
    let (inside, outside) = (mean_at(offset)?, mean_at(-offset)?);
    let d = |i: usize| (inside[i] - outside[i]).abs();
    Some(d(0).max(d(1)).max(d(2)))
}

/// BT.601 full-range Y, Cb, Cr of the pixel at (x, y); `None` outside.
fn ycc_at(image: &RgbImage, x: f32, y: f32) -> Option<[f32; 3]> {
    if !(x >= 0.0 && y >= 0.0) {
        return None;
    }
    let p = image
        .get_pixel_checked(x as u32, y as u32)?
        .0
        .map(f32::from);
    let luma = 0.299 * p[0] + 0.587 * p[1] + 0.114 * p[2];
    Some([luma, 0.564 * (p[2] - luma), 0.713 * (p[0] - luma)])
}

/// The found rate of one condition, as `cardscan eval` reports it.
#[derive(Debug, Clone, Serialize)]
pub struct ConditionReport {
    pub condition: Condition,
    pub cards: u32,
    pub found: u32,
    pub found_rate: f32,
}

/// One [`ConditionReport`] per condition, in [`Condition::ALL`]'s order,
/// from each card scene's condition and whether its card was found.
pub fn reports(cards: &[(Condition, bool)]) -> Vec<ConditionReport> {
    Condition::ALL
        .iter()
        .map(|&condition| {
            let of = cards.iter().filter(|(c, _)| *c == condition);
            let n = of.clone().count() as u32;
            let found = of.filter(|(_, found)| *found).count() as u32;
            ConditionReport {
                condition,
                cards: n,
                found,
                found_rate: if n == 0 { 0.0 } else { found as f32 / n as f32 },
            }
        })
        .collect()
}
