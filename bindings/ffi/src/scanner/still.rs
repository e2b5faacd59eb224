//! Decoding a still photo (JPEG/PNG) for `analyzeImage`: the core's
//! decoder, with its limits (a corrupt or hostile file cannot make us
//! allocate gigabytes) and its refusal of truncated JPEGs.

use crate::error::{CardScanError, Result};

/// An RGBA8 image decoded from `bytes`.
pub(crate) fn decode_rgba(bytes: &[u8]) -> Result<image::RgbaImage> {
    let image = cardscan_core::still::decode(bytes).map_err(|e| CardScanError::InvalidImage {
        reason: e.to_string(),
    })?;
    Ok(image.into_rgba8())
}

#[cfg(test)]
mod tests {
    use std::io::Cursor;

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
        // A JPEG cut short: the image crate alone would fill the rest grey.
        let mut jpeg = Vec::new();
        image::RgbImage::from_fn(64, 40, |x, _| image::Rgb([x as u8 * 4, 80, 160]))
            .write_to(&mut Cursor::new(&mut jpeg), image::ImageFormat::Jpeg)
            .unwrap();
        assert_eq!(decode_rgba(&jpeg).unwrap().dimensions(), (64, 40));
        jpeg.truncate(jpeg.len() * 3 / 4);
        match decode_rgba(&jpeg) {
            Err(CardScanError::InvalidImage { reason }) => assert!(reason.contains("truncated")),
            other => panic!("expected a truncated JPEG error, got {other:?}"),
        }
    }
}
