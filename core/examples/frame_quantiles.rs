//! Per-frame analysis time of the `learned` bench's four 1080p frames, as
//! the 10th percentile and median of single calls.
//!
//! Why next to criterion: criterion's `learned_1080p/analyze` times the four
//! frames together, which hides which frame a change moved, and this shared
//! VM's noisy spells shift its medians by more than many changes save. The
//! 10th percentile of single calls is steadier; run it interleaved with the
//! build being compared.
//!
//! `cargo run --release -p cardscan-core --example frame_quantiles [CALLS]`
//! (CALLS per frame, 200 by default).

use cardscan_core::analyze::{analyze, AnalyzeConfig};
use cardscan_core::detect::{Detector, LearnedDetector};
use cardscan_core::frame::OwnedFrame;
use cardscan_core::quality;
use cardscan_synth::{scene, SceneConfig};
use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let calls: usize = match std::env::args().nth(1) {
        Some(n) => n.parse()?,
        None => 200,
    };
    let calls = calls.max(1);
    // The bench's frames (benches/common/mod.rs: card_frames).
    let cfg = SceneConfig {
        width: 1920,
        height: 1080,
        allow_no_card: false,
        ..SceneConfig::default()
    };
    let frames = (0..4u64)
        .map(|i| OwnedFrame::i420_from_rgb(&scene(1_000_000 + i, &cfg).image))
        .collect::<Result<Vec<_>, _>>()?;
    let detector = LearnedDetector::new()?;
    let acfg = AnalyzeConfig::default();
    quality::preload(&acfg.quality);
    println!("frame   p10 ms   p50 ms");
    for (i, owned) in frames.iter().enumerate() {
        let frame = owned.as_frame()?;
        analyze(&frame, &detector as &dyn Detector, &acfg)?;
        let mut times: Vec<f64> = (0..calls)
            .map(|_| {
                let start = Instant::now();
                let _ = analyze(&frame, &detector as &dyn Detector, &acfg);
                start.elapsed().as_secs_f64() * 1e3
            })
            .collect();
        times.sort_by(f64::total_cmp);
        println!("{i:5} {:8.2} {:8.2}", times[calls / 10], times[calls / 2]);
    }
    Ok(())
}
