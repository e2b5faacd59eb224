//! Typed errors for camera buffers: every malformed input maps to one variant
//! so the platform glue can tell the developer exactly what was wrong.

/// Why a camera buffer was rejected or could not be processed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FrameError {
    /// Width or height is zero or larger than [`super::MAX_DIMENSION`].
    #[error("frame dimensions {width}x{height} are invalid: each side must be between 1 and {max} pixels")]
    InvalidDimensions { width: u32, height: u32, max: u32 },
    /// A plane's row stride is shorter than one row of pixels.
    #[error("{plane} plane: row stride {row_stride} is smaller than one row ({min} bytes)")]
    RowStrideTooSmall {
        plane: &'static str,
        row_stride: usize,
        min: usize,
    },
    /// A plane's pixel stride is zero or not what the format requires.
    #[error("{plane} plane: pixel stride {pixel_stride} is invalid (expected {expected})")]
    InvalidPixelStride {
        plane: &'static str,
        pixel_stride: usize,
        expected: &'static str,
    },
    /// A plane's buffer is shorter than its dimensions and strides require.
    #[error("{plane} plane: buffer holds {len} bytes but {needed} are needed")]
    BufferTooSmall {
        plane: &'static str,
        len: usize,
        needed: usize,
    },
    /// Stride times height does not fit in memory addresses.
    #[error("{plane} plane: size overflows")]
    SizeOverflow { plane: &'static str },
    /// A requested output size (e.g. for the downscaled luma) is zero.
    #[error("target size must be at least 1 pixel")]
    InvalidTargetSize,
    /// A camera focal length that is not a positive number of pixels.
    #[error("the focal length must be a positive number of pixels")]
    InvalidFocalLength,
    /// The colour-conversion library rejected the buffer.
    #[error("colour conversion failed: {0}")]
    Conversion(String),
}
