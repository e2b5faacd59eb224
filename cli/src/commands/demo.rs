//! `cardscan demo`: the whole API flow on this machine. Starts an in-process
//! sandbox, uploads a bundled sample card (front and back, made by
//! `cardscan-synth`), waits with a spinner and prints what was read.

use super::api::{print_card, print_json, spinner};
use crate::global::GlobalArgs;
use cardscan_core::api::Client;
use cardscan_sandbox::{Sandbox, SandboxConfig};
use cardscan_synth::{sample::card_jpeg, Side};
use std::time::Duration;

#[derive(clap::Subcommand, Debug)]
pub enum DemoCommand {
    /// Run the full API flow against an in-process sandbox.
    Demo(DemoArgs),
}

#[derive(clap::Args, Debug)]
pub struct DemoArgs {
    /// Seed of the sample card images.
    #[arg(long, default_value_t = 1)]
    seed: u64,
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
    let card = client.wait_for_card(&card_id, Duration::from_secs(60)).await;
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

pub async fn run(cmd: DemoCommand, global: &GlobalArgs) -> anyhow::Result<()> {
    let DemoCommand::Demo(args) = cmd;
    let (sandbox, client) = local_sandbox().await?;
    if !global.json {
        eprintln!("sandbox running at {}", sandbox.base_url());
    }
    let front = card_jpeg(Side::Front, args.seed);
    let back = card_jpeg(Side::Back, args.seed);
    let result = upload_and_show(&client, front, Some(back), global.json).await;
    sandbox.shutdown().await;
    result
}
