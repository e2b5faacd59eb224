//! One plane of a camera buffer and the checks that make every later access
//! in-bounds, so that sampling code can index without panicking.

use super::FrameError;

/// One plane of a camera buffer, as Android's `ImageProxy.PlaneProxy` hands it:
/// bytes, the distance between rows and the distance between pixels.
#[derive(Debug, Clone, Copy)]
pub struct Plane<'a> {
    pub data: &'a [u8],
    /// Bytes from the start of one row to the start of the next.
    pub row_stride: usize,
    /// Bytes from one pixel (sample) to the next within a row.
    pub pixel_stride: usize,
}

impl<'a> Plane<'a> {
    pub fn new(data: &'a [u8], row_stride: usize, pixel_stride: usize) -> Self {
        Plane {
            data,
            row_stride,
            pixel_stride,
        }
    }

    /// Checks that a `width`×`height` grid of samples, each `sample_bytes`
    /// long, lies inside `data` with these strides.
    pub(crate) fn validate(
        &self,
        name: &'static str,
        width: u32,
        height: u32,
        sample_bytes: usize,
    ) -> Result<(), FrameError> {
        if self.pixel_stride < sample_bytes {
            return Err(FrameError::InvalidPixelStride {
                plane: name,
                pixel_stride: self.pixel_stride,
                expected: pixel_stride_hint(sample_bytes),
            });
        }
        let overflow = || FrameError::SizeOverflow { plane: name };
        let last_col = (width as usize - 1)
            .checked_mul(self.pixel_stride)
            .ok_or_else(overflow)?;
        let min_row = last_col.checked_add(sample_bytes).ok_or_else(overflow)?;
        if self.row_stride < min_row {
            return Err(FrameError::RowStrideTooSmall {
                plane: name,
                row_stride: self.row_stride,
                min: min_row,
            });
        }
        let needed = (height as usize - 1)
            .checked_mul(self.row_stride)
            .and_then(|v| v.checked_add(min_row))
            .ok_or_else(overflow)?;
        if self.data.len() < needed {
            return Err(FrameError::BufferTooSmall {
                plane: name,
                len: self.data.len(),
                needed,
            });
        }
        Ok(())
    }

    /// Sample at integer position; callers stay inside the validated grid, and
    /// out-of-range reads return 0 rather than panicking.
    #[inline]
    pub(crate) fn at(&self, x: usize, y: usize) -> u8 {
        self.data
            .get(y * self.row_stride + x * self.pixel_stride)
            .copied()
            .unwrap_or(0)
    }

    /// One row's bytes starting at column 0 (may include padding).
    #[inline]
    pub(crate) fn row(&self, y: usize) -> &'a [u8] {
        let start = (y * self.row_stride).min(self.data.len());
        let end = (start + self.row_stride).min(self.data.len());
        &self.data[start..end]
    }
}

fn pixel_stride_hint(sample_bytes: usize) -> &'static str {
    match sample_bytes {
        1 => "at least 1",
        2 => "at least 2",
        _ => "at least 4",
    }
}
