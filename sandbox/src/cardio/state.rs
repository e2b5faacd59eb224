//! In-memory state of the CardioExplorer sandbox: credentials, issued
//! tokens, drafts and results, plus counters tests read through the admin route.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use serde_json::Value;

use super::draft::Draft;
use super::{DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET};

/// How the CardioExplorer sandbox is set up.
#[derive(Clone)]
pub struct CardioConfig {
    pub client_id: String,
    pub client_secret: String,
    /// `expiresIn` of issued tokens (the real service: 3600 s).
    pub token_ttl: Duration,
    /// Lifetime of generated magic links.
    pub magic_link_ttl: Duration,
}

impl std::fmt::Debug for CardioConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CardioConfig")
            .field("client_id", &self.client_id)
            .field("client_secret", &"<redacted>")
            .field("token_ttl", &self.token_ttl)
            .field("magic_link_ttl", &self.magic_link_ttl)
            .finish()
    }
}

impl Default for CardioConfig {
    fn default() -> Self {
        CardioConfig {
            client_id: DEFAULT_CLIENT_ID.to_owned(),
            client_secret: DEFAULT_CLIENT_SECRET.to_owned(),
            token_ttl: Duration::from_secs(3600),
            magic_link_ttl: Duration::from_secs(3600),
        }
    }
}

/// An issued access token.
#[derive(Debug, Clone)]
pub struct Grant {
    pub expires: Instant,
    pub scopes: Vec<String>,
}

/// A drafted test and, once run, its report.
#[derive(Debug, Clone)]
pub struct TestRecord {
    pub draft: Draft,
    pub result: Option<Value>,
}

#[derive(Debug, Default)]
pub struct Inner {
    pub tokens: HashMap<String, Grant>,
    pub tests: HashMap<String, TestRecord>,
    pub authentications: u64,
    pub failed_authentications: u64,
    /// Requests refused with 401 for a missing, unknown or expired token.
    pub rejected_tokens: u64,
    pub magic_links: u64,
    pub runs: u64,
    /// Overrides `config.token_ttl` when set through the admin route.
    pub token_ttl: Option<Duration>,
    /// Set through the admin route: every token is refused with 401.
    pub reject_tokens: bool,
}

#[derive(Debug)]
pub struct CardioState {
    pub config: CardioConfig,
    pub inner: Mutex<Inner>,
}

impl CardioState {
    pub fn new(config: CardioConfig) -> Self {
        CardioState {
            config,
            inner: Mutex::new(Inner::default()),
        }
    }

    /// The state, even if a handler panicked while holding the lock (the
    /// maps stay consistent: every update is a single insert or counter bump).
    pub fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}
