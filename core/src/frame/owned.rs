//! Owned frames for tests, benchmarks and the CLI: real camera layouts built
//! from decoded images, so the same code paths run as on a phone.

use std::time::Duration;

use image::{GrayImage, RgbImage};
use yuvutils_rs::{
    YuvChromaSubsampling, YuvConversionMode, YuvPlanarImageMut, YuvRange, YuvStandardMatrix,
};

use super::{Frame, FrameError, PixelFormat, Plane, Rotation};

/// An owned buffer in one of the camera layouts, plus rotation and timestamp.
#[derive(Debug, Clone)]
pub struct OwnedFrame {
    width: u32,
    height: u32,
    format: PixelFormat,
    data: Vec<u8>,
    rotation: Rotation,
    timestamp: Duration,
}

impl OwnedFrame {
    /// Tightly packed I420 bytes (Y, U, V), e.g. one y4m frame. Validated now.
    pub fn from_i420(width: u32, height: u32, data: Vec<u8>) -> Result<Self, FrameError> {
        Frame::i420_packed(width, height, &data)?;
        Ok(Self::raw(width, height, PixelFormat::I420, data))
    }

    /// Converts RGB to I420 (BT.601 full range) as a camera would deliver it.
    pub fn i420_from_rgb(image: &RgbImage) -> Result<Self, FrameError> {
        let (w, h) = image.dimensions();
        super::check_dimensions(w, h)?;
        let mut planar = YuvPlanarImageMut::<u8>::alloc(w, h, YuvChromaSubsampling::Yuv420);
        yuvutils_rs::rgb_to_yuv420(
            &mut planar,
            image.as_raw(),
            w * 3,
            YuvRange::Full,
            YuvStandardMatrix::Bt601,
            YuvConversionMode::Balanced,
        )
        .map_err(|e| FrameError::Conversion(e.to_string()))?;
        let mut data = Vec::with_capacity(w as usize * h as usize * 3 / 2 + 2);
        data.extend_from_slice(planar.y_plane.borrow());
        data.extend_from_slice(planar.u_plane.borrow());
        data.extend_from_slice(planar.v_plane.borrow());
        Self::from_i420(w, h, data)
    }

    /// Converts RGB to NV21 (Android camera default layout).
    pub fn nv21_from_rgb(image: &RgbImage) -> Result<Self, FrameError> {
        let i420 = Self::i420_from_rgb(image)?;
        let (w, h) = (i420.width as usize, i420.height as usize);
        let (cw, ch) = (w.div_ceil(2), h.div_ceil(2));
        let (y, chroma) = i420.data.split_at(w * h);
        let (u, v) = chroma.split_at(cw * ch);
        let mut data = y.to_vec();
        data.extend(v.iter().zip(u).flat_map(|(&v, &u)| [v, u]));
        Ok(Self::raw(i420.width, i420.height, PixelFormat::Nv21, data))
    }

    /// RGBA8888 (alpha 255) from RGB.
    pub fn rgba_from_rgb(image: &RgbImage) -> Result<Self, FrameError> {
        let (w, h) = image.dimensions();
        super::check_dimensions(w, h)?;
        let data = image
            .pixels()
            .flat_map(|p| [p[0], p[1], p[2], 255])
            .collect();
        Ok(Self::raw(w, h, PixelFormat::Rgba8888, data))
    }

    /// BGRA8888 (iOS layout) from RGB.
    pub fn bgra_from_rgb(image: &RgbImage) -> Result<Self, FrameError> {
        let (w, h) = image.dimensions();
        super::check_dimensions(w, h)?;
        let data = image
            .pixels()
            .flat_map(|p| [p[2], p[1], p[0], 255])
            .collect();
        Ok(Self::raw(w, h, PixelFormat::Bgra8888, data))
    }

    pub fn from_gray(image: &GrayImage) -> Result<Self, FrameError> {
        let (w, h) = image.dimensions();
        super::check_dimensions(w, h)?;
        Ok(Self::raw(w, h, PixelFormat::Gray8, image.as_raw().clone()))
    }

    fn raw(width: u32, height: u32, format: PixelFormat, data: Vec<u8>) -> Self {
        OwnedFrame {
            width,
            height,
            format,
            data,
            rotation: Rotation::Deg0,
            timestamp: Duration::ZERO,
        }
    }

    pub fn with_rotation(mut self, rotation: Rotation) -> Self {
        self.rotation = rotation;
        self
    }

    pub fn with_timestamp(mut self, timestamp: Duration) -> Self {
        self.timestamp = timestamp;
        self
    }

    pub fn width(&self) -> u32 {
        self.width
    }

    pub fn height(&self) -> u32 {
        self.height
    }

    pub fn format(&self) -> PixelFormat {
        self.format
    }

    /// The raw bytes in [`OwnedFrame::format`] layout.
    pub fn data(&self) -> &[u8] {
        &self.data
    }

    /// A borrowed view. Re-validates (cheap) so that no invariant is assumed.
    pub fn as_frame(&self) -> Result<Frame<'_>, FrameError> {
        let (w, h, d) = (self.width, self.height, self.data.as_slice());
        let wu = w as usize;
        let frame = match self.format {
            PixelFormat::I420 | PixelFormat::Yuv420 => Frame::i420_packed(w, h, d)?,
            PixelFormat::Nv21 | PixelFormat::Nv12 => {
                let (y, chroma) = d.split_at((wu * h as usize).min(d.len()));
                let stride = wu.div_ceil(2) * 2;
                if self.format == PixelFormat::Nv21 {
                    Frame::nv21(w, h, Plane::new(y, wu, 1), chroma, stride)?
                } else {
                    Frame::nv12(w, h, Plane::new(y, wu, 1), chroma, stride)?
                }
            }
            PixelFormat::Rgba8888 => Frame::rgba8888(w, h, d, wu * 4)?,
            PixelFormat::Bgra8888 => Frame::bgra8888(w, h, d, wu * 4)?,
            PixelFormat::Gray8 => Frame::gray8(w, h, d, wu)?,
        };
        Ok(frame
            .with_rotation(self.rotation)
            .with_timestamp(self.timestamp))
    }
}
