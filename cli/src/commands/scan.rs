//! `cardscan analyze` (per-image / per-frame analysis) and `cardscan scan`
//! (the capture state machine over a y4m stream), plus [`scan_stream`], which
//! `cardscan demo` uses to scan its bundled sample stream.

use std::fs::File;
use std::io::{BufReader, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{anyhow, Context};
use cardscan_core::analyze::{self, AnalyzeConfig, FrameAnalysis};
use cardscan_core::capture::{CaptureConfig, CaptureSession, CapturedCard, ScanUpdate};
use cardscan_core::detect::{new_detector, CardSide, DetectorKind};
use cardscan_core::frame::{focal_length_px, Frame, OwnedFrame};
use cardscan_core::still;
use cardscan_synth::y4m::{I420Frame, Y4mReader};
use serde_json::json;

use crate::global::GlobalArgs;

/// Largest image file read whole into memory (a phone JPEG is a few MB; an
/// 8192 × 8192 PNG of noise about 200 MB).
const MAX_FILE_BYTES: u64 = 256 * 1024 * 1024;

#[derive(clap::Subcommand, Debug)]
pub enum ScanCommand {
    /// Detect the card and judge its quality in JPEG/PNG images or .y4m videos
    /// (each frame on its own). With --json: one JSON object per line per image/frame.
    Analyze {
        /// Card detector to use.
        #[arg(long, default_value = "learned")]
        detector: DetectorKind,
        /// The camera's focal length in pixels of these images, if known:
        /// a card partly out of frame then has its hidden side placed in
        /// perspective (learned detector).
        #[arg(long, value_parser = parse_focal_px)]
        focal_px: Option<f32>,
        /// Images (.jpg, .jpeg, .png) or videos (.y4m, I420).
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Run the capture state machine over a .y4m video as if it were a live
    /// camera, showing feedback as it goes and writing front.jpg / back.jpg.
    Scan {
        /// The video (.y4m, I420); frame times come from its frame rate.
        video: PathBuf,
        /// Where to write the captured cards.
        #[arg(long, default_value = ".")]
        out: PathBuf,
        /// Card detector to use.
        #[arg(long, default_value = "learned")]
        detector: DetectorKind,
        /// The camera's focal length in pixels of the video's frames, if
        /// known (see `cardscan analyze --focal-px`).
        #[arg(long, value_parser = parse_focal_px)]
        focal_px: Option<f32>,
        /// Capture the front only.
        #[arg(long)]
        front_only: bool,
        /// JPEG quality of the captured cards (1–100).
        #[arg(long, default_value_t = 90)]
        jpeg_quality: u8,
    },
}

pub async fn run(cmd: ScanCommand, global: &GlobalArgs) -> anyhow::Result<()> {
    match cmd {
        ScanCommand::Analyze {
            detector,
            focal_px,
            files,
        } => analyze_files(&files, detector, focal_px, global.json),
        ScanCommand::Scan {
            video,
            out,
            detector,
            focal_px,
            front_only,
            jpeg_quality,
        } => {
            let mut cfg = CaptureConfig {
                scan_back: !front_only,
                ..CaptureConfig::default()
            };
            cfg.rectify.jpeg_quality = jpeg_quality;
            scan_video(&video, &out, detector, focal_px, cfg, global.json)
        }
    }
}

/// `--focal-px`: a number that passes the core's focal-length rule.
fn parse_focal_px(s: &str) -> Result<f32, String> {
    let pixels: f32 = s.parse().map_err(|_| format!("{s:?} is not a number"))?;
    focal_length_px(pixels).map_err(|e| e.to_string())
}

/// `frame` as the detector sees it, with the camera's focal length when known.
fn camera_view(frame: &OwnedFrame, focal_px: Option<f32>) -> anyhow::Result<Frame<'_>> {
    let view = frame.as_frame()?;
    Ok(match focal_px {
        Some(f) => view.with_focal_length(f)?,
        None => view,
    })
}

// ---------------------------------------------------------------- analyze

fn analyze_files(
    files: &[PathBuf],
    kind: DetectorKind,
    focal_px: Option<f32>,
    json: bool,
) -> anyhow::Result<()> {
    let detector = new_detector(kind).map_err(|e| anyhow!("{e}"))?;
    let cfg = AnalyzeConfig::default();
    cardscan_core::quality::preload(&cfg.quality);
    let mut errors = Vec::new();
    let mut out = std::io::stdout().lock();
    for file in files {
        let mut each = |index: usize, frame: &OwnedFrame| -> anyhow::Result<()> {
            let view = camera_view(frame, focal_px)?;
            let started = Instant::now();
            let a = analyze::analyze(&view, detector.as_ref(), &cfg)?;
            let ms = started.elapsed().as_secs_f64() * 1e3;
            let line = if json {
                analysis_json(file, index, &a, ms).to_string()
            } else {
                analysis_text(file, index, &a, ms)
            };
            writeln!(out, "{line}")?;
            Ok(())
        };
        if let Err(e) = for_each_frame(file, &mut each) {
            errors.push(format!("{}: {e:#}", file.display()));
        }
    }
    // One line per bad file; the last one is the command's error (non-zero exit).
    let last = errors.pop();
    for e in &errors {
        eprintln!("error: {e}");
    }
    last.map_or(Ok(()), |e| Err(anyhow!(e)))
}

/// Calls `each` for the image, or for every frame of a .y4m video.
fn for_each_frame(
    path: &Path,
    each: &mut dyn FnMut(usize, &OwnedFrame) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    if is_y4m(path) {
        let mut frames = Y4mFrames::open(path)?;
        let mut index = 0;
        while let Some(frame) = frames.next_frame()? {
            each(index, &frame)?;
            index += 1;
        }
        Ok(())
    } else {
        each(0, &decode_image(path)?)
    }
}

fn is_y4m(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("y4m"))
}

/// Decodes a JPEG/PNG with the core's dimension and memory limits (a
/// truncated JPEG is refused), as a camera-like I420 frame.
pub fn decode_image(path: &Path) -> anyhow::Result<OwnedFrame> {
    let size = std::fs::metadata(path)
        .context("cannot open the file")?
        .len();
    if size > MAX_FILE_BYTES {
        return Err(anyhow!(
            "the file is {size} bytes; images over {MAX_FILE_BYTES} bytes are not read"
        ));
    }
    let bytes = std::fs::read(path).context("cannot read the file")?;
    let image = still::decode(&bytes)?;
    Ok(OwnedFrame::i420_from_rgb(&image.to_rgb8())?)
}

fn side_str(side: CardSide) -> &'static str {
    match side {
        CardSide::Front => "front",
        CardSide::Back => "back",
        CardSide::Unknown => "unknown",
    }
}

/// The documented per-line JSON shape (plus a few extra keys).
fn analysis_json(
    file: &Path,
    index: usize,
    a: &FrameAnalysis,
    elapsed_ms: f64,
) -> serde_json::Value {
    let card = match &a.detection {
        Some(d) => json!({
            "found": true,
            "confidence": d.confidence,
            "corners": analyze::corners_of(&d.quad),
            "side": side_str(d.side),
        }),
        None => json!({"found": false, "confidence": 0.0, "corners": null, "side": "unknown"}),
    };
    let q = a.quality.as_ref();
    json!({
        "file": file.display().to_string(),
        "frame": index,
        "width": a.frame_size.0,
        "height": a.frame_size.1,
        "card": card,
        "blur": {
            "score": q.map_or(0.0, |q| q.blur.score),
            "blurry": q.is_some_and(|q| q.blur.blurry),
            "motion": q.is_some_and(|q| q.blur.motion),
        },
        "glare": {
            "fraction": q.map_or(0.0, |q| q.glare.fraction),
            "probability": q.and_then(|q| q.glare.probability),
            "glare": q.is_some_and(|q| q.glare.glare),
            "bbox": q.and_then(|q| q.glare.bbox),
        },
        "exposure": {
            "mean": q.map_or(0.0, |q| q.exposure.mean),
            "ok": q.is_some_and(|q| q.exposure.ok),
            "too_dark": q.is_some_and(|q| q.exposure.too_dark),
            "too_bright": q.is_some_and(|q| q.exposure.too_bright),
        },
        "placement": q.map(|q| q.placement),
        "feedback": a.feedback.as_str(),
        "message": a.feedback.message(),
        "elapsed_ms": elapsed_ms,
    })
}

fn analysis_text(file: &Path, index: usize, a: &FrameAnalysis, elapsed_ms: f64) -> String {
    let head = format!(
        "{} #{index} ({}x{})",
        file.display(),
        a.frame_size.0,
        a.frame_size.1
    );
    let (Some(d), Some(q)) = (&a.detection, &a.quality) else {
        return format!(
            "{head}: no card — {} [{elapsed_ms:.1} ms]",
            a.feedback.message()
        );
    };
    format!(
        "{head}: {} card (confidence {:.2}, {:.0} DPI) blur {:.2}{} glare {:.1}%{}{} exposure {:.2}{} — {} [{elapsed_ms:.1} ms]",
        side_str(d.side),
        d.confidence,
        q.placement.dpi,
        q.blur.score,
        if q.blur.blurry { " (blurry)" } else { "" },
        q.glare.fraction * 100.0,
        q.glare
            .probability
            .map_or(String::new(), |p| format!(" p {p:.2}")),
        if q.glare.glare { " (glare)" } else { "" },
        q.exposure.mean,
        if q.exposure.ok { "" } else { " (bad)" },
        a.feedback.message(),
    )
}

// ---------------------------------------------------------------- y4m

/// Frames of a .y4m file as owned I420 frames with timestamps from the frame rate.
struct Y4mFrames {
    reader: Y4mReader<BufReader<File>>,
    index: u32,
    frame_time: Duration,
}

impl Y4mFrames {
    fn open(path: &Path) -> anyhow::Result<Self> {
        let file = File::open(path).context("cannot open the file")?;
        let reader = Y4mReader::new(BufReader::new(file))?;
        let fps = reader.header().fps();
        let frame_time = if fps.is_finite() && fps > 0.0 {
            Duration::from_secs_f64(1.0 / fps)
        } else {
            Duration::from_millis(33)
        };
        Ok(Y4mFrames {
            reader,
            index: 0,
            frame_time,
        })
    }

    fn next_frame(&mut self) -> anyhow::Result<Option<OwnedFrame>> {
        let Some(f) = self.reader.next_frame()? else {
            return Ok(None);
        };
        let t = self.frame_time * self.index;
        self.index += 1;
        Ok(Some(owned_i420(f)?.with_timestamp(t)))
    }
}

impl Iterator for Y4mFrames {
    type Item = anyhow::Result<OwnedFrame>;
    fn next(&mut self) -> Option<Self::Item> {
        self.next_frame().transpose()
    }
}

/// A y4m frame as a camera-layout owned frame.
pub fn owned_i420(f: I420Frame) -> anyhow::Result<OwnedFrame> {
    let (w, h) = (f.width, f.height);
    let mut data = f.y;
    data.extend_from_slice(&f.u);
    data.extend_from_slice(&f.v);
    Ok(OwnedFrame::from_i420(w, h, data)?)
}

// ---------------------------------------------------------------- scan

fn scan_video(
    video: &Path,
    out: &Path,
    kind: DetectorKind,
    focal_px: Option<f32>,
    cfg: CaptureConfig,
    json: bool,
) -> anyhow::Result<()> {
    let detector = new_detector(kind).map_err(|e| anyhow!("{e}"))?;
    let mut session = CaptureSession::new(detector, cfg)?;
    let frames = Y4mFrames::open(video).with_context(|| format!("{}", video.display()))?;
    let mut last_feedback = None;
    let mut stdout = std::io::stdout().lock();
    let cards = scan_stream(frames, focal_px, &mut session, |i, u| {
        let line = if json {
            update_json(i, u).to_string()
        } else if last_feedback != Some(u.feedback) || u.captured.is_some() {
            format!("{:>6.2} s  {}", u.timestamp.as_secs_f64(), u.message())
        } else {
            return;
        };
        last_feedback = Some(u.feedback);
        let _ = writeln!(stdout, "{line}");
    })
    .with_context(|| format!("{}", video.display()))?;
    write_cards(&cards, out, json)?;
    if cards.is_empty() {
        return Err(anyhow!("no card was captured in {}", video.display()));
    }
    Ok(())
}

/// Feeds `frames` (with the camera's focal length in pixels, when known) to
/// `session` until it is done or the frames run out, calling `on_update`
/// with each frame's index and update; returns the captured cards (front
/// first). `cardscan demo` calls this with the bundled sample stream.
pub fn scan_stream<I>(
    frames: I,
    focal_px: Option<f32>,
    session: &mut CaptureSession,
    mut on_update: impl FnMut(usize, &ScanUpdate),
) -> anyhow::Result<Vec<CapturedCard>>
where
    I: IntoIterator<Item = anyhow::Result<OwnedFrame>>,
{
    for (i, frame) in frames.into_iter().enumerate() {
        let frame = frame?;
        let update = session.process(&camera_view(&frame, focal_px)?)?;
        on_update(i, &update);
        if update.done {
            break;
        }
    }
    Ok(session.captures().to_vec())
}

/// Frames of an in-memory sample stream with timestamps from its frame rate
/// (for `cardscan demo` and `synth::sample_stream`).
#[allow(dead_code)]
pub fn stream_frames(
    frames: Vec<I420Frame>,
    fps: u32,
) -> impl Iterator<Item = anyhow::Result<OwnedFrame>> {
    let frame_time = Duration::from_secs_f64(1.0 / fps.max(1) as f64);
    frames
        .into_iter()
        .enumerate()
        .map(move |(i, f)| Ok(owned_i420(f)?.with_timestamp(frame_time * i as u32)))
}

fn update_json(index: usize, u: &ScanUpdate) -> serde_json::Value {
    let det = u.analysis.as_ref().and_then(|a| a.detection);
    json!({
        "frame": index,
        "t_ms": u.timestamp.as_secs_f64() * 1e3,
        "feedback": u.feedback.as_str(),
        "message": u.message(),
        "expected_side": side_str(u.expected_side),
        "corners": det.map(|d| analyze::corners_of(&d.quad)),
        "steady_progress": u.steady_progress,
        "captured": u.captured.as_ref().map(|c| json!({"side": side_str(c.side), "capture_type": c.capture_type.as_str(), "bytes": c.image.jpeg.len()})),
        "manual_shutter_available": u.manual_shutter_available,
        "handoff_suggested": u.handoff_suggested,
        "done": u.done,
    })
}

fn write_cards(cards: &[CapturedCard], out: &Path, json: bool) -> anyhow::Result<()> {
    std::fs::create_dir_all(out).with_context(|| format!("cannot create {}", out.display()))?;
    for card in cards {
        let name = format!("{}.jpg", side_str(card.side));
        let path = out.join(&name);
        std::fs::write(&path, &card.image.jpeg)
            .with_context(|| format!("cannot write {}", path.display()))?;
        if !json {
            println!(
                "wrote {} ({}x{}, {} bytes, {})",
                path.display(),
                card.image.width,
                card.image.height,
                card.image.jpeg.len(),
                card.capture_type.as_str()
            );
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use cardscan_synth::{split_scene, SceneConfig, Split};

    /// The keys issue 3 documents for `cardscan analyze --json`, on a test
    /// scene with a card (test scene 12: a card with glare) and on a blank frame.
    #[test]
    fn analysis_json_has_the_documented_shape() {
        let detector = new_detector(DetectorKind::Learned).unwrap();
        let cfg = AnalyzeConfig::default();
        let scene = split_scene(Split::Test, 12, &SceneConfig::default());
        let owned = OwnedFrame::i420_from_rgb(&scene.image).unwrap();
        let a = analyze::analyze(&owned.as_frame().unwrap(), detector.as_ref(), &cfg).unwrap();
        let v = analysis_json(Path::new("scene.jpg"), 3, &a, 4.5);
        assert_eq!(v["file"], "scene.jpg");
        assert_eq!(v["frame"], 3);
        assert_eq!(
            (v["width"].as_u64(), v["height"].as_u64()),
            (Some(1280), Some(720))
        );
        assert_eq!(v["card"]["found"], true);
        assert!(v["card"]["confidence"].as_f64().unwrap() > 0.9);
        assert_eq!(v["card"]["corners"].as_array().unwrap().len(), 4);
        assert_eq!(v["card"]["side"], "back");
        assert!(v["blur"]["score"].is_number() && v["blur"]["blurry"].is_boolean());
        assert!(v["glare"]["fraction"].is_number());
        assert!(v["glare"]["probability"].as_f64().unwrap() > 0.5);
        assert_eq!(v["glare"]["glare"], true);
        assert!(v["exposure"]["mean"].is_number() && v["exposure"]["ok"].is_boolean());
        assert_eq!(v["feedback"], "reduce_glare");
        assert_eq!(v["elapsed_ms"], 4.5);

        let blank = OwnedFrame::i420_from_rgb(&image::RgbImage::from_pixel(
            640,
            360,
            image::Rgb([90, 80, 70]),
        ))
        .unwrap();
        let a = analyze::analyze(&blank.as_frame().unwrap(), detector.as_ref(), &cfg).unwrap();
        let v = analysis_json(Path::new("blank.png"), 0, &a, 1.0);
        assert_eq!(v["card"]["found"], false);
        assert!(v["card"]["corners"].is_null());
        assert_eq!(v["card"]["side"], "unknown");
        assert_eq!(v["feedback"], "no_card");
    }

    #[test]
    fn focal_px_must_be_a_positive_number_and_reaches_the_frame() {
        assert_eq!(parse_focal_px("1400"), Ok(1400.0));
        assert_eq!(parse_focal_px("812.5"), Ok(812.5));
        for bad in ["0", "-3", "NaN", "inf", "wide", ""] {
            assert!(parse_focal_px(bad).is_err(), "{bad:?} accepted");
        }
        let owned = OwnedFrame::i420_from_rgb(&image::RgbImage::new(64, 48)).unwrap();
        let view = camera_view(&owned, Some(1400.0)).unwrap();
        assert_eq!(view.focal_length(), Some(1400.0));
        assert_eq!(camera_view(&owned, None).unwrap().focal_length(), None);
    }

    /// `cardscan analyze` on a whole JPEG, the same JPEG cut short, and a
    /// file that is no image: a frame, then clear errors.
    #[test]
    fn image_files_decode_or_say_what_is_wrong() {
        let dir = std::env::temp_dir().join(format!("cardscan-decode-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let scene = split_scene(Split::Test, 3, &SceneConfig::default());
        let mut jpeg = Vec::new();
        scene
            .image
            .write_to(
                &mut std::io::Cursor::new(&mut jpeg),
                image::ImageFormat::Jpeg,
            )
            .unwrap();
        let write = |name: &str, bytes: &[u8]| {
            let path = dir.join(name);
            std::fs::write(&path, bytes).unwrap();
            path
        };
        let whole = decode_image(&write("whole.jpg", &jpeg)).unwrap();
        assert_eq!((whole.width(), whole.height()), (1280, 720));
        let cut = decode_image(&write("cut.jpg", &jpeg[..jpeg.len() / 2])).unwrap_err();
        assert!(cut.to_string().contains("truncated"), "{cut}");
        let text = decode_image(&write("notes.jpg", b"not a picture")).unwrap_err();
        assert!(text.to_string().contains("not a JPEG or PNG"), "{text}");
        assert!(decode_image(&dir.join("missing.jpg")).is_err());
        std::fs::remove_dir_all(&dir).ok();
    }

    /// A phone photo stores the sensor's rows and says in EXIF how to turn
    /// them: the card's corners come back where the photo is displayed.
    #[test]
    fn a_photo_with_exif_orientation_is_analysed_upright() {
        use image::codecs::jpeg::JpegEncoder;
        use image::ImageEncoder;
        let dir = std::env::temp_dir().join(format!("cardscan-exif-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let scene = split_scene(Split::Test, 4, &SceneConfig::default());
        // Stored a quarter turn anticlockwise; orientation 6 turns it back.
        let stored = image::imageops::rotate270(&scene.image);
        // Little-endian TIFF with one IFD entry: orientation (0x0112) = 6.
        let mut exif = b"II\x2a\0\x08\0\0\0\x01\0\x12\x01\x03\0\x01\0\0\0".to_vec();
        exif.extend_from_slice(&[6, 0, 0, 0, 0, 0, 0, 0]);
        let mut jpeg = Vec::new();
        let mut enc = JpegEncoder::new_with_quality(&mut jpeg, 92);
        enc.set_exif_metadata(exif).unwrap();
        let (w, h) = stored.dimensions();
        enc.write_image(stored.as_raw(), w, h, image::ExtendedColorType::Rgb8)
            .unwrap();
        let path = dir.join("portrait.jpg");
        std::fs::write(&path, &jpeg).unwrap();
        let frame = decode_image(&path).unwrap();
        std::fs::remove_dir_all(&dir).ok();
        assert_eq!((frame.width(), frame.height()), (1280, 720));
        let detector = new_detector(DetectorKind::Learned).unwrap();
        let a = analyze::analyze(
            &frame.as_frame().unwrap(),
            detector.as_ref(),
            &AnalyzeConfig::default(),
        )
        .unwrap();
        let found = a.detection.expect("the card is found").quad;
        let truth = scene.truth.card.expect("test scene 4 has a card").corners;
        for (p, t) in found.corners.iter().zip(truth) {
            let miss = ((p.x - t[0]).powi(2) + (p.y - t[1]).powi(2)).sqrt();
            assert!(miss < 12.0, "corner {p:?} is {miss:.1} px from {t:?}");
        }
    }
}
