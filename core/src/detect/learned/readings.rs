//! Other readings of the corner heatmaps than their arg-maxes.
//!
//! Why: where a card lies on a sheet of paper, a screen or the app's guide
//! frame, a corner's heatmap often peaks on the other object's corner and
//! has a second, slightly weaker peak on the card's own. Each such reading
//! is snapped like the first, and the outline whose sides the side check
//! doubts clearly less is reported (see [`decode::alternatives`]).

use super::input::NetInput;
use super::model::{self, RawOutput};
use super::{decode, plausible, CoarseDetection, LearnedDetector};
use crate::detect::{DetectError, Detection, Point, Quad};
use crate::frame::{Frame, ScaledLuma};

/// Largest logit gap below a corner's arg-max at which another peak of its
/// heatmap is read as well.
const OTHER_PEAK_GAP: f32 = 2.0;
/// At most this many other readings are snapped per frame.
const MAX_OTHER_READINGS: usize = 3;
/// How much less the side check must doubt another reading's outline.
/// Session 25, gap 2 / 4 with margin 0 / 0.1 / 0.2, test split (300
/// scenes; 92.8 % found, IoU 0.9695 without): 93.2 / 93.6 / 93.2 % and
/// 92.4 / 93.6 / 93.2 %; train split (600) at gap 2, margin 0.1: 92.2 →
/// 92.4 % found, IoU 0.9662 → 0.9677.
const OTHER_READING_MARGIN: f32 = 0.1;

/// The plausible outlines of the network's other readings, in frame pixels.
pub(super) fn others(out: &RawOutput, input: &NetInput) -> Vec<Quad> {
    decode::alternatives(
        model::GRID,
        &out.heatmaps,
        &out.offsets,
        OTHER_PEAK_GAP,
        MAX_OTHER_READINGS,
    )
    .into_iter()
    .map(|pts| Quad::new(pts.map(|(x, y)| Point::new(x, y))))
    .filter(plausible)
    .map(|q| q.map(|p| input.to_frame(p.x, p.y)))
    .collect()
}

impl LearnedDetector {
    /// The outline for the network's confident answer `c`, or for one of
    /// the other readings `others` when the side check doubts its sides
    /// less by [`OTHER_READING_MARGIN`].
    pub(super) fn best_reading(
        &self,
        frame: &Frame<'_>,
        c: CoarseDetection,
        others: &[Quad],
        work: Option<(ScaledLuma, u32)>,
    ) -> Result<Detection, DetectError> {
        // Without other readings the working image need not be copied.
        if others.is_empty() {
            return Ok(self.outline(frame, c, work)?.0);
        }
        let (mut best, doubt) = self.outline(frame, c, work.clone())?;
        // A reading must be doubted less by the margin, and doubt is never
        // negative: past an outline doubted this little none can win.
        let Some(mut least) = doubt.filter(|&d| d > OTHER_READING_MARGIN) else {
            return Ok(best);
        };
        for &quad in others {
            let (found, doubt) =
                self.outline(frame, CoarseDetection { quad, ..c }, work.clone())?;
            if let Some(d) = doubt.filter(|&d| d < least - OTHER_READING_MARGIN) {
                (best, least) = (found, d);
            }
        }
        Ok(best)
    }
}
