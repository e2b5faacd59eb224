//! The classical card detector: edges → Hough lines → quadrilateral
//! hypotheses scored by edge support and the ID-1 shape prior → rejection of
//! the app's guide overlay → sub-pixel refinement at full resolution → the
//! second look (is it a card; where are its corners; which side does it show
//! and which corner is its own top-left: `check.rs`), for up to three
//! distinct outlines and then, if none is a card, one made of three lines
//! (`three_sides.rs`). Edges alone ([`ClassicalConfig::edges_only`]) take
//! the side from print cues (`side.rs`) and report corners in image order.
//!
//! All searching happens on a box-filtered luma image whose longest side is
//! at most [`WORK_SIDE`] pixels (`search.rs`); only the final refinement and
//! the checks touch the full-resolution frame, at a few thousand points.

mod check;
mod edges;
mod faint;
mod hough;
mod overlay;
mod profile;
mod quads;
mod search;
pub(crate) mod shape;
pub mod side;
mod snap;
pub(crate) use snap::in_working;
pub use snap::SideJudging;
mod support;
mod three_sides;

use super::refine::refine_quad;
use super::{CardSide, DetectError, Detection, Detector, Quad};
use crate::frame::Frame;
use search::Search;

pub(crate) use hough::Line;

/// Longest side of the working image.
pub const WORK_SIDE: u32 = 400;
/// Hypotheses tried (best first) before giving up.
const MAX_TRIES: usize = 40;
/// Reranked hypotheses refined at full resolution, best first, until one is
/// not the guide-frame overlay.
const MAX_REFINED: usize = 5;
/// Outlines the second look judges, best first, until one is a card.
///
/// Why: the best-scoring outline is often a paper sheet or a screen next to
/// the card, or the card with a side taken from a printed band; the card
/// itself comes second or third. Test split, 400 scenes: 1 / 2 / 5 looks at
/// one cut (0.8) found 76.6 / 77.8 / 78.4 % with false positives 0 / 1.5 /
/// 3.0 %; the false positives' probabilities were 0.83 and 0.88, the cards
/// the extra looks found 0.99 or more, hence [`RUNNER_UP_MIN`]. With it, 3 /
/// 5 looks found 77.8 / 78.4 % (hard scenes 54.9 / 54.9 %), both without
/// false positives; 3 costs less on frames whose best outline is turned away
/// (1080p analysis 4.2–4.5 ms against 4.7–4.9 ms).
const LOOKS: usize = 3;
/// The second look's card probability a runner-up outline needs.
const RUNNER_UP_MIN: f32 = 0.99;
/// Outlines from three lines ([`three_sides`]) the second look judges when
/// no four-line outline is a card; like the runners-up, they need
/// [`RUNNER_UP_MIN`].
///
/// Why: 36 of the 44 test-split misses of fully visible cards lacked one
/// side's line even with [`search::LINES`]. Test split, 400 scenes: 0 / 1 / 2 / 4
/// looks found 85.0 / 85.9 / 85.9 / 86.2 % of cards (IoU 0.882 / 0.895 /
/// 0.898 / 0.901; 4 let one card-free scene through), hard scenes (0 / 1 /
/// 2) 62.2 / 64.0 / 64.6 %, no false positive. Only frames where no card is
/// found pay for them.
const THREE_SIDE_LOOKS: usize = 1;
/// Hypotheses overlapping a better-ranked one by more than this IoU are
/// dropped before refinement and the looks.
///
/// Why: the best-ranked hypotheses are often near-copies of one object (a
/// paper sheet or a screen bounded by slightly different lines); once the
/// second look has turned the first away, the others use up the looks while
/// the card waits further down. Test split, 400 scenes: without / 0.9 / 0.7
/// / 0.5 found 77.8 / 79.9 / 79.9 / 79.6 % of cards (IoU 0.812 / 0.838 /
/// 0.839 / 0.838), hard scenes (without / 0.9 / 0.7) 54.9 / 54.9 / 55.5 %,
/// never a false positive; with it, 4 or 5 looks or 80 hypotheses instead of
/// [`MAX_TRIES`] found no more.
const DUPLICATE_IOU: f32 = 0.7;

/// Tunable thresholds of the classical detector.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ClassicalConfig {
    /// Detections below this confidence are reported as "no card". With the
    /// second look on, the confidence is its probability that the outline is
    /// on a card; without, the calibrated edge-and-shape score (0.5 in
    /// [`ClassicalConfig::edges_only`]).
    ///
    /// Default 0.9. Session 10's 0.8 (one card-free test scene at 0.73, all
    /// cards found correctly at 0.97 or more) let one hard card-free scene
    /// through at 0.87 once the line search found more lines (`classical/search.rs`).
    /// Test split, 0.8 / 0.9 / 0.95: found 84.7 / 85.0 / 85.0 %, hard 62.2 /
    /// 62.2 / 61.6 % with false positives 1 / 0 / 0 of 36 (an outline turned
    /// away at the first look leaves the next looks to the card).
    pub min_confidence: f32,
    /// Whether the second look (`detect/second_look.rs`) judges the best
    /// outline and corrects it when it disagrees (`classical/check.rs`); off, edges
    /// and shape alone decide.
    ///
    /// Why: paper sheets, phones, screens and book covers have the same four
    /// strong edges as a card; edge statistics cannot tell them apart, the
    /// content can. Test split, 400 normal scenes: false positives 42.4 →
    /// 0.0 %, and with the correction cards found 71.0 → 76.9 %.
    pub second_look: bool,
}

impl ClassicalConfig {
    /// Edges and shape alone, without the second look, with the calibrated
    /// edge-and-shape score cut at 0.5 (the geometry tests and the benchmark
    /// of what the second look costs use it).
    pub fn edges_only() -> ClassicalConfig {
        ClassicalConfig {
            min_confidence: 0.5,
            second_look: false,
        }
    }
}

impl Default for ClassicalConfig {
    fn default() -> Self {
        ClassicalConfig {
            min_confidence: 0.9,
            second_look: true,
        }
    }
}

/// Edge-and-line card detector (see the module docs).
#[derive(Debug, Clone, Default)]
pub struct ClassicalDetector {
    config: ClassicalConfig,
}

impl ClassicalDetector {
    pub fn new(config: ClassicalConfig) -> Self {
        // Best effort, as the first frame that needs it would otherwise pay
        // for loading it (27 ms); a model that cannot load reports its error
        // there, as before.
        if config.second_look {
            let _ = super::second_look::load();
        }
        ClassicalDetector { config }
    }

    /// The `n` best coarse hypotheses (upright frame pixels, raw score), for
    /// debugging and visualisation.
    pub fn coarse_candidates(
        &self,
        frame: &Frame<'_>,
        n: usize,
    ) -> Result<Vec<(Quad, f32)>, DetectError> {
        let search = Search::prepare(frame)?;
        let luma = &search.luma;
        let mut out: Vec<(Quad, f32)> = quads::hypotheses(&search.lines, &search.area, n)
            .into_iter()
            .map(|hy| (search.to_frame(&hy.quad), hy.score))
            .collect();
        // Lines as degenerate quads (both ends) with score −1, for drawing.
        for l in &search.lines {
            let (nx, ny) = l.line.normal();
            let (dx, dy) = l.dir;
            let p = |t: f32| {
                let (x, y) = luma.to_frame(l.line.rho * nx + t * dx, l.line.rho * ny + t * dy);
                super::Point::new(x, y)
            };
            out.push((Quad::new([p(-600.0), p(600.0), p(600.0), p(-600.0)]), -1.0));
        }
        Ok(out)
    }

    /// The `n` best three-side outlines ([`three_sides`]) in upright frame
    /// pixels with their scores, for diagnosis (`examples/missing_sides.rs`).
    pub fn three_side_candidates(
        &self,
        frame: &Frame<'_>,
        n: usize,
    ) -> Result<Vec<(Quad, f32)>, DetectError> {
        let search = Search::prepare(frame)?;
        Ok(three_sides::outlines(&search.lines, &search.area, n)
            .into_iter()
            .map(|(q, s)| (search.to_frame(&q), s))
            .collect())
    }

    /// The best hypothesis in upright frame pixels with its calibrated
    /// edge-and-shape score, before the second look and the
    /// `min_confidence` cut (for evaluation and calibration).
    pub fn best_candidate(&self, frame: &Frame<'_>) -> Result<Option<(Quad, f32)>, DetectError> {
        let search = Search::prepare(frame)?;
        let hyps = quads::hypotheses(&search.lines, &search.area, MAX_TRIES);
        Ok(best_in(frame, &search, hyps))
    }

    /// The best of `hyps` as the detector reports it (second look and
    /// `min_confidence` included), or `None`.
    fn judge_best(
        &self,
        frame: &Frame<'_>,
        search: &Search,
        hyps: Vec<quads::Hypothesis>,
    ) -> Result<Option<Detection>, DetectError> {
        let min = self.config.min_confidence;
        if !self.config.second_look {
            return Ok(judge_by_edges(frame, search, hyps).filter(|j| j.confidence >= min));
        }
        // The best outline needs `min`; the runners-up, which the edges
        // liked less, need the second look to be sure.
        for (k, (quad, _)) in candidates(frame, search, hyps).take(LOOKS).enumerate() {
            let need = if k == 0 { min } else { min.max(RUNNER_UP_MIN) };
            if let Some(found) = check::second_look(frame, search, quad, need)? {
                return Ok(Some(found));
            }
        }
        // Last, outlines one of whose sides gave no line.
        let need = min.max(RUNNER_UP_MIN);
        for (quad, _) in three_sides::outlines(&search.lines, &search.area, THREE_SIDE_LOOKS) {
            if let Some(found) = check::second_look(frame, search, search.to_frame(&quad), need)? {
                return Ok(Some(found));
            }
        }
        Ok(None)
    }
}

/// Edges alone: the best outline with its calibrated score as the
/// confidence, the side from print cues, corners in image order.
fn judge_by_edges(
    frame: &Frame<'_>,
    search: &Search,
    hyps: Vec<quads::Hypothesis>,
) -> Option<Detection> {
    let (quad, score) = best_in(frame, search, hyps)?;
    Some(Detection {
        quad,
        confidence: score,
        side: side::cues(frame, &quad)
            .map(|c| side::classify(&c))
            .unwrap_or(CardSide::Unknown),
    })
}

/// The best of `hyps` (working-image pixels) after reranking and refining
/// the best [`MAX_REFINED`] in turn until one is not the app's guide-frame
/// overlay, in upright frame pixels, with its calibrated score.
fn best_in(
    frame: &Frame<'_>,
    search: &Search,
    hyps: Vec<quads::Hypothesis>,
) -> Option<(Quad, f32)> {
    candidates(frame, search, hyps).next()
}

/// The best [`MAX_REFINED`] of `hyps` after reranking and dropping
/// near-copies ([`DUPLICATE_IOU`]), refined in turn (lazily) and without the
/// app's guide-frame overlay, in upright frame pixels with their calibrated
/// scores.
fn candidates<'a>(
    frame: &'a Frame<'_>,
    search: &'a Search,
    hyps: Vec<quads::Hypothesis>,
) -> impl Iterator<Item = (Quad, f32)> + 'a {
    let planes = profile::Planes {
        luma: &search.luma.image,
        chroma: search.chroma.as_ref().map(|(u, v)| (u, v)),
    };
    // The overlay is recognised on the refined outline: a hypothesis made of
    // one overlay side and three other lines refines onto it too.
    distinct(rerank(hyps, &planes))
        .take(MAX_REFINED)
        .filter_map(move |best| {
            let coarse = search.to_frame(&best.quad);
            let refined = refine_quad(frame, &coarse, search.refine_radius());
            (!overlay::is_guide_overlay(frame, &refined))
                .then(|| (Quad::from_unordered(refined.corners), calibrate(best.score)))
        })
}

/// Re-scores the best [`MAX_TRIES`] hypotheses by whether their sides are
/// consistent steps between two regions (see [`profile`]), which the edge
/// support alone cannot tell from overlay ridges and texture; best first.
fn rerank(hyps: Vec<quads::Hypothesis>, planes: &profile::Planes<'_>) -> Vec<quads::Hypothesis> {
    let mut out: Vec<_> = hyps
        .into_iter()
        .take(MAX_TRIES)
        .map(|mut h| {
            let (mean, min) = profile::step_consistency(planes, &h.quad);
            h.score *= step_factor(mean, min);
            h
        })
        .collect();
    out.sort_by(|a, b| b.score.total_cmp(&a.score));
    out
}

/// `hyps` (best first) without those that overlap a better one by more
/// than [`DUPLICATE_IOU`], lazily: a frame whose best outline is the card
/// compares nothing.
fn distinct(hyps: Vec<quads::Hypothesis>) -> impl Iterator<Item = quads::Hypothesis> {
    let mut kept: Vec<Quad> = Vec::new();
    hyps.into_iter().filter(move |h| {
        let new = kept.iter().all(|q| q.iou(&h.quad) <= DUPLICATE_IOU);
        if new {
            kept.push(h.quad);
        }
        new
    })
}

/// Score multiplier from the step consistency of a hypothesis' sides: 1 for
/// a card whose sides are steps along most of their length (so its
/// confidence is unchanged), lower for ridges and texture-backed outlines.
fn step_factor(mean: f32, min: f32) -> f32 {
    (0.3 + 0.7 * mean) * (0.5 + 0.5 * min) / 0.7
}

/// Maps the raw hypothesis score to a probability-like confidence.
fn calibrate(score: f32) -> f32 {
    1.0 / (1.0 + (-(score - 0.35) / 0.06).exp())
}

impl Detector for ClassicalDetector {
    fn detect(&self, frame: &Frame<'_>) -> Result<Option<Detection>, DetectError> {
        let search = Search::prepare(frame)?;
        let hyps = quads::hypotheses(&search.lines, &search.area, MAX_TRIES);
        self.judge_best(frame, &search, hyps)
    }

    fn name(&self) -> &'static str {
        "classical"
    }
}

#[cfg(test)]
mod tests;
