//! `cardscan synth …`: synthetic scenes with ground truth (for eval and
//! training), flat sample cards, and the sample handheld video.

use crate::global::GlobalArgs;
use anyhow::Context;
use cardscan_synth::{sample, sample_stream, split_scene, Difficulty, SceneConfig, Side, Split};
use std::path::{Path, PathBuf};

#[derive(clap::Subcommand, Debug)]
pub enum SynthCommand {
    /// Synthetic test media: scenes with ground truth, sample cards, sample video.
    Synth {
        #[command(subcommand)]
        command: SynthSub,
    },
}

#[derive(clap::Subcommand, Debug)]
pub enum SynthSub {
    /// Write NNNNNN.jpg + NNNNNN.json (ground truth) scene pairs.
    Scenes {
        #[arg(long)]
        out: PathBuf,
        #[arg(long, default_value_t = 100)]
        count: u64,
        /// train, eval or test (disjoint seed ranges; never tune on eval).
        #[arg(long, default_value = "train")]
        split: Split,
        /// Index of the first scene within the split.
        #[arg(long, default_value_t = 0)]
        start: u64,
        #[arg(long, default_value_t = 1280)]
        width: u32,
        #[arg(long, default_value_t = 720)]
        height: u32,
        /// Harder conditions: small and steep cards, any rotation, more occlusion.
        #[arg(long)]
        hard: bool,
        /// Draw each frame size from common landscape and portrait camera sizes.
        #[arg(long)]
        vary_frame: bool,
        /// Only scenes with a card.
        #[arg(long)]
        no_empty: bool,
        /// JPEG quality of the written files (scenes already carry their own
        /// random JPEG artefacts).
        #[arg(long, default_value_t = 95)]
        quality: u8,
    },
    /// Write one flat, upright 300 DPI card (front or back) as JPEG.
    Card {
        #[arg(long, default_value = "front")]
        side: SideArg,
        #[arg(long)]
        out: PathBuf,
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
    /// Write the sample handheld video (empty table, card in, steady, flip, back).
    Video {
        #[arg(long)]
        out: PathBuf,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Also write the per-frame ground truth as JSON lines here.
        #[arg(long)]
        truth: Option<PathBuf>,
    },
}

#[derive(clap::ValueEnum, Clone, Copy, Debug)]
pub enum SideArg {
    Front,
    Back,
}

pub async fn run(cmd: SynthCommand, global: &GlobalArgs) -> anyhow::Result<()> {
    let SynthCommand::Synth { command } = cmd;
    let json = global.json;
    tokio::task::spawn_blocking(move || match command {
        SynthSub::Scenes {
            out,
            count,
            split,
            start,
            width,
            height,
            hard,
            vary_frame,
            no_empty,
            quality,
        } => {
            let cfg = SceneConfig {
                width,
                height,
                allow_no_card: !no_empty,
                difficulty: if hard {
                    Difficulty::Hard
                } else {
                    Difficulty::Normal
                },
                vary_frame,
                ..SceneConfig::default()
            };
            write_scenes(&out, split, start, count, &cfg, quality, json)
        }
        SynthSub::Card { side, out, seed } => {
            let side = match side {
                SideArg::Front => Side::Front,
                SideArg::Back => Side::Back,
            };
            write_file(&out, &sample::card_jpeg(side, seed))
        }
        SynthSub::Video { out, seed, truth } => {
            let stream = sample_stream(seed);
            write_file(&out, &stream.to_y4m())?;
            if let Some(path) = truth {
                let lines: Vec<String> = stream
                    .truth
                    .iter()
                    .map(serde_json::to_string)
                    .collect::<Result<_, _>>()?;
                write_file(&path, (lines.join("\n") + "\n").as_bytes())?;
            }
            if !json {
                eprintln!(
                    "wrote {} frames at {} fps to {}",
                    stream.frames.len(),
                    stream.fps,
                    out.display()
                );
            }
            Ok(())
        }
    })
    .await
    .context("synth worker failed")?
}

fn write_file(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    }
    std::fs::write(path, bytes).with_context(|| format!("cannot write {}", path.display()))
}

/// Generates scenes on every core; files are named by index within the split.
fn write_scenes(
    out: &Path,
    split: Split,
    start: u64,
    count: u64,
    cfg: &SceneConfig,
    quality: u8,
    json: bool,
) -> anyhow::Result<()> {
    std::fs::create_dir_all(out).with_context(|| format!("cannot create {}", out.display()))?;
    let bar = if json {
        indicatif::ProgressBar::hidden()
    } else {
        indicatif::ProgressBar::new(count)
    };
    bar.set_style(
        indicatif::ProgressStyle::with_template(
            "{bar:40} {pos}/{len} scenes  {per_sec}  eta {eta}",
        )
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get()) as u64;
    let next = std::sync::atomic::AtomicU64::new(0);
    std::thread::scope(|s| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                s.spawn(|| -> anyhow::Result<()> {
                    loop {
                        let k = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        if k >= count {
                            return Ok(());
                        }
                        let index = start + k;
                        let scene = split_scene(split, index, cfg);
                        let name = format!("{index:06}");
                        write_file(
                            &out.join(format!("{name}.jpg")),
                            &sample::encode_jpeg(&scene.image, quality),
                        )?;
                        write_file(
                            &out.join(format!("{name}.json")),
                            &serde_json::to_vec(&scene.truth)?,
                        )?;
                        bar.inc(1);
                    }
                })
            })
            .collect();
        handles.into_iter().try_for_each(|h| {
            h.join()
                .map_err(|_| anyhow::anyhow!("a scene worker panicked"))?
        })
    })?;
    bar.finish_and_clear();
    if json {
        println!(
            "{}",
            serde_json::json!({"out": out, "split": split, "start": start, "count": count})
        );
    } else {
        eprintln!(
            "wrote {count} scenes ({split:?} {start}..{}) to {}",
            start + count,
            out.display()
        );
    }
    Ok(())
}
