//! Perspective warp of the card out of the frame, in colour.
//!
//! Each output pixel is the frame sampled bilinearly at the pre-image of its
//! centre. When the card covers more frame pixels than the output has (a
//! near card in a 4K still), each output pixel averages a small grid of such
//! samples so fine print does not alias.

use image::{Rgb, RgbImage};

use super::homography::CardToFrame;
use super::{RectifyConfig, RectifyError};
use crate::frame::Frame;

/// Largest supersampling grid per output pixel (n × n samples).
const MAX_SUPERSAMPLE: u32 = 3;

/// Colour used where the quad reaches outside the frame (manual captures).
const OUTSIDE: [u8; 3] = [0, 0, 0];

/// The card bounded by `corners` as a `width` × `height` RGB image.
pub fn rectify(
    frame: &Frame<'_>,
    corners: &[[f32; 2]; 4],
    width: u32,
    height: u32,
) -> Result<RgbImage, RectifyError> {
    RectifyConfig {
        width,
        height,
        jpeg_quality: 90,
    }
    .validate()?;
    let map = CardToFrame::new(corners, width, height)?;
    let n = supersampling(corners, width, height);
    let step = 1.0 / n as f32;
    let weight = 1.0 / (n * n) as f32;
    let mut out = RgbImage::new(width, height);
    for (x, y, px) in out.enumerate_pixels_mut() {
        let mut acc = [0.0f32; 3];
        for j in 0..n {
            for i in 0..n {
                let ox = x as f32 + (i as f32 + 0.5) * step;
                let oy = y as f32 + (j as f32 + 0.5) * step;
                let (fx, fy) = map.map(ox, oy);
                let rgb = frame.sample_rgb(fx, fy).unwrap_or(OUTSIDE);
                for c in 0..3 {
                    acc[c] += rgb[c] as f32;
                }
            }
        }
        *px = Rgb(acc.map(|v| (v * weight).round().clamp(0.0, 255.0) as u8));
    }
    Ok(out)
}

/// Samples per output pixel along each axis: the ratio of the card's longest
/// edge in the frame to the output size, rounded and capped (below 1.5× a
/// single bilinear sample per pixel is sharp enough).
fn supersampling(corners: &[[f32; 2]; 4], width: u32, height: u32) -> u32 {
    let edge = |a: [f32; 2], b: [f32; 2]| ((a[0] - b[0]).powi(2) + (a[1] - b[1]).powi(2)).sqrt();
    let across = edge(corners[0], corners[1]).max(edge(corners[3], corners[2])) / width as f32;
    let down = edge(corners[0], corners[3]).max(edge(corners[1], corners[2])) / height as f32;
    let ratio = across.max(down);
    if ratio.is_finite() {
        (ratio.round() as u32).clamp(1, MAX_SUPERSAMPLE)
    } else {
        1
    }
}
