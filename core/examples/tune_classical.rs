//! Tuning aid for the classical detector on *training* scenes (never the
//! evaluation split): prints per-scene IoU and a summary.
//! `cargo run --release -p cardscan-core --example tune_classical -- [count] [first_seed] [-v]`

use cardscan_core::detect::{ClassicalDetector, Point, Quad};
use cardscan_core::frame::OwnedFrame;
use cardscan_synth::{scene, SceneConfig};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let count: u64 = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(100);
    let first: u64 = args
        .get(2)
        .and_then(|s| s.parse().ok())
        .unwrap_or(1_000_000);
    let verbose = args.iter().any(|a| a == "-v");
    let dump = args
        .iter()
        .position(|a| a == "--dump")
        .and_then(|i| args.get(i + 1))
        .cloned();
    let cfg = SceneConfig::default();
    let det = ClassicalDetector::default();
    let (mut cards, mut found, mut iou_sum, mut empty, mut fp) = (0, 0, 0.0, 0, 0);
    let mut elapsed = Vec::new();
    for seed in first..first + count {
        let sc = scene(seed, &cfg);
        let owned = OwnedFrame::i420_from_rgb(&sc.image).unwrap();
        let frame = owned.as_frame().unwrap();
        let t = std::time::Instant::now();
        let cand = det.best_candidate(&frame).unwrap();
        elapsed.push(t.elapsed().as_secs_f64() * 1e3);
        let conf = cand.map(|c| c.1).unwrap_or(0.0);
        if let Some(dir) = &dump {
            draw_debug(dir, seed, &sc, &det, &frame, cand.map(|c| c.0));
        }
        let hit = cand.filter(|c| c.1 >= 0.5).map(|c| c.0);
        match &sc.truth.card {
            Some(card) => {
                cards += 1;
                let gt = Quad::new(card.corners.map(|p| Point::new(p[0], p[1])));
                let iou = hit.map(|q| q.iou(&gt)).unwrap_or(0.0);
                let corner = hit
                    .map(|q| q.max_corner_distance_any_start(&gt) / gt.perimeter())
                    .unwrap_or(1.0);
                iou_sum += iou;
                let ok = iou >= 0.9 || corner <= 0.017;
                found += ok as u32;
                if verbose || !ok {
                    println!(
                        "seed {seed} card iou {iou:.3} corner {corner:.4} conf {conf:.2} vis {:.2} occ {:.2} blur {} glare {} dist {}",
                        card.visible_fraction, card.occluded_fraction, sc.truth.blur, sc.truth.glare, sc.truth.distractors.len()
                    );
                }
            }
            None => {
                empty += 1;
                if hit.is_some() {
                    fp += 1;
                }
                if verbose || hit.is_some() {
                    let kinds: Vec<_> = sc
                        .truth
                        .distractors
                        .iter()
                        .map(|d| format!("{:?}", d.kind))
                        .collect();
                    println!(
                        "seed {seed} EMPTY conf {conf:.2} fp {} distractors {kinds:?}",
                        hit.is_some()
                    );
                }
            }
        }
    }
    elapsed.sort_by(f64::total_cmp);
    println!(
        "cards {cards} found {:.1}% meanIoU {:.3} | empty {empty} fp {:.1}% | median {:.2} ms p90 {:.2} ms",
        100.0 * found as f64 / cards.max(1) as f64,
        iou_sum / cards.max(1) as f32,
        100.0 * fp as f64 / empty.max(1) as f64,
        elapsed[elapsed.len() / 2],
        elapsed[elapsed.len() * 9 / 10]
    );
}

fn draw_debug(
    dir: &str,
    seed: u64,
    sc: &cardscan_synth::Scene,
    det: &ClassicalDetector,
    frame: &cardscan_core::frame::Frame<'_>,
    found: Option<Quad>,
) {
    use imageproc::drawing::draw_line_segment_mut;
    let mut img = sc.image.clone();
    let mut quad = |q: &Quad, c: [u8; 3]| {
        for i in 0..4 {
            let (a, b) = (q.corners[i], q.corners[(i + 1) % 4]);
            draw_line_segment_mut(&mut img, (a.x, a.y), (b.x, b.y), image::Rgb(c));
        }
    };
    for (q, s) in det.coarse_candidates(frame, 3).unwrap() {
        quad(
            &q,
            if s < 0.0 {
                [0, 160, 255]
            } else {
                [255, 255, 0]
            },
        );
    }
    if let Some(card) = &sc.truth.card {
        quad(
            &Quad::new(card.corners.map(|p| Point::new(p[0], p[1]))),
            [0, 255, 0],
        );
    }
    if let Some(q) = found {
        quad(&q, [255, 0, 0]);
    }
    img.save(format!("{dir}/{seed}.png")).unwrap();
}
