//! The capture session on real frames with the real classical detector: the
//! bundled sample stream (front, flip, back), and constructed sequences built
//! from its frames (a shaking card, an empty table until the timeouts).

use std::time::Duration;

use cardscan_core::capture::{
    CaptureConfig, CaptureSession, CaptureType, FeedbackCode, ScanUpdate,
};
use cardscan_core::detect::{CardSide, ClassicalConfig, ClassicalDetector};
use cardscan_core::frame::OwnedFrame;
use cardscan_synth::stream::{frame_rgb, sample_stream, SampleStream};
use image::RgbImage;

fn session(cfg: CaptureConfig) -> CaptureSession {
    CaptureSession::new(
        Box::new(ClassicalDetector::new(ClassicalConfig::default())),
        cfg,
    )
    .unwrap()
}

fn frame_at(img: &RgbImage, t: Duration) -> OwnedFrame {
    OwnedFrame::i420_from_rgb(img).unwrap().with_timestamp(t)
}

fn stream() -> SampleStream {
    sample_stream(7)
}

fn run(s: &mut CaptureSession, frames: impl IntoIterator<Item = OwnedFrame>) -> Vec<ScanUpdate> {
    let mut out = Vec::new();
    for f in frames {
        let u = s.process(&f.as_frame().unwrap()).unwrap();
        let done = u.done;
        out.push(u);
        if done {
            break;
        }
    }
    out
}

#[test]
fn sample_stream_captures_front_then_back() {
    let st = stream();
    let dt = Duration::from_secs_f64(1.0 / st.fps as f64);
    let frames = (0..st.frames.len()).map(|i| frame_at(&frame_rgb(&st, i).unwrap(), dt * i as u32));
    let mut s = session(CaptureConfig::default());
    let updates = run(&mut s, frames);
    let caps: Vec<_> = updates.iter().filter_map(|u| u.captured.as_ref()).collect();
    assert_eq!(
        caps.len(),
        2,
        "feedback: {:?}",
        updates.iter().map(|u| u.feedback).collect::<Vec<_>>()
    );
    assert_eq!(
        (caps[0].side, caps[1].side),
        (CardSide::Front, CardSide::Back)
    );
    for c in &caps {
        assert_eq!(c.capture_type, CaptureType::Automatic);
        assert!(c.rectified);
        let img = image::load_from_memory(&c.image.jpeg).unwrap();
        assert_eq!((img.width(), img.height()), (1011, 638));
    }
    // The front is captured while it is shown steady (1.9–3.0 s), the back after the flip.
    let front_t = caps[0].timestamp.as_secs_f32();
    let front_at = updates
        .iter()
        .find(|u| u.captured.is_some())
        .unwrap()
        .timestamp
        .as_secs_f32();
    assert!((1.9..3.0).contains(&front_t), "front frame at {front_t}");
    assert!(front_at < 3.0, "front captured at {front_at}");
    assert!(caps[1].timestamp.as_secs_f32() > 3.6);
    eprintln!(
        "front frame {front_t:.3} s captured at {front_at:.3} s; back frame {:.3} s",
        caps[1].timestamp.as_secs_f32()
    );
    assert!(updates.last().unwrap().done);
    assert!(updates
        .iter()
        .any(|u| u.feedback == FeedbackCode::FlipToBack));
}

#[test]
fn a_shaking_card_is_told_to_hold_still_and_not_captured() {
    let st = stream();
    // A frame of the steady front (2.4 s), shifted left and right on alternate frames.
    let still = frame_rgb(&st, (2.4 * st.fps as f32) as usize).unwrap();
    let shifted = |dx: i64| {
        RgbImage::from_fn(still.width(), still.height(), |x, y| {
            *still.get_pixel((x as i64 + dx).clamp(0, still.width() as i64 - 1) as u32, y)
        })
    };
    let (a, b) = (shifted(-25), shifted(25));
    let dt = Duration::from_millis(33);
    let frames = (0..30u32).map(|i| frame_at(if i % 2 == 0 { &a } else { &b }, dt * i));
    let updates = run(&mut session(CaptureConfig::default()), frames);
    assert!(updates.iter().all(|u| u.captured.is_none()));
    let hold = updates
        .iter()
        .filter(|u| u.feedback == FeedbackCode::HoldStill)
        .count();
    assert!(
        hold >= 20,
        "{:?}",
        updates.iter().map(|u| u.feedback).collect::<Vec<_>>()
    );
}

#[test]
fn an_empty_table_times_out_to_manual_shutter_then_handoff_and_manual_capture_works() {
    let st = stream();
    let empty = frame_rgb(&st, 0).unwrap();
    let cfg = CaptureConfig {
        attempt_timeout: Duration::from_secs(1),
        scan_back: false,
        ..CaptureConfig::default()
    };
    let mut s = session(cfg);
    let dt = Duration::from_millis(100);
    let updates = run(&mut s, (0..25u32).map(|i| frame_at(&empty, dt * i)));
    let codes: Vec<_> = updates.iter().map(|u| u.feedback).collect();
    assert_eq!(codes[0], FeedbackCode::NoCard);
    assert_eq!(codes[10], FeedbackCode::ManualShutter, "{codes:?}");
    assert_eq!(codes[20], FeedbackCode::ScanFailed, "{codes:?}");
    assert!(updates[10].manual_shutter_available && !updates[10].handoff_suggested);
    assert!(updates[24].handoff_suggested);
    s.capture_now();
    let u = s
        .process(&frame_at(&empty, dt * 25).as_frame().unwrap())
        .unwrap();
    let card = u.captured.expect("manual capture");
    assert_eq!(card.capture_type, CaptureType::Manual);
    assert!(!card.rectified, "no card in view: the whole frame is kept");
    assert!(u.done);
}

#[test]
fn a_rejected_upload_counts_as_a_failed_attempt() {
    let mut s = session(CaptureConfig::default());
    s.report_upload_rejected();
    s.report_upload_rejected();
    assert_eq!(s.failed_attempts(), 2);
    assert_eq!(s.expected_side(), CardSide::Front);
    let st = stream();
    let u = s
        .process(
            &frame_at(&frame_rgb(&st, 0).unwrap(), Duration::ZERO)
                .as_frame()
                .unwrap(),
        )
        .unwrap();
    assert!(u.handoff_suggested);
    s.reset();
    assert_eq!(s.failed_attempts(), 0);
}
