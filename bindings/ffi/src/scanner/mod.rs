//! `CardScanner`: camera frames in, one `ScanUpdate` out per frame, the
//! captured card(s) as JPEG; `analyzeImage` for a still photo.
//!
//! Calls are synchronous (call `process` from the camera's analysis thread,
//! not the main thread) and guarded: a panic in scanning code becomes
//! `CardScanError.Internal` and the session starts over.

mod frame;
mod still;
mod update;

use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use cardscan_core::analyze::{self, AnalyzeConfig, ScanError};
use cardscan_core::capture::{CaptureConfig, CaptureSession};
use cardscan_core::detect::{self as core_detect, Detector};
use cardscan_core::frame::Frame;
use cardscan_core::rectify::RectifyConfig;

pub use frame::{CameraFrame, FramePlane, PixelFormat};
pub use update::{
    CaptureType, CapturedCard, CardSide, DetectedCard, FeedbackCode, FrameAnalysisResult, Point,
    QualityScores, ScanUpdate,
};

use crate::error::{CardScanError, Result};
use crate::guard::guard;

/// Which card detector to run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, uniffi::Enum)]
pub enum DetectorKind {
    /// Edges, lines and the ID-1 shape prior: no model, fast.
    Classical,
    /// The embedded neural detector.
    Learned,
}

/// How the scanner captures.
#[derive(Clone, Debug, PartialEq, uniffi::Record)]
pub struct ScannerConfig {
    /// Scan the back after the front.
    #[uniffi(default = true)]
    pub scan_back: bool,
    /// None: the SDK's default detector (learned).
    #[uniffi(default = None)]
    pub detector: Option<DetectorKind>,
    /// JPEG quality of the captured card, 1–100.
    #[uniffi(default = 90)]
    pub jpeg_quality: u8,
    /// Also return the whole frame of each capture as JPEG.
    #[uniffi(default = false)]
    pub include_raw_frame: bool,
    /// How long the card must stay steady and sharp before auto-capture.
    #[uniffi(default = 300)]
    pub steady_ms: u32,
    /// Time without a capture before the manual shutter is offered.
    #[uniffi(default = 15000)]
    pub attempt_timeout_ms: u32,
}

impl ScannerConfig {
    fn to_core(&self) -> CaptureConfig {
        let defaults = CaptureConfig::default();
        CaptureConfig {
            scan_back: self.scan_back,
            rectify: RectifyConfig {
                jpeg_quality: self.jpeg_quality,
                ..defaults.rectify
            },
            include_raw_frame: self.include_raw_frame,
            steady_duration: Duration::from_millis(self.steady_ms.into()),
            attempt_timeout: Duration::from_millis(self.attempt_timeout_ms.into()),
            ..defaults
        }
    }

    fn detector(&self) -> Result<Box<dyn Detector>> {
        let kind = match self.detector.unwrap_or(DetectorKind::Learned) {
            DetectorKind::Classical => core_detect::DetectorKind::Classical,
            DetectorKind::Learned => core_detect::DetectorKind::Learned,
        };
        core_detect::new_detector(kind).map_err(|e| scan_error(ScanError::Detect(e)))
    }
}

/// The core's scanning error as the app sees it.
fn scan_error(e: ScanError) -> CardScanError {
    match e {
        ScanError::Frame(e) => CardScanError::InvalidFrame {
            reason: e.to_string(),
        },
        ScanError::Config(reason) => CardScanError::InvalidInput {
            field: "scannerConfig".into(),
            reason,
        },
        other => CardScanError::internal(other.to_string()),
    }
}

/// A front-then-back scanning session over a live camera stream.
#[derive(uniffi::Object)]
pub struct CardScanner {
    config: ScannerConfig,
    session: Mutex<CaptureSession>,
    /// Detector for stills, separate so `analyzeImage` never disturbs the session.
    still_detector: Box<dyn Detector>,
}

impl std::fmt::Debug for CardScanner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CardScanner")
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

impl CardScanner {
    /// The session; after a panic mid-frame (poisoned lock) it starts over
    /// rather than continuing from a half-updated state.
    fn session(&self) -> MutexGuard<'_, CaptureSession> {
        self.session.lock().unwrap_or_else(|poisoned| {
            let mut s = poisoned.into_inner();
            s.reset();
            self.session.clear_poison();
            s
        })
    }
}

#[uniffi::export]
impl CardScanner {
    /// A scanner; fails for an out-of-range configuration.
    #[uniffi::constructor]
    pub fn new(config: ScannerConfig) -> Result<Arc<Self>> {
        guard(|| {
            let session =
                CaptureSession::new(config.detector()?, config.to_core()).map_err(scan_error)?;
            Ok(Arc::new(CardScanner {
                still_detector: config.detector()?,
                config,
                session: Mutex::new(session),
            }))
        })
    }

    /// Analyses one camera frame and advances the session.
    pub fn process(&self, frame: CameraFrame) -> Result<ScanUpdate> {
        guard(|| {
            let view = frame.view()?;
            let update = self.session().process(&view).map_err(scan_error)?;
            Ok(update.into())
        })
    }

    /// The user pressed the shutter: the next frame is captured as it is.
    pub fn capture_now(&self) -> Result<()> {
        guard(|| {
            self.session().capture_now();
            Ok(())
        })
    }

    /// Starts over from the front, forgetting captures and failed attempts.
    pub fn reset(&self) -> Result<()> {
        guard(|| {
            self.session().reset();
            Ok(())
        })
    }

    /// The service rejected the captured card (e.g. `CardFailed`): counts a
    /// failed attempt and starts over; after two, updates suggest the handoff.
    pub fn report_upload_rejected(&self) -> Result<()> {
        guard(|| {
            self.session().report_upload_rejected();
            Ok(())
        })
    }

    /// Detection and quality of a still photo (JPEG or PNG bytes).
    pub fn analyze_image(&self, image: Vec<u8>) -> Result<FrameAnalysisResult> {
        guard(|| {
            let rgba = still::decode_rgba(&image)?;
            let (w, h) = rgba.dimensions();
            let stride = (w as usize).saturating_mul(4);
            let frame = Frame::rgba8888(w, h, rgba.as_raw(), stride).map_err(|e| {
                CardScanError::InvalidImage {
                    reason: e.to_string(),
                }
            })?;
            let analysis = analyze::analyze(
                &frame,
                self.still_detector.as_ref(),
                &AnalyzeConfig::default(),
            )
            .map_err(scan_error)?;
            Ok((&analysis).into())
        })
    }
}
