//! Learned detector latency on one thread, 1080p I420 frames made from
//! generated scenes: the network alone (fixed-shape tract plan on the
//! 160 × 96 input), the whole detection (downscale, network, decoding,
//! full-resolution refinement), and the whole per-frame analysis
//! (detection + quality), quality alone on the detected outlines, and the
//! glare network alone on their card views. Targets (issue 4): network ≤ 2 ms, analysis ≤ 5 ms.
//! Two more cases show the classical fallback's cost: `analyze_no_card`
//! (card-free frames; the fallback runs only where the network is unsure)
//! and `analyze_fallback` (frames whose card only the fallback finds).
//! `analyze_faint_lines` takes frames whose outline faint lines change
//! (the side check trusted no Hough line of some side), and
//! `analyze_second_opinion` frames where the classical detector's second
//! opinion replaces a doubtful outline; `analyze_side_placement` frames
//! where a side the side check rejects is placed again from the other
//! three; `analyze_misshapen` hard-scene frames carrying the camera's
//! focal length whose outline is no card in perspective and gets a side
//! placed again; `analyze_zoomed` hard-scene frames
//! whose card only the zoomed look finds (card-free frames in `analyze_no_card` pay
//! for the look wherever the network's guess is small); `analyze_print_focal`
//! frames whose card has a side out of frame placed with the focal length
//! read from its print.
//! Run with `cargo bench -p cardscan-core --bench learned`.

mod common;

use cardscan_core::analyze::{analyze, assess, AnalyzeConfig};
use cardscan_core::detect::{Detector, LearnedDetector};
use cardscan_core::frame::{Frame, OwnedFrame};
use cardscan_synth::Difficulty;
use common::{bench_analyze, card_frames, frames_where, scenes_where, views};
use criterion::{criterion_group, criterion_main, Criterion};

fn bench(c: &mut Criterion) {
    let detector = LearnedDetector::new().expect("embedded model loads");
    let cfg = AnalyzeConfig::default();
    let owned = card_frames(1920, 1080);
    let card_views = views(&owned);
    let (w, h) = LearnedDetector::input_size();
    let mut group = c.benchmark_group("learned_1080p");
    group.bench_function("network", |b| {
        let input = vec![128.0f32; w * h];
        b.iter(|| detector.run_network(&input).expect("network runs"))
    });
    group.bench_function("detect", |b| {
        b.iter(|| {
            card_views
                .iter()
                .filter(|f| matches!(detector.detect(f), Ok(Some(_))))
                .count()
        })
    });
    // Quality alone on the detected outlines: what analysis adds to detection.
    let found: Vec<_> = card_views
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
            card_views
                .iter()
                .filter(|f| analyze(f, &detector, &cfg).is_ok())
                .count()
        })
    });
    let network_alone = detector.with_classical_fallback(false);
    let found = |f: &OwnedFrame, d: &dyn Detector| {
        matches!(d.detect(&f.as_frame().expect("valid frame")), Ok(Some(_)))
    };
    let empty = frames_where(Difficulty::Normal, 1920, 1080, |_, card| !card);
    bench_analyze(
        &mut group,
        "analyze_no_card",
        &views(&empty),
        &detector,
        &cfg,
    );
    let unsure = frames_where(Difficulty::Normal, 1920, 1080, |f, card| {
        card && !found(f, &network_alone) && found(f, &detector)
    });
    bench_analyze(
        &mut group,
        "analyze_fallback",
        &views(&unsure),
        &detector,
        &cfg,
    );
    // Frames where faint lines change the outline: the sides the side
    // check trusts no Hough line of get faint lines, the worst case.
    let no_faint = detector.with_faint_lines(false);
    let outline = |f: &OwnedFrame, d: &dyn Detector| {
        d.detect(&f.as_frame().expect("valid frame"))
            .ok()
            .flatten()
            .map(|d| d.quad)
    };
    let faint = frames_where(Difficulty::Normal, 1920, 1080, |f, card| {
        card && outline(f, &no_faint) != outline(f, &detector)
    });
    bench_analyze(
        &mut group,
        "analyze_faint_lines",
        &views(&faint),
        &detector,
        &cfg,
    );
    // Frames whose snapped outline the side check doubts and where the
    // classical detector's second opinion replaces it.
    let second = frames_where(Difficulty::Normal, 1920, 1080, |f, card| {
        let alone = outline(f, &network_alone);
        card && alone.is_some() && alone != outline(f, &detector)
    });
    bench_analyze(
        &mut group,
        "analyze_second_opinion",
        &views(&second),
        &detector,
        &cfg,
    );
    // Frames where side placement replaces a side the side check rejects
    // (one more snap per frame, at twice the working resolution).
    let no_placement = detector.with_side_placement(false);
    let placed = frames_where(Difficulty::Normal, 1920, 1080, |f, card| {
        card && outline(f, &no_placement) != outline(f, &detector)
    });
    bench_analyze(
        &mut group,
        "analyze_side_placement",
        &views(&placed),
        &detector,
        &cfg,
    );
    // Frames carrying the camera's focal length whose outline is no card in
    // perspective and gets a side placed again (learned/misshapen.rs; hard
    // scenes, where such outlines are commoner).
    let unshaped = detector.with_misshapen_outlines(false);
    let misshapen = scenes_where(Difficulty::Hard, 1920, 1080, |f, truth| {
        let (Some(_), Some(focal)) = (&truth.card, truth.focal_px) else {
            return false;
        };
        let quad = |d: &dyn Detector| {
            d.detect(&with_focal(f, focal))
                .ok()
                .flatten()
                .map(|d| d.quad)
        };
        quad(&unshaped) != quad(&detector)
    });
    let misshapen_views: Vec<_> = misshapen
        .iter()
        .filter_map(|(o, truth)| Some(with_focal(o, truth.focal_px?)))
        .collect();
    bench_analyze(
        &mut group,
        "analyze_misshapen",
        &misshapen_views,
        &detector,
        &cfg,
    );
    // Frames whose card has a side out of frame placed with the focal
    // length read from its print (a sweep of the print's row profile over
    // about 86 vanishing points, on a 640-pixel luma).
    let unread = detector.with_print_focal(false);
    let read = frames_where(Difficulty::Normal, 1920, 1080, |f, card| {
        card && outline(f, &unread) != outline(f, &detector)
    });
    bench_analyze(
        &mut group,
        "analyze_print_focal",
        &views(&read),
        &detector,
        &cfg,
    );
    // Hard-scene frames whose card only the zoomed look finds (in normal
    // scenes such small cards are rare).
    let no_zoom = detector.with_zoomed_look(false);
    let zoomed = frames_where(Difficulty::Hard, 1920, 1080, |f, card| {
        card && !found(f, &no_zoom) && found(f, &detector)
    });
    bench_analyze(
        &mut group,
        "analyze_zoomed",
        &views(&zoomed),
        &detector,
        &cfg,
    );
    group.finish();
}

/// A view of `frame` carrying the camera's focal length `focal` (pixels).
fn with_focal(frame: &OwnedFrame, focal: f32) -> Frame<'_> {
    frame
        .as_frame()
        .and_then(|f| f.with_focal_length(focal))
        .expect("valid frame")
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20).measurement_time(std::time::Duration::from_secs(4));
    targets = bench
}
criterion_main!(benches);
