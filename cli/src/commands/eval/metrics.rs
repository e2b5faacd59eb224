//! The scoring rules of issue 3: a card counts as found when IoU ≥ 0.9 or its
//! worst corner is within 0.017 × the true perimeter.

use cardscan_core::detect::Quad;

/// How a reported outline compares with the truth.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CardMatch {
    pub iou: f32,
    /// Worst corner distance / true perimeter, best over which corner is called
    /// top-left (orientation is scored by side accuracy, not here).
    pub corner_error: f32,
    pub correct: bool,
}

impl CardMatch {
    pub const MISSED: CardMatch = CardMatch {
        iou: 0.0,
        corner_error: f32::INFINITY,
        correct: false,
    };
}

pub fn card_match(found: &Quad, truth: &Quad) -> CardMatch {
    let iou = found.iou(truth);
    let corner_error = found.max_corner_distance_any_start(truth) / truth.perimeter().max(1.0);
    CardMatch {
        iou,
        corner_error,
        correct: iou >= 0.9 || corner_error <= 0.017,
    }
}

/// Whether `found` starts at the card's own top-left (`truth`'s first
/// corner) rather than at another of its corners.
pub fn starts_at_top_left(found: &Quad, truth: &Quad) -> bool {
    found.clockwise().start_nearest(&truth.clockwise()) == 0
}

/// Nearest-rank percentile of sorted values (0 for none).
pub fn percentile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 - 1.0) * q).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}
