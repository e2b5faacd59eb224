//! cardscan-ffi: the UniFFI layer, everything Swift and Kotlin see of
//! cardscan-core.
//!
//! The core knows nothing of UniFFI; this crate converts its types to small
//! public records/enums/objects, maps its errors to one [`CardScanError`],
//! runs async work on one SDK-owned tokio runtime ([`runtime`]) and keeps
//! panics from crossing the boundary ([`guard`]). One module per concept.

uniffi::setup_scaffolding!();

mod cardio;
mod client;
mod config;
mod error;
mod events;
mod guard;
mod handoff;
mod runtime;
mod scanner;
mod token;
mod types;

pub use client::CardScanClient;
pub use config::{ClientConfig, Credentials, Environment};
pub use error::CardScanError;
pub use events::{CardEvent, CardEventListener, CardSubscription, EventKind};
pub use handoff::{Handoff, HandoffLink};
pub use scanner::{
    CameraFrame, CaptureType, CapturedCard, CardScanner, CardSide, DetectedCard, DetectorKind,
    FeedbackCode, FrameAnalysisResult, FramePlane, PixelFormat, Point, QualityScores, ScanUpdate,
    ScannerConfig,
};
pub use token::TokenProvider;
pub use types::*;

/// The SDK version (the cardscan-ffi crate version), for support reports.
#[uniffi::export]
pub fn sdk_version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}
