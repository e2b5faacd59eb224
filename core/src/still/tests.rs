use std::io::Cursor;

use image::{GenericImageView, ImageFormat, RgbImage};

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

/// An EXIF block (little-endian TIFF, one IFD entry) holding only the
/// orientation tag `value`, as encoders write it into APP1 / eXIf.
fn exif_orientation(value: u8) -> Vec<u8> {
    let mut exif = b"II\x2a\0\x08\0\0\0\x01\0\x12\x01\x03\0\x01\0\0\0".to_vec();
    exif.extend_from_slice(&[value, 0, 0, 0, 0, 0, 0, 0]);
    exif
}

/// `img` written as PNG (lossless, for exact pixels) or JPEG with EXIF
/// orientation `value`.
fn with_orientation(img: &RgbImage, value: u8, format: ImageFormat) -> Vec<u8> {
    use image::codecs::{jpeg::JpegEncoder, png::PngEncoder};
    use image::ImageEncoder;
    let mut out = Vec::new();
    let (w, h) = img.dimensions();
    let colour = image::ExtendedColorType::Rgb8;
    match format {
        ImageFormat::Png => {
            let mut enc = PngEncoder::new(&mut out);
            enc.set_exif_metadata(exif_orientation(value)).unwrap();
            enc.write_image(img.as_raw(), w, h, colour).unwrap();
        }
        _ => {
            let mut enc = JpegEncoder::new_with_quality(&mut out, 95);
            enc.set_exif_metadata(exif_orientation(value)).unwrap();
            enc.write_image(img.as_raw(), w, h, colour).unwrap();
        }
    }
    out
}

#[test]
fn photos_are_turned_upright_by_their_exif_orientation() {
    // Stored 4 × 2 with a distinct colour per pixel.
    let stored = RgbImage::from_fn(4, 2, |x, y| {
        image::Rgb([(x * 60) as u8, (y * 200) as u8, 9])
    });
    let at = |img: &DynamicImage, x: u32, y: u32| img.to_rgb8().get_pixel(x, y).0;
    // 1: as stored. 6: turn a quarter clockwise (a portrait phone photo).
    // 3: half a turn. 8: a quarter anticlockwise.
    let upright = decode(&with_orientation(&stored, 1, ImageFormat::Png)).unwrap();
    assert_eq!((upright.width(), upright.height()), (4, 2));
    assert_eq!(at(&upright, 3, 1), stored.get_pixel(3, 1).0);
    let cw = decode(&with_orientation(&stored, 6, ImageFormat::Png)).unwrap();
    assert_eq!((cw.width(), cw.height()), (2, 4));
    // The stored bottom-left pixel ends at the displayed top-left.
    assert_eq!(at(&cw, 0, 0), stored.get_pixel(0, 1).0);
    assert_eq!(at(&cw, 1, 3), stored.get_pixel(3, 0).0);
    let half = decode(&with_orientation(&stored, 3, ImageFormat::Png)).unwrap();
    assert_eq!(at(&half, 0, 0), stored.get_pixel(3, 1).0);
    let ccw = decode(&with_orientation(&stored, 8, ImageFormat::Png)).unwrap();
    assert_eq!((ccw.width(), ccw.height()), (2, 4));
    assert_eq!(at(&ccw, 0, 0), stored.get_pixel(3, 0).0);
    // JPEG carries it in APP1; a blocky picture survives compression.
    let blocks = RgbImage::from_fn(64, 32, |x, _| {
        image::Rgb(if x < 32 { [250, 20, 20] } else { [20, 20, 250] })
    });
    let jpeg = decode(&with_orientation(&blocks, 6, ImageFormat::Jpeg)).unwrap();
    assert_eq!((jpeg.width(), jpeg.height()), (32, 64));
    // The stored left half (red) is now the top half.
    assert!(at(&jpeg, 16, 8)[0] > 200 && at(&jpeg, 16, 56)[2] > 200);
    // A malformed EXIF block (the thumbnail test's) is read as upright.
    let odd = with_thumbnail(&baseline_jpeg(120, 76), &baseline_jpeg(16, 10));
    assert_eq!(decode(&odd).unwrap().dimensions(), (120, 76));
}
