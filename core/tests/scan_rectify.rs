//! Rectification: a flat card with four coloured quadrants is warped into a
//! frame with imageproc (an independent forward warp), then rectified back;
//! each output corner must show the colour of the same card corner, whatever
//! the frame's pixel format and rotation.

use cardscan_core::frame::{OwnedFrame, Rotation};
use cardscan_core::rectify::{
    self, RectifyConfig, RectifyError, CARD_HEIGHT_300DPI, CARD_WIDTH_300DPI,
};
use image::{Rgb, RgbImage};
use imageproc::geometric_transformations::{warp_into, Border, Interpolation, Projection};

const TL: [u8; 3] = [220, 30, 30];
const TR: [u8; 3] = [30, 200, 30];
const BR: [u8; 3] = [30, 30, 220];
const BL: [u8; 3] = [230, 230, 230];

fn flat_card() -> RgbImage {
    RgbImage::from_fn(428, 270, |x, y| {
        Rgb(match (x < 214, y < 135) {
            (true, true) => TL,
            (false, true) => TR,
            (false, false) => BR,
            (true, false) => BL,
        })
    })
}

/// The card warped onto a dark 1280×720 frame at `quad`.
fn scene(quad: [[f32; 2]; 4]) -> RgbImage {
    let card = flat_card();
    let from = [(0.0, 0.0), (428.0, 0.0), (428.0, 270.0), (0.0, 270.0)];
    let p = Projection::from_control_points(from, quad.map(|[x, y]| (x, y))).unwrap();
    let mut out = RgbImage::from_pixel(1280, 720, Rgb([20, 20, 20]));
    warp_into(
        &card,
        p,
        Interpolation::Bilinear,
        Border::Constant(Rgb([20, 20, 20])),
        &mut out,
    );
    out
}

fn close(a: [u8; 3], b: [u8; 3]) -> bool {
    a.iter()
        .zip(b)
        .all(|(x, y)| (*x as i32 - y as i32).abs() <= 30)
}

fn assert_corners(img: &RgbImage) {
    let (w, h) = img.dimensions();
    let at = |x: u32, y: u32| img.get_pixel(x, y).0;
    for (p, want) in [
        (at(40, 40), TL),
        (at(w - 40, 40), TR),
        (at(w - 40, h - 40), BR),
        (at(40, h - 40), BL),
    ] {
        assert!(close(p, want), "{p:?} vs {want:?}");
    }
}

const QUAD: [[f32; 2]; 4] = [
    [300.0, 140.0],
    [980.0, 190.0],
    [940.0, 610.0],
    [260.0, 560.0],
];

#[test]
fn rectified_card_is_upright_and_300_dpi() {
    let frame = OwnedFrame::i420_from_rgb(&scene(QUAD)).unwrap();
    let cfg = RectifyConfig::default();
    let card = rectify::rectify_jpeg(&frame.as_frame().unwrap(), &QUAD, &cfg).unwrap();
    assert_eq!(
        (card.width, card.height),
        (CARD_WIDTH_300DPI, CARD_HEIGHT_300DPI)
    );
    let decoded = image::load_from_memory(&card.jpeg).unwrap().to_rgb8();
    assert_eq!(decoded.dimensions(), (1011, 638));
    assert_corners(&decoded);
}

#[test]
fn rotated_buffers_give_the_same_card() {
    // The camera buffer is the upright scene rotated 90° counter-clockwise;
    // rotation 90 (clockwise) makes it upright again.
    let upright = scene(QUAD);
    let buffer = image::imageops::rotate270(&upright);
    let frame = OwnedFrame::nv21_from_rgb(&buffer)
        .unwrap()
        .with_rotation(Rotation::Deg90);
    let out = rectify::rectify(&frame.as_frame().unwrap(), &QUAD, 505, 319).unwrap();
    assert_corners(&out);
}

#[test]
fn bad_quads_and_settings_are_typed_errors() {
    let frame = OwnedFrame::i420_from_rgb(&scene(QUAD)).unwrap();
    let f = frame.as_frame().unwrap();
    let flat = [[0.0, 0.0], [100.0, 0.0], [200.0, 0.0], [300.0, 0.0]];
    assert!(matches!(
        rectify::rectify(&f, &flat, 100, 63),
        Err(RectifyError::InvalidQuad(_))
    ));
    assert!(matches!(
        rectify::rectify(&f, &QUAD, 0, 63),
        Err(RectifyError::InvalidSize { .. })
    ));
    let cfg = RectifyConfig {
        jpeg_quality: 0,
        ..RectifyConfig::default()
    };
    assert!(matches!(
        rectify::rectify_jpeg(&f, &QUAD, &cfg),
        Err(RectifyError::InvalidQuality(0))
    ));
}
