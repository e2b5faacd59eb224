//! Detection errors: bad frames and detectors that cannot run.

use crate::frame::FrameError;

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum DetectError {
    /// The frame could not be read (bad buffer, conversion failure).
    #[error("frame: {0}")]
    Frame(#[from] FrameError),
    /// The requested detector is not available in this build.
    #[error("detector unavailable: {0}")]
    Unavailable(&'static str),
    /// The detector's model failed to load or run.
    #[error("detector model: {0}")]
    Model(String),
    /// A detector name that is neither "classical" nor "learned".
    #[error("unknown detector {0:?} (expected \"classical\" or \"learned\")")]
    UnknownDetector(String),
}
