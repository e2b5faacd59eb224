//! Times the expensive stages of scene generation in isolation.
use std::time::Instant;
fn t<R>(name: &str, f: impl FnOnce() -> R) -> R {
    let s = Instant::now();
    let r = f();
    eprintln!("{name}: {:.1} ms", s.elapsed().as_secs_f64() * 1e3);
    r
}
fn main() {
    let img = t("scene", || cardscan_synth::scene(1, &Default::default())).image;
    let bytes = t("jpeg encode", || {
        cardscan_synth::sample::encode_jpeg(&img, 80)
    });
    t("jpeg decode", || image::load_from_memory(&bytes).unwrap());
    t("resize", || {
        image::imageops::resize(&img, 640, 360, image::imageops::FilterType::Triangle)
    });
    let spec = cardscan_synth::card::CardSpec::random(3);
    t("card render 8ppm", || {
        spec.render(cardscan_synth::Side::Front, 8.0)
    });
    t("card render 8ppm back", || {
        spec.render(cardscan_synth::Side::Back, 8.0)
    });
    t("scene", || cardscan_synth::scene(2, &Default::default()));
}
