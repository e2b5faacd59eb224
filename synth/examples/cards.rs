//! Writes a few sample cards (front and back) as PNG to a directory for eyeballing.
fn main() {
    let dir = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "/tmp/cards".into());
    std::fs::create_dir_all(&dir).unwrap();
    for seed in 0..6u64 {
        for side in [cardscan_synth::Side::Front, cardscan_synth::Side::Back] {
            let img = cardscan_synth::sample::card_rgb(side, seed);
            img.save(format!("{dir}/{seed}_{side:?}.png")).unwrap();
        }
    }
}
