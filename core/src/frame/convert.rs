//! Whole-frame conversion to RGB: only for "the raw frame on request", never
//! on the per-frame path. I420 and NV12/NV21 go through yuvutils-rs (SIMD);
//! other layouts (Android flexible strides, packed RGB) are copied per pixel.

use image::RgbImage;
use imageproc::geometric_transformations::{rotate180, rotate270, rotate90};
use yuvutils_rs::{YuvBiPlanarImage, YuvPlanarImage, YuvRange, YuvStandardMatrix};

use super::sample::yuv_to_rgb;
use super::{ColorRange, Frame, FrameError, PixelFormat, Pixels, Rotation};

impl Frame<'_> {
    /// The whole frame as upright RGB.
    pub fn to_rgb_image(&self) -> Result<RgbImage, FrameError> {
        let buffer = self.buffer_rgb()?;
        Ok(match self.rotation() {
            Rotation::Deg0 => buffer,
            Rotation::Deg90 => rotate90(&buffer),
            Rotation::Deg180 => rotate180(&buffer),
            Rotation::Deg270 => rotate270(&buffer),
        })
    }

    /// RGB in buffer orientation.
    fn buffer_rgb(&self) -> Result<RgbImage, FrameError> {
        let (w, h) = (self.width(), self.height());
        let mut out = vec![0u8; w as usize * h as usize * 3];
        let range = match self.color_range() {
            ColorRange::Full => YuvRange::Full,
            ColorRange::Limited => YuvRange::Limited,
        };
        let conv = |e: yuvutils_rs::YuvError| FrameError::Conversion(e.to_string());
        match (self.format(), self.pixels()) {
            (PixelFormat::I420, Pixels::Yuv { y, u, v }) => {
                let img = YuvPlanarImage {
                    y_plane: y.data,
                    y_stride: stride32(y.row_stride)?,
                    u_plane: u.data,
                    u_stride: stride32(u.row_stride)?,
                    v_plane: v.data,
                    v_stride: stride32(v.row_stride)?,
                    width: w,
                    height: h,
                };
                yuvutils_rs::yuv420_to_rgb(&img, &mut out, w * 3, range, YuvStandardMatrix::Bt601)
                    .map_err(conv)?;
            }
            (PixelFormat::Nv12 | PixelFormat::Nv21, Pixels::Yuv { y, u, v }) => {
                let nv21 = self.format() == PixelFormat::Nv21;
                let chroma = if nv21 { v } else { u };
                let img = YuvBiPlanarImage {
                    y_plane: y.data,
                    y_stride: stride32(y.row_stride)?,
                    uv_plane: chroma.data,
                    uv_stride: stride32(chroma.row_stride)?,
                    width: w,
                    height: h,
                };
                let f = if nv21 {
                    yuvutils_rs::yuv_nv21_to_rgb
                } else {
                    yuvutils_rs::yuv_nv12_to_rgb
                };
                f(
                    &img,
                    &mut out,
                    w * 3,
                    range,
                    YuvStandardMatrix::Bt601,
                    yuvutils_rs::YuvConversionMode::Balanced,
                )
                .map_err(conv)?;
            }
            _ => self.per_pixel_rgb(&mut out),
        }
        RgbImage::from_raw(w, h, out).ok_or(FrameError::Conversion("output buffer size".into()))
    }

    fn per_pixel_rgb(&self, out: &mut [u8]) {
        let w = self.width() as usize;
        for (i, px) in out.chunks_exact_mut(3).enumerate() {
            let (x, y) = (i % w, i / w);
            let rgb = match self.pixels() {
                Pixels::Yuv { y: yp, u, v } => yuv_to_rgb(
                    yp.at(x, y) as f32,
                    u.at(x / 2, y / 2) as f32,
                    v.at(x / 2, y / 2) as f32,
                    self.color_range(),
                ),
                Pixels::Packed { plane, r, g, b } => {
                    let base = y * plane.row_stride + x * 4;
                    let at = |o: usize| plane.data.get(base + o).copied().unwrap_or(0);
                    [at(*r), at(*g), at(*b)]
                }
                Pixels::Gray { plane } => {
                    let l = plane.at(x, y);
                    [l, l, l]
                }
            };
            px.copy_from_slice(&rgb);
        }
    }
}

fn stride32(stride: usize) -> Result<u32, FrameError> {
    u32::try_from(stride).map_err(|_| FrameError::SizeOverflow { plane: "stride" })
}
