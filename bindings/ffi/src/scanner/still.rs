//! Decoding a still photo (JPEG/PNG) for `analyzeImage`, with limits so a
//! corrupt or hostile file cannot make us allocate gigabytes.

use std::io::Cursor;

use image::{ImageReader, Limits};

use crate::error::{CardScanError, Result};

/// Largest accepted side, as for camera frames.
const MAX_SIDE: u32 = cardscan_core::frame::MAX_DIMENSION;
/// Largest decoder allocation.
const MAX_ALLOC: u64 = 256 * 1024 * 1024;

/// An RGBA8 image decoded from `bytes`.
pub(crate) fn decode_rgba(bytes: &[u8]) -> Result<image::RgbaImage> {
    let invalid = |e: &dyn std::fmt::Display| CardScanError::InvalidImage {
        reason: e.to_string(),
    };
    if bytes.is_empty() {
        return Err(CardScanError::InvalidImage {
            reason: "the image is empty".into(),
        });
    }
    let mut reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| invalid(&e))?;
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_ALLOC);
    reader.limits(limits);
    let image = reader.decode().map_err(|e| invalid(&e))?;
    Ok(image.into_rgba8())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn garbage_and_truncated_images_are_typed_errors() {
        assert!(matches!(
            decode_rgba(b""),
            Err(CardScanError::InvalidImage { .. })
        ));
        assert!(matches!(
            decode_rgba(b"not an image"),
            Err(CardScanError::InvalidImage { .. })
        ));
        let mut png = Vec::new();
        image::RgbImage::new(8, 8)
            .write_to(&mut Cursor::new(&mut png), image::ImageFormat::Png)
            .unwrap();
        assert_eq!(decode_rgba(&png).unwrap().dimensions(), (8, 8));
        png.truncate(png.len() / 2);
        assert!(matches!(
            decode_rgba(&png),
            Err(CardScanError::InvalidImage { .. })
        ));
    }
}
