//! Counters that tests read to check what reached the server (e.g. that a
//! retried upload did not create a second card).

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

use serde::Serialize;

/// A snapshot of the sandbox's counters.
#[derive(Clone, Debug, Default, Serialize, PartialEq)]
pub struct Stats {
    /// Requests that reached a handler, per route, keyed `"METHOD /v1/pattern"`
    /// (e.g. `"POST /v1/cards/{card_id}/upload"`). Requests answered by an
    /// injected fault before the handler are not counted here.
    pub requests: BTreeMap<String, u64>,
    /// Cards created (by `POST /cards` and the legacy `GET /generate-upload-url`).
    pub cards_created: u64,
    /// Images received (direct uploads and presigned POSTs, re-posts included).
    pub uploads: u64,
    /// Eligibility requests created.
    pub eligibility_created: u64,
    /// Session tokens issued (access tokens and validated magic links).
    pub tokens_issued: u64,
    /// Requests that at least one fault rule hit.
    pub faults_injected: u64,
    /// WebSocket connections accepted.
    pub ws_connections: u64,
    /// WebSockets open now.
    pub ws_open: u64,
}

impl Stats {
    /// Requests seen for `key` (`"POST /v1/cards"`), 0 when none.
    pub fn requests_for(&self, key: &str) -> u64 {
        self.requests.get(key).copied().unwrap_or(0)
    }
}

/// The live counters behind [`Stats`].
#[derive(Debug, Default)]
pub(crate) struct Counters {
    requests: Mutex<BTreeMap<String, u64>>,
    pub cards_created: AtomicU64,
    pub uploads: AtomicU64,
    pub eligibility_created: AtomicU64,
    pub tokens_issued: AtomicU64,
    pub ws_connections: AtomicU64,
}

impl Counters {
    pub fn count_request(&self, key: String) {
        let mut map = self.requests.lock().unwrap_or_else(|p| p.into_inner());
        *map.entry(key).or_insert(0) += 1;
    }

    pub fn bump(counter: &AtomicU64) {
        counter.fetch_add(1, Ordering::Relaxed);
    }

    pub fn snapshot(&self, faults_injected: u64, ws_open: usize) -> Stats {
        let load = |c: &AtomicU64| c.load(Ordering::Relaxed);
        Stats {
            requests: self
                .requests
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .clone(),
            cards_created: load(&self.cards_created),
            uploads: load(&self.uploads),
            eligibility_created: load(&self.eligibility_created),
            tokens_issued: load(&self.tokens_issued),
            faults_injected,
            ws_connections: load(&self.ws_connections),
            ws_open: ws_open as u64,
        }
    }
}
