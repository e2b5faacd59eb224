//! Session tokens from a host-supplied [`TokenProvider`]: fetched lazily,
//! refreshed shortly before they expire, and refreshed exactly once when the
//! server rejects them, however many requests were rejected together.
//!
//! Single flight: the cache state sits behind an async mutex held across the
//! fetch, so requests arriving during a refresh wait for its result instead of
//! starting their own; a generation counter tells a caller whose token was
//! rejected whether someone else has already replaced it.

use super::transport::{AuthSource, Credential, Secret};
use crate::error::{Error, Result};
use base64::Engine;
use futures::future::BoxFuture;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// A token and, when known, when it stops being valid.
#[derive(Clone, Debug)]
pub struct AccessToken {
    /// The bearer token.
    pub token: Secret,
    /// Expiry; `None` when unknown (then it is used until a 401).
    pub expires_at: Option<SystemTime>,
}

impl AccessToken {
    /// A token whose expiry is read from its JWT `exp` claim, when it has one.
    pub fn from_jwt(token: impl Into<String>) -> Self {
        let token = token.into();
        let expires_at = jwt_expiry(&token);
        AccessToken {
            token: Secret::new(token),
            expires_at,
        }
    }
}

/// Supplies session tokens, typically by asking the app's own backend (which
/// holds the API key and calls `GET /access-token`). Implemented by the FFI
/// layer over a Swift/Kotlin callback.
pub trait TokenProvider: Send + Sync + 'static {
    /// Fetch a fresh session token.
    fn fetch_token(&self) -> BoxFuture<'_, Result<String>>;

    /// Fetch a token with its expiry. The default reads the JWT `exp` claim;
    /// providers that know the lifetime otherwise (e.g. `expiresIn`) override it.
    fn fetch_access_token(&self) -> BoxFuture<'_, Result<AccessToken>> {
        Box::pin(async move { Ok(AccessToken::from_jwt(self.fetch_token().await?)) })
    }
}

impl<F> TokenProvider for F
where
    F: Fn() -> BoxFuture<'static, Result<String>> + Send + Sync + 'static,
{
    fn fetch_token(&self) -> BoxFuture<'_, Result<String>> {
        self()
    }
}

/// The `exp` claim of a JWT, decoded without verifying the signature (the
/// server verifies; we only want to know when to refresh).
pub fn jwt_expiry(token: &str) -> Option<SystemTime> {
    let payload = token.split('.').nth(1)?;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload.trim_end_matches('='))
        .ok()?;
    let claims: serde_json::Value = serde_json::from_slice(&bytes).ok()?;
    let exp = claims.get("exp")?.as_f64()?;
    if !exp.is_finite() || exp < 0.0 {
        return None;
    }
    UNIX_EPOCH.checked_add(Duration::from_secs_f64(exp))
}

struct CacheState {
    token: Option<AccessToken>,
    generation: u64,
}

/// An [`AuthSource`] over a [`TokenProvider`] (see the module docs).
pub struct TokenCache {
    provider: Arc<dyn TokenProvider>,
    state: tokio::sync::Mutex<CacheState>,
    /// Refresh this long before `exp`, so a request never leaves with a token
    /// about to die in flight.
    refresh_margin: Duration,
}

impl std::fmt::Debug for TokenCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenCache")
            .field("refresh_margin", &self.refresh_margin)
            .finish_non_exhaustive()
    }
}

impl TokenCache {
    /// A cache refreshing 30 s before expiry.
    pub fn new(provider: Arc<dyn TokenProvider>) -> Self {
        Self::with_margin(provider, Duration::from_secs(30))
    }

    /// A cache with a chosen refresh margin.
    pub fn with_margin(provider: Arc<dyn TokenProvider>, refresh_margin: Duration) -> Self {
        TokenCache {
            provider,
            state: tokio::sync::Mutex::new(CacheState {
                token: None,
                generation: 0,
            }),
            refresh_margin,
        }
    }

    fn is_fresh(&self, token: &AccessToken) -> bool {
        match token.expires_at {
            None => true,
            Some(exp) => SystemTime::now() + self.refresh_margin < exp,
        }
    }

    async fn fetch_into(&self, state: &mut CacheState) -> Result<Credential> {
        let token = self.provider.fetch_access_token().await?;
        if token.token.expose().is_empty() {
            return Err(Error::Unauthorized);
        }
        state.generation += 1;
        state.token = Some(token.clone());
        tracing::debug!(generation = state.generation, "session token fetched");
        Ok(Credential {
            secret: token.token,
            generation: state.generation,
        })
    }
}

impl AuthSource for TokenCache {
    fn credential(&self) -> BoxFuture<'_, Result<Credential>> {
        Box::pin(async move {
            let mut state = self.state.lock().await;
            if let Some(token) = state.token.as_ref().filter(|t| self.is_fresh(t)) {
                return Ok(Credential {
                    secret: token.token.clone(),
                    generation: state.generation,
                });
            }
            self.fetch_into(&mut state).await
        })
    }

    fn refresh(&self, rejected: u64) -> BoxFuture<'_, Result<Option<Credential>>> {
        Box::pin(async move {
            let mut state = self.state.lock().await;
            if state.generation != rejected {
                if let Some(token) = &state.token {
                    return Ok(Some(Credential {
                        secret: token.token.clone(),
                        generation: state.generation,
                    }));
                }
            }
            self.fetch_into(&mut state).await.map(Some)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    fn jwt(claims: &str) -> String {
        let e = base64::engine::general_purpose::URL_SAFE_NO_PAD;
        format!(
            "{}.{}.sig",
            e.encode(r#"{"alg":"HS256"}"#),
            e.encode(claims)
        )
    }

    #[test]
    fn reads_exp_claim() {
        assert_eq!(
            jwt_expiry(&jwt(r#"{"exp":1700000000}"#)),
            Some(UNIX_EPOCH + Duration::from_secs(1_700_000_000))
        );
        assert_eq!(jwt_expiry(&jwt(r#"{"sub":"x"}"#)), None);
        assert_eq!(jwt_expiry("not-a-jwt"), None);
        assert_eq!(jwt_expiry("a.!!!.c"), None);
        assert_eq!(jwt_expiry(&jwt(r#"{"exp":-5}"#)), None);
    }

    struct Counting {
        calls: AtomicUsize,
        lifetime_secs: i64,
    }

    impl TokenProvider for Counting {
        fn fetch_token(&self) -> BoxFuture<'_, Result<String>> {
            Box::pin(async move {
                let n = self.calls.fetch_add(1, Ordering::SeqCst);
                tokio::time::sleep(Duration::from_millis(20)).await;
                let exp = chrono::Utc::now().timestamp() + self.lifetime_secs;
                Ok(jwt(&format!(r#"{{"exp":{exp},"n":{n}}}"#)))
            })
        }
    }

    #[tokio::test]
    async fn lazy_single_flight_fetch_and_reuse() {
        let provider = Arc::new(Counting {
            calls: AtomicUsize::new(0),
            lifetime_secs: 3600,
        });
        let cache = Arc::new(TokenCache::new(provider.clone()));
        assert_eq!(
            provider.calls.load(Ordering::SeqCst),
            0,
            "nothing fetched before first use"
        );
        let tasks: Vec<_> = (0..20)
            .map(|_| {
                let c = cache.clone();
                tokio::spawn(async move { c.credential().await.unwrap().generation })
            })
            .collect();
        for t in tasks {
            assert_eq!(t.await.unwrap(), 1);
        }
        assert_eq!(provider.calls.load(Ordering::SeqCst), 1);
    }

    #[tokio::test]
    async fn refresh_once_per_rejected_generation() {
        let provider = Arc::new(Counting {
            calls: AtomicUsize::new(0),
            lifetime_secs: 3600,
        });
        let cache = Arc::new(TokenCache::new(provider.clone()));
        let first = cache.credential().await.unwrap();
        let tasks: Vec<_> = (0..50)
            .map(|_| {
                let c = cache.clone();
                tokio::spawn(async move {
                    c.refresh(first.generation)
                        .await
                        .unwrap()
                        .unwrap()
                        .generation
                })
            })
            .collect();
        for t in tasks {
            assert_eq!(t.await.unwrap(), 2);
        }
        assert_eq!(provider.calls.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn refreshes_before_expiry() {
        let provider = Arc::new(Counting {
            calls: AtomicUsize::new(0),
            lifetime_secs: 10,
        });
        let cache = TokenCache::new(provider.clone());
        cache.credential().await.unwrap();
        let again = cache.credential().await.unwrap();
        assert_eq!(
            again.generation, 2,
            "a token within the 30 s margin is replaced"
        );
        assert_eq!(provider.calls.load(Ordering::SeqCst), 2);
    }
}
