//! Calibration dump (ignored by default): quality measurements against the
//! synthetic ground truth on the train split (seeds 1 000 000.. are `Split::Train` indices), one TSV row per card scene, for
//! choosing thresholds. Run with
//! `cargo test -p cardscan-core --test scan_calibrate -- --ignored --nocapture`.
//! Ground-truth corners are used so the numbers judge quality alone.

use cardscan_core::detect::{CardSide, Detection, Point, Quad};
use cardscan_core::frame::OwnedFrame;
use cardscan_core::quality::{self, QualityConfig};
use cardscan_synth::{scene, SceneConfig};

fn count() -> u64 {
    std::env::var("CALIBRATE_N")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(200)
}

#[test]
#[ignore]
fn dump_quality_measurements() {
    let cfg = QualityConfig {
        glare_min_luma: 215,
        ..QualityConfig::default()
    };
    let start: u64 = std::env::var("CALIBRATE_START")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    println!("seed\tw\th\tblur\tkind\tstrength\tscore\taniso\td0\td90\td45\td135\tglare\tgfrac\tmfrac\texposure\tmean\tp5\tp95\tdpi\tvisible\tp75\tr8\tr15\tr25\tr40");
    for seed in start..start + count() {
        let s = scene(
            seed,
            &SceneConfig {
                allow_no_card: false,
                ..SceneConfig::default()
            },
        );
        let Some(card) = &s.truth.card else { continue };
        let frame = OwnedFrame::i420_from_rgb(&s.image).unwrap();
        let frame = frame.as_frame().unwrap();
        let corners = card.corners;
        let view = quality::card_view(&frame, &corners, &cfg).unwrap();
        let b = quality::sharpness::measure(&view, (cfg.blur_margin * view.width as f32) as usize);
        let g = quality::glare::measure(&view, &cfg_glare(&cfg));
        let e = quality::exposure::measure(&view);
        let geo = quality::geometry::measure(&corners, s.truth.width as f32, s.truth.height as f32);
        let _ = Detection {
            quad: Quad::new(corners.map(|c| Point::new(c[0], c[1]))),
            confidence: 1.0,
            side: CardSide::Unknown,
        };
        if let Ok(dir) = std::env::var("CALIBRATE_SAVE") {
            let card = cardscan_core::rectify::rectify(&frame, &corners, 404, 255).unwrap();
            card.save(format!("{dir}/{seed}.png")).unwrap();
        }
        let t = &s.truth;
        let d = b.per_direction;
        print!(
            "{seed}\t{}\t{}\t{}\t{:?}\t{:.4}\t{:.4}\t{:.4}\t{:.3}\t{:.3}\t{:.3}\t{:.3}\t{}\t{:.4}\t{:.4}\t{:?}\t{:.3}\t{:.3}\t{:.3}\t{:.0}\t{:.3}",
            t.width, t.height, t.blur as u8, t.blur_kind, t.blur_strength, b.score(), b.anisotropy(), d[0], d[1], d[2], d[3],
            t.glare as u8, t.glare_fraction, g.fraction, t.exposure, e.mean, e.p5, e.p95, geo.dpi, card.visible_fraction
        );
        let mut sorted = view.luma.clone();
        sorted.sort_unstable();
        let p75 = sorted[sorted.len() * 3 / 4] as i32;
        print!("\t{p75}");
        for delta in [8, 15, 25, 40] {
            let thr = (p75 + delta).min(250);
            let mut n = 0;
            for (l, c) in view.luma.iter().zip(&view.chroma) {
                if *l as i32 >= thr && *c <= 40 {
                    n += 1;
                }
            }
            print!("\t{:.4}", n as f32 / view.len() as f32);
        }
        println!();
    }
}

fn cfg_glare(cfg: &QualityConfig) -> quality::glare::GlareParams {
    cfg.glare_params()
}

/// Rectification time for the docs (ignored; not a timed assertion):
/// `cargo test -p cardscan-core --release --test scan_calibrate -- --ignored measure --nocapture`.
#[test]
#[ignore]
fn measure_rectify_time() {
    let s = scene(
        1_000_003,
        &SceneConfig {
            allow_no_card: false,
            width: 1920,
            height: 1080,
            ..SceneConfig::default()
        },
    );
    let corners = s.truth.card.as_ref().unwrap().corners;
    let owned = OwnedFrame::i420_from_rgb(&s.image).unwrap();
    let frame = owned.as_frame().unwrap();
    let cfg = cardscan_core::rectify::RectifyConfig::default();
    let mut times = Vec::new();
    for _ in 0..10 {
        let t = std::time::Instant::now();
        let card = cardscan_core::rectify::rectify_jpeg(&frame, &corners, &cfg).unwrap();
        times.push(t.elapsed().as_secs_f64() * 1e3);
        assert!(!card.jpeg.is_empty());
    }
    times.sort_by(f64::total_cmp);
    let q = QualityConfig::default();
    let t = std::time::Instant::now();
    for _ in 0..20 {
        let _ = quality::card_view(&frame, &corners, &q).unwrap();
    }
    println!(
        "rectify+jpeg 1080p → 1011x638: median {:.1} ms; quality view: {:.2} ms",
        times[5],
        t.elapsed().as_secs_f64() * 1e3 / 20.0
    );
}
