//! `cardnet-gen OUT_DIR SEED_BASE START COUNT WIDTH HEIGHT [--hard]`: writes
//! scene `i` (seed `SEED_BASE + i`) as `OUT_DIR/{i:06}.jpg` + `.json`.
use cardscan_synth::{scene, Difficulty, SceneConfig};
use image::codecs::jpeg::JpegEncoder;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let a: Vec<String> = std::env::args().collect();
    let arg = |i: usize| a.get(i).cloned().ok_or("usage: OUT SEED_BASE START COUNT WIDTH HEIGHT [--hard]");
    let (out, base): (String, u64) = (arg(1)?, arg(2)?.parse()?);
    let (start, count): (u64, u64) = (arg(3)?.parse()?, arg(4)?.parse()?);
    let (width, height): (u32, u32) = (arg(5)?.parse()?, arg(6)?.parse()?);
    let hard = a.iter().any(|s| s == "--hard");
    std::fs::create_dir_all(&out)?;
    for i in start..start + count {
        let difficulty = if hard || i % 3 == 2 { Difficulty::Hard } else { Difficulty::Normal };
        let cfg = SceneConfig { width, height, difficulty, ..SceneConfig::default() };
        let s = scene(base + i, &cfg);
        let mut f = std::io::BufWriter::new(std::fs::File::create(format!("{out}/{i:06}.jpg"))?);
        s.image.write_with_encoder(JpegEncoder::new_with_quality(&mut f, 92))?;
        std::fs::write(format!("{out}/{i:06}.json"), serde_json::to_string(&s.truth)?)?;
    }
    Ok(())
}
