//! Capture: the state machine that turns a stream of camera frames into
//! captured cards, with one instruction for the user per frame.
//!
//! Front, then (optionally) back. A side is captured automatically when the
//! card's corners stay steady (IoU ≥ 0.95 between consecutive frames) for
//! 300 ms while every quality check passes; the sharpest frame of that window
//! is the one rectified. After a timeout without a capture the manual shutter
//! is offered; after two failed attempts (timeouts or rejected uploads) the
//! web-to-mobile handoff should be offered. Time comes from frame timestamps
//! only, so a recorded stream replays identically.

mod config;
mod machine;
mod session;
mod snapshot;
mod steady;
mod update;

pub use crate::analyze::FeedbackCode;
pub use config::CaptureConfig;
pub use session::CaptureSession;
pub use update::{CaptureType, CapturedCard, ScanUpdate};

/// The name the platform APIs use for the session (`CardScanner`).
pub type Scanner = CaptureSession;

#[cfg(test)]
mod machine_tests;
