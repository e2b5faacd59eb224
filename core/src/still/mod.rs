//! Still photos (JPEG, PNG) as apps and the CLI hand them to us: decoded
//! with dimension and memory limits, and a truncated JPEG refused.
//!
//! Why: the scanner works on camera frames, but `analyzeImage`, `cardscan
//! analyze` and uploads take files a user or an app wrote. A JPEG cut short
//! (an interrupted copy or download, a buffer written before the encoder
//! finished) decodes without complaint: the decoder fills the missing rows
//! with grey, so the card silently loses its lower part and a scan says "no
//! card" instead of "this file is broken". PNG decoders already refuse a
//! short file; for JPEG we check that the file reaches its end-of-image
//! marker ([`jpeg::is_complete`]).

pub mod jpeg;

use std::io::Cursor;

use image::metadata::Orientation;
use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits};

use crate::frame::MAX_DIMENSION;

/// Largest allocation the decoder may make (an 8192 × 8192 RGBA image is
/// 256 MiB).
pub const MAX_DECODE_ALLOC: u64 = 256 * 1024 * 1024;

/// Why a still photo was refused. Messages name the problem, never the
/// image's content.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StillError {
    #[error("the image is empty")]
    Empty,
    #[error("not a JPEG or PNG image")]
    UnsupportedFormat,
    #[error("the JPEG is truncated (it ends before its end-of-image marker)")]
    Truncated,
    #[error("cannot decode the image: {0}")]
    Corrupt(String),
}

/// Decodes a JPEG or PNG from `bytes` within [`MAX_DIMENSION`] per side and
/// [`MAX_DECODE_ALLOC`] bytes of decoder memory, turned upright by its EXIF
/// orientation.
///
/// Why the orientation: phones store the sensor's rows and record in EXIF
/// how to turn them for display (a portrait iPhone photo is landscape pixels
/// with orientation 6). Without it the card's corners would come back in
/// the stored pixels' coordinates, not where the app shows the photo, and
/// its width and height swapped.
pub fn decode(bytes: &[u8]) -> Result<DynamicImage, StillError> {
    if bytes.is_empty() {
        return Err(StillError::Empty);
    }
    let format = image::guess_format(bytes).map_err(|_| StillError::UnsupportedFormat)?;
    match format {
        ImageFormat::Jpeg if !jpeg::is_complete(bytes) => return Err(StillError::Truncated),
        ImageFormat::Jpeg | ImageFormat::Png => {}
        _ => return Err(StillError::UnsupportedFormat),
    }
    let corrupt = |e: image::ImageError| StillError::Corrupt(e.to_string());
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_DIMENSION);
    limits.max_image_height = Some(MAX_DIMENSION);
    limits.max_alloc = Some(MAX_DECODE_ALLOC);
    reader.limits(limits);
    let mut decoder = reader.into_decoder().map_err(corrupt)?;
    // As `ImageReader::decode` does: the pixels themselves count too.
    if decoder.total_bytes() > MAX_DECODE_ALLOC {
        return Err(StillError::Corrupt(
            "the image needs more memory than allowed".into(),
        ));
    }
    // An unreadable orientation is no reason to refuse the picture.
    let orientation = decoder.orientation().unwrap_or(Orientation::NoTransforms);
    let mut image = DynamicImage::from_decoder(decoder).map_err(corrupt)?;
    image.apply_orientation(orientation);
    Ok(image)
}

#[cfg(test)]
mod tests;
