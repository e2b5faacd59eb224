//! Running a detector over a split and aggregating the scores.

use std::time::Instant;

use anyhow::Context;
use cardscan_core::analyze::assess;
use cardscan_core::detect::{
    new_detector, CardSide, Detection, Detector, DetectorKind, LearnedDetector, Point, Quad,
};
use cardscan_core::frame::OwnedFrame;
use cardscan_core::quality::{QualityConfig, QualityReport};
/// The generator's seeded splits, so `cardscan eval --split S` scores
/// exactly the scenes `cardscan synth scenes --split S` writes.
pub use cardscan_synth::Split;
use cardscan_synth::{split_scene, Difficulty, GroundTruth, SceneConfig};
use serde::Serialize;

use super::conditions::{self, Condition, ConditionReport};
use super::metrics::{card_match, percentile, starts_at_top_left, CardMatch};

#[derive(Debug, Clone)]
pub struct EvalOptions {
    pub split: Split,
    pub count: u32,
    pub detector: DetectorKind,
    pub hard: bool,
    /// Keep per-scene outcomes in the report (and, for the learned
    /// detector, also score the network's unrefined outline).
    pub keep_outcomes: bool,
    /// Scene size (width, height); the generator's default when `None`.
    pub size: Option<(u32, u32)>,
    /// Pass each scene camera's focal length with the frame.
    pub focal: bool,
    /// Learned detector: snap with the side check (the default).
    pub side_check: bool,
    /// Learned detector: faint lines on sides without a trusted line (the
    /// default; they need the side check).
    pub faint_lines: bool,
    /// Learned detector: the classical fallback (the default).
    pub fallback: bool,
    /// Learned detector: the zoomed look (the default; it needs the side
    /// check).
    pub zoom: bool,
    /// Learned detector: side placement for a side the side check rejects
    /// (the default; it needs the side check).
    pub side_placement: bool,
    /// Learned detector: other readings of the corner heatmaps (the
    /// default; they need the side check).
    pub other_peaks: bool,
    /// Learned detector: the focal length read from the card's print for a
    /// side out of frame (the default).
    pub print_focal: bool,
}

/// One scene's outcome, for `cardscan eval --scenes` (failure analysis).
#[derive(Debug, Clone, Serialize)]
pub struct SceneOutcome {
    pub seed: u64,
    /// Whether the detector reported a card.
    pub reported: bool,
    pub confidence: Option<f32>,
    /// The reported outline, clockwise from the card's own top-left.
    pub corners: Option<[[f32; 2]; 4]>,
    /// Match against the truth (card scenes only).
    pub iou: Option<f32>,
    pub corner_error: Option<f32>,
    pub correct: Option<bool>,
    pub side_right: Option<bool>,
    /// Whether the reported outline starts at the card's own top-left.
    pub upright: Option<bool>,
    /// The learned detector's network outline before refinement, when
    /// the network reported a card: what snapping started from.
    pub coarse_iou: Option<f32>,
    pub coarse_corner_error: Option<f32>,
    pub coarse_corners: Option<[[f32; 2]; 4]>,
    /// Quality judged on the true outline (card scenes): blur score and
    /// washed-out share, to compare with the truth's.
    pub blur_score: Option<f32>,
    pub glare_fraction: Option<f32>,
    pub glare_probability: Option<f32>,
    pub truth: GroundTruth,
}

/// Everything `cardscan eval` reports (also its `--json` shape).
#[derive(Debug, Clone, Serialize)]
pub struct EvalReport {
    pub split: Split,
    pub detector: String,
    /// Whether the frames carried the camera's focal length (`--focal`).
    pub focal: bool,
    /// Learned detector: whether snapping used the side check and faint
    /// lines, and the classical fallback, the zoomed look and side
    /// placement, the heatmaps' other readings and the focal length read
    /// from the print were on (`--no-side-check`, `--no-faint-lines`,
    /// `--no-fallback`, `--no-zoom`, `--no-side-placement`,
    /// `--no-other-peaks`, `--no-print-focal`). Faint lines, the zoomed
    /// look, side placement and the other readings need the check, so they
    /// are false without it.
    pub side_check: bool,
    pub faint_lines: bool,
    pub fallback: bool,
    pub zoom: bool,
    pub side_placement: bool,
    pub other_peaks: bool,
    pub print_focal: bool,
    pub difficulty: Difficulty,
    pub scenes: u32,
    pub card_scenes: u32,
    pub empty_scenes: u32,
    /// Mean IoU over card scenes (0 for a missed card).
    pub mean_iou: f32,
    /// Share of card scenes found correctly (IoU ≥ 0.9 or worst corner ≤ 0.017 × perimeter).
    pub found_rate: f32,
    /// Share of card-free scenes where a card was reported.
    pub false_positive_rate: f32,
    /// Share of correctly found cards whose side is right (Unknown counts as wrong).
    pub side_accuracy: f32,
    /// Share of correctly found cards whose side was decided (not Unknown).
    pub side_decided: f32,
    /// Share of correctly found cards whose outline starts at the card's own
    /// top-left (so the rectified card is upright, not turned half a turn).
    pub upright_accuracy: f32,
    /// The found rate by the card's condition (in frame with visible edges,
    /// small, a side with no visible edge, partly out of frame): where the
    /// misses are.
    pub by_condition: Vec<ConditionReport>,
    /// Blur verdict vs truth, quality judged on the true corners, over card scenes.
    pub blur_accuracy: f32,
    /// Glare verdict vs truth, quality judged on the true corners, over card scenes.
    pub glare_accuracy: f32,
    /// Detection time per frame (I420 input), milliseconds.
    pub detect_ms_median: f64,
    pub detect_ms_p90: f64,
    /// The whole per-frame analysis (detection, then quality on the card
    /// found, as `analyze` does), milliseconds: the per-frame target
    /// over many frames rather than the benchmark's four.
    pub analysis_ms_median: f64,
    pub analysis_ms_p90: f64,
    /// Per-scene outcomes (filled by [`evaluate`], printed only on request).
    #[serde(skip)]
    pub outcomes: Vec<SceneOutcome>,
}

#[derive(Default)]
struct Tally {
    cards: u32,
    empty: u32,
    iou_sum: f32,
    found: u32,
    false_pos: u32,
    side_right: u32,
    side_decided: u32,
    upright: u32,
    blur_right: u32,
    glare_right: u32,
    /// Each card scene's condition and whether its card was found.
    conditions: Vec<(Condition, bool)>,
    times: Vec<f64>,
    analysis_times: Vec<f64>,
    outcomes: Vec<SceneOutcome>,
}

/// Scores the detector on `opts.count` scenes of the split; `progress` is
/// called after each scene.
pub fn evaluate(opts: &EvalOptions, mut progress: impl FnMut(u32)) -> anyhow::Result<EvalReport> {
    let detector: Box<dyn Detector> = match opts.detector {
        DetectorKind::Learned => Box::new(
            LearnedDetector::new()?
                .with_side_check(opts.side_check)
                .with_faint_lines(opts.faint_lines)
                .with_classical_fallback(opts.fallback)
                .with_zoomed_look(opts.zoom)
                .with_side_placement(opts.side_placement)
                .with_other_peaks(opts.other_peaks)
                .with_print_focal(opts.print_focal),
        ),
        kind => new_detector(kind).context("cannot create the detector")?,
    };
    let difficulty = if opts.hard {
        Difficulty::Hard
    } else {
        Difficulty::Normal
    };
    let mut cfg = SceneConfig {
        difficulty,
        ..SceneConfig::default()
    };
    if let Some((w, h)) = opts.size {
        (cfg.width, cfg.height) = (w, h);
    }
    let quality = QualityConfig::default();
    cardscan_core::quality::preload(&quality);
    // The network alone, scored only for `--scenes` (failure analysis).
    let coarse = match opts.detector {
        DetectorKind::Learned if opts.keep_outcomes => Some(LearnedDetector::new()?),
        _ => None,
    };
    let mut t = Tally::default();
    for i in 0..opts.count {
        let sc = split_scene(opts.split, u64::from(i), &cfg);
        let owned = OwnedFrame::i420_from_rgb(&sc.image)?;
        let mut frame = owned.as_frame()?;
        if let (true, Some(f)) = (opts.focal, sc.truth.focal_px) {
            frame = frame.with_focal_length(f)?;
        }
        let start = Instant::now();
        let found = detector.detect(&frame)?;
        let detected = start.elapsed().as_secs_f64() * 1e3;
        t.times.push(detected);
        let judged = Instant::now();
        if let Some(d) = &found {
            // As `analyze`: an outline quality cannot judge is no error.
            let _ = assess(&frame, d, &quality);
        }
        t.analysis_times
            .push(detected + judged.elapsed().as_secs_f64() * 1e3);
        let gt = truth_quad(&sc.truth);
        let matched = match &gt {
            Some(gt) => {
                let scored = score_card(&mut t, &sc.truth, gt, found.as_ref(), |d| {
                    assess(&frame, d, &quality).ok()
                });
                if let Some(c) = conditions::of_scene(&sc.truth, &sc.image) {
                    t.conditions.push((c, scored.0.correct));
                }
                Some(scored)
            }
            None => {
                t.empty += 1;
                t.false_pos += u32::from(found.is_some());
                None
            }
        };
        if opts.keep_outcomes {
            let network = match (&coarse, &gt) {
                (Some(l), Some(gt)) => l.coarse(&frame)?.map(|c| (card_match(&c.quad, gt), c.quad)),
                _ => None,
            };
            t.outcomes
                .push(outcome(sc.truth, found.as_ref(), matched, network));
        }
        progress(i + 1);
    }
    Ok(report(opts, detector.name(), difficulty, t))
}

/// A scene's [`SceneOutcome`] from what the detector reported, its match
/// against the truth (card scenes) and the network's own match.
fn outcome(
    truth: GroundTruth,
    found: Option<&Detection>,
    matched: Option<(CardMatch, Option<QualityReport>)>,
    network: Option<(CardMatch, Quad)>,
) -> SceneOutcome {
    let quality = matched.and_then(|(_, q)| q);
    let matched = matched.map(|(m, _)| m);
    let xy = |q: &Quad| q.corners.map(|p| [p.x, p.y]);
    let side_right = matched.and(
        found
            .zip(truth.card.as_ref())
            .map(|(d, c)| d.side == side_of(c.side)),
    );
    let upright = matched.and(
        found
            .zip(truth_quad(&truth))
            .map(|(d, gt)| starts_at_top_left(&d.quad, &gt)),
    );
    SceneOutcome {
        seed: truth.seed,
        reported: found.is_some(),
        confidence: found.map(|d| d.confidence),
        corners: found.map(|d| xy(&d.quad)),
        iou: matched.map(|m| m.iou),
        corner_error: matched.map(|m| m.corner_error),
        correct: matched.map(|m| m.correct),
        side_right,
        upright,
        coarse_iou: network.map(|(m, _)| m.iou),
        coarse_corner_error: network.map(|(m, _)| m.corner_error),
        coarse_corners: network.map(|(_, q)| xy(&q)),
        blur_score: quality.map(|q| q.blur.score),
        glare_fraction: quality.map(|q| q.glare.fraction),
        glare_probability: quality.and_then(|q| q.glare.probability),
        truth,
    }
}

fn truth_quad(truth: &GroundTruth) -> Option<Quad> {
    truth
        .card
        .as_ref()
        .map(|c| Quad::new(c.corners.map(|p| Point::new(p[0], p[1]))))
}

fn score_card(
    t: &mut Tally,
    truth: &GroundTruth,
    gt: &Quad,
    found: Option<&Detection>,
    judge: impl Fn(&Detection) -> Option<QualityReport>,
) -> (CardMatch, Option<QualityReport>) {
    t.cards += 1;
    let m = found
        .map(|d| card_match(&d.quad, gt))
        .unwrap_or(CardMatch::MISSED);
    t.iou_sum += m.iou;
    if m.correct {
        t.found += 1;
        if let (Some(d), Some(card)) = (found, truth.card.as_ref()) {
            t.side_right += u32::from(d.side == side_of(card.side));
            t.side_decided += u32::from(d.side != CardSide::Unknown);
            t.upright += u32::from(starts_at_top_left(&d.quad, gt));
        }
    }
    // Quality on the true outline, so blur/glare accuracy is not mixed up with detection.
    let on_truth = Detection {
        quad: *gt,
        confidence: 1.0,
        side: CardSide::Unknown,
    };
    let quality = judge(&on_truth);
    if let Some(q) = &quality {
        t.blur_right += u32::from(q.blur.blurry == truth.blur);
        t.glare_right += u32::from(q.glare.glare == truth.glare);
    }
    (m, quality)
}

fn side_of(side: cardscan_synth::Side) -> CardSide {
    match side {
        cardscan_synth::Side::Front => CardSide::Front,
        cardscan_synth::Side::Back => CardSide::Back,
    }
}

fn report(opts: &EvalOptions, name: &str, difficulty: Difficulty, mut t: Tally) -> EvalReport {
    let share = |n: u32, d: u32| if d == 0 { 0.0 } else { n as f32 / d as f32 };
    t.times.sort_by(f64::total_cmp);
    t.analysis_times.sort_by(f64::total_cmp);
    EvalReport {
        split: opts.split,
        detector: name.to_string(),
        focal: opts.focal,
        side_check: opts.side_check,
        faint_lines: opts.side_check && opts.faint_lines,
        fallback: opts.fallback,
        zoom: opts.side_check && opts.zoom,
        side_placement: opts.side_check && opts.side_placement,
        other_peaks: opts.side_check && opts.other_peaks,
        print_focal: opts.print_focal,
        difficulty,
        scenes: opts.count,
        card_scenes: t.cards,
        empty_scenes: t.empty,
        mean_iou: if t.cards == 0 {
            0.0
        } else {
            t.iou_sum / t.cards as f32
        },
        found_rate: share(t.found, t.cards),
        false_positive_rate: share(t.false_pos, t.empty),
        side_accuracy: share(t.side_right, t.found),
        side_decided: share(t.side_decided, t.found),
        upright_accuracy: share(t.upright, t.found),
        by_condition: conditions::reports(&t.conditions),
        blur_accuracy: share(t.blur_right, t.cards),
        glare_accuracy: share(t.glare_right, t.cards),
        detect_ms_median: percentile(&t.times, 0.5),
        detect_ms_p90: percentile(&t.times, 0.9),
        analysis_ms_median: percentile(&t.analysis_times, 0.5),
        analysis_ms_p90: percentile(&t.analysis_times, 0.9),
        outcomes: t.outcomes,
    }
}

impl EvalReport {
    /// Readable multi-line summary.
    pub fn summary(&self) -> String {
        let by_condition: String = self
            .by_condition
            .iter()
            .filter(|c| c.cards > 0)
            .map(|c| {
                format!(
                    "  {:<28} {:>5.1} % of {}\n",
                    c.condition.label(),
                    100.0 * c.found_rate,
                    c.cards
                )
            })
            .collect();
        let summary = format!(
            "detector {}{} on {:?} split ({:?}): {} scenes ({} with a card, {} without)\n\
             mean IoU            {:.3}\n\
             found correctly     {:.1} %\n\
             false positives     {:.1} %\n\
             side accuracy       {:.1} % (decided {:.1} %)\n\
             upright corners     {:.1} %\n\
             blur accuracy       {:.1} %\n\
             glare accuracy      {:.1} %\n\
             detection latency   median {:.2} ms, p90 {:.2} ms\n\
             analysis latency    median {:.2} ms, p90 {:.2} ms (detection + quality)\n",
            self.detector,
            if self.focal {
                " (camera focal length given)"
            } else {
                ""
            },
            self.split,
            self.difficulty,
            self.scenes,
            self.card_scenes,
            self.empty_scenes,
            self.mean_iou,
            100.0 * self.found_rate,
            100.0 * self.false_positive_rate,
            100.0 * self.side_accuracy,
            100.0 * self.side_decided,
            100.0 * self.upright_accuracy,
            100.0 * self.blur_accuracy,
            100.0 * self.glare_accuracy,
            self.detect_ms_median,
            self.detect_ms_p90,
            self.analysis_ms_median,
            self.analysis_ms_p90,
        );
        format!("{summary}found, by the card's condition\n{by_condition}")
    }
}
