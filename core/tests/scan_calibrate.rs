//! Calibration dump (ignored by default): quality measurements against the
//! synthetic ground truth on the train split, one TSV row per card scene, for
//! choosing thresholds. Run with
//! `cargo test -p cardscan-core --test scan_calibrate -- --ignored --nocapture`.
//! Ground-truth corners are used so the numbers judge quality alone.

use cardscan_core::detect::{CardSide, Detection, Point, Quad};
use cardscan_core::frame::OwnedFrame;
use cardscan_core::quality::{self, QualityConfig};
use cardscan_synth::{scene, SceneConfig};

fn count() -> u64 {
    std::env::var("CALIBRATE_N").ok().and_then(|v| v.parse().ok()).unwrap_or(200)
}

#[test]
#[ignore]
fn dump_quality_measurements() {
    let cfg = QualityConfig::default();
    let start: u64 = std::env::var("CALIBRATE_START").ok().and_then(|v| v.parse().ok()).unwrap_or(1_000_000);
    println!("seed\tw\th\tblur\tkind\tstrength\tscore\taniso\td0\td90\td45\td135\tglare\tgfrac\tmfrac\texposure\tmean\tp5\tp95\tdpi\tvisible");
    for seed in start..start + count() {
        let s = scene(seed, &SceneConfig { allow_no_card: false, ..SceneConfig::default() });
        let Some(card) = &s.truth.card else { continue };
        let frame = OwnedFrame::i420_from_rgb(&s.image).unwrap();
        let frame = frame.as_frame().unwrap();
        let corners = card.corners;
        let view = quality::card_view(&frame, &corners, &cfg).unwrap();
        let b = quality::sharpness::measure(&view, (cfg.blur_margin * view.width as f32) as usize);
        let g = quality::glare::measure(&view, &cfg_glare(&cfg));
        let e = quality::exposure::measure(&view);
        let geo = quality::geometry::measure(&corners, s.truth.width as f32, s.truth.height as f32);
        let _ = Detection { quad: Quad::new(corners.map(|c| Point::new(c[0], c[1]))), confidence: 1.0, side: CardSide::Unknown };
        let t = &s.truth;
        let d = b.per_direction;
        println!(
            "{seed}\t{}\t{}\t{}\t{:?}\t{:.4}\t{:.4}\t{:.4}\t{:.3}\t{:.3}\t{:.3}\t{:.3}\t{}\t{:.4}\t{:.4}\t{:?}\t{:.3}\t{:.3}\t{:.3}\t{:.0}\t{:.3}",
            t.width, t.height, t.blur as u8, t.blur_kind, t.blur_strength, b.score(), b.anisotropy(), d[0], d[1], d[2], d[3],
            t.glare as u8, t.glare_fraction, g.fraction, t.exposure, e.mean, e.p5, e.p95, geo.dpi, card.visible_fraction
        );
    }
}

fn cfg_glare(cfg: &QualityConfig) -> quality::glare::GlareParams {
    quality::glare::GlareParams {
        min_luma: cfg.glare_min_luma,
        max_chroma: cfg.glare_max_chroma,
        min_blob_fraction: cfg.glare_min_blob,
    }
}
