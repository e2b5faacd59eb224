//! Soft shadows: the card's own drop shadow on the surface under it, and shadows
//! cast across the scene by a hand or a phone held above it.

use crate::geom::Quad;
use image::{GrayImage, Luma, RgbImage};
use imageproc::drawing::draw_polygon_mut;
use imageproc::point::Point;

/// Darkens the image inside `poly` (image pixels) by `strength` (0..1), with an
/// edge softness of about `soft` pixels. The mask is drawn at quarter resolution
/// over the polygon's padded bounding box only, blurred, and upsampled.
pub fn cast(img: &mut RgbImage, poly: &[[f32; 2]], strength: f32, soft: f32) {
    let (w, h) = img.dimensions();
    let pad = soft * 3.0 + 4.0;
    let xs = poly.iter().map(|p| p[0]);
    let ys = poly.iter().map(|p| p[1]);
    let x0 = (xs.clone().fold(f32::INFINITY, f32::min) - pad)
        .max(0.0)
        .floor();
    let y0 = (ys.clone().fold(f32::INFINITY, f32::min) - pad)
        .max(0.0)
        .floor();
    let x1 = (xs.fold(f32::NEG_INFINITY, f32::max) + pad)
        .min(w as f32)
        .ceil();
    let y1 = (ys.fold(f32::NEG_INFINITY, f32::max) + pad)
        .min(h as f32)
        .ceil();
    if x1 <= x0 + 1.0 || y1 <= y0 + 1.0 {
        return;
    }
    let f = 4.0;
    let (bw, bh) = ((x1 - x0) as u32, (y1 - y0) as u32);
    let mut mask = GrayImage::new((bw as f32 / f).ceil() as u32, (bh as f32 / f).ceil() as u32);
    let mut pts: Vec<Point<i32>> = poly
        .iter()
        .map(|p| {
            Point::new(
                ((p[0] - x0) / f).round() as i32,
                ((p[1] - y0) / f).round() as i32,
            )
        })
        .collect();
    pts.dedup();
    if pts.len() < 3 || pts.first() == pts.last() {
        return;
    }
    draw_polygon_mut(&mut mask, &pts, Luma([255]));
    let mask = imageproc::filter::gaussian_blur_f32(&mask, (soft / f).max(0.5));
    let full = crate::resample::upscale_gray(&mask, bw, bh);
    for (my, row) in full.as_raw().chunks_exact(bw as usize).enumerate() {
        let y = y0 as u32 + my as u32;
        for (mx, &m) in row.iter().enumerate() {
            if m > 0 {
                let k = 1.0 - strength * (m as f32 / 255.0);
                let p = img.get_pixel_mut(x0 as u32 + mx as u32, y);
                p.0 = p.0.map(|c| (c as f32 * k) as u8);
            }
        }
    }
}

/// The drop shadow of an object lying on the surface: its quad, offset.
pub fn drop_shadow(img: &mut RgbImage, q: &Quad, dx: f32, dy: f32, strength: f32, soft: f32) {
    let shifted: Vec<[f32; 2]> = q.iter().map(|p| [p[0] + dx, p[1] + dy]).collect();
    cast(img, &shifted, strength, soft);
}
