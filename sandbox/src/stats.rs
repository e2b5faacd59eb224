//! Counters that tests read to check what reached the server (e.g. that a
//! retried upload did not create a second card).

use std::collections::BTreeMap;

use serde::Serialize;

/// A snapshot of the sandbox's counters.
#[derive(Clone, Debug, Default, Serialize, PartialEq)]
pub struct Stats {
    /// Requests seen per route pattern, keyed `"METHOD /v1/pattern"`.
    pub requests: BTreeMap<String, u64>,
    /// Cards created (by `POST /cards` or the legacy upload URL).
    pub cards_created: u64,
    /// Images accepted (direct upload and presigned POST).
    pub uploads: u64,
    /// Eligibility requests created.
    pub eligibility_created: u64,
    /// Session tokens issued (access tokens and magic-link tokens).
    pub tokens_issued: u64,
    /// Faults injected (any kind).
    pub faults_injected: u64,
    /// WebSocket connections accepted.
    pub ws_connections: u64,
}

impl Stats {
    /// Requests seen for `key` (`"POST /v1/cards"`), 0 when none.
    pub fn requests_for(&self, key: &str) -> u64 {
        self.requests.get(key).copied().unwrap_or(0)
    }
}
