//! Test media for the Kotlin suite, made by the project itself: a front and
//! a back card JPEG (cardscan-synth samples) and a short y4m "camera" video
//! of the front card held over a table — a few frames moving into place,
//! then steady, as a hand settles — for the scanner to capture from.

use std::fs;
use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result};
use cardscan_core::frame::OwnedFrame;
use cardscan_synth::{sample, Side};
use image::imageops::{self, FilterType};
use image::{Rgb, RgbImage};

const SEED: u64 = 7;
const FRAME_W: u32 = 1280;
const FRAME_H: u32 = 720;
const FPS: u32 = 30;
/// 0.4 s settling in, then 1.6 s steady: enough for a 300 ms steady window.
const MOVING_FRAMES: u32 = 12;
const STEADY_FRAMES: u32 = 48;

/// Writes `front.jpg`, `back.jpg` and `stream.y4m` into `dir`.
pub fn write_test_media(dir: &Path) -> Result<()> {
    fs::create_dir_all(dir)?;
    fs::write(dir.join("front.jpg"), sample::card_jpeg(Side::Front, SEED))?;
    fs::write(dir.join("back.jpg"), sample::card_jpeg(Side::Back, SEED))?;
    write_stream(&dir.join("stream.y4m")).context("writing the test video")
}

fn write_stream(path: &Path) -> Result<()> {
    let card = sample::card_rgb(Side::Front, SEED);
    let card_w = FRAME_W * 55 / 100;
    let card_h = card_w * card.height() / card.width();
    let card = imageops::resize(&card, card_w, card_h, FilterType::Triangle);
    let mut out = fs::File::create(path)?;
    writeln!(
        out,
        "YUV4MPEG2 W{FRAME_W} H{FRAME_H} F{FPS}:1 Ip A1:1 C420jpeg"
    )?;
    for i in 0..MOVING_FRAMES + STEADY_FRAMES {
        // Slides in from the right and settles at the centre.
        let offset = MOVING_FRAMES.saturating_sub(i) as i64 * 12;
        let x = (FRAME_W - card_w) as i64 / 2 + offset;
        let y = (FRAME_H - card_h) as i64 / 2;
        let mut frame = table(i);
        imageops::overlay(&mut frame, &card, x, y);
        let yuv = OwnedFrame::i420_from_rgb(&frame).map_err(|e| anyhow::anyhow!("{e}"))?;
        out.write_all(b"FRAME\n")?;
        out.write_all(yuv.data())?;
    }
    Ok(())
}

/// A dark, slightly textured table top with a little sensor noise per frame.
fn table(frame: u32) -> RgbImage {
    RgbImage::from_fn(FRAME_W, FRAME_H, |x, y| {
        let grain = ((x / 7 + y / 3) % 5) as u8 * 3;
        let noise = (hash(x, y, frame) % 5) as u8;
        Rgb([52 + grain + noise, 40 + grain + noise, 33 + grain + noise])
    })
}

fn hash(x: u32, y: u32, f: u32) -> u32 {
    let mut h =
        x.wrapping_mul(0x9E37_79B1) ^ y.wrapping_mul(0x85EB_CA77) ^ f.wrapping_mul(0xC2B2_AE3D);
    h ^= h >> 15;
    h.wrapping_mul(0x2C1B_3C6D) >> 16
}
