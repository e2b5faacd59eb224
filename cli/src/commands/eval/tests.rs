//! The evaluation itself on a small training split (real scenes, real detector).

use super::metrics::{card_match, starts_at_top_left};
use super::*;
use cardscan_core::detect::{Point, Quad};

fn square(x: f32, y: f32, s: f32) -> Quad {
    Quad::new([
        Point::new(x, y),
        Point::new(x + s, y),
        Point::new(x + s, y + s),
        Point::new(x, y + s),
    ])
}

#[test]
fn matching_rules_follow_the_issue() {
    let truth = square(0.0, 0.0, 100.0);
    assert!(card_match(&truth, &truth).correct);
    // A 2 px shift: IoU 0.96, correct.
    assert!(card_match(&square(2.0, 0.0, 100.0), &truth).correct);
    // A 20 px shift: IoU 0.67 and corner error 0.05: wrong.
    let m = card_match(&square(20.0, 0.0, 100.0), &truth);
    assert!(!m.correct && m.iou < 0.7);
    // Starting corner does not matter for the corner rule.
    assert!(card_match(&truth.rotated(2), &truth).corner_error < 1e-6);
}

#[test]
fn upright_means_starting_at_the_cards_top_left() {
    let truth = square(0.0, 0.0, 100.0);
    assert!(starts_at_top_left(&square(3.0, 1.0, 98.0), &truth));
    for k in 1..4 {
        assert!(!starts_at_top_left(&truth.rotated(k), &truth), "start {k}");
    }
}

#[test]
fn evaluation_runs_on_a_small_training_split() {
    let opts = EvalOptions {
        split: Split::Train,
        count: 6,
        detector: cardscan_core::detect::DetectorKind::Classical,
        hard: false,
        keep_outcomes: true,
        size: Some((640, 360)),
        focal: false,
        side_check: true,
        faint_lines: true,
        fallback: true,
        zoom: true,
        side_placement: true,
    };
    let mut seen = 0;
    let r = evaluate(&opts, |n| seen = n).unwrap();
    assert_eq!(seen, 6);
    assert_eq!(r.card_scenes + r.empty_scenes, 6);
    assert!((0.0..=1.0).contains(&r.mean_iou) && (0.0..=1.0).contains(&r.found_rate));
    assert!(r.summary().contains("mean IoU"));
    assert_eq!(r.outcomes.len(), 6);
    let correct = r
        .outcomes
        .iter()
        .filter(|o| o.correct == Some(true))
        .count();
    assert_eq!(correct as f32, r.found_rate * r.card_scenes as f32);
    // The scenes are the generator's own split, the ones `cardscan synth
    // scenes --split train` writes (an earlier eval had its own seed ranges).
    for (i, o) in r.outcomes.iter().enumerate() {
        assert_eq!(o.seed, Split::Train.seed(i as u64));
        assert_eq!(Split::of_seed(o.seed), Some(Split::Train));
    }
    // Reported corners are kept for drawing the misses.
    for o in &r.outcomes {
        assert_eq!(o.corners.is_some(), o.reported);
    }
}

#[test]
fn scene_sizes_are_parsed_and_bounded() {
    assert_eq!(super::parse_size("1920x1080"), Ok((1920, 1080)));
    assert!(super::parse_size("1920").is_err());
    assert!(super::parse_size("0x1080").is_err());
    assert!(super::parse_size("100000x10").is_err());
}

#[test]
fn the_learned_detector_can_be_scored_without_its_side_check_or_fallback() {
    let opts = EvalOptions {
        split: Split::Train,
        count: 2,
        detector: cardscan_core::detect::DetectorKind::Learned,
        hard: false,
        keep_outcomes: false,
        size: Some((640, 360)),
        focal: false,
        side_check: false,
        faint_lines: true,
        fallback: false,
        zoom: true,
        side_placement: true,
    };
    let r = evaluate(&opts, |_| {}).unwrap();
    // Faint lines, the zoomed look and side placement need the side
    // check: off with it.
    assert_eq!(
        (
            r.side_check,
            r.faint_lines,
            r.fallback,
            r.zoom,
            r.side_placement
        ),
        (false, false, false, false, false)
    );
    assert_eq!(r.detector, "learned");
    assert_eq!(r.card_scenes + r.empty_scenes, 2);
}
