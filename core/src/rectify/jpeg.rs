//! JPEG encoding of the rectified card and of the raw frame (image crate).

use image::codecs::jpeg::JpegEncoder;
use image::RgbImage;

use super::RectifyError;
use crate::frame::Frame;

/// Encodes an RGB image as baseline JPEG at `quality` (1–100).
pub fn encode_jpeg(image: &RgbImage, quality: u8) -> Result<Vec<u8>, RectifyError> {
    if !(1..=100).contains(&quality) {
        return Err(RectifyError::InvalidQuality(quality));
    }
    let mut out = Vec::with_capacity(image.len() / 8);
    JpegEncoder::new_with_quality(&mut out, quality)
        .encode_image(image)
        .map_err(|e| RectifyError::Encode(e.to_string()))?;
    Ok(out)
}

/// The whole upright frame as JPEG, for apps that also want the raw capture.
pub fn frame_jpeg(frame: &Frame<'_>, quality: u8) -> Result<Vec<u8>, RectifyError> {
    let rgb = frame.to_rgb_image()?;
    encode_jpeg(&rgb, quality)
}
