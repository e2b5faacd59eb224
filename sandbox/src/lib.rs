//! cardscan-sandbox: an in-memory CardScan API server (HTTP + WebSocket) with
//! fault injection, started in-process by tests or by `cardscan sandbox`.

pub mod cardio;
mod config;
mod faults;
mod stats;

use std::net::SocketAddr;

pub use config::{SandboxConfig, DEFAULT_API_KEY};
pub use faults::{FaultControl, FaultKind, FaultRule, FaultTrigger};
pub use stats::Stats;

/// A running sandbox; dropping it without `shutdown` leaves the server task
/// running until the runtime ends.
pub struct Sandbox {
    addr: SocketAddr,
    api_key: String,
    faults: FaultControl,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    server: tokio::task::JoinHandle<()>,
}

impl Sandbox {
    /// Starts on 127.0.0.1 with an ephemeral port.
    pub async fn start(config: SandboxConfig) -> std::io::Result<Sandbox> {
        Sandbox::bind(SocketAddr::from(([127, 0, 0, 1], 0)), config).await
    }

    /// Starts on `addr`.
    pub async fn bind(addr: SocketAddr, config: SandboxConfig) -> std::io::Result<Sandbox> {
        let listener = tokio::net::TcpListener::bind(addr).await?;
        let addr = listener.local_addr()?;
        let api_key = config
            .api_keys
            .first()
            .cloned()
            .unwrap_or_else(|| DEFAULT_API_KEY.to_string());
        let faults = FaultControl::new(config.faults.clone());
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let app = axum::Router::new().merge(cardio::router());
        let server = tokio::spawn(async move {
            let _ = axum::serve(listener, app)
                .with_graceful_shutdown(async move {
                    let _ = rx.await;
                })
                .await;
        });
        Ok(Sandbox {
            addr,
            api_key,
            faults,
            shutdown: Some(tx),
            server,
        })
    }

    /// The bound address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// REST base, e.g. `http://127.0.0.1:PORT/v1`.
    pub fn base_url(&self) -> String {
        format!("http://{}/v1", self.addr)
    }

    /// WebSocket URL, e.g. `ws://127.0.0.1:PORT/ws`.
    pub fn ws_url(&self) -> String {
        format!("ws://{}/ws", self.addr)
    }

    /// The first configured API key.
    pub fn api_key(&self) -> &str {
        &self.api_key
    }

    /// Live fault injection.
    pub fn faults(&self) -> FaultControl {
        self.faults.clone()
    }

    /// A snapshot of the counters.
    pub fn stats(&self) -> Stats {
        Stats::default()
    }

    /// Stops accepting connections and waits for the server task to end.
    pub async fn shutdown(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        let _ = (&mut self.server).await;
    }
}
