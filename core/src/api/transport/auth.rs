//! Pluggable credentials for [`super::Transport`].
//!
//! The transport only knows "give me a bearer credential" and "that one was
//! rejected, give me a fresh one"; how a credential is obtained (a fixed API
//! key, a host-supplied session token, a client-credentials exchange) is up to
//! the [`AuthSource`]. Generations let many concurrent requests that were all
//! rejected with the same credential trigger a single refresh.

use crate::error::Result;
use futures::future::BoxFuture;

/// A secret string (API key, session token). `Debug` never shows it.
#[derive(Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    /// Wrap a secret.
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }
    /// The secret itself, for putting on the wire only.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

impl From<String> for Secret {
    fn from(s: String) -> Self {
        Secret(s)
    }
}

impl From<&str> for Secret {
    fn from(s: &str) -> Self {
        Secret(s.to_string())
    }
}

/// A bearer credential and the generation it belongs to (bumped on every refresh).
#[derive(Clone, Debug)]
pub struct Credential {
    /// The bearer secret sent as `Authorization: Bearer …`.
    pub secret: Secret,
    /// Which refresh produced it; passed back to [`AuthSource::refresh`].
    pub generation: u64,
}

/// Where the transport gets its bearer credential from.
pub trait AuthSource: Send + Sync + 'static {
    /// The credential to use now (fetched lazily, refreshed ahead of expiry).
    fn credential(&self) -> BoxFuture<'_, Result<Credential>>;

    /// The server answered 401 to a request made with generation `rejected`.
    /// Returns a newer credential (refreshing at most once per generation,
    /// however many callers report it), or `None` when this source cannot
    /// refresh (a fixed API key) and the 401 is final.
    fn refresh(&self, rejected: u64) -> BoxFuture<'_, Result<Option<Credential>>>;
}

/// A fixed secret (an API key, or a token the caller manages itself).
#[derive(Clone, Debug)]
pub struct StaticAuth(pub Secret);

impl AuthSource for StaticAuth {
    fn credential(&self) -> BoxFuture<'_, Result<Credential>> {
        let c = Credential {
            secret: self.0.clone(),
            generation: 0,
        };
        Box::pin(async move { Ok(c) })
    }
    fn refresh(&self, _rejected: u64) -> BoxFuture<'_, Result<Option<Credential>>> {
        Box::pin(async { Ok(None) })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_redacts() {
        let s = Secret::new("sk_test_cardscan_ai_123");
        assert!(!format!("{s:?}").contains("sk_test"));
        let c = Credential {
            secret: s,
            generation: 3,
        };
        assert!(!format!("{c:?}").contains("sk_test"));
    }
}
