//! `CameraFrame`: a camera buffer as iOS and Android hand it over (planes
//! with row and pixel strides, pixel format, rotation to upright,
//! timestamp), validated into the core's borrowed `Frame` without copying
//! again.

use std::time::Duration;

use cardscan_core::frame::{ColorRange, Frame, Plane, Rotation};

use crate::error::{CardScanError, Result};

/// How the pixels are laid out, and how many planes the frame carries.
#[derive(Clone, Copy, Debug, PartialEq, Eq, uniffi::Enum)]
pub enum PixelFormat {
    /// Android `YUV_420_888` / `ImageProxy`: 3 planes (Y, U, V) with any strides.
    Yuv420,
    /// Planar Y, U, V with pixel stride 1: 3 planes.
    I420,
    /// Y plane + interleaved V,U plane (Android camera1): 2 planes.
    Nv21,
    /// Y plane + interleaved U,V plane (iOS `420f`/`420v`): 2 planes.
    Nv12,
    /// iOS `kCVPixelFormatType_32BGRA`: 1 plane.
    Bgra8888,
    /// 1 plane.
    Rgba8888,
    /// 1 plane of 8-bit luma.
    Gray8,
}

/// One plane of a camera buffer (`ImageProxy.PlaneProxy`, a
/// `CVPixelBuffer` plane): bytes, bytes between rows, bytes between pixels.
#[derive(Clone, uniffi::Record)]
pub struct FramePlane {
    pub data: Vec<u8>,
    pub row_stride: i32,
    #[uniffi(default = 1)]
    pub pixel_stride: i32,
}

/// Camera pixels are PHI (the card): never print them.
impl std::fmt::Debug for FramePlane {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FramePlane")
            .field("bytes", &self.data.len())
            .field("row_stride", &self.row_stride)
            .field("pixel_stride", &self.pixel_stride)
            .finish()
    }
}

/// One camera frame.
#[derive(Clone, Debug, uniffi::Record)]
pub struct CameraFrame {
    /// Buffer width in pixels (before rotation).
    pub width: i32,
    /// Buffer height in pixels (before rotation).
    pub height: i32,
    pub format: PixelFormat,
    pub planes: Vec<FramePlane>,
    /// Clockwise rotation that makes the buffer upright (Android
    /// `imageInfo.rotationDegrees`): 0, 90, 180 or 270.
    #[uniffi(default = 0)]
    pub rotation_degrees: i32,
    /// Camera timestamp in nanoseconds (Android `imageInfo.timestamp`, iOS
    /// `CMSampleBufferGetPresentationTimeStamp` in ns). Drives auto-capture.
    pub timestamp_ns: i64,
    /// Luma spans 0–255 (true, camera default) or 16–235 (video range).
    #[uniffi(default = true)]
    pub full_range: bool,
    /// The camera's focal length in pixels of this frame, if the app has
    /// the intrinsics (Android `LENS_INTRINSIC_CALIBRATION` fx, iOS
    /// `AVCameraCalibrationData.intrinsicMatrix` or the per-frame intrinsic
    /// matrix), scaled from the sensor's to this frame's width. With it, a
    /// card partly out of frame has its hidden side placed in perspective.
    #[uniffi(default = None)]
    pub focal_length_px: Option<f32>,
}

fn non_negative(field: &str, v: i32) -> Result<usize> {
    usize::try_from(v).map_err(|_| CardScanError::invalid(field, "must not be negative"))
}

fn plane(p: &FramePlane) -> Result<Plane<'_>> {
    Ok(Plane::new(
        &p.data,
        non_negative("rowStride", p.row_stride)?,
        non_negative("pixelStride", p.pixel_stride)?,
    ))
}

fn invalid_frame(e: impl std::fmt::Display) -> CardScanError {
    CardScanError::InvalidFrame {
        reason: e.to_string(),
    }
}

impl CameraFrame {
    /// The core's validated view of this frame.
    pub(crate) fn view(&self) -> Result<Frame<'_>> {
        let w = u32::try_from(self.width)
            .map_err(|_| CardScanError::invalid("width", "must not be negative"))?;
        let h = u32::try_from(self.height)
            .map_err(|_| CardScanError::invalid("height", "must not be negative"))?;
        let expected = match self.format {
            PixelFormat::Yuv420 | PixelFormat::I420 => 3,
            PixelFormat::Nv21 | PixelFormat::Nv12 => 2,
            _ => 1,
        };
        if self.planes.len() != expected {
            return Err(invalid_frame(format!(
                "{:?} needs {expected} plane(s), got {}",
                self.format,
                self.planes.len()
            )));
        }
        let p = &self.planes;
        let frame = match self.format {
            PixelFormat::Yuv420 => Frame::yuv420(w, h, plane(&p[0])?, plane(&p[1])?, plane(&p[2])?),
            PixelFormat::I420 => Frame::i420(w, h, plane(&p[0])?, plane(&p[1])?, plane(&p[2])?),
            PixelFormat::Nv21 => Frame::nv21(
                w,
                h,
                plane(&p[0])?,
                &p[1].data,
                non_negative("rowStride", p[1].row_stride)?,
            ),
            PixelFormat::Nv12 => Frame::nv12(
                w,
                h,
                plane(&p[0])?,
                &p[1].data,
                non_negative("rowStride", p[1].row_stride)?,
            ),
            PixelFormat::Bgra8888 => Frame::bgra8888(
                w,
                h,
                &p[0].data,
                non_negative("rowStride", p[0].row_stride)?,
            ),
            PixelFormat::Rgba8888 => Frame::rgba8888(
                w,
                h,
                &p[0].data,
                non_negative("rowStride", p[0].row_stride)?,
            ),
            PixelFormat::Gray8 => Frame::gray8(
                w,
                h,
                &p[0].data,
                non_negative("rowStride", p[0].row_stride)?,
            ),
        }
        .map_err(invalid_frame)?;
        let rotation = Rotation::from_degrees(self.rotation_degrees).ok_or_else(|| {
            CardScanError::invalid("rotationDegrees", "must be 0, 90, 180 or 270")
        })?;
        let timestamp = u64::try_from(self.timestamp_ns)
            .map(Duration::from_nanos)
            .map_err(|_| CardScanError::invalid("timestampNs", "must not be negative"))?;
        let range = if self.full_range {
            ColorRange::Full
        } else {
            ColorRange::Limited
        };
        let frame = frame
            .with_rotation(rotation)
            .with_timestamp(timestamp)
            .with_color_range(range);
        match self.focal_length_px {
            None => Ok(frame),
            Some(f) => frame.with_focal_length(f).map_err(|_| {
                CardScanError::invalid("focalLengthPx", "must be a positive number of pixels")
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn i420(w: i32, h: i32) -> CameraFrame {
        let (cw, ch) = ((w + 1) / 2, (h + 1) / 2);
        let plane = |pw: i32, ph: i32| FramePlane {
            data: vec![128; (pw * ph) as usize],
            row_stride: pw,
            pixel_stride: 1,
        };
        CameraFrame {
            width: w,
            height: h,
            format: PixelFormat::I420,
            planes: vec![plane(w, h), plane(cw, ch), plane(cw, ch)],
            rotation_degrees: 90,
            timestamp_ns: 1_000_000,
            full_range: true,
            focal_length_px: None,
        }
    }

    #[test]
    fn valid_frames_keep_rotation_and_time() {
        let f = i420(64, 48);
        let v = f.view().unwrap();
        assert_eq!(v.upright_size(), (48, 64));
        assert_eq!(v.timestamp(), Duration::from_millis(1));
        assert_eq!(v.focal_length(), None);
        let mut f = i420(64, 48);
        f.focal_length_px = Some(70.0);
        assert_eq!(f.view().unwrap().focal_length(), Some(70.0));
    }

    #[test]
    fn bad_frames_are_typed_errors() {
        let mut f = i420(64, 48);
        f.planes.pop();
        assert!(matches!(f.view(), Err(CardScanError::InvalidFrame { .. })));
        let mut f = i420(64, 48);
        f.planes[0].data.truncate(100);
        assert!(matches!(f.view(), Err(CardScanError::InvalidFrame { .. })));
        let mut f = i420(64, 48);
        f.rotation_degrees = 45;
        assert!(matches!(f.view(), Err(CardScanError::InvalidInput { .. })));
        let mut f = i420(64, 48);
        f.planes[1].row_stride = -3;
        assert!(matches!(f.view(), Err(CardScanError::InvalidInput { .. })));
        let f = i420(0, 48);
        assert!(matches!(f.view(), Err(CardScanError::InvalidFrame { .. })));
        for bad in [0.0, -5.0, f32::NAN, f32::INFINITY] {
            let mut f = i420(64, 48);
            f.focal_length_px = Some(bad);
            assert!(matches!(f.view(), Err(CardScanError::InvalidInput { .. })));
        }
    }
}
