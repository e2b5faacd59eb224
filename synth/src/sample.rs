//! Flat, upright sample cards, as a rectifier would output them: for tests,
//! upload demos and bindings that need a realistic card JPEG without a scene.

use crate::card::{CardSpec, CARD_W_MM};
use crate::Side;
use image::codecs::jpeg::JpegEncoder;
use image::{Rgb, RgbImage};

/// Pixels per millimetre of the samples: 300 DPI, so a card is about 1011 × 638 px.
pub const SAMPLE_PX_PER_MM: f32 = 300.0 / 25.4;

/// The card for `seed` rendered flat at 300 DPI, corners filled with white.
pub fn card_rgb(side: Side, seed: u64) -> RgbImage {
    let rgba = CardSpec::random(seed).render(side, SAMPLE_PX_PER_MM);
    let mut out = RgbImage::new(rgba.width(), rgba.height());
    for (o, p) in out.pixels_mut().zip(rgba.pixels()) {
        let a = p.0[3] as u32;
        let f = |c: u8| ((c as u32 * a + 255 * (255 - a)) / 255) as u8;
        *o = Rgb([f(p.0[0]), f(p.0[1]), f(p.0[2])]);
    }
    out
}

/// A flat, upright insurance-card JPEG (about 1011 × 638 px, quality 90), front or
/// back; the same seed always gives the same bytes.
pub fn card_jpeg(side: Side, seed: u64) -> Vec<u8> {
    encode_jpeg(&card_rgb(side, seed), 90)
}

/// JPEG bytes of an RGB image (4:2:0, like a phone camera). Uses the SIMD
/// `jpeg-encoder` (the generator re-encodes every scene, so speed matters) and
/// falls back to `image`'s encoder for sizes it rejects (sides over 65535).
pub fn encode_jpeg(img: &RgbImage, quality: u8) -> Vec<u8> {
    let q = quality.clamp(1, 100);
    let mut out = Vec::new();
    if let (Ok(w), Ok(h)) = (u16::try_from(img.width()), u16::try_from(img.height())) {
        let enc = jpeg_encoder::Encoder::new(&mut out, q);
        if enc
            .encode(img.as_raw(), w, h, jpeg_encoder::ColorType::Rgb)
            .is_ok()
        {
            return out;
        }
    }
    out.clear();
    match img.write_with_encoder(JpegEncoder::new_with_quality(&mut out, q)) {
        Ok(()) => out,
        Err(_) => Vec::new(),
    }
}

/// Card width in pixels of the samples (for callers that check the size).
pub fn sample_width() -> u32 {
    (CARD_W_MM * SAMPLE_PX_PER_MM).round() as u32
}
