//! Frames and the analysis loop both benchmarks use: generated
//! training-split scenes from seed 1 000 000 on, as I420 frames.

use cardscan_core::analyze::{analyze, AnalyzeConfig};
use cardscan_core::detect::Detector;
use cardscan_core::frame::{Frame, OwnedFrame};
use cardscan_synth::{scene, Difficulty, GroundTruth, SceneConfig};
use criterion::measurement::WallTime;
use criterion::BenchmarkGroup;

/// The first four scenes with a card.
pub fn card_frames(width: u32, height: u32) -> Vec<OwnedFrame> {
    let cfg = SceneConfig {
        width,
        height,
        allow_no_card: false,
        ..SceneConfig::default()
    };
    (0..4u64)
        .map(|i| OwnedFrame::i420_from_rgb(&scene(1_000_000 + i, &cfg).image).expect("valid scene"))
        .collect()
}

/// The first four scenes of `difficulty` (any kind, seeds 1 000 000 to
/// 1 002 000) that `keep` accepts, given the frame and whether it shows a
/// card.
pub fn frames_where(
    difficulty: Difficulty,
    width: u32,
    height: u32,
    keep: impl Fn(&OwnedFrame, bool) -> bool,
) -> Vec<OwnedFrame> {
    scenes_where(difficulty, width, height, |f, truth| {
        keep(f, truth.card.is_some())
    })
    .into_iter()
    .map(|(f, _)| f)
    .collect()
}

/// [`frames_where`] given each scene's whole truth (its focal length, …),
/// returned with the frames.
pub fn scenes_where(
    difficulty: Difficulty,
    width: u32,
    height: u32,
    keep: impl Fn(&OwnedFrame, &GroundTruth) -> bool,
) -> Vec<(OwnedFrame, GroundTruth)> {
    let cfg = SceneConfig {
        width,
        height,
        difficulty,
        ..SceneConfig::default()
    };
    (1_000_000u64..1_002_000)
        .map(|seed| scene(seed, &cfg))
        .map(|s| {
            let frame = OwnedFrame::i420_from_rgb(&s.image).expect("valid scene");
            (frame, s.truth)
        })
        .filter(|(f, truth)| keep(f, truth))
        .take(4)
        .collect()
}

/// Borrowed views of `frames`.
pub fn views(frames: &[OwnedFrame]) -> Vec<Frame<'_>> {
    frames
        .iter()
        .map(|o| o.as_frame().expect("valid frame"))
        .collect()
}

/// `analyze` with `detector`, one of `frames` per iteration, cycling;
/// `id` as criterion's function id ("function/parameter" reads the same as
/// a `BenchmarkId`).
pub fn bench_analyze(
    group: &mut BenchmarkGroup<'_, WallTime>,
    id: &str,
    frames: &[Frame<'_>],
    detector: &dyn Detector,
    cfg: &AnalyzeConfig,
) {
    // No frame of the kind was found among the scenes: nothing to time.
    if frames.is_empty() {
        return;
    }
    group.bench_function(id, |b| {
        let mut i = 0;
        b.iter(|| {
            i = (i + 1) % frames.len();
            analyze(&frames[i], detector, cfg).map(|a| a.detection.is_some())
        })
    });
}
