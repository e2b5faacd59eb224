//! How to reach the API and how to authenticate.

use super::token::TokenProvider;
use super::transport::{RetryPolicy, Secret, Timeouts};
use std::sync::Arc;

/// Which CardScan deployment to talk to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Environment {
    /// `https://sandbox.cardscan.ai/v1`, `wss://sandbox-ws.cardscan.ai`.
    Sandbox,
    /// `https://api.cardscan.ai/v1`, `wss://ws.cardscan.ai`.
    Live,
    /// Any other deployment (e.g. the local sandbox).
    Custom {
        /// REST base, e.g. `http://127.0.0.1:8080/v1`.
        rest_base: String,
        /// WebSocket URL, e.g. `ws://127.0.0.1:8080/ws`.
        ws_url: String,
    },
}

impl Environment {
    /// REST base URL.
    pub fn rest_base(&self) -> &str {
        match self {
            Environment::Sandbox => "https://sandbox.cardscan.ai/v1",
            Environment::Live => "https://api.cardscan.ai/v1",
            Environment::Custom { rest_base, .. } => rest_base,
        }
    }

    /// WebSocket URL.
    pub fn ws_url(&self) -> &str {
        match self {
            Environment::Sandbox => "wss://sandbox-ws.cardscan.ai",
            Environment::Live => "wss://ws.cardscan.ai",
            Environment::Custom { ws_url, .. } => ws_url,
        }
    }

    /// Default base of web-to-mobile handoff links.
    pub fn capture_url_base(&self) -> &str {
        match self {
            Environment::Live => crate::handoff::LIVE_CAPTURE_URL,
            _ => crate::handoff::SANDBOX_CAPTURE_URL,
        }
    }
}

/// Credentials.
#[derive(Clone)]
pub enum Auth {
    /// A secret API key. **Server-side only: never ship it in an app.**
    ApiKey(Secret),
    /// A session token managed by the caller (no refresh possible).
    SessionToken(Secret),
    /// Session tokens from the host app, fetched lazily and refreshed.
    TokenProvider(Arc<dyn TokenProvider>),
}

impl std::fmt::Debug for Auth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Auth::ApiKey(_) => f.write_str("ApiKey(<redacted>)"),
            Auth::SessionToken(_) => f.write_str("SessionToken(<redacted>)"),
            Auth::TokenProvider(_) => f.write_str("TokenProvider(..)"),
        }
    }
}

/// Everything [`super::Client::new`] needs.
#[derive(Clone, Debug)]
pub struct ClientConfig {
    pub environment: Environment,
    pub auth: Auth,
    pub timeouts: Timeouts,
    pub retry: RetryPolicy,
}

impl ClientConfig {
    /// Defaults for timeouts and retries.
    pub fn new(environment: Environment, auth: Auth) -> Self {
        ClientConfig {
            environment,
            auth,
            timeouts: Timeouts::default(),
            retry: RetryPolicy::default(),
        }
    }
}
