//! `cardscan eval`: detector and quality accuracy on generated scenes.
//!
//! Scenes come from `cardscan_synth` with seeds from a named split, so every
//! run of the same split sees the same pictures. Thresholds are tuned on
//! `train`/`test` only; `eval` is held out (see docs/scanning-detection.md).

mod conditions;
mod metrics;
mod run;
#[cfg(test)]
mod tests;

pub use run::{evaluate, EvalOptions, Split};

use cardscan_core::detect::DetectorKind;

use crate::global::GlobalArgs;

#[derive(clap::Subcommand, Debug)]
pub enum EvalCommand {
    /// Score a detector (and the quality checks) on generated scenes.
    Eval {
        /// Which seeded split of scenes: train, test or eval (held out).
        #[arg(long, default_value = "eval")]
        split: Split,
        /// Number of scenes.
        #[arg(long, default_value_t = 300)]
        count: u32,
        /// Detector to score.
        #[arg(long, default_value = "learned", value_parser = parse_detector)]
        detector: DetectorKind,
        /// Harder scenes (small, steep, dark, occluded; see cardscan-synth).
        #[arg(long)]
        hard: bool,
        /// Scene size in pixels, WIDTHxHEIGHT (default 1280x720; tuning used
        /// the default).
        #[arg(long, value_parser = parse_size)]
        size: Option<(u32, u32)>,
        /// Also print one JSON line per scene (outcome and ground truth)
        /// before the summary: for finding out what the misses have in common.
        #[arg(long)]
        scenes: bool,
        /// Give the detector each scene camera's focal length, as an app
        /// that passes the camera intrinsics does (cards partly out of frame
        /// then have their hidden side placed in perspective).
        #[arg(long)]
        focal: bool,
        /// Learned detector without its side check while snapping (to
        /// measure what the check does).
        #[arg(long)]
        no_side_check: bool,
        /// Learned detector without faint lines (lines averaged along a side
        /// with no Hough line the side check trusts).
        #[arg(long)]
        no_faint_lines: bool,
        /// Learned detector without its classical fallback on frames the
        /// network is unsure of (and without the classical detector's second
        /// opinion on outlines the side check doubts).
        #[arg(long)]
        no_fallback: bool,
        /// Learned detector without its zoomed look (the network again on a
        /// crop around its guess when nothing was found).
        #[arg(long)]
        no_zoom: bool,
        /// Learned detector without side placement (a side the side check
        /// rejects placed again from the other three by the ID-1 shape).
        #[arg(long)]
        no_side_placement: bool,
        /// Learned detector without the other readings of its corner
        /// heatmaps (a second peak nearly as strong as the first).
        #[arg(long)]
        no_other_peaks: bool,
        /// Learned detector without reading the focal length from the
        /// card's print (a side out of frame is then placed with an assumed
        /// focal length).
        #[arg(long)]
        no_print_focal: bool,
    },
}

fn parse_size(s: &str) -> Result<(u32, u32), String> {
    let err = || format!("expected WIDTHxHEIGHT (e.g. 1920x1080), got {s:?}");
    let (w, h) = s.split_once('x').ok_or_else(err)?;
    let (w, h): (u32, u32) = (w.parse().map_err(|_| err())?, h.parse().map_err(|_| err())?);
    if !(64..=4096).contains(&w) || !(64..=4096).contains(&h) {
        return Err(format!(
            "scene size must be 64–4096 pixels per side, got {s:?}"
        ));
    }
    Ok((w, h))
}

fn parse_detector(s: &str) -> Result<DetectorKind, String> {
    s.parse()
        .map_err(|e: cardscan_core::detect::DetectError| e.to_string())
}

pub async fn run(cmd: EvalCommand, global: &GlobalArgs) -> anyhow::Result<()> {
    match cmd {
        EvalCommand::Eval {
            split,
            count,
            detector,
            hard,
            size,
            scenes,
            focal,
            no_side_check,
            no_faint_lines,
            no_fallback,
            no_zoom,
            no_side_placement,
            no_other_peaks,
            no_print_focal,
        } => {
            let ablated = no_side_check
                || no_faint_lines
                || no_fallback
                || no_zoom
                || no_side_placement
                || no_other_peaks
                || no_print_focal;
            if ablated && detector != DetectorKind::Learned {
                anyhow::bail!(
                    "--no-side-check, --no-faint-lines, --no-fallback, --no-zoom, --no-side-placement, --no-other-peaks and --no-print-focal are for the learned detector"
                );
            }
            let opts = EvalOptions {
                split,
                count,
                detector,
                hard,
                keep_outcomes: scenes,
                size,
                focal,
                side_check: !no_side_check,
                faint_lines: !no_faint_lines,
                fallback: !no_fallback,
                zoom: !no_zoom,
                side_placement: !no_side_placement,
                other_peaks: !no_other_peaks,
                print_focal: !no_print_focal,
            };
            let bar = (!global.json).then(|| indicatif::ProgressBar::new(count as u64));
            let report = tokio::task::spawn_blocking(move || {
                evaluate(&opts, |_| {
                    if let Some(b) = &bar {
                        b.inc(1);
                    }
                })
            })
            .await??;
            for o in &report.outcomes {
                println!("{}", serde_json::to_string(o)?);
            }
            if global.json {
                println!("{}", serde_json::to_string(&report)?);
            } else {
                print!("{}", report.summary());
            }
            Ok(())
        }
    }
}
