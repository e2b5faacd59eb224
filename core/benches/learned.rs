//! Learned detector latency on one thread, 1080p I420 frames made from
//! generated scenes: the network alone (fixed-shape tract plan on the
//! 160 × 96 input), the whole detection (downscale, network, decoding,
//! full-resolution refinement), and the whole per-frame analysis
//! (detection + quality), quality alone on the detected outlines, and the
//! glare network alone on their card views. Targets (issue 4): network ≤ 2 ms, analysis ≤ 5 ms.
//! Run with `cargo bench -p cardscan-core --bench learned`.

use cardscan_core::analyze::{analyze, assess, AnalyzeConfig};
use cardscan_core::detect::{Detector, LearnedDetector};
use cardscan_core::frame::OwnedFrame;
use cardscan_synth::{scene, SceneConfig};
use criterion::{criterion_group, criterion_main, Criterion};

/// Four train-split scenes with a card, as 1080p I420 frames.
fn frames() -> Vec<OwnedFrame> {
    let cfg = SceneConfig {
        width: 1920,
        height: 1080,
        allow_no_card: false,
        ..SceneConfig::default()
    };
    (0..4u64)
        .map(|i| OwnedFrame::i420_from_rgb(&scene(1_000_000 + i, &cfg).image).expect("valid scene"))
        .collect()
}

fn bench(c: &mut Criterion) {
    let detector = LearnedDetector::new().expect("embedded model loads");
    let cfg = AnalyzeConfig::default();
    let owned = frames();
    let views: Vec<_> = owned
        .iter()
        .map(|o| o.as_frame().expect("valid frame"))
        .collect();
    let (w, h) = LearnedDetector::input_size();
    let mut group = c.benchmark_group("learned_1080p");
    group.bench_function("network", |b| {
        let input = vec![128.0f32; w * h];
        b.iter(|| detector.run_network(&input).expect("network runs"))
    });
    group.bench_function("detect", |b| {
        b.iter(|| {
            views
                .iter()
                .filter(|f| matches!(detector.detect(f), Ok(Some(_))))
                .count()
        })
    });
    // Quality alone on the detected outlines: what analysis adds to detection.
    let found: Vec<_> = views
        .iter()
        .filter_map(|f| Some((f, detector.detect(f).ok()??)))
        .collect();
    group.bench_function("quality", |b| {
        b.iter(|| {
            found
                .iter()
                .filter(|(f, d)| assess(f, d, &cfg.quality).is_ok())
                .count()
        })
    });
    let qviews: Vec<_> = found
        .iter()
        .map(|(f, d)| {
            let corners = cardscan_core::analyze::corners_of(&d.quad);
            cardscan_core::quality::card_view(f, &corners, &cfg.quality).expect("card view")
        })
        .collect();
    group.bench_function("glare_net", |b| {
        b.iter(|| {
            qviews
                .iter()
                .filter(|v| cardscan_core::quality::glare::net::probability(v).is_ok())
                .count()
        })
    });
    group.bench_function("analyze", |b| {
        b.iter(|| {
            views
                .iter()
                .filter(|f| analyze(f, &detector, &cfg).is_ok())
                .count()
        })
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20).measurement_time(std::time::Duration::from_secs(4));
    targets = bench
}
criterion_main!(benches);
