//! cardscan-sandbox: an in-memory CardScan API server (HTTP + WebSocket) with
//! fault injection, started in-process by tests or by `cardscan sandbox`.
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! use cardscan_sandbox::{Sandbox, SandboxConfig};
//! let sandbox = Sandbox::start(SandboxConfig::fast()).await?;
//! println!("{} {} {}", sandbox.base_url(), sandbox.ws_url(), sandbox.api_key());
//! sandbox.faults().fail_next("POST /v1/cards", 2, 503);
//! sandbox.shutdown().await;
//! # Ok(()) }
//! ```

mod auth;
pub mod cardio;
mod clock;
mod config;
mod dummy;
mod error;
mod extract;
mod faults;
mod images;
mod jwt;
mod lifecycle;
mod model;
mod origin;
mod pagination;
mod render;
mod routes;
mod s3;
mod server;
mod signing;
mod state;
mod stats;
mod ws;

use std::net::SocketAddr;

pub use config::{SandboxConfig, DEFAULT_API_KEY};
pub use faults::{FaultControl, FaultKind, FaultRule, FaultSpecError, FaultTrigger};
pub use images::{MIN_LONG_SIDE, MIN_SHORT_SIDE};
pub use stats::Stats;

use state::{App, AppState};

/// A running sandbox. Dropping it without [`Sandbox::shutdown`] stops the
/// server as well (the accept loop ends with its shutdown channel).
pub struct Sandbox {
    addr: SocketAddr,
    api_key: String,
    app: App,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    server: tokio::task::JoinHandle<()>,
}

impl std::fmt::Debug for Sandbox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sandbox")
            .field("addr", &self.addr)
            .finish_non_exhaustive()
    }
}

impl Sandbox {
    /// Starts on 127.0.0.1 with an ephemeral port.
    pub async fn start(config: SandboxConfig) -> std::io::Result<Sandbox> {
        Sandbox::bind(SocketAddr::from(([127, 0, 0, 1], 0)), config).await
    }

    /// Starts on `addr` (port 0 picks a free port).
    pub async fn bind(addr: SocketAddr, config: SandboxConfig) -> std::io::Result<Sandbox> {
        let listener = tokio::net::TcpListener::bind(addr).await?;
        let addr = listener.local_addr()?;
        let api_key = config
            .api_keys
            .first()
            .cloned()
            .unwrap_or_else(|| DEFAULT_API_KEY.to_string());
        let faults = FaultControl::new(config.faults.clone());
        let app = AppState::new(config, addr, faults.clone());
        let router = routes::app(app.clone());
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let server = tokio::spawn(server::serve(listener, router, faults, rx));
        tracing::info!(%addr, "cardscan sandbox listening");
        Ok(Sandbox {
            addr,
            api_key,
            app,
            shutdown: Some(tx),
            server,
        })
    }

    /// The bound address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT`: the root of the admin, S3 and CardioExplorer routes.
    pub fn root_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// REST base, e.g. `http://127.0.0.1:PORT/v1`.
    pub fn base_url(&self) -> String {
        format!("http://{}/v1", self.addr)
    }

    /// WebSocket URL, e.g. `ws://127.0.0.1:PORT/ws`.
    pub fn ws_url(&self) -> String {
        format!("ws://{}/ws", self.addr)
    }

    /// The first configured API key (the default test key unless configured).
    pub fn api_key(&self) -> &str {
        &self.api_key
    }

    /// The configuration it runs with.
    pub fn config(&self) -> &SandboxConfig {
        &self.app.config
    }

    /// Live fault injection (a clonable handle).
    pub fn faults(&self) -> FaultControl {
        self.app.faults.clone()
    }

    /// A snapshot of the counters.
    pub fn stats(&self) -> Stats {
        self.app
            .counters
            .snapshot(self.app.faults.injected(), self.app.hub.open_sockets())
    }

    /// Stops accepting, closes open connections and WebSockets, and waits
    /// for the accept loop to end.
    pub async fn shutdown(mut self) {
        self.app.faults.drop_websockets_now();
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        let _ = (&mut self.server).await;
    }
}
