use std::io::Cursor;

use image::{ImageFormat, RgbImage};

use super::*;

/// A baseline JPEG of a small picture with edges and gradients, as the
/// image crate (and most phone encoders) write it.
fn baseline_jpeg(w: u32, h: u32) -> Vec<u8> {
    let img = RgbImage::from_fn(w, h, |x, y| {
        image::Rgb([
            (x * 7 % 256) as u8,
            (y * 5 % 256) as u8,
            ((x ^ y) % 256) as u8,
        ])
    });
    let mut out = Vec::new();
    img.write_to(&mut Cursor::new(&mut out), ImageFormat::Jpeg)
        .unwrap();
    out
}

/// A progressive JPEG (ten scans, Huffman tables between them), written
/// by Pillow (`save(..., progressive=True, quality=85, optimize=True)`) from
/// a crop of a generated card scene: the image crate cannot write one.
const PROGRESSIVE: &[u8] = include_bytes!("progressive.jpg");

/// `main` with an EXIF segment holding `thumbnail` (a whole JPEG, with its
/// own end-of-image marker) right after the start-of-image marker.
fn with_thumbnail(main: &[u8], thumbnail: &[u8]) -> Vec<u8> {
    let mut app1 = b"Exif\0\0".to_vec();
    app1.extend_from_slice(thumbnail);
    let len = u16::try_from(app1.len() + 2).unwrap().to_be_bytes();
    let mut out = main[..2].to_vec();
    out.extend_from_slice(&[0xFF, 0xE1, len[0], len[1]]);
    out.extend_from_slice(&app1);
    out.extend_from_slice(&main[2..]);
    out
}

#[test]
fn whole_jpegs_are_complete_and_decode() {
    let baseline = baseline_jpeg(120, 76);
    assert!(jpeg::is_complete(&baseline));
    assert_eq!(decode(&baseline).unwrap().width(), 120);
    assert!(jpeg::is_complete(PROGRESSIVE));
    assert_eq!(decode(PROGRESSIVE).unwrap().width(), 96);
    let exif = with_thumbnail(&baseline, &baseline_jpeg(16, 10));
    assert!(jpeg::is_complete(&exif));
    assert_eq!(decode(&exif).unwrap().width(), 120);
    // Data some cameras append after the end-of-image marker is not read.
    let mut trailing = baseline.clone();
    trailing.extend_from_slice(b"\x00\x01trailer\xFF");
    assert!(jpeg::is_complete(&trailing));
}

#[test]
fn a_jpeg_cut_anywhere_is_truncated() {
    let baseline = baseline_jpeg(120, 76);
    let exif = with_thumbnail(&baseline, &baseline_jpeg(16, 10));
    for whole in [&baseline[..], PROGRESSIVE, &exif[..]] {
        // Every cut: in the headers, in a scan, between scans, one byte short.
        for cut in (4..whole.len()).step_by(7).chain([whole.len() - 1]) {
            assert!(
                !jpeg::is_complete(&whole[..cut]),
                "cut at {cut} of {}",
                whole.len()
            );
            assert_eq!(decode(&whole[..cut]).unwrap_err(), StillError::Truncated);
        }
    }
}

#[test]
fn other_bad_input_is_a_typed_error() {
    assert_eq!(decode(b"").unwrap_err(), StillError::Empty);
    assert_eq!(
        decode(b"not an image at all").unwrap_err(),
        StillError::UnsupportedFormat
    );
    assert_eq!(
        decode(b"GIF89a\x01\x00\x01\x00\x00\x00\x00;").unwrap_err(),
        StillError::UnsupportedFormat
    );
    let mut png = Vec::new();
    RgbImage::new(8, 8)
        .write_to(&mut Cursor::new(&mut png), ImageFormat::Png)
        .unwrap();
    assert_eq!(decode(&png).unwrap().width(), 8);
    png.truncate(png.len() / 2);
    assert!(matches!(decode(&png), Err(StillError::Corrupt(_))));
    // A whole JPEG whose scan data is noise still decodes or fails with a
    // typed error, never a panic.
    let mut noisy = baseline_jpeg(64, 40);
    let n = noisy.len();
    for (i, b) in noisy[n / 2..n - 2].iter_mut().enumerate() {
        *b = if *b == 0xFF {
            0xFF
        } else {
            (i * 31 % 255) as u8
        };
    }
    let _ = decode(&noisy);
}
