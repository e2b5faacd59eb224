//! Fault injection: rules per route that add latency, answer 5xx / 429, drop
//! the connection, expire tokens or drop WebSockets. Rules come from
//! `SandboxConfig::faults`, CLI flags (`ROUTE:KIND:VALUE`), the admin endpoint
//! and the programmatic [`FaultControl`] handle; all share one rule list.

mod spec;

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use serde::{Deserialize, Serialize};

pub use spec::FaultSpecError;

/// What a matching request suffers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum FaultKind {
    /// Wait this long before handling the request (adds up across rules).
    Latency { ms: u64 },
    /// Answer with this status (normally 5xx) and a `{"message"}` body.
    Status { status: u16 },
    /// Answer 429 with `Retry-After: retry_after_secs`.
    RateLimit {
        #[serde(default = "one")]
        retry_after_secs: u64,
    },
    /// Close the TCP connection without any response; the request is not handled.
    Drop,
    /// Handle the request, then close the connection instead of answering
    /// (the client cannot know whether its request took effect).
    DropAfter,
    /// Accept the WebSocket, then close it abnormally (no close frame) when
    /// its first event is due. Only WebSocket upgrade requests consume it.
    WsDrop,
    /// Make every token issued so far expired before handling the request.
    ExpireTokens,
}

fn one() -> u64 {
    1
}

/// How often a rule fires.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FaultTrigger {
    /// Every matching request.
    #[default]
    Always,
    /// The next N matching requests, then the rule is spent (deterministic: for tests).
    Next(u32),
    /// A random share (0..=1) of matching requests (for manual play).
    Share(f64),
}

/// One fault: which route, what, how often.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FaultRule {
    /// `*`, an exact path (`/v1/cards`), a prefix ending in `*` (`/v1/cards/*`),
    /// or a pattern with `{param}` segments (`/v1/cards/{card_id}/upload`),
    /// optionally preceded by a method (`POST /v1/cards`). Patterns written
    /// without the `/v1` prefix also match the `/v1` routes.
    pub route: String,
    #[serde(flatten)]
    pub kind: FaultKind,
    #[serde(default)]
    pub trigger: FaultTrigger,
}

impl FaultRule {
    /// A rule on `route` of `kind`, firing as `trigger` says.
    pub fn new(route: impl Into<String>, kind: FaultKind, trigger: FaultTrigger) -> Self {
        FaultRule {
            route: route.into(),
            kind,
            trigger,
        }
    }

    fn matches(&self, method: &str, path: &str) -> bool {
        let (rule_method, pattern) = match self.route.trim().split_once(' ') {
            Some((m, p)) => (Some(m.trim()), p.trim()),
            None => (None, self.route.trim()),
        };
        if rule_method.is_some_and(|m| !m.eq_ignore_ascii_case(method)) {
            return false;
        }
        path_matches(pattern, path)
            || (!pattern.starts_with("/v1")
                && path
                    .strip_prefix("/v1")
                    .is_some_and(|p| path_matches(pattern, p)))
    }

    fn is_terminal(&self) -> bool {
        matches!(
            self.kind,
            FaultKind::Status { .. }
                | FaultKind::RateLimit { .. }
                | FaultKind::Drop
                | FaultKind::DropAfter
        )
    }
}

/// `*`, `prefix*`, or segment-wise equality where `{x}` matches any segment.
fn path_matches(pattern: &str, path: &str) -> bool {
    if pattern == "*" {
        return true;
    }
    if let Some(prefix) = pattern.strip_suffix('*') {
        return path.starts_with(prefix);
    }
    let pat: Vec<&str> = pattern.trim_end_matches('/').split('/').collect();
    let got: Vec<&str> = path.trim_end_matches('/').split('/').collect();
    pat.len() == got.len()
        && pat
            .iter()
            .zip(&got)
            .all(|(p, g)| (p.starts_with('{') && p.ends_with('}')) || p == g)
}

/// The response-level outcome of the rules that fired for one request.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum FaultAction {
    Status(u16),
    RateLimit(u64),
    Drop,
    DropAfter,
}

/// Everything the rules decided for one request.
#[derive(Clone, Debug, Default)]
pub(crate) struct Verdict {
    pub latency: Duration,
    pub action: Option<FaultAction>,
    pub ws_drop: bool,
    pub expire_tokens: bool,
}

impl Verdict {
    fn is_fault(&self) -> bool {
        !self.latency.is_zero() || self.action.is_some() || self.ws_drop || self.expire_tokens
    }
}

/// Clonable handle to the live fault rules (and the token / WebSocket kill
/// switches) of a running sandbox.
#[derive(Clone, Debug)]
pub struct FaultControl {
    inner: Arc<Shared>,
}

#[derive(Debug)]
struct Shared {
    rules: Mutex<Vec<FaultRule>>,
    /// Serial number of the last token issued.
    token_serial: AtomicU64,
    /// Tokens with a serial at or below this are expired.
    token_cutoff: AtomicU64,
    /// Bumped to close every open WebSocket abnormally.
    ws_generation: tokio::sync::watch::Sender<u64>,
    injected: AtomicU64,
}

impl Default for FaultControl {
    fn default() -> Self {
        FaultControl::new(Vec::new())
    }
}

impl FaultControl {
    pub(crate) fn new(rules: Vec<FaultRule>) -> Self {
        let (ws_generation, _) = tokio::sync::watch::channel(0);
        FaultControl {
            inner: Arc::new(Shared {
                rules: Mutex::new(rules),
                token_serial: AtomicU64::new(0),
                token_cutoff: AtomicU64::new(0),
                ws_generation,
                injected: AtomicU64::new(0),
            }),
        }
    }

    fn rules_lock(&self) -> MutexGuard<'_, Vec<FaultRule>> {
        // A panic while holding this lock cannot leave the list inconsistent.
        self.inner.rules.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Adds a rule.
    pub fn add(&self, rule: FaultRule) {
        self.rules_lock().push(rule);
    }

    /// Removes every rule.
    pub fn clear(&self) {
        self.rules_lock().clear();
    }

    /// The rules still active (spent "next N" rules are gone).
    pub fn rules(&self) -> Vec<FaultRule> {
        self.rules_lock().clone()
    }

    /// Makes every token issued so far expired: they get 401 from now on.
    pub fn expire_tokens_now(&self) {
        let last = self.inner.token_serial.load(Ordering::SeqCst);
        self.inner.token_cutoff.fetch_max(last, Ordering::SeqCst);
    }

    /// Abnormally closes (no close frame) every WebSocket open now.
    pub fn drop_websockets_now(&self) {
        self.inner.ws_generation.send_modify(|g| *g += 1);
    }

    /// Shorthand: the next `n` requests on `route` answer `status`.
    pub fn fail_next(&self, route: &str, n: u32, status: u16) {
        self.add(FaultRule::new(
            route,
            FaultKind::Status { status },
            FaultTrigger::Next(n),
        ));
    }

    /// Shorthand: the next `n` requests on `route` answer 429 with `Retry-After`.
    pub fn rate_limit_next(&self, route: &str, n: u32, retry_after: Duration) {
        let kind = FaultKind::RateLimit {
            retry_after_secs: retry_after.as_secs(),
        };
        self.add(FaultRule::new(route, kind, FaultTrigger::Next(n)));
    }

    /// Shorthand: the next `n` requests on `route` lose their connection
    /// before being handled.
    pub fn drop_next(&self, route: &str, n: u32) {
        self.add(FaultRule::new(
            route,
            FaultKind::Drop,
            FaultTrigger::Next(n),
        ));
    }

    /// Shorthand: the next `n` requests on `route` are handled, then lose
    /// their connection instead of receiving the response.
    pub fn drop_after_next(&self, route: &str, n: u32) {
        self.add(FaultRule::new(
            route,
            FaultKind::DropAfter,
            FaultTrigger::Next(n),
        ));
    }

    /// Shorthand: the next `n` WebSocket connections are dropped abnormally
    /// when their first event is due.
    pub fn drop_next_websockets(&self, n: u32) {
        self.add(FaultRule::new(
            "*",
            FaultKind::WsDrop,
            FaultTrigger::Next(n),
        ));
    }

    /// Shorthand: every request on `route` waits `delay` first.
    pub fn add_latency(&self, route: &str, delay: Duration) {
        let kind = FaultKind::Latency {
            ms: delay.as_millis().try_into().unwrap_or(u64::MAX),
        };
        self.add(FaultRule::new(route, kind, FaultTrigger::Always));
    }

    /// Faults injected so far (requests that at least one rule hit).
    pub fn injected(&self) -> u64 {
        self.inner.injected.load(Ordering::Relaxed)
    }

    pub(crate) fn next_token_serial(&self) -> u64 {
        self.inner.token_serial.fetch_add(1, Ordering::SeqCst) + 1
    }

    pub(crate) fn token_expired(&self, serial: u64) -> bool {
        serial <= self.inner.token_cutoff.load(Ordering::SeqCst)
    }

    pub(crate) fn ws_generation(&self) -> tokio::sync::watch::Receiver<u64> {
        self.inner.ws_generation.subscribe()
    }

    /// Applies the rules to one request, consuming "next N" counts of the
    /// rules that fire. Latency rules all apply; the first terminal rule that
    /// fires decides the response (later terminal rules are not consumed).
    pub(crate) fn evaluate(&self, method: &str, path: &str, is_websocket: bool) -> Verdict {
        let mut verdict = Verdict::default();
        let mut rules = self.rules_lock();
        for rule in rules.iter_mut() {
            if !rule.matches(method, path) || (rule.is_terminal() && verdict.action.is_some()) {
                continue;
            }
            if matches!(rule.kind, FaultKind::WsDrop) && (!is_websocket || verdict.ws_drop) {
                continue;
            }
            if !fires(&mut rule.trigger) {
                continue;
            }
            match rule.kind {
                FaultKind::Latency { ms } => verdict.latency += Duration::from_millis(ms),
                FaultKind::Status { status } => verdict.action = Some(FaultAction::Status(status)),
                FaultKind::RateLimit { retry_after_secs } => {
                    verdict.action = Some(FaultAction::RateLimit(retry_after_secs))
                }
                FaultKind::Drop => verdict.action = Some(FaultAction::Drop),
                FaultKind::DropAfter => verdict.action = Some(FaultAction::DropAfter),
                FaultKind::WsDrop => verdict.ws_drop = true,
                FaultKind::ExpireTokens => verdict.expire_tokens = true,
            }
        }
        rules.retain(|r| r.trigger != FaultTrigger::Next(0));
        drop(rules);
        if verdict.is_fault() {
            self.inner.injected.fetch_add(1, Ordering::Relaxed);
        }
        verdict
    }
}

/// Whether a trigger fires now; counts down "next N".
fn fires(trigger: &mut FaultTrigger) -> bool {
    match trigger {
        FaultTrigger::Always => true,
        FaultTrigger::Next(0) => false,
        FaultTrigger::Next(n) => {
            *n -= 1;
            true
        }
        FaultTrigger::Share(p) => rand::random::<f64>() < *p,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_match_methods_params_prefixes_and_missing_v1() {
        let rule = |r: &str| FaultRule::new(r, FaultKind::Drop, FaultTrigger::Always);
        assert!(rule("*").matches("GET", "/v1/cards"));
        assert!(rule("/v1/cards").matches("POST", "/v1/cards"));
        assert!(!rule("/v1/cards").matches("POST", "/v1/cards/x"));
        assert!(rule("POST /v1/cards").matches("POST", "/v1/cards"));
        assert!(!rule("POST /v1/cards").matches("GET", "/v1/cards"));
        assert!(rule("/v1/cards/{card_id}/upload").matches("POST", "/v1/cards/abc/upload"));
        assert!(!rule("/v1/cards/{card_id}/upload").matches("POST", "/v1/cards/abc/performance"));
        assert!(rule("/cards/*").matches("GET", "/v1/cards/abc"));
        assert!(rule("/cards").matches("GET", "/v1/cards"));
    }

    #[test]
    fn next_n_fires_exactly_n_times_then_disappears() {
        let faults = FaultControl::default();
        faults.fail_next("/v1/cards", 2, 503);
        let hits: Vec<_> = (0..4)
            .map(|_| faults.evaluate("GET", "/v1/cards", false).action)
            .collect();
        assert_eq!(
            hits,
            vec![
                Some(FaultAction::Status(503)),
                Some(FaultAction::Status(503)),
                None,
                None
            ]
        );
        assert!(faults.rules().is_empty());
        assert_eq!(faults.injected(), 2);
    }

    #[test]
    fn first_terminal_rule_wins_and_later_ones_are_not_consumed() {
        let faults = FaultControl::default();
        faults.fail_next("*", 1, 500);
        faults.drop_next("*", 1);
        faults.add_latency("*", Duration::from_millis(5));
        let first = faults.evaluate("GET", "/v1/cards", false);
        assert_eq!(first.action, Some(FaultAction::Status(500)));
        assert_eq!(first.latency, Duration::from_millis(5));
        assert_eq!(
            faults.evaluate("GET", "/v1/cards", false).action,
            Some(FaultAction::Drop)
        );
        assert_eq!(faults.evaluate("GET", "/v1/cards", false).action, None);
    }

    #[test]
    fn ws_drop_is_only_consumed_by_websocket_upgrades() {
        let faults = FaultControl::default();
        faults.drop_next_websockets(1);
        assert!(!faults.evaluate("GET", "/v1/cards", false).ws_drop);
        assert!(faults.evaluate("GET", "/ws", true).ws_drop);
        assert!(!faults.evaluate("GET", "/ws", true).ws_drop);
    }

    #[test]
    fn expire_now_expires_only_tokens_issued_so_far() {
        let faults = FaultControl::default();
        let old = faults.next_token_serial();
        faults.expire_tokens_now();
        let new = faults.next_token_serial();
        assert!(faults.token_expired(old));
        assert!(!faults.token_expired(new));
    }

    #[test]
    fn rules_round_trip_through_json() {
        let json = r#"{"route":"/v1/cards","kind":"status","status":503,"trigger":{"next":2}}"#;
        let rule: FaultRule = serde_json::from_str(json).unwrap();
        assert_eq!(
            rule,
            FaultRule::new(
                "/v1/cards",
                FaultKind::Status { status: 503 },
                FaultTrigger::Next(2)
            )
        );
        let rule: FaultRule = serde_json::from_str(r#"{"route":"*","kind":"rate_limit"}"#).unwrap();
        assert_eq!(
            rule.kind,
            FaultKind::RateLimit {
                retry_after_secs: 1
            }
        );
        assert_eq!(rule.trigger, FaultTrigger::Always);
    }
}
