//! `ClientConfig`: where the API is, how to authenticate, how long to wait.
//! Plain records/enums so Swift and Kotlin build them with literals; the
//! numeric fields have defaults.

use std::sync::Arc;
use std::time::Duration;

use cardscan_core::api;

use crate::error::{CardScanError, Result};
use crate::token::{ForeignTokenProvider, TokenProvider};

/// Which CardScan deployment to talk to.
#[derive(Clone, Debug, PartialEq, Eq, uniffi::Enum)]
pub enum Environment {
    /// CardScan's hosted sandbox.
    Sandbox,
    /// Production.
    Live,
    /// Any other deployment, e.g. a local sandbox:
    /// `base_url = "http://127.0.0.1:8080/v1"`, `ws_url = "ws://127.0.0.1:8080/ws"`.
    Custom { base_url: String, ws_url: String },
}

/// How the client authenticates.
#[derive(Clone, uniffi::Enum)]
pub enum Credentials {
    /// A secret API key. Server-side tools only: never ship it in an app.
    ApiKey { key: String },
    /// A session token you manage yourself (no refresh on expiry).
    SessionToken { token: String },
    /// Session tokens from your app, fetched lazily and refreshed on expiry
    /// and once on a 401. What apps should use.
    Provider { provider: Arc<dyn TokenProvider> },
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Credentials::ApiKey { .. } => "ApiKey(<redacted>)",
            Credentials::SessionToken { .. } => "SessionToken(<redacted>)",
            Credentials::Provider { .. } => "Provider(..)",
        })
    }
}

/// Everything `CardScanClient` needs.
#[derive(Clone, Debug, uniffi::Record)]
pub struct ClientConfig {
    pub environment: Environment,
    pub credentials: Credentials,
    /// TCP + TLS handshake limit.
    #[uniffi(default = 10000)]
    pub connect_timeout_ms: u64,
    /// Longest silence while waiting for an answer.
    #[uniffi(default = 30000)]
    pub read_timeout_ms: u64,
    /// One whole call, retries included.
    #[uniffi(default = 120000)]
    pub request_timeout_ms: u64,
    /// Retries of idempotent requests, 429s, 5xx and dropped connections.
    #[uniffi(default = 4)]
    pub max_retries: u32,
}

impl ClientConfig {
    /// The core's configuration; rejects zero timeouts.
    pub(crate) fn to_core(&self) -> Result<api::ClientConfig> {
        let ms = |field: &str, v: u64| {
            if v == 0 {
                Err(CardScanError::invalid(field, "must be greater than zero"))
            } else {
                Ok(Duration::from_millis(v))
            }
        };
        let environment = match &self.environment {
            Environment::Sandbox => api::Environment::Sandbox,
            Environment::Live => api::Environment::Live,
            Environment::Custom { base_url, ws_url } => api::Environment::Custom {
                rest_base: base_url.clone(),
                ws_url: ws_url.clone(),
            },
        };
        let auth = match &self.credentials {
            Credentials::ApiKey { key } => api::Auth::ApiKey(api::Secret::new(key.clone())),
            Credentials::SessionToken { token } => {
                api::Auth::SessionToken(api::Secret::new(token.clone()))
            }
            Credentials::Provider { provider } => {
                api::Auth::TokenProvider(Arc::new(ForeignTokenProvider(provider.clone())))
            }
        };
        let mut config = api::ClientConfig::new(environment, auth);
        config.timeouts = api::Timeouts {
            connect: ms("connectTimeoutMs", self.connect_timeout_ms)?,
            read: ms("readTimeoutMs", self.read_timeout_ms)?,
            total: ms("requestTimeoutMs", self.request_timeout_ms)?,
        };
        config.retry.max_retries = self.max_retries;
        Ok(config)
    }
}
