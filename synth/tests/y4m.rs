//! y4m round trips, typed errors on bad input, and the sample stream's script.

use cardscan_synth::y4m::{read_all, I420Frame, Y4mError, Y4mHeader, Y4mReader, Y4mWriter};
use cardscan_synth::{sample_stream, SceneKind, Side};

fn frame(w: u32, h: u32, k: u8) -> I420Frame {
    let (cw, ch) = I420Frame::chroma_dims(w, h);
    let n = (cw * ch) as usize;
    I420Frame {
        width: w,
        height: h,
        y: (0..w * h).map(|i| (i as u8).wrapping_add(k)).collect(),
        u: vec![100 + k; n],
        v: vec![150 - k; n],
    }
}

fn encode(w: u32, h: u32, frames: &[I420Frame]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut wr = Y4mWriter::new(
        &mut out,
        Y4mHeader {
            width: w,
            height: h,
            fps_num: 30000,
            fps_den: 1001,
        },
    )
    .unwrap();
    for f in frames {
        wr.write_frame(f).unwrap();
    }
    wr.finish().unwrap();
    out
}

#[test]
fn round_trip_keeps_frames_and_rate() {
    for (w, h) in [(64, 48), (33, 17)] {
        let frames = vec![frame(w, h, 0), frame(w, h, 7), frame(w, h, 9)];
        let (hdr, back) = read_all(&encode(w, h, &frames)).unwrap();
        assert_eq!(
            (hdr.width, hdr.height, hdr.fps_num, hdr.fps_den),
            (w, h, 30000, 1001)
        );
        assert!((hdr.fps() - 29.97).abs() < 0.01);
        assert_eq!(back, frames);
    }
}

#[test]
fn truncated_streams_are_typed_errors() {
    let bytes = encode(16, 16, &[frame(16, 16, 0), frame(16, 16, 1)]);
    let cut = &bytes[..bytes.len() - 10];
    let mut r = Y4mReader::new(cut).unwrap();
    assert!(r.next_frame().unwrap().is_some());
    assert!(matches!(
        r.next_frame(),
        Err(Y4mError::TruncatedFrame { index: 1, .. })
    ));
    // Cut inside the header line.
    assert!(matches!(
        Y4mReader::new(&bytes[..12]),
        Err(Y4mError::BadHeader(_))
    ));
    assert!(matches!(Y4mReader::new(&b""[..]), Err(Y4mError::BadMagic)));
}

/// A header and the check its error must pass.
type HeaderCase = (&'static [u8], fn(&Y4mError) -> bool);

#[test]
fn bad_headers_are_typed_errors() {
    let cases: [HeaderCase; 7] = [
        (b"RIFF W16 H16\n", |e| matches!(e, Y4mError::BadMagic)),
        (b"YUV4MPEG2 W16\n", |e| matches!(e, Y4mError::BadHeader(_))),
        (b"YUV4MPEG2 W0 H16\n", |e| {
            matches!(e, Y4mError::BadDimensions { .. })
        }),
        (b"YUV4MPEG2 W100000 H100000\n", |e| {
            matches!(e, Y4mError::BadDimensions { .. })
        }),
        (b"YUV4MPEG2 W16 H16 C444\n", |e| {
            matches!(e, Y4mError::UnsupportedColorspace(_))
        }),
        (b"YUV4MPEG2 W16 H16 It\n", |e| {
            matches!(e, Y4mError::Interlaced(_))
        }),
        (b"YUV4MPEG2 W16 H16 F30:0\n", |e| {
            matches!(e, Y4mError::BadHeader(_))
        }),
    ];
    for (bytes, check) in cases {
        match Y4mReader::new(bytes) {
            Err(e) => assert!(check(&e), "{:?}: {e}", String::from_utf8_lossy(bytes)),
            Ok(_) => panic!("accepted {:?}", String::from_utf8_lossy(bytes)),
        }
    }
    let mut r = Y4mReader::new(&b"YUV4MPEG2 W2 H2 C420mpeg2\nFRAMX\n"[..]).unwrap();
    assert!(matches!(
        r.next_frame(),
        Err(Y4mError::BadFrameHeader { index: 0 })
    ));
    let long = [b"YUV4MPEG2 ".as_slice(), &[b'X'; 2000]].concat();
    assert!(matches!(
        Y4mReader::new(long.as_slice()),
        Err(Y4mError::BadHeader(_))
    ));
}

#[test]
fn writer_rejects_mismatched_frames() {
    let mut out = Vec::new();
    let mut w = Y4mWriter::new(
        &mut out,
        Y4mHeader {
            width: 8,
            height: 8,
            fps_num: 15,
            fps_den: 1,
        },
    )
    .unwrap();
    assert!(matches!(
        w.write_frame(&frame(4, 4, 0)),
        Err(Y4mError::FrameSizeMismatch { .. })
    ));
}

#[test]
fn rgb_i420_conversion_round_trips_closely() {
    let img = cardscan_synth::sample::card_rgb(Side::Front, 2);
    let back = I420Frame::from_rgb(&img).to_rgb();
    let err: f64 = img
        .as_raw()
        .iter()
        .zip(back.as_raw())
        .map(|(a, b)| (*a as f64 - *b as f64).abs())
        .sum::<f64>()
        / img.as_raw().len() as f64;
    assert!(err < 6.0, "mean abs error {err}");
}

/// The stream follows its script: empty table, card arrives (blurred while
/// moving), front steady and sharp ≥ 0.5 s, flip, back steady and sharp ≥ 0.5 s.
#[test]
fn sample_stream_has_capturable_front_and_back() {
    let s = sample_stream(1);
    assert_eq!(s.frames.len(), s.truth.len());
    let secs = s.frames.len() as f32 / s.fps as f32;
    assert!((4.0..=6.0).contains(&secs));
    assert_eq!(s.truth[0].kind, SceneKind::NoCard);
    assert!(
        s.truth.iter().any(|t| t.card.is_some() && t.blur),
        "no motion-blurred frames"
    );
    let longest_steady = |side: Side| {
        let (mut best, mut run) = (0, 0);
        for t in &s.truth {
            let ok = t
                .card
                .as_ref()
                .is_some_and(|c| c.side == side && c.visible_fraction == 1.0 && c.dpi > 200.0)
                && !t.blur;
            run = if ok { run + 1 } else { 0 };
            best = best.max(run);
        }
        best as f32 / s.fps as f32
    };
    assert!(longest_steady(Side::Front) >= 0.5 && longest_steady(Side::Back) >= 0.5);
    let front_end = s
        .truth
        .iter()
        .rposition(|t| t.card.as_ref().is_some_and(|c| c.side == Side::Front))
        .unwrap();
    let back_start = s
        .truth
        .iter()
        .position(|t| t.card.as_ref().is_some_and(|c| c.side == Side::Back))
        .unwrap();
    assert!(
        front_end < back_start,
        "the back shows only after the front"
    );
    let (hdr, frames) = cardscan_synth::y4m::read_all(&s.to_y4m()).unwrap();
    assert_eq!(hdr.fps_num, s.fps);
    assert_eq!(frames, s.frames);
}
