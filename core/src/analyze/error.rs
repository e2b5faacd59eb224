//! The error of the scanning pipeline (analysis, capture, rectification):
//! one enum wrapping the typed errors of each stage.

use crate::detect::DetectError;
use crate::frame::FrameError;
use crate::rectify::RectifyError;

/// Why a frame could not be analysed or a card not produced.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum ScanError {
    /// The camera buffer is malformed.
    #[error("invalid frame: {0}")]
    Frame(#[from] FrameError),
    /// The detector could not run.
    #[error("detection failed: {0}")]
    Detect(#[from] DetectError),
    /// The card could not be rectified or encoded.
    #[error("{0}")]
    Rectify(#[from] RectifyError),
    /// A configuration value is out of range.
    #[error("invalid scanner configuration: {0}")]
    Config(String),
}
