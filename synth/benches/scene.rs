//! Generation cost per scene (training draws tens of thousands), per sample card
//! and per sample stream.

use cardscan_synth::{sample, scene, SceneConfig, Side};
use criterion::{criterion_group, criterion_main, Criterion};

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("synth");
    g.sample_size(20);
    for (w, h) in [(1280, 720), (1920, 1080)] {
        let cfg = SceneConfig {
            width: w,
            height: h,
            ..SceneConfig::default()
        };
        let mut seed = 0u64;
        g.bench_function(format!("scene_{w}x{h}"), |b| {
            b.iter(|| {
                seed += 1;
                scene(seed, &cfg)
            })
        });
    }
    g.bench_function("card_jpeg_300dpi", |b| {
        b.iter(|| sample::card_jpeg(Side::Front, 5))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
