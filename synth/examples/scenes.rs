//! Writes scenes as PNG (with the ground-truth quad drawn in red when `--overlay`)
//! and prints per-scene timing, for eyeballing the generator.
use cardscan_synth::{scene, Difficulty, SceneConfig};
use image::Rgb;
use imageproc::drawing::draw_line_segment_mut;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let dir = args.get(1).cloned().unwrap_or_else(|| "/tmp/scenes".into());
    let n: u64 = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(8);
    let start: u64 = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(0);
    let overlay = args.iter().any(|a| a == "--overlay");
    let hard = args.iter().any(|a| a == "--hard");
    std::fs::create_dir_all(&dir).unwrap();
    let cfg = SceneConfig {
        difficulty: if hard {
            Difficulty::Hard
        } else {
            Difficulty::Normal
        },
        ..SceneConfig::default()
    };
    let mut total = 0.0;
    for seed in start..start + n {
        let t = std::time::Instant::now();
        let s = scene(seed, &cfg);
        let ms = t.elapsed().as_secs_f64() * 1e3;
        total += ms;
        let mut img = s.image;
        if overlay {
            if let Some(c) = &s.truth.card {
                for i in 0..4 {
                    let (a, b) = (c.corners[i], c.corners[(i + 1) % 4]);
                    draw_line_segment_mut(&mut img, (a[0], a[1]), (b[0], b[1]), Rgb([255, 0, 0]));
                }
            }
        }
        img.save(format!("{dir}/{seed:06}.png")).unwrap();
        println!(
            "{seed}: {ms:.1} ms {}",
            serde_json::to_string(&s.truth).unwrap()
        );
    }
    println!("mean {:.1} ms", total / n as f64);
}
