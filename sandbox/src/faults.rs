//! Fault injection: rules per route that add latency, answer 5xx / 429,
//! drop the connection, expire tokens or drop WebSockets.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde::{Deserialize, Serialize};

/// What a matching request suffers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum FaultKind {
    /// Wait this long before handling the request.
    Latency { ms: u64 },
    /// Answer with this 5xx status and `{"message"}`.
    Status { status: u16 },
    /// Answer 429 with `Retry-After: secs`.
    RateLimit { retry_after_secs: u64 },
    /// Close the TCP connection without any response.
    Drop,
    /// Abnormally close WebSockets (on connect, or those already open).
    WsDrop,
}

/// How often a rule fires.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FaultTrigger {
    /// Every matching request.
    Always,
    /// The next N matching requests, then the rule is spent.
    Next(u32),
    /// A random share (0..=1) of matching requests.
    Share(f64),
}

/// One fault: which route, what, how often.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FaultRule {
    /// `*`, an exact path (`/v1/cards`), a prefix ending in `*`
    /// (`/v1/cards/*`), or a pattern with `{param}` segments
    /// (`/v1/cards/{card_id}/upload`). Optionally prefixed by a method
    /// (`POST /v1/cards`).
    pub route: String,
    #[serde(flatten)]
    pub kind: FaultKind,
    pub trigger: FaultTrigger,
}

/// Clonable handle to the live fault rules of a running sandbox.
#[derive(Clone, Debug, Default)]
pub struct FaultControl {
    inner: Arc<Mutex<FaultState>>,
}

#[derive(Debug, Default)]
struct FaultState {
    rules: Vec<FaultRule>,
}

impl FaultControl {
    pub(crate) fn new(rules: Vec<FaultRule>) -> Self {
        FaultControl {
            inner: Arc::new(Mutex::new(FaultState { rules })),
        }
    }

    /// Adds a rule.
    pub fn add(&self, rule: FaultRule) {
        if let Ok(mut s) = self.inner.lock() {
            s.rules.push(rule);
        }
    }

    /// Removes every rule.
    pub fn clear(&self) {
        if let Ok(mut s) = self.inner.lock() {
            s.rules.clear();
        }
    }

    /// The rules still active.
    pub fn rules(&self) -> Vec<FaultRule> {
        self.inner
            .lock()
            .map(|s| s.rules.clone())
            .unwrap_or_default()
    }

    /// Makes every token issued so far expired (they then get 401).
    pub fn expire_tokens_now(&self) {}

    /// Abnormally closes every open WebSocket now.
    pub fn drop_websockets_now(&self) {}

    /// Shorthand: the next `n` requests on `route` answer `status`.
    pub fn fail_next(&self, route: &str, n: u32, status: u16) {
        self.add(FaultRule {
            route: route.to_string(),
            kind: FaultKind::Status { status },
            trigger: FaultTrigger::Next(n),
        });
    }

    /// Shorthand: the next `n` requests on `route` answer 429 with `Retry-After`.
    pub fn rate_limit_next(&self, route: &str, n: u32, retry_after: Duration) {
        self.add(FaultRule {
            route: route.to_string(),
            kind: FaultKind::RateLimit {
                retry_after_secs: retry_after.as_secs(),
            },
            trigger: FaultTrigger::Next(n),
        });
    }

    /// Shorthand: the next `n` requests on `route` lose their connection.
    pub fn drop_next(&self, route: &str, n: u32) {
        self.add(FaultRule {
            route: route.to_string(),
            kind: FaultKind::Drop,
            trigger: FaultTrigger::Next(n),
        });
    }

    /// Shorthand: every request on `route` waits `delay` first.
    pub fn add_latency(&self, route: &str, delay: Duration) {
        self.add(FaultRule {
            route: route.to_string(),
            kind: FaultKind::Latency {
                ms: delay.as_millis() as u64,
            },
            trigger: FaultTrigger::Always,
        });
    }
}
