//! The network's input: the frame's upright luma, box-downscaled by the frame
//! module, fitted into `IN_W × IN_H` keeping its aspect ratio, and padded by
//! repeating the last row and column (the training loader letterboxes the
//! same way, `cardnet.augment.letterbox`). A portrait frame is first turned a
//! quarter clockwise so the card fills as much of the landscape input as in a
//! landscape frame; the network knows cards at every rotation, and the
//! corners are mapped back.

use image::imageops::{resize, FilterType};
use image::GrayImage;
use imageproc::geometric_transformations::rotate90;

use super::model::{IN_H, IN_W};
use crate::detect::{DetectError, Point};
use crate::frame::{Frame, ScaledLuma};

/// A prepared network input and the way back to frame pixels.
#[derive(Debug, Clone)]
pub(crate) struct NetInput {
    /// `IN_H × IN_W` luma values 0–255, row-major.
    pub pixels: Vec<f32>,
    luma: ScaledLuma,
    /// Whether the luma was turned 90° clockwise (portrait frame).
    turned: bool,
    /// Network-input pixels per (turned) downscaled-luma pixel, per axis.
    fit_x: f32,
    fit_y: f32,
}

impl NetInput {
    pub(crate) fn from_frame(frame: &Frame<'_>) -> Result<NetInput, DetectError> {
        Ok(NetInput::from_luma(frame.luma_downscaled(IN_W as u32)?))
    }

    /// The input made from a luma image already downscaled by
    /// [`NetInput::factor`] (or one close to it).
    pub(crate) fn from_luma(luma: ScaledLuma) -> NetInput {
        let turned = luma.image.height() > luma.image.width();
        let landscape = turned.then(|| rotate90(&luma.image));
        let img = landscape.as_ref().unwrap_or(&luma.image);
        let (w, h) = img.dimensions();
        let (cw, ch) = fit(w, h);
        let fitted = ((cw, ch) != (w, h)).then(|| resize(img, cw, ch, FilterType::Triangle));
        let pixels = letterbox(fitted.as_ref().unwrap_or(img));
        let (fit_x, fit_y) = (cw as f32 / w as f32, ch as f32 / h as f32);
        NetInput {
            pixels,
            luma,
            turned,
            fit_x,
            fit_y,
        }
    }

    /// The box factor [`NetInput::from_frame`] downscales `frame` by.
    pub(crate) fn factor(frame: &Frame<'_>) -> Result<u32, DetectError> {
        Ok(frame.downscale_factor(IN_W as u32)?)
    }

    /// Frame pixels per network-input pixel (the larger axis).
    pub(crate) fn frame_px_per_input_px(&self) -> f32 {
        (self.luma.scale_x / self.fit_x)
            .max(self.luma.scale_y / self.fit_y)
            .abs()
    }

    /// Maps a network-input coordinate to upright frame pixels.
    pub(crate) fn to_frame(&self, x: f32, y: f32) -> Point {
        let (lx, ly) = (x / self.fit_x, y / self.fit_y);
        // Undo the clockwise quarter turn: (x', y') = (h - y, x).
        let (lx, ly) = if self.turned {
            (ly, self.luma.image.height() as f32 - lx)
        } else {
            (lx, ly)
        };
        let (fx, fy) = self.luma.to_frame(lx, ly);
        Point::new(fx, fy)
    }
}

/// Largest size with the aspect ratio of `w × h` inside `IN_W × IN_H`
/// (never upscaled; at least one pixel per side).
fn fit(w: u32, h: u32) -> (u32, u32) {
    let s = (IN_W as f32 / w.max(1) as f32)
        .min(IN_H as f32 / h.max(1) as f32)
        .min(1.0);
    let cw = ((w as f32 * s).round() as u32).clamp(1, IN_W as u32);
    let ch = ((h as f32 * s).round() as u32).clamp(1, IN_H as u32);
    (cw, ch)
}

/// Copies `img` (at most `IN_W × IN_H`) into the top-left of the input and
/// fills the rest by repeating its last column and last row.
fn letterbox(img: &GrayImage) -> Vec<f32> {
    let (w, h) = (img.width() as usize, img.height() as usize);
    let raw = img.as_raw();
    let mut out = vec![0.0f32; IN_W * IN_H];
    for (y, row) in out.chunks_exact_mut(IN_W).enumerate() {
        let sy = y.min(h.saturating_sub(1));
        let src = raw.get(sy * w..(sy + 1) * w).unwrap_or(&[]);
        for (x, o) in row.iter_mut().enumerate() {
            let sx = x.min(w.saturating_sub(1));
            *o = src.get(sx).copied().unwrap_or(0) as f32;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::frame::OwnedFrame;

    #[test]
    fn fit_keeps_aspect() {
        assert_eq!(fit(160, 90), (160, 90));
        assert_eq!(fit(160, 120), (128, 96));
        assert_eq!(fit(90, 160), (54, 96));
        assert_eq!(fit(100, 50), (100, 50));
    }

    #[test]
    fn letterbox_repeats_edges() {
        let img = GrayImage::from_fn(3, 2, |x, y| image::Luma([(10 * x + 100 * y) as u8]));
        let out = letterbox(&img);
        assert_eq!(out[0], 0.0);
        assert_eq!(out[2], 20.0);
        assert_eq!(out[IN_W - 1], 20.0); // last column repeated
        assert_eq!(out[(IN_H - 1) * IN_W], 100.0); // last row repeated
    }

    #[test]
    fn maps_back_to_1080p_frame() {
        let img = GrayImage::new(1920, 1080);
        let owned = OwnedFrame::from_gray(&img).unwrap();
        let frame = owned.as_frame().unwrap();
        let input = NetInput::from_frame(&frame).unwrap();
        assert_eq!(input.pixels.len(), IN_W * IN_H);
        let p = input.to_frame(80.0, 45.0);
        assert!(
            (p.x - 960.0).abs() < 1e-3 && (p.y - 540.0).abs() < 1e-3,
            "{p:?}"
        );
    }

    #[test]
    fn portrait_frames_are_turned_and_mapped_back() {
        // A bright block at the portrait frame's top-left corner.
        let img = GrayImage::from_fn(720, 1280, |x, y| {
            image::Luma([if x < 80 && y < 80 { 255 } else { 0 }])
        });
        let owned = OwnedFrame::from_gray(&img).unwrap();
        let input = NetInput::from_frame(&owned.as_frame().unwrap()).unwrap();
        // Turned clockwise, the frame's top-left lands at the input's top-right.
        assert_eq!(input.pixels[IN_W - 2], 255.0);
        assert_eq!(input.pixels[1], 0.0);
        let p = input.to_frame(160.0, 0.0);
        assert!(p.x.abs() < 1e-3 && p.y.abs() < 1e-3, "{p:?}");
        let q = input.to_frame(0.0, 90.0);
        assert!(
            (q.x - 720.0).abs() < 1e-3 && (q.y - 1280.0).abs() < 1e-3,
            "{q:?}"
        );
    }
}
