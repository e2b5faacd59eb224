//! Downscaled chroma for colour edges (a blue card on a brown table can have
//! the same luma as the table). Point-sampled at block centres: chroma is
//! already low-pass in camera output, and this keeps it to two reads per
//! output pixel.

use image::GrayImage;
use imageproc::geometric_transformations::{rotate180, rotate270, rotate90};

use super::{Frame, FrameError, Pixels, Rotation};
use crate::fastmath::round_u8;

impl Frame<'_> {
    /// Upright Cb and Cr images with exactly the size and pixel mapping of
    /// [`Frame::luma_downscaled`] for the same `max_side`; `None` for grey frames.
    pub fn chroma_downscaled(
        &self,
        max_side: u32,
    ) -> Result<Option<(GrayImage, GrayImage)>, FrameError> {
        self.chroma_downscaled_by(self.downscale_factor(max_side)?)
    }

    /// [`Frame::chroma_downscaled`] for the box factor `k` of
    /// [`Frame::luma_downscaled_by`].
    pub fn chroma_downscaled_by(
        &self,
        k: u32,
    ) -> Result<Option<(GrayImage, GrayImage)>, FrameError> {
        if k == 0 {
            return Err(FrameError::InvalidTargetSize);
        }
        let (w, h) = (self.width(), self.height());
        let (kx, ky) = (k.min(w), k.min(h));
        let (sw, sh) = (w / kx, h / ky);
        let mut cb = Vec::with_capacity((sw * sh) as usize);
        let mut cr = Vec::with_capacity((sw * sh) as usize);
        let pixels = self.pixels();
        for oy in 0..sh {
            let by = (oy * ky + ky / 2) as usize;
            let centres = (0..sw).map(|ox| (ox * kx + kx / 2) as usize);
            if let Pixels::Yuv { u, v, .. } = pixels {
                // The layout matched and the rows found once per row, not per
                // sample; as `Plane::at`, a read past the data gives 0.
                let (u_row, v_row) = (u.row(by / 2), v.row(by / 2));
                let read = |row: &[u8], i: usize| row.get(i).copied().unwrap_or(0);
                for bx in centres {
                    cb.push(read(u_row, bx / 2 * u.pixel_stride));
                    cr.push(read(v_row, bx / 2 * v.pixel_stride));
                }
                continue;
            }
            for bx in centres {
                let Some((u, v)) = chroma_at(pixels, bx, by) else {
                    return Ok(None);
                };
                cb.push(u);
                cr.push(v);
            }
        }
        let rotate = |img: GrayImage| match self.rotation() {
            Rotation::Deg0 => img,
            Rotation::Deg90 => rotate90(&img),
            Rotation::Deg180 => rotate180(&img),
            Rotation::Deg270 => rotate270(&img),
        };
        let make = |d: Vec<u8>| GrayImage::from_raw(sw, sh, d).ok_or(FrameError::InvalidTargetSize);
        Ok(Some((rotate(make(cb)?), rotate(make(cr)?))))
    }
}

fn chroma_at(pixels: &Pixels<'_>, x: usize, y: usize) -> Option<(u8, u8)> {
    match pixels {
        Pixels::Yuv { u, v, .. } => Some((u.at(x / 2, y / 2), v.at(x / 2, y / 2))),
        Pixels::Packed { plane, r, g, b } => {
            let base = y * plane.row_stride + x * 4;
            let at = |o: usize| plane.data.get(base + o).copied().unwrap_or(0) as f32;
            let (r, g, b) = (at(*r), at(*g), at(*b));
            let cb = 128.0 - 0.168_736 * r - 0.331_264 * g + 0.5 * b;
            let cr = 128.0 + 0.5 * r - 0.418_688 * g - 0.081_312 * b;
            Some((round_u8(cb), round_u8(cr)))
        }
        Pixels::Gray { .. } => None,
    }
}
