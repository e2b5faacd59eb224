//! `cardscan demo`: the whole product on this machine. Scans a bundled sample
//! camera stream (made by `cardscan-synth`) with the capture state machine,
//! showing the user's feedback as it changes, then starts an in-process
//! sandbox, uploads the captured front and back, waits with a spinner and
//! prints what was read.

use super::api::{print_card, print_json, spinner};
use super::scan::{scan_stream, stream_frames};
use crate::global::GlobalArgs;
use cardscan_core::api::Client;
use cardscan_core::capture::{CaptureConfig, CaptureSession, CapturedCard};
use cardscan_core::detect::{new_detector, CardSide, DetectorKind};
use cardscan_sandbox::{Sandbox, SandboxConfig};
use cardscan_synth::{sample::card_jpeg, sample_stream, Side};
use std::time::Duration;

#[derive(clap::Subcommand, Debug)]
pub enum DemoCommand {
    /// Run the full API flow against an in-process sandbox.
    Demo(DemoArgs),
}

#[derive(clap::Args, Debug)]
pub struct DemoArgs {
    /// Seed of the sample stream (and of the fallback card images).
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Card detector used while scanning.
    #[arg(long, default_value = "learned")]
    detector: DetectorKind,
    /// Skip the scan and upload the flat sample card images directly.
    #[arg(long)]
    no_scan: bool,
}

/// Upload `front` (and `back`), wait for the result and print it. Shared with
/// the scanning demo, which calls it with the images it captured.
pub async fn upload_and_show(
    client: &Client,
    front: Vec<u8>,
    back: Option<Vec<u8>>,
    json: bool,
) -> anyhow::Result<()> {
    let bar = spinner("uploading the card");
    let card_id = match client.upload_card_image(front, back).await {
        Ok(id) => id,
        Err(e) => {
            bar.finish_and_clear();
            return Err(e.into());
        }
    };
    bar.set_message(format!("waiting for card {card_id}"));
    let card = client
        .wait_for_card(&card_id, Duration::from_secs(60))
        .await;
    bar.finish_and_clear();
    let card = card?;
    if json {
        return print_json(&card);
    }
    print_card(&card);
    Ok(())
}

/// Start a local sandbox and a client on it.
pub async fn local_sandbox() -> anyhow::Result<(Sandbox, Client)> {
    let sandbox = Sandbox::start(SandboxConfig::default()).await?;
    let client = Client::with_api_key(&sandbox.base_url(), &sandbox.ws_url(), sandbox.api_key())?;
    Ok((sandbox, client))
}

/// Scans the bundled sample stream like a live camera and returns the
/// captured front and back JPEGs. Feedback goes to stderr each time it changes.
fn scan_sample(args: &DemoArgs, quiet: bool) -> anyhow::Result<(Vec<u8>, Option<Vec<u8>>)> {
    let stream = sample_stream(args.seed);
    let detector = new_detector(args.detector).map_err(|e| anyhow::anyhow!("{e}"))?;
    let mut session = CaptureSession::new(detector, CaptureConfig::default())?;
    // Printed when the user-visible message changes (two feedback codes can
    // share one message) or a card is captured.
    let mut last: Option<String> = None;
    let cards = scan_stream(
        stream_frames(stream.frames, stream.fps),
        None,
        &mut session,
        |_, u| {
            let message = u.message();
            if quiet || (last.as_deref() == Some(message.as_str()) && u.captured.is_none()) {
                return;
            }
            eprintln!("  {:>5.2} s  {message}", u.timestamp.as_secs_f64());
            last = Some(message);
        },
    )?;
    let jpeg_of = |side: CardSide| -> Option<Vec<u8>> {
        cards
            .iter()
            .find(|c: &&CapturedCard| c.side == side)
            .map(|c| c.image.jpeg.clone())
    };
    let front = jpeg_of(CardSide::Front)
        .ok_or_else(|| anyhow::anyhow!("the sample stream ended before the front was captured"))?;
    Ok((front, jpeg_of(CardSide::Back)))
}

pub async fn run(cmd: DemoCommand, global: &GlobalArgs) -> anyhow::Result<()> {
    let DemoCommand::Demo(args) = cmd;
    let (front, back) = if args.no_scan {
        (
            card_jpeg(Side::Front, args.seed),
            Some(card_jpeg(Side::Back, args.seed)),
        )
    } else {
        if !global.json {
            eprintln!(
                "scanning the bundled sample stream ({:?} detector)",
                args.detector
            );
        }
        scan_sample(&args, global.json)?
    };
    let (sandbox, client) = local_sandbox().await?;
    if !global.json {
        eprintln!("sandbox running at {}", sandbox.base_url());
    }
    let result = upload_and_show(&client, front, back, global.json).await;
    sandbox.shutdown().await;
    result
}
