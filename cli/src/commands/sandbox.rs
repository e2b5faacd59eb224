//! `cardscan sandbox`: runs the local CardScan sandbox until Ctrl-C.

use std::net::SocketAddr;
use std::time::Duration;

use anyhow::Context;
use cardscan_sandbox::{FaultRule, Sandbox, SandboxConfig, DEFAULT_API_KEY};

use crate::global::GlobalArgs;

#[derive(clap::Subcommand, Debug)]
pub enum SandboxCommand {
    /// Run a local, in-memory CardScan API (HTTP + WebSocket) until Ctrl-C.
    ///
    /// Accepts the default test key unless keys are given (`--api-key` or
    /// `--key`, repeatable). Faults: `--fault ROUTE:KIND:VALUE`, e.g.
    /// `/v1/cards:503:0.2` (20 % of requests), `POST /v1/cards:drop:2` (next
    /// two), `*:latency:300`, `*:429:always`, `/ws:ws_drop:1`.
    Sandbox(SandboxArgs),
}

#[derive(clap::Args, Debug)]
pub struct SandboxArgs {
    /// Address to listen on (port 0 picks a free one).
    #[arg(long, default_value = "127.0.0.1:8787")]
    addr: SocketAddr,
    /// An API key to accept (repeatable); `--api-key` adds one too.
    #[arg(long = "key", value_name = "KEY")]
    keys: Vec<String>,
    /// Time a card spends in each processing state.
    #[arg(long, value_name = "MS")]
    state_delay_ms: Option<u64>,
    /// Time between `completed` and `enriched`.
    #[arg(long, value_name = "MS")]
    enrich_delay_ms: Option<u64>,
    /// Time an eligibility request stays `processing`.
    #[arg(long, value_name = "MS")]
    eligibility_delay_ms: Option<u64>,
    /// Lifetime of session tokens.
    #[arg(long, value_name = "SECS")]
    token_ttl_secs: Option<u64>,
    /// Lifetime of magic links.
    #[arg(long, value_name = "SECS")]
    magic_link_ttl_secs: Option<u64>,
    /// Fault rule ROUTE:KIND:VALUE (repeatable). KIND: latency (VALUE ms),
    /// a status such as 503 or 429, drop, drop_after, ws_drop, expire_tokens;
    /// VALUE: always, a count N (next N requests) or a share such as 0.25.
    #[arg(long = "fault", value_name = "ROUTE:KIND:VALUE")]
    faults: Vec<FaultRule>,
}

pub async fn run(cmd: SandboxCommand, global: &GlobalArgs) -> anyhow::Result<()> {
    match cmd {
        SandboxCommand::Sandbox(args) => serve(args, global).await,
    }
}

fn config(args: &SandboxArgs, global: &GlobalArgs) -> SandboxConfig {
    let mut config = SandboxConfig::default();
    let keys: Vec<String> = global.api_key.iter().chain(&args.keys).cloned().collect();
    if !keys.is_empty() {
        config.api_keys = keys;
    }
    let ms = Duration::from_millis;
    let secs = Duration::from_secs;
    if let Some(v) = args.state_delay_ms {
        config.state_delay = ms(v);
    }
    if let Some(v) = args.enrich_delay_ms {
        config.enrich_delay = ms(v);
    }
    if let Some(v) = args.eligibility_delay_ms {
        config.eligibility_delay = ms(v);
    }
    if let Some(v) = args.token_ttl_secs {
        config.token_ttl = secs(v);
    }
    if let Some(v) = args.magic_link_ttl_secs {
        config.magic_link_ttl = secs(v);
    }
    config.faults = args.faults.clone();
    config
}

/// Keys are shown only when they are the public default test key.
fn shown_key(key: &str) -> String {
    if key == DEFAULT_API_KEY {
        key.to_string()
    } else {
        format!("<the key you gave, {} characters>", key.chars().count())
    }
}

async fn serve(args: SandboxArgs, global: &GlobalArgs) -> anyhow::Result<()> {
    let config = config(&args, global);
    let sandbox = Sandbox::bind(args.addr, config)
        .await
        .with_context(|| format!("cannot listen on {}", args.addr))?;
    print_banner(&sandbox, global.json);
    tokio::signal::ctrl_c()
        .await
        .context("cannot wait for Ctrl-C")?;
    eprintln!("stopping the sandbox");
    sandbox.shutdown().await;
    Ok(())
}

fn print_banner(sandbox: &Sandbox, json: bool) {
    let keys: Vec<String> = sandbox
        .config()
        .api_keys
        .iter()
        .map(|k| shown_key(k))
        .collect();
    if json {
        let banner = serde_json::json!({
            "base_url": sandbox.base_url(),
            "ws_url": sandbox.ws_url(),
            "admin_url": format!("{}/_admin", sandbox.root_url()),
            "api_keys": keys,
        });
        println!("{banner}");
        return;
    }
    println!("CardScan sandbox listening (Ctrl-C to stop)");
    println!("  base URL   {}", sandbox.base_url());
    println!("  WebSocket  {}", sandbox.ws_url());
    println!("  admin      {}/_admin (faults, stats)", sandbox.root_url());
    for key in keys {
        println!("  API key    {key}");
    }
    if !sandbox.config().faults.is_empty() {
        println!("  faults     {}", sandbox.config().faults.len());
    }
    println!(
        "  try: cardscan --base-url {} --api-key <key> ...",
        sandbox.base_url()
    );
}
