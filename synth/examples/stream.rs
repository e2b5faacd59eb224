//! Writes the sample stream's frames as PNG plus its truth, for eyeballing.
fn main() {
    let dir = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "/tmp/stream".into());
    std::fs::create_dir_all(&dir).unwrap();
    let t = std::time::Instant::now();
    let s = cardscan_synth::sample_stream(7);
    eprintln!(
        "{} frames in {:.2} s",
        s.frames.len(),
        t.elapsed().as_secs_f64()
    );
    for (i, truth) in s.truth.iter().enumerate() {
        let c = truth.card.as_ref();
        println!(
            "{i}: side={:?} blur={} strength={:.4} dpi={:?} vis={:?}",
            c.map(|c| c.side),
            truth.blur,
            truth.blur_strength,
            c.map(|c| c.dpi as u32),
            c.map(|c| c.visible_fraction)
        );
        if i % 6 == 0 {
            cardscan_synth::stream::frame_rgb(&s, i)
                .unwrap()
                .save(format!("{dir}/{i:03}.png"))
                .unwrap();
        }
    }
}
