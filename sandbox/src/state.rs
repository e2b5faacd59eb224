//! Shared state of a running sandbox: configuration, the in-memory store,
//! the WebSocket hub, counters and faults.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};

use uuid::Uuid;

use crate::config::SandboxConfig;
use crate::faults::FaultControl;
use crate::model::{Card, Eligibility, MagicLink, Scan};
use crate::signing::Signer;
use crate::stats::Counters;
use crate::ws::Hub;

/// Everything in memory. Guarded by one mutex that is never held across an
/// `.await`, so handlers stay simple and consistent.
#[derive(Debug, Default)]
pub struct Store {
    pub cards: HashMap<Uuid, Card>,
    pub scans: HashMap<Uuid, Scan>,
    pub eligibility: HashMap<Uuid, Eligibility>,
    pub magic_links: HashMap<String, MagicLink>,
    seq: u64,
}

impl Store {
    /// A strictly increasing number that orders records for pagination.
    pub fn next_seq(&mut self) -> u64 {
        self.seq += 1;
        self.seq
    }
}

/// The state every handler receives.
#[derive(Debug)]
pub struct AppState {
    pub config: SandboxConfig,
    pub addr: SocketAddr,
    pub signer: Signer,
    pub faults: FaultControl,
    pub counters: Counters,
    pub hub: Hub,
    store: Mutex<Store>,
}

/// Handle passed to handlers and background tasks.
pub type App = Arc<AppState>;

impl AppState {
    pub fn new(config: SandboxConfig, addr: SocketAddr, faults: FaultControl) -> App {
        let signer = Signer::new(config.signing_secret.clone());
        Arc::new(AppState {
            config,
            addr,
            signer,
            faults,
            counters: Counters::default(),
            hub: Hub::default(),
            store: Mutex::new(Store::default()),
        })
    }

    /// Locks the store. A panic elsewhere cannot leave it half-written in a
    /// way that matters for a test server, so poisoning is ignored.
    pub fn store(&self) -> MutexGuard<'_, Store> {
        self.store.lock().unwrap_or_else(|p| p.into_inner())
    }
}
