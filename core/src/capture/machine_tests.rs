//! The state machine on constructed sequences of analyses (no pixels): the
//! timing rules are exercised exactly, frame by frame.

use std::time::Duration;

use super::config::CaptureConfig;
use super::machine::{Machine, Phase};
use super::update::CaptureType;
use crate::analyze::{feedback_for, FeedbackCode, FrameAnalysis};
use crate::detect::{CardSide, Detection, Point, Quad};
use crate::quality::{BlurReport, ExposureReport, GlareReport, PlacementReport, QualityReport};

const FRAME: Duration = Duration::from_micros(33_333);

fn quality(sharpness: f32, glare: bool) -> QualityReport {
    QualityReport {
        blur: BlurReport {
            score: 1.0 - sharpness,
            blurry: false,
            motion: false,
            direction_deg: 0.0,
        },
        glare: GlareReport {
            fraction: if glare { 0.1 } else { 0.0 },
            probability: None,
            glare,
            bbox: None,
        },
        exposure: ExposureReport {
            mean: 0.5,
            p5: 0.1,
            p95: 0.9,
            too_dark: false,
            too_bright: false,
            ok: true,
        },
        placement: PlacementReport {
            card_width_px: 800.0,
            dpi: 237.0,
            too_far: false,
            corner_deviation_deg: 1.0,
            opposite_edge_ratio: 0.99,
            tilted: false,
            out_of_frame: false,
        },
    }
}

fn quad_at(dx: f32) -> Quad {
    let p = |x: f32, y: f32| Point::new(x + dx, y);
    Quad::new([
        p(200.0, 150.0),
        p(1000.0, 150.0),
        p(1000.0, 654.0),
        p(200.0, 654.0),
    ])
}

fn seen(dx: f32, side: CardSide, q: Option<QualityReport>) -> FrameAnalysis {
    let detection = q.map(|_| Detection {
        quad: quad_at(dx),
        confidence: 0.9,
        side,
    });
    FrameAnalysis {
        frame_size: (1280, 720),
        detection,
        quality: q,
        feedback: feedback_for(q.as_ref()),
    }
}

fn no_card() -> FrameAnalysis {
    seen(0.0, CardSide::Unknown, None)
}

/// A capture as [`run`] reports it: frame number, side, type, kept payload.
type Captured = (usize, CardSide, CaptureType, usize);

/// Runs `frames` analyses from `start`, one frame apart; returns the index
/// (frame number) of the first capture and the kept payload.
fn run(
    m: &mut Machine<usize>,
    start: usize,
    frames: &[FrameAnalysis],
) -> (Vec<FeedbackCode>, Option<Captured>) {
    let mut codes = Vec::new();
    for (i, a) in frames.iter().enumerate() {
        let n = start + i;
        let t = FRAME * n as u32;
        m.advance_clock(t);
        let d = m.on_frame(t, a, || Ok(n)).unwrap();
        codes.push(d.feedback);
        if let Some((side, kind, kept)) = d.capture {
            return (codes, Some((n, side, kind, kept)));
        }
    }
    (codes, None)
}

#[test]
fn steady_good_card_is_captured_after_300_ms_keeping_the_sharpest_frame() {
    let mut m = Machine::new(CaptureConfig::default());
    // Sharpness peaks at frame 4 of the window.
    let frames: Vec<_> = (0..20)
        .map(|i| {
            seen(
                0.0,
                CardSide::Front,
                Some(quality(if i == 4 { 0.9 } else { 0.6 }, false)),
            )
        })
        .collect();
    let (codes, cap) = run(&mut m, 0, &frames);
    let (n, side, kind, kept) = cap.expect("captured");
    // 300 ms at 30 fps: frame 9 is 299.997 ms after frame 0, frame 10 is past it.
    assert_eq!(n, 10);
    assert_eq!(
        (side, kind, kept),
        (CardSide::Front, CaptureType::Automatic, 4)
    );
    assert!(codes[..10].iter().all(|c| *c == FeedbackCode::Scanning));
    assert_eq!(codes[10], FeedbackCode::Captured);
}

#[test]
fn shaking_card_is_asked_to_hold_still_and_never_captured() {
    let mut m = Machine::new(CaptureConfig::default());
    // 40 px jumps between frames: IoU ≈ 0.9 < 0.95.
    let frames: Vec<_> = (0..60)
        .map(|i| {
            seen(
                if i % 2 == 0 { 0.0 } else { 40.0 },
                CardSide::Front,
                Some(quality(0.8, false)),
            )
        })
        .collect();
    let (codes, cap) = run(&mut m, 0, &frames);
    assert!(cap.is_none());
    assert_eq!(codes[0], FeedbackCode::Scanning);
    assert!(
        codes[1..].iter().all(|c| *c == FeedbackCode::HoldStill),
        "{codes:?}"
    );
}

#[test]
fn glare_breaks_the_window_and_blocks_capture() {
    let mut m = Machine::new(CaptureConfig::default());
    let frames: Vec<_> = (0..30)
        .map(|i| seen(0.0, CardSide::Front, Some(quality(0.8, i % 5 == 4))))
        .collect();
    let (codes, cap) = run(&mut m, 0, &frames);
    assert!(
        cap.is_none(),
        "a window of 4 good frames (133 ms) must not capture"
    );
    assert_eq!(codes[4], FeedbackCode::ReduceGlare);
}

#[test]
fn front_then_flip_pause_then_back_then_done() {
    let cfg = CaptureConfig::default();
    let mut m = Machine::new(cfg);
    let front: Vec<_> = (0..12)
        .map(|_| seen(0.0, CardSide::Front, Some(quality(0.8, false))))
        .collect();
    let (_, cap) = run(&mut m, 0, &front);
    let (n, side, ..) = cap.unwrap();
    assert_eq!(side, CardSide::Front);
    let pause_end = FRAME * n as u32 + cfg.flip_pause;
    // During the pause the machine is not scanning: the front is not taken twice.
    assert_eq!(
        m.advance_clock(FRAME * (n + 1) as u32),
        Phase::FlipPause { until: pause_end }
    );
    assert_eq!(m.idle_feedback(), FeedbackCode::FlipToBack);
    assert_eq!(m.expected_side(), CardSide::Back);
    let start = n + 1 + (cfg.flip_pause.as_micros() / FRAME.as_micros()) as usize + 1;
    // The front shown again is refused with "flip to the back".
    let (codes, cap) = run(
        &mut m,
        start,
        &[seen(0.0, CardSide::Front, Some(quality(0.8, false)))],
    );
    assert!(cap.is_none());
    assert_eq!(codes, vec![FeedbackCode::FlipToBack]);
    let back: Vec<_> = (0..12)
        .map(|_| seen(0.0, CardSide::Back, Some(quality(0.8, false))))
        .collect();
    let (_, cap) = run(&mut m, start + 1, &back);
    assert_eq!(cap.unwrap().1, CardSide::Back);
    assert_eq!(m.phase(), Phase::Done);
    assert_eq!(m.idle_feedback(), FeedbackCode::Done);
}

#[test]
fn back_can_be_skipped() {
    let mut m = Machine::new(CaptureConfig {
        scan_back: false,
        ..CaptureConfig::default()
    });
    let front: Vec<_> = (0..12)
        .map(|_| seen(0.0, CardSide::Front, Some(quality(0.8, false))))
        .collect();
    assert!(run(&mut m, 0, &front).1.is_some());
    assert_eq!(m.phase(), Phase::Done);
}

#[test]
fn timeouts_offer_the_manual_shutter_then_the_handoff() {
    let cfg = CaptureConfig {
        attempt_timeout: Duration::from_secs(2),
        ..CaptureConfig::default()
    };
    let mut m = Machine::new(cfg);
    let frames: Vec<_> = (0..200).map(|_| no_card()).collect();
    let (codes, cap) = run(&mut m, 0, &frames);
    assert!(cap.is_none());
    // 2 s at 33.333 ms per frame: frame 60 is 1999.98 ms in, so the first
    // timeout falls on frame 61; the next attempt starts there and ends on 122.
    assert_eq!(codes[60], FeedbackCode::NoCard);
    assert_eq!(codes[61], FeedbackCode::ManualShutter);
    assert_eq!(codes[62], FeedbackCode::NoCard);
    assert_eq!(codes[121], FeedbackCode::NoCard);
    assert_eq!(codes[122], FeedbackCode::ScanFailed);
    assert!(m.manual_available());
    assert!(m.handoff_suggested());
    // Attempts keep timing out while the user carries on (frame 183 is the third).
    assert_eq!(m.failed_attempts(), 3);
}

#[test]
fn manual_shutter_captures_the_next_frame_even_without_a_card() {
    let mut m = Machine::new(CaptureConfig {
        scan_back: false,
        ..CaptureConfig::default()
    });
    run(&mut m, 0, &[no_card(), no_card()]);
    m.request_manual();
    let (codes, cap) = run(&mut m, 2, &[no_card()]);
    assert_eq!(codes, vec![FeedbackCode::Captured]);
    assert_eq!(cap.unwrap().2, CaptureType::Manual);
}

#[test]
fn two_rejected_uploads_suggest_the_handoff_and_restart_from_the_front() {
    let mut m = Machine::<usize>::new(CaptureConfig::default());
    m.report_failure();
    assert!(!m.handoff_suggested());
    assert_eq!(m.expected_side(), CardSide::Front);
    m.report_failure();
    assert!(m.handoff_suggested());
    m.reset();
    assert!(!m.handoff_suggested());
}
