//! Camera frames: a borrowed, validated view over the buffers that iOS and
//! Android hand us, without copying or converting them.
//!
//! The hot path (detection, quality) only reads the luma plane, usually
//! downscaled ([`Frame::luma_downscaled`]) and samples colour bilinearly at a
//! few points ([`Frame::sample_rgb`]); full-frame colour conversion
//! ([`Frame::to_rgb_image`]) is only for "give me the raw frame".
//!
//! **Coordinates.** Every public coordinate is *upright* (after applying
//! [`Rotation`]) and *continuous*: the origin is the top-left corner of the
//! top-left pixel, x grows right, y grows down, and pixel `(i, j)` covers
//! `[i, i+1) × [j, j+1)`, so its centre is `(i + 0.5, j + 0.5)`.

mod chroma;
mod convert;
mod error;
mod luma;
mod owned;
mod plane;
mod rotation;
mod sample;

use std::time::Duration;

pub use error::FrameError;
pub use luma::ScaledLuma;
pub use owned::OwnedFrame;
pub use plane::Plane;
pub use rotation::Rotation;

/// `pixels` if it is a usable camera focal length (finite and positive),
/// else [`FrameError::InvalidFocalLength`]: the one rule for every way a
/// focal length comes in ([`Frame::with_focal_length`], the CLI's
/// `--focal-px`).
pub fn focal_length_px(pixels: f32) -> Result<f32, FrameError> {
    if pixels.is_finite() && pixels > 0.0 {
        Ok(pixels)
    } else {
        Err(FrameError::InvalidFocalLength)
    }
}

/// Largest accepted width or height: far above any phone camera preview, low
/// enough that a corrupt header cannot make us allocate gigabytes.
pub const MAX_DIMENSION: u32 = 8192;

/// How the pixels of a [`Frame`] are laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PixelFormat {
    /// Android camera default: Y plane, then interleaved V,U at half resolution.
    Nv21,
    /// Y plane, then interleaved U,V at half resolution (iOS `420f`/`420v`).
    Nv12,
    /// Y, U, V planes, chroma at half resolution, pixel stride 1 (y4m, libyuv).
    I420,
    /// Android `YUV_420_888` / `ImageProxy`: three planes with arbitrary row and
    /// pixel strides (covers NV21, NV12 and I420 memory layouts).
    Yuv420,
    /// iOS `kCVPixelFormatType_32BGRA`.
    Bgra8888,
    Rgba8888,
    Gray8,
}

/// Whether luma spans 0–255 (camera JPEG/JFIF, Android default) or 16–235 (video).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum ColorRange {
    #[default]
    Full,
    Limited,
}

/// The validated pixel storage of a frame.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Pixels<'a> {
    Yuv {
        y: Plane<'a>,
        u: Plane<'a>,
        v: Plane<'a>,
    },
    /// Four bytes per pixel; `r`, `g`, `b` are byte offsets within a pixel.
    Packed {
        plane: Plane<'a>,
        r: usize,
        g: usize,
        b: usize,
    },
    Gray {
        plane: Plane<'a>,
    },
}

impl<'a> Pixels<'a> {
    /// The plane that stores luma directly (YUV and grey frames); `None`
    /// for packed colour, whose luma is computed per pixel.
    pub(crate) fn luma_plane(&self) -> Option<&Plane<'a>> {
        match self {
            Pixels::Yuv { y, .. } | Pixels::Gray { plane: y } => Some(y),
            Pixels::Packed { .. } => None,
        }
    }
}

/// A borrowed camera frame: validated buffer, rotation to upright, timestamp.
#[derive(Debug, Clone, Copy)]
pub struct Frame<'a> {
    width: u32,
    height: u32,
    format: PixelFormat,
    pixels: Pixels<'a>,
    rotation: Rotation,
    timestamp: Duration,
    range: ColorRange,
    focal_length: Option<f32>,
}

fn check_dimensions(width: u32, height: u32) -> Result<(), FrameError> {
    if width == 0 || height == 0 || width > MAX_DIMENSION || height > MAX_DIMENSION {
        return Err(FrameError::InvalidDimensions {
            width,
            height,
            max: MAX_DIMENSION,
        });
    }
    Ok(())
}

/// Chroma size for 4:2:0 subsampling (odd sizes round up, as libyuv does).
fn chroma_size(width: u32, height: u32) -> (u32, u32) {
    (width.div_ceil(2), height.div_ceil(2))
}

impl<'a> Frame<'a> {
    fn build(width: u32, height: u32, format: PixelFormat, pixels: Pixels<'a>) -> Frame<'a> {
        Frame {
            width,
            height,
            format,
            pixels,
            rotation: Rotation::Deg0,
            timestamp: Duration::ZERO,
            range: ColorRange::Full,
            focal_length: None,
        }
    }

    /// Three-plane YUV 4:2:0 with arbitrary strides (Android `ImageProxy`).
    pub fn yuv420(
        width: u32,
        height: u32,
        y: Plane<'a>,
        u: Plane<'a>,
        v: Plane<'a>,
    ) -> Result<Self, FrameError> {
        check_dimensions(width, height)?;
        let (cw, ch) = chroma_size(width, height);
        y.validate("Y", width, height, 1)?;
        u.validate("U", cw, ch, 1)?;
        v.validate("V", cw, ch, 1)?;
        Ok(Self::build(
            width,
            height,
            PixelFormat::Yuv420,
            Pixels::Yuv { y, u, v },
        ))
    }

    /// Planar I420 (pixel stride 1 in every plane) with explicit row strides.
    pub fn i420(
        width: u32,
        height: u32,
        y: Plane<'a>,
        u: Plane<'a>,
        v: Plane<'a>,
    ) -> Result<Self, FrameError> {
        for (name, p) in [("Y", &y), ("U", &u), ("V", &v)] {
            if p.pixel_stride != 1 {
                return Err(FrameError::InvalidPixelStride {
                    plane: name,
                    pixel_stride: p.pixel_stride,
                    expected: "1 for I420",
                });
            }
        }
        let mut f = Self::yuv420(width, height, y, u, v)?;
        f.format = PixelFormat::I420;
        Ok(f)
    }

    /// Tightly packed I420 in one buffer (Y, then U, then V), e.g. a y4m frame.
    pub fn i420_packed(width: u32, height: u32, data: &'a [u8]) -> Result<Self, FrameError> {
        check_dimensions(width, height)?;
        let (w, h) = (width as usize, height as usize);
        let (cw, ch) = chroma_size(width, height);
        let (cw, ch) = (cw as usize, ch as usize);
        let needed = w * h + 2 * cw * ch;
        if data.len() < needed {
            return Err(FrameError::BufferTooSmall {
                plane: "I420",
                len: data.len(),
                needed,
            });
        }
        let (yb, rest) = data.split_at(w * h);
        let (ub, vb) = rest.split_at(cw * ch);
        Self::i420(
            width,
            height,
            Plane::new(yb, w, 1),
            Plane::new(ub, cw, 1),
            Plane::new(vb, cw, 1),
        )
    }

    /// Semi-planar NV21: Y plane plus an interleaved V,U plane.
    pub fn nv21(
        width: u32,
        height: u32,
        y: Plane<'a>,
        vu: &'a [u8],
        vu_row_stride: usize,
    ) -> Result<Self, FrameError> {
        Self::semi_planar(width, height, y, vu, vu_row_stride, PixelFormat::Nv21)
    }

    /// Semi-planar NV12: Y plane plus an interleaved U,V plane.
    pub fn nv12(
        width: u32,
        height: u32,
        y: Plane<'a>,
        uv: &'a [u8],
        uv_row_stride: usize,
    ) -> Result<Self, FrameError> {
        Self::semi_planar(width, height, y, uv, uv_row_stride, PixelFormat::Nv12)
    }

    fn semi_planar(
        width: u32,
        height: u32,
        y: Plane<'a>,
        chroma: &'a [u8],
        row_stride: usize,
        format: PixelFormat,
    ) -> Result<Self, FrameError> {
        check_dimensions(width, height)?;
        let (cw, ch) = chroma_size(width, height);
        y.validate("Y", width, height, 1)?;
        let name = if format == PixelFormat::Nv21 {
            "VU"
        } else {
            "UV"
        };
        Plane::new(chroma, row_stride, 2).validate(name, cw, ch, 2)?;
        let first = Plane::new(chroma, row_stride, 2);
        let second = Plane::new(chroma.get(1..).unwrap_or(&[]), row_stride, 2);
        let (u, v) = if format == PixelFormat::Nv21 {
            (second, first)
        } else {
            (first, second)
        };
        Ok(Self::build(width, height, format, Pixels::Yuv { y, u, v }))
    }

    /// iOS `kCVPixelFormatType_32BGRA`.
    pub fn bgra8888(
        width: u32,
        height: u32,
        data: &'a [u8],
        row_stride: usize,
    ) -> Result<Self, FrameError> {
        Self::packed(
            width,
            height,
            data,
            row_stride,
            PixelFormat::Bgra8888,
            "BGRA",
            (2, 1, 0),
        )
    }

    pub fn rgba8888(
        width: u32,
        height: u32,
        data: &'a [u8],
        row_stride: usize,
    ) -> Result<Self, FrameError> {
        Self::packed(
            width,
            height,
            data,
            row_stride,
            PixelFormat::Rgba8888,
            "RGBA",
            (0, 1, 2),
        )
    }

    fn packed(
        width: u32,
        height: u32,
        data: &'a [u8],
        row_stride: usize,
        format: PixelFormat,
        name: &'static str,
        (r, g, b): (usize, usize, usize),
    ) -> Result<Self, FrameError> {
        check_dimensions(width, height)?;
        let plane = Plane::new(data, row_stride, 4);
        plane.validate(name, width, height, 4)?;
        Ok(Self::build(
            width,
            height,
            format,
            Pixels::Packed { plane, r, g, b },
        ))
    }

    /// 8-bit grey (e.g. the Y plane alone).
    pub fn gray8(
        width: u32,
        height: u32,
        data: &'a [u8],
        row_stride: usize,
    ) -> Result<Self, FrameError> {
        check_dimensions(width, height)?;
        let plane = Plane::new(data, row_stride, 1);
        plane.validate("gray", width, height, 1)?;
        Ok(Self::build(
            width,
            height,
            PixelFormat::Gray8,
            Pixels::Gray { plane },
        ))
    }

    /// Sets the clockwise rotation that makes the buffer upright.
    pub fn with_rotation(mut self, rotation: Rotation) -> Self {
        self.rotation = rotation;
        self
    }

    /// Sets the capture time (monotonic, from the camera).
    pub fn with_timestamp(mut self, timestamp: Duration) -> Self {
        self.timestamp = timestamp;
        self
    }

    /// Sets the YUV range (ignored for RGB and grey formats).
    pub fn with_color_range(mut self, range: ColorRange) -> Self {
        self.range = range;
        self
    }

    /// Sets the camera's focal length in pixels of this frame (the
    /// platforms report it: Android Camera2's `LENS_INTRINSIC_CALIBRATION`,
    /// iOS's camera intrinsic matrix delivery), with the principal point
    /// taken at the frame's centre. With it, a card partly out of frame has
    /// its hidden side placed in true perspective
    /// (`detect/hidden_side.rs`). A value that is not finite and positive
    /// is an error.
    pub fn with_focal_length(mut self, pixels: f32) -> Result<Self, FrameError> {
        self.focal_length = Some(focal_length_px(pixels)?);
        Ok(self)
    }

    /// The camera's focal length in pixels, if the caller gave it.
    pub fn focal_length(&self) -> Option<f32> {
        self.focal_length
    }

    /// Buffer width (before rotation).
    pub fn width(&self) -> u32 {
        self.width
    }

    /// Buffer height (before rotation).
    pub fn height(&self) -> u32 {
        self.height
    }

    /// Size after rotation: the coordinate space of every public result.
    pub fn upright_size(&self) -> (u32, u32) {
        self.rotation.upright_size(self.width, self.height)
    }

    pub fn format(&self) -> PixelFormat {
        self.format
    }

    pub fn rotation(&self) -> Rotation {
        self.rotation
    }

    pub fn timestamp(&self) -> Duration {
        self.timestamp
    }

    pub fn color_range(&self) -> ColorRange {
        self.range
    }

    pub(crate) fn pixels(&self) -> &Pixels<'a> {
        &self.pixels
    }
}

#[cfg(test)]
mod tests;
