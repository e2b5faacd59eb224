//! Frame validation (every bad input is a typed error) and rotation handling.

use super::*;
use image::{Rgb, RgbImage};
use imageproc::geometric_transformations::{rotate180, rotate270, rotate90};

fn y(len: usize, stride: usize) -> Vec<u8> {
    vec![128; len * stride]
}

#[test]
fn zero_and_huge_dimensions_are_rejected() {
    let buf = vec![0u8; 64];
    for (w, h) in [
        (0, 4),
        (4, 0),
        (MAX_DIMENSION + 1, 4),
        (4, MAX_DIMENSION + 1),
    ] {
        let err = Frame::gray8(w, h, &buf, 4).unwrap_err();
        assert!(
            matches!(err, FrameError::InvalidDimensions { .. }),
            "{w}x{h}: {err:?}"
        );
        let err = Frame::i420_packed(w, h, &buf).unwrap_err();
        assert!(matches!(err, FrameError::InvalidDimensions { .. }));
    }
}

#[test]
fn short_buffers_are_rejected_per_plane() {
    let yb = y(8, 8);
    let short = vec![0u8; 15];
    let uv = vec![0u8; 16];
    let err = Frame::i420(
        8,
        8,
        Plane::new(&yb[..63], 8, 1),
        Plane::new(&uv, 4, 1),
        Plane::new(&uv, 4, 1),
    )
    .unwrap_err();
    assert_eq!(
        err,
        FrameError::BufferTooSmall {
            plane: "Y",
            len: 63,
            needed: 64
        }
    );
    let err = Frame::i420(
        8,
        8,
        Plane::new(&yb, 8, 1),
        Plane::new(&uv, 4, 1),
        Plane::new(&short, 4, 1),
    )
    .unwrap_err();
    assert_eq!(
        err,
        FrameError::BufferTooSmall {
            plane: "V",
            len: 15,
            needed: 16
        }
    );
    let err = Frame::nv21(8, 8, Plane::new(&yb, 8, 1), &uv[..31.min(uv.len()) - 1], 8).unwrap_err();
    assert!(
        matches!(err, FrameError::BufferTooSmall { plane: "VU", .. }),
        "{err:?}"
    );
    let err = Frame::i420_packed(8, 8, &yb).unwrap_err();
    assert!(matches!(
        err,
        FrameError::BufferTooSmall { plane: "I420", .. }
    ));
    let err = Frame::bgra8888(4, 4, &yb[..63], 16).unwrap_err();
    assert!(matches!(
        err,
        FrameError::BufferTooSmall { plane: "BGRA", .. }
    ));
}

#[test]
fn bad_strides_are_rejected() {
    let yb = y(8, 16);
    let uv = vec![0u8; 64];
    let err = Frame::gray8(8, 8, &yb, 7).unwrap_err();
    assert_eq!(
        err,
        FrameError::RowStrideTooSmall {
            plane: "gray",
            row_stride: 7,
            min: 8
        }
    );
    let err = Frame::rgba8888(8, 2, &yb, 31).unwrap_err();
    assert!(matches!(
        err,
        FrameError::RowStrideTooSmall { plane: "RGBA", .. }
    ));
    let err = Frame::yuv420(
        8,
        8,
        Plane::new(&yb, 8, 0),
        Plane::new(&uv, 8, 2),
        Plane::new(&uv, 8, 2),
    )
    .unwrap_err();
    assert!(matches!(
        err,
        FrameError::InvalidPixelStride { plane: "Y", .. }
    ));
    let err = Frame::i420(
        8,
        8,
        Plane::new(&yb, 8, 1),
        Plane::new(&uv, 8, 2),
        Plane::new(&uv, 8, 2),
    )
    .unwrap_err();
    assert!(matches!(
        err,
        FrameError::InvalidPixelStride { plane: "U", .. }
    ));
    let err = Frame::nv12(8, 8, Plane::new(&yb, 8, 1), &uv, 7).unwrap_err();
    assert!(matches!(
        err,
        FrameError::RowStrideTooSmall { plane: "UV", .. }
    ));
    let err = Frame::yuv420(
        8,
        8,
        Plane::new(&yb, usize::MAX, 1),
        Plane::new(&uv, 8, 1),
        Plane::new(&uv, 8, 1),
    )
    .unwrap_err();
    assert!(
        matches!(err, FrameError::SizeOverflow { plane: "Y" }),
        "{err:?}"
    );
    let err = Frame::gray8(8, 8, &yb, usize::MAX / 4).unwrap_err();
    assert!(
        matches!(
            err,
            FrameError::SizeOverflow { .. } | FrameError::BufferTooSmall { .. }
        ),
        "{err:?}"
    );
}

#[test]
fn a_focal_length_must_be_a_positive_number_of_pixels() {
    let buf = vec![0u8; 16];
    let frame = Frame::gray8(4, 4, &buf, 4).unwrap();
    assert_eq!(frame.focal_length(), None);
    assert_eq!(
        frame.with_focal_length(900.0).unwrap().focal_length(),
        Some(900.0)
    );
    for bad in [0.0, -1.0, f32::NAN, f32::INFINITY] {
        let err = frame.with_focal_length(bad).unwrap_err();
        assert_eq!(err, FrameError::InvalidFocalLength);
    }
}

#[test]
fn zero_target_size_is_an_error() {
    let buf = vec![0u8; 16];
    let frame = Frame::gray8(4, 4, &buf, 4).unwrap();
    assert_eq!(
        frame.luma_downscaled(0).unwrap_err(),
        FrameError::InvalidTargetSize
    );
}

#[test]
fn rotation_degrees_round_trip() {
    assert_eq!(Rotation::from_degrees(-90), Some(Rotation::Deg270));
    assert_eq!(Rotation::from_degrees(450), Some(Rotation::Deg90));
    assert_eq!(Rotation::from_degrees(45), None);
    assert_eq!(Rotation::Deg270.degrees(), 270);
}

/// An upright test picture with a distinct colour in each quadrant and a
/// white square near the top-left so orientation errors cannot cancel out.
fn upright() -> RgbImage {
    RgbImage::from_fn(64, 48, |x, y| {
        if (4..12).contains(&x) && (4..12).contains(&y) {
            return Rgb([255, 255, 255]);
        }
        match (x < 32, y < 24) {
            (true, true) => Rgb([200, 40, 40]),
            (false, true) => Rgb([40, 200, 40]),
            (true, false) => Rgb([40, 40, 200]),
            (false, false) => Rgb([30, 30, 30]),
        }
    })
}

/// The buffer a sensor would deliver for an upright scene that needs `r`
/// (clockwise) to become upright: the scene rotated counter-clockwise by `r`.
fn sensor_buffer(r: Rotation) -> RgbImage {
    let img = upright();
    match r {
        Rotation::Deg0 => img,
        Rotation::Deg90 => rotate270(&img),
        Rotation::Deg180 => rotate180(&img),
        Rotation::Deg270 => rotate90(&img),
    }
}

fn close(a: [u8; 3], b: [u8; 3], tol: i32) -> bool {
    a.iter()
        .zip(&b)
        .all(|(&x, &y)| (x as i32 - y as i32).abs() <= tol)
}

/// The upright scene as an I420 sensor buffer at every rotation, each
/// tagged with the rotation that makes it upright.
fn sensor_frames() -> Vec<(Rotation, OwnedFrame)> {
    [
        Rotation::Deg0,
        Rotation::Deg90,
        Rotation::Deg180,
        Rotation::Deg270,
    ]
    .into_iter()
    .map(|r| {
        let owned = OwnedFrame::i420_from_rgb(&sensor_buffer(r)).unwrap();
        (r, owned.with_rotation(r))
    })
    .collect()
}

#[test]
fn every_rotation_gives_the_same_upright_image() {
    let expected = upright();
    for (r, owned) in sensor_frames() {
        let frame = owned.as_frame().unwrap();
        assert_eq!(frame.upright_size(), (64, 48), "{r:?}");
        let rgb = frame.to_rgb_image().unwrap();
        assert_eq!(rgb.dimensions(), (64, 48));
        // Away from chroma-subsampled colour edges, every pixel matches.
        for (x, y) in [(2, 2), (8, 8), (40, 5), (5, 40), (60, 44), (20, 20)] {
            let want = expected.get_pixel(x, y).0;
            assert!(
                close(rgb.get_pixel(x, y).0, want, 12),
                "{r:?} rgb at {x},{y}"
            );
            let s = frame.sample_rgb(x as f32 + 0.5, y as f32 + 0.5).unwrap();
            assert!(
                close(s, want, 12),
                "{r:?} sample at {x},{y}: {s:?} vs {want:?}"
            );
        }
        assert!(frame.luma_at(8, 8).unwrap() > 240, "{r:?} white square");
        assert!(frame.luma_at(60, 44).unwrap() < 50, "{r:?} dark quadrant");
        assert_eq!(frame.luma_at(64, 0), None);
        assert_eq!(frame.sample_rgb(-1.0, 3.0), None);
    }
}

#[test]
fn downscaled_luma_is_upright_and_maps_back_to_frame_pixels() {
    for (r, owned) in sensor_frames() {
        let frame = owned.as_frame().unwrap();
        let small = frame.luma_downscaled(16).unwrap();
        assert_eq!(small.image.dimensions(), (16, 12), "{r:?}");
        // The white square (frame pixels 4..12) is small-image pixels 1..3.
        assert!(small.image.get_pixel(1, 1)[0] > 240, "{r:?}");
        assert!(small.image.get_pixel(14, 1)[0] < 200, "{r:?}");
        let (fx, fy) = small.to_frame(1.0, 1.0);
        assert!(
            (fx - 4.0).abs() < 1e-3 && (fy - 4.0).abs() < 1e-3,
            "{r:?}: {fx},{fy}"
        );
        let (sx, sy) = small.from_frame(fx, fy);
        assert!((sx - 1.0).abs() < 1e-3 && (sy - 1.0).abs() < 1e-3);
    }
}

#[test]
fn reducing_a_downscaled_luma_matches_a_direct_downscale() {
    for (r, owned) in sensor_frames() {
        let frame = owned.as_frame().unwrap();
        let direct = frame.luma_downscaled_by(4).unwrap();
        let reduced = frame.luma_downscaled_by(2).unwrap().reduced(2);
        assert_eq!(
            reduced.image.dimensions(),
            direct.image.dimensions(),
            "{r:?}"
        );
        for (a, b) in reduced.image.pixels().zip(direct.image.pixels()) {
            assert!((a[0] as i32 - b[0] as i32).abs() <= 1, "{r:?}");
        }
        for (x, y) in [(0.0, 0.0), (1.5, 2.5), (15.0, 11.0)] {
            let (a, b) = (reduced.to_frame(x, y), direct.to_frame(x, y));
            assert!(
                (a.0 - b.0).abs() < 1e-3 && (a.1 - b.1).abs() < 1e-3,
                "{r:?}"
            );
        }
    }
    let frame_size = OwnedFrame::i420_from_rgb(&upright()).unwrap();
    let frame = frame_size.as_frame().unwrap();
    assert_eq!(frame.downscale_factor(16).unwrap(), 4);
    assert_eq!(
        frame.luma_downscaled_by(0).unwrap_err(),
        FrameError::InvalidTargetSize
    );
}

#[test]
fn all_layouts_agree_with_i420() {
    let img = upright();
    let reference = OwnedFrame::i420_from_rgb(&img).unwrap();
    let reference = reference.as_frame().unwrap().to_rgb_image().unwrap();
    let owned = [
        OwnedFrame::nv21_from_rgb(&img).unwrap(),
        OwnedFrame::rgba_from_rgb(&img).unwrap(),
        OwnedFrame::bgra_from_rgb(&img).unwrap(),
    ];
    for o in &owned {
        let rgb = o.as_frame().unwrap().to_rgb_image().unwrap();
        for (x, y) in [(2, 2), (40, 5), (5, 40), (60, 44)] {
            assert!(
                close(rgb.get_pixel(x, y).0, reference.get_pixel(x, y).0, 12),
                "{:?} at {x},{y}",
                o.format()
            );
        }
    }
    // Android flexible layout: NV21 memory seen as three planes with pixel stride 2.
    let nv21 = OwnedFrame::nv21_from_rgb(&img).unwrap();
    let (yb, vu) = nv21.data().split_at(64 * 48);
    let frame = Frame::yuv420(
        64,
        48,
        Plane::new(yb, 64, 1),
        Plane::new(&vu[1..], 64, 2),
        Plane::new(vu, 64, 2),
    )
    .unwrap();
    assert_eq!(frame.format(), PixelFormat::Yuv420);
    let rgb = frame.to_rgb_image().unwrap();
    for (x, y) in [(2, 2), (40, 5), (5, 40), (60, 44)] {
        assert!(
            close(rgb.get_pixel(x, y).0, reference.get_pixel(x, y).0, 12),
            "flexible at {x},{y}"
        );
    }
}

#[test]
fn padded_rows_and_odd_sizes_are_read_correctly() {
    // 5×3 grey frame with 8-byte rows: the padding must never leak into samples.
    let mut buf = vec![255u8; 8 * 3];
    for y in 0..3 {
        for x in 0..5 {
            buf[y * 8 + x] = (x * 10 + y) as u8;
        }
    }
    let frame = Frame::gray8(5, 3, &buf, 8).unwrap();
    assert_eq!(frame.luma_at(4, 2), Some(42));
    let rgb = frame.to_rgb_image().unwrap();
    assert_eq!(rgb.get_pixel(4, 2).0, [42, 42, 42]);
    // Odd I420 sizes round chroma up, like libyuv.
    let data = vec![100u8; 5 * 3 + 2 * 3 * 2];
    assert!(Frame::i420_packed(5, 3, &data).is_ok());
    assert!(Frame::i420_packed(5, 3, &data[..data.len() - 1]).is_err());
}

/// A textured upright scene with bright, coloured and white areas, so that
/// the luma blend, the glare threshold and the colour spread all vary.
fn textured(w: u32, h: u32) -> RgbImage {
    RgbImage::from_fn(w, h, |x, y| {
        let v = ((x * 37 + y * 91) % 256) as u8;
        match (x / 8 + y / 8) % 3 {
            0 => Rgb([v, v, v]),
            1 => Rgb([255, v.max(200), 255 - v / 4]),
            _ => Rgb([v / 2, 255 - v, v]),
        }
    })
}

/// Calls `f` with every layout at every rotation and colour range.
fn for_each_variant(layouts: &[OwnedFrame], mut f: impl FnMut(&Frame<'_>, Rotation, ColorRange)) {
    for owned in layouts {
        for r in [
            Rotation::Deg0,
            Rotation::Deg90,
            Rotation::Deg180,
            Rotation::Deg270,
        ] {
            for range in [ColorRange::Full, ColorRange::Limited] {
                let frame = owned
                    .as_frame()
                    .unwrap()
                    .with_rotation(r)
                    .with_color_range(range);
                f(&frame, r, range);
            }
        }
    }
}

#[test]
fn segment_sampling_matches_point_sampling() {
    let img = textured(61, 37);
    let layouts = [
        OwnedFrame::i420_from_rgb(&img).unwrap(),
        OwnedFrame::nv21_from_rgb(&img).unwrap(),
        OwnedFrame::rgba_from_rgb(&img).unwrap(),
    ];
    // Inside, crossing the border, outside, and along the last pixel centres.
    let segments = [
        ((3.3, 4.7), (40.1, 9.9)),
        ((20.0, 30.0), (25.0, 2.0)),
        ((-4.0, 10.0), (30.0, 12.0)),
        ((50.0, 20.0), (70.0, 36.5)),
        ((-9.0, -3.0), (-1.0, -2.0)),
        ((0.5, 0.5), (36.5, 36.5)),
    ];
    for_each_variant(&layouts, |frame, r, range| {
        for (a, b) in segments {
            let (steps, n) = (8, 7);
            let mut got = Vec::new();
            frame.sample_luma_spread_segment((a, b), steps, n, 180, |s| got.push(s));
            assert_eq!(got.len(), n);
            for (i, g) in got.into_iter().enumerate() {
                let t = i as f32 / steps as f32;
                let p = (a.0 + (b.0 - a.0) * t, a.1 + (b.1 - a.1) * t);
                let want = frame.sample_luma_spread(p.0, p.1, 180);
                // Rotated frames lerp in buffer coordinates: float
                // rounding may move a blend by one level.
                let tol = if r == Rotation::Deg0 { 0 } else { 1 };
                let same = match (g, want) {
                    (Some((l, s)), Some((wl, ws))) => {
                        l.abs_diff(wl) <= tol
                            && (s == ws || (tol > 0 && s.is_some() != ws.is_some()))
                    }
                    (g, w) => g == w,
                };
                assert!(
                    same,
                    "{:?} {r:?} {range:?} {a:?}->{b:?} #{i}: {g:?} vs {want:?}",
                    frame.format()
                );
            }
        }
    });
}

#[test]
fn line_sampling_matches_point_sampling() {
    let img = textured(61, 37);
    let layouts = [
        OwnedFrame::i420_from_rgb(&img).unwrap(),
        OwnedFrame::from_gray(&image::imageops::grayscale(&img)).unwrap(),
        OwnedFrame::bgra_from_rgb(&img).unwrap(),
    ];
    for_each_variant(&layouts, |frame, r, range| {
        let (uw, uh) = frame.upright_size();
        // Inside, ending on the last pixel centre, leaving the frame.
        let lines = [
            ((3.3, 4.7), (0.8, 0.6), 20, true),
            ((uw as f32 - 9.5, 2.5), (1.0, 1.0), 9, true),
            ((5.0, 5.0), (-1.0, 0.3), 12, false),
        ];
        for (origin, step, n, inside) in lines {
            let mut got = vec![f32::NAN; n];
            let res = frame.sample_luma_line(origin, step, &mut got);
            assert_eq!(res.is_some(), inside, "{r:?} {origin:?}");
            if !inside {
                continue;
            }
            for (i, g) in got.iter().enumerate() {
                let (x, y) = (origin.0 + step.0 * i as f32, origin.1 + step.1 * i as f32);
                let want = frame.sample_luma(x, y).unwrap();
                assert!(
                    (g - want).abs() < 1e-2,
                    "{:?} {r:?} {range:?} {origin:?} #{i}: {g} vs {want} ({uw}x{uh})",
                    frame.format()
                );
            }
        }
        assert!(frame
            .sample_luma_line((-1.0, 1.0), (1.0, 0.0), &mut [])
            .is_some());
    });
}
