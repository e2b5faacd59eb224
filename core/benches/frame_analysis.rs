//! Per-frame latency on one thread: detection alone, and detection + quality
//! (`analyze`), for 720p and 1080p I420 frames made from generated scenes.
//! Run with `cargo bench -p cardscan-core --bench frame_analysis`.

use cardscan_core::analyze::{analyze, AnalyzeConfig};
use cardscan_core::detect::{ClassicalConfig, ClassicalDetector, Detector};
use cardscan_core::frame::OwnedFrame;
use cardscan_synth::{scene, SceneConfig};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};

/// A few training-split scenes with a card, as I420 frames.
fn frames(width: u32, height: u32) -> Vec<OwnedFrame> {
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

/// A few training-split scenes without a card (paper, phones, screens,
/// clutter), as I420 frames: the frames on which the classical detector
/// tries everything it has before saying "no card".
fn card_free_frames(width: u32, height: u32) -> Vec<OwnedFrame> {
    let cfg = SceneConfig {
        width,
        height,
        ..SceneConfig::default()
    };
    (1_000_000u64..)
        .map(|seed| scene(seed, &cfg))
        .filter(|s| s.truth.card.is_none())
        .take(4)
        .map(|s| OwnedFrame::i420_from_rgb(&s.image).expect("valid scene"))
        .collect()
}

fn bench(c: &mut Criterion) {
    let detector = ClassicalDetector::default();
    // The edges alone, without the second look's "is it a card" check: what
    // the check costs.
    let edges_only = ClassicalDetector::new(ClassicalConfig::edges_only());
    let cfg = AnalyzeConfig::default();
    for (name, w, h) in [("720p", 1280, 720), ("1080p", 1920, 1080)] {
        let owned = frames(w, h);
        let views: Vec<_> = owned
            .iter()
            .map(|o| o.as_frame().expect("valid frame"))
            .collect();
        let mut group = c.benchmark_group(format!("i420_{name}"));
        // One frame per iteration, cycling through the scenes.
        let next = |i: &mut usize| {
            *i = (*i + 1) % views.len();
            &views[*i]
        };
        group.bench_function(BenchmarkId::new("luma_downscaled", name), |b| {
            let mut i = 0;
            b.iter(|| next(&mut i).luma_downscaled(400).map(|l| l.image.len()))
        });
        group.bench_function(BenchmarkId::new("detect_classical", name), |b| {
            let mut i = 0;
            b.iter(|| detector.detect(next(&mut i)).map(|d| d.is_some()))
        });
        group.bench_function(BenchmarkId::new("detect_classical_edges_only", name), |b| {
            let mut i = 0;
            b.iter(|| edges_only.detect(next(&mut i)).map(|d| d.is_some()))
        });
        group.bench_function(BenchmarkId::new("analyze_classical", name), |b| {
            let mut i = 0;
            b.iter(|| analyze(next(&mut i), &detector, &cfg).map(|a| a.detection.is_some()))
        });
        let empty = card_free_frames(w, h);
        let empty: Vec<_> = empty
            .iter()
            .map(|o| o.as_frame().expect("valid frame"))
            .collect();
        group.bench_function(BenchmarkId::new("analyze_classical_no_card", name), |b| {
            let mut i = 0;
            b.iter(|| {
                i = (i + 1) % empty.len();
                analyze(&empty[i], &detector, &cfg).map(|a| a.detection.is_some())
            })
        });
        group.finish();
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20).measurement_time(std::time::Duration::from_secs(4));
    targets = bench
}
criterion_main!(benches);
