//! `cardscan`: the command line over cardscan-core and the local sandbox.
//!
//! Each command group lives in its own module under `commands/` and exposes a
//! clap `Subcommand` enum plus an async `run`; this file only stitches them
//! together and turns errors into one line and a non-zero exit code.

mod commands;
mod global;

use clap::{Parser, Subcommand};

#[derive(Parser, Debug)]
#[command(
    name = "cardscan",
    version,
    about = "CardScan on-device scanning and API client"
)]
struct Cli {
    #[command(flatten)]
    global: global::GlobalArgs,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    #[command(flatten)]
    Sandbox(commands::sandbox::SandboxCommand),
    #[command(flatten)]
    Api(commands::api::ApiCommand),
    #[command(flatten)]
    Demo(commands::demo::DemoCommand),
    #[command(flatten)]
    Scan(commands::scan::ScanCommand),
    #[command(flatten)]
    Eval(commands::eval::EvalCommand),
    #[command(flatten)]
    Synth(commands::synth::SynthCommand),
    #[command(flatten)]
    Cardio(commands::cardio::CardioCommand),
}

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    global::init_tracing(&cli.global);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => return global::fail(&anyhow::anyhow!("cannot start the async runtime: {e}")),
    };
    let result = runtime.block_on(async {
        match cli.command {
            Command::Sandbox(c) => commands::sandbox::run(c, &cli.global).await,
            Command::Api(c) => commands::api::run(c, &cli.global).await,
            Command::Demo(c) => commands::demo::run(c, &cli.global).await,
            Command::Scan(c) => commands::scan::run(c, &cli.global).await,
            Command::Eval(c) => commands::eval::run(c, &cli.global).await,
            Command::Synth(c) => commands::synth::run(c, &cli.global).await,
            Command::Cardio(c) => commands::cardio::run(c, &cli.global).await,
        }
    });
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => global::fail(&e),
    }
}
