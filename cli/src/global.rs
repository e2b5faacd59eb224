//! Options shared by every command (connection, credentials, output format)
//! and the one-line error exit.

use clap::Args;

#[derive(Args, Debug, Clone)]
pub struct GlobalArgs {
    /// Print machine-readable JSON instead of a readable summary.
    #[arg(long, global = true)]
    pub json: bool,
    /// REST base URL (e.g. http://127.0.0.1:8080/v1). Overrides --env.
    #[arg(long, global = true, env = "CARDSCAN_BASE_URL")]
    pub base_url: Option<String>,
    /// WebSocket URL (e.g. ws://127.0.0.1:8080/ws).
    #[arg(long, global = true, env = "CARDSCAN_WS_URL")]
    pub ws_url: Option<String>,
    /// Environment when no base URL is given: sandbox or live.
    #[arg(
        long = "env",
        global = true,
        env = "CARDSCAN_ENV",
        default_value = "sandbox"
    )]
    pub environment: String,
    /// API key (server-side only; never ship it in an app).
    #[arg(long, global = true, env = "CARDSCAN_API_KEY", hide_env_values = true)]
    pub api_key: Option<String>,
    /// A session token instead of an API key.
    #[arg(long, global = true, env = "CARDSCAN_TOKEN", hide_env_values = true)]
    pub token: Option<String>,
    /// Log verbosity (error, warn, info, debug, trace).
    #[arg(long, global = true, env = "CARDSCAN_LOG", default_value = "warn")]
    pub log: String,
}

/// Logs go to stderr so that `--json` output on stdout stays parseable.
pub fn init_tracing(args: &GlobalArgs) {
    let filter = tracing_subscriber::EnvFilter::try_new(&args.log)
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}

/// One line on stderr, non-zero exit.
pub fn fail(err: &anyhow::Error) -> std::process::ExitCode {
    eprintln!("error: {err:#}");
    std::process::ExitCode::FAILURE
}
