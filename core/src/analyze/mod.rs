//! Per-frame analysis: detection, then quality of the detected card, then the
//! one instruction for the user. Used by the CLI's `analyze`, by the capture
//! state machine (every frame) and by the FFI's `analyzeImage` (a still).

mod error;
mod feedback;

pub use error::ScanError;
pub use feedback::FeedbackCode;

use serde::Serialize;

use crate::detect::{Detection, Detector, Quad};
use crate::frame::Frame;
use crate::quality::{self, QualityConfig, QualityReport};

/// Settings of the per-frame analysis.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AnalyzeConfig {
    /// Quality thresholds.
    pub quality: QualityConfig,
    /// Detections below this confidence count as "no card".
    pub min_confidence: f32,
}

impl Default for AnalyzeConfig {
    fn default() -> Self {
        AnalyzeConfig {
            quality: QualityConfig::default(),
            min_confidence: 0.5,
        }
    }
}

/// What one frame shows.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct FrameAnalysis {
    /// Upright frame size (the coordinate space of the corners).
    pub frame_size: (u32, u32),
    /// The card, when one was found with enough confidence.
    pub detection: Option<Detection>,
    /// Quality of that card.
    pub quality: Option<QualityReport>,
    /// The instruction for the user, judged on this frame alone.
    pub feedback: FeedbackCode,
}

/// Corners of a quad as plain arrays, clockwise from the card's top-left.
pub fn corners_of(quad: &Quad) -> [[f32; 2]; 4] {
    quad.corners.map(|p| [p.x, p.y])
}

/// Detects the card in `frame` and judges it.
pub fn analyze(
    frame: &Frame<'_>,
    detector: &dyn Detector,
    cfg: &AnalyzeConfig,
) -> Result<FrameAnalysis, ScanError> {
    let frame_size = frame.upright_size();
    let detection = detector
        .detect(frame)?
        .filter(|d| d.confidence >= cfg.min_confidence);
    let quality = match &detection {
        Some(d) => assess_or_none(frame, d, &cfg.quality),
        None => None,
    };
    // A quad the quality view cannot map (degenerate) is no usable card.
    let detection = detection.filter(|_| quality.is_some());
    Ok(FrameAnalysis {
        frame_size,
        detection,
        quality,
        feedback: feedback_for(quality.as_ref()),
    })
}

/// Quality of a detected card in a frame; `Err` only for a quad that cannot
/// be mapped (non-finite or degenerate corners).
pub fn assess(
    frame: &Frame<'_>,
    detection: &Detection,
    cfg: &QualityConfig,
) -> Result<QualityReport, ScanError> {
    let corners = corners_of(&detection.quad);
    let view = quality::card_view(frame, &corners, cfg)?;
    Ok(quality::assess_view(
        &view,
        &corners,
        frame.upright_size(),
        cfg,
    ))
}

fn assess_or_none(frame: &Frame<'_>, d: &Detection, cfg: &QualityConfig) -> Option<QualityReport> {
    match assess(frame, d, cfg) {
        Ok(q) => Some(q),
        Err(e) => {
            tracing::debug!(error = %e, "detected quad cannot be judged");
            None
        }
    }
}

/// The most important problem first: framing, then distance and angle, then
/// light, then sharpness. `Scanning` when everything passes.
pub fn feedback_for(quality: Option<&QualityReport>) -> FeedbackCode {
    let Some(q) = quality else {
        return FeedbackCode::NoCard;
    };
    let p = &q.placement;
    if p.out_of_frame {
        FeedbackCode::OutOfFrame
    } else if p.too_far {
        FeedbackCode::MoveCloser
    } else if p.tilted {
        FeedbackCode::Tilt
    } else if q.exposure.too_dark {
        FeedbackCode::TooDark
    } else if q.exposure.too_bright {
        FeedbackCode::TooBright
    } else if q.glare.glare {
        FeedbackCode::ReduceGlare
    } else if q.blur.motion {
        FeedbackCode::HoldStill
    } else if q.blur.blurry {
        FeedbackCode::Blurry
    } else {
        FeedbackCode::Scanning
    }
}
