//! Learned detector latency on one thread, 1080p I420 frames made from
//! generated scenes: the network alone (fixed-shape tract plan on the
//! 160 × 96 input), the whole detection (downscale, network, decoding,
//! full-resolution refinement), and the whole per-frame analysis
//! (detection + quality), quality alone on the detected outlines, and the
//! glare network alone on their card views. Targets (issue 4): network ≤ 2 ms, analysis ≤ 5 ms.
//! Two more cases show the classical fallback's cost: `analyze_no_card`
//! (card-free frames; the fallback runs only where the network is unsure)
//! and `analyze_fallback` (frames whose card only the fallback finds).
//! Run with `cargo bench -p cardscan-core --bench learned`.

use cardscan_core::analyze::{analyze, assess, AnalyzeConfig};
use cardscan_core::detect::{Detector, LearnedDetector};
use cardscan_core::frame::OwnedFrame;
use cardscan_synth::{scene, SceneConfig};
use criterion::measurement::WallTime;
use criterion::{criterion_group, criterion_main, BenchmarkGroup, Criterion};

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

/// Train-split 1080p frames chosen by `keep`, the first four from seed
/// 1 000 000 on.
fn frames_where(keep: impl Fn(&OwnedFrame, bool) -> bool) -> Vec<OwnedFrame> {
    let cfg = SceneConfig {
        width: 1920,
        height: 1080,
        ..SceneConfig::default()
    };
    (1_000_000u64..1_002_000)
        .map(|seed| scene(seed, &cfg))
        .map(|s| {
            let card = s.truth.card.is_some();
            (
                OwnedFrame::i420_from_rgb(&s.image).expect("valid scene"),
                card,
            )
        })
        .filter(|(f, card)| keep(f, *card))
        .map(|(f, _)| f)
        .take(4)
        .collect()
}

/// Mean time of `analyze` over `frames`, one frame per iteration.
fn bench_analyze(group: &mut BenchmarkGroup<'_, WallTime>, name: &str, frames: &[OwnedFrame]) {
    let detector = LearnedDetector::new().expect("embedded model loads");
    let cfg = AnalyzeConfig::default();
    let views: Vec<_> = frames
        .iter()
        .map(|o| o.as_frame().expect("valid frame"))
        .collect();
    group.bench_function(name, |b| {
        let mut i = 0;
        b.iter(|| {
            i = (i + 1) % views.len();
            analyze(&views[i], &detector, &cfg).map(|a| a.detection.is_some())
        })
    });
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
    let network_alone = detector.with_classical_fallback(false);
    let found = |f: &OwnedFrame, d: &dyn Detector| {
        matches!(d.detect(&f.as_frame().expect("valid frame")), Ok(Some(_)))
    };
    let empty = frames_where(|_, card| !card);
    bench_analyze(&mut group, "analyze_no_card", &empty);
    let unsure = frames_where(|f, card| card && !found(f, &network_alone) && found(f, &detector));
    bench_analyze(&mut group, "analyze_fallback", &unsure);
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20).measurement_time(std::time::Duration::from_secs(4));
    targets = bench
}
criterion_main!(benches);
