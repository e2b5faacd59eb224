//! Per-frame latency on one thread: detection alone, and detection + quality
//! (`analyze`), for 720p and 1080p I420 frames made from generated scenes.
//! Run with `cargo bench -p cardscan-core --bench frame_analysis`.

mod common;

use cardscan_core::analyze::AnalyzeConfig;
use cardscan_core::detect::{ClassicalConfig, ClassicalDetector, Detector};
use cardscan_synth::Difficulty;
use common::{bench_analyze, card_frames, frames_where, views};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};

fn bench(c: &mut Criterion) {
    let detector = ClassicalDetector::default();
    // The edges alone, without the second look's "is it a card" check: what
    // the check costs.
    let edges_only = ClassicalDetector::new(ClassicalConfig::edges_only());
    let cfg = AnalyzeConfig::default();
    for (name, w, h) in [("720p", 1280, 720), ("1080p", 1920, 1080)] {
        let owned = card_frames(w, h);
        let card_views = views(&owned);
        let mut group = c.benchmark_group(format!("i420_{name}"));
        // One frame per iteration, cycling through the scenes.
        let next = |i: &mut usize| {
            *i = (*i + 1) % card_views.len();
            &card_views[*i]
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
        let id = format!("analyze_classical/{name}");
        bench_analyze(&mut group, &id, &card_views, &detector, &cfg);
        // Card-free frames: where the detector tries everything it has
        // before saying "no card".
        let empty = frames_where(Difficulty::Normal, w, h, |_, card| !card);
        let id = format!("analyze_classical_no_card/{name}");
        bench_analyze(&mut group, &id, &views(&empty), &detector, &cfg);
        group.finish();
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20).measurement_time(std::time::Duration::from_secs(4));
    targets = bench
}
criterion_main!(benches);
