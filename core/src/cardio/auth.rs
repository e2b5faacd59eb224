//! Client-credentials authentication for CardioExplorer, plugged into the
//! shared transport through the API module's [`TokenCache`]: the token is
//! fetched with the stored client id/secret, refreshed `refresh_margin` before
//! its `expiresIn` runs out, and refreshed once (single flight) on a 401.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::{Duration, SystemTime};

use futures::future::BoxFuture;
use serde_json::json;

use super::envelope;
use super::models::{AuthData, AuthSession};
use crate::api::transport::{RequestSpec, Secret, Transport};
use crate::api::{AccessToken, TokenProvider};
use crate::error::{Error, Result};

/// Lifetime assumed when the server omits `expiresIn` (the documented value).
const DEFAULT_EXPIRES_IN: u64 = 3600;

/// An organisation's client id, secret and requested scope. `Debug` redacts
/// the secret.
#[derive(Clone)]
pub struct ClientCredentials {
    pub client_id: String,
    pub client_secret: Secret,
    pub scope: String,
}

impl std::fmt::Debug for ClientCredentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientCredentials")
            .field("client_id", &self.client_id)
            .field("client_secret", &self.client_secret)
            .field("scope", &self.scope)
            .finish()
    }
}

impl ClientCredentials {
    /// Checks the values before anything is sent.
    pub fn new(client_id: &str, client_secret: &str, scope: &str) -> Result<Self> {
        if client_id.trim().is_empty() {
            return Err(Error::invalid("client_id", "must not be empty"));
        }
        if client_secret.is_empty() {
            return Err(Error::invalid("client_secret", "must not be empty"));
        }
        if scope.chars().any(|c| c.is_control()) {
            return Err(Error::invalid(
                "scope",
                "must not contain control characters",
            ));
        }
        Ok(ClientCredentials {
            client_id: client_id.trim().to_owned(),
            client_secret: Secret::new(client_secret),
            scope: scope.trim().to_owned(),
        })
    }
}

/// Exchanges the stored credentials for a token (`POST
/// /api/organization-auth/authenticate`); the [`TokenCache`] around it decides
/// when.
///
/// [`TokenCache`]: crate::api::TokenCache
pub(crate) struct CredentialsExchange {
    /// A transport whose requests go out unauthenticated.
    transport: Transport,
    credentials: Mutex<Option<ClientCredentials>>,
    session: Mutex<Option<AuthSession>>,
    exchanges: AtomicU64,
}

impl CredentialsExchange {
    pub(crate) fn new(transport: Transport) -> Self {
        CredentialsExchange {
            transport,
            credentials: Mutex::new(None),
            session: Mutex::new(None),
            exchanges: AtomicU64::new(0),
        }
    }

    pub(crate) fn set_credentials(&self, credentials: Option<ClientCredentials>) {
        *self.credentials.lock().unwrap_or_else(|p| p.into_inner()) = credentials;
    }

    fn credentials(&self) -> Option<ClientCredentials> {
        self.credentials
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// The session of the latest successful exchange.
    pub(crate) fn session(&self) -> Option<AuthSession> {
        self.session
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// How many successful exchanges happened (tells `authenticate` whether
    /// the cache fetched a token for it).
    pub(crate) fn exchanges(&self) -> u64 {
        self.exchanges.load(Ordering::SeqCst)
    }

    async fn exchange(&self) -> Result<AccessToken> {
        // Without stored credentials there is nothing to refresh with.
        let creds = self.credentials().ok_or(Error::Unauthorized)?;
        let body = json!({
            "clientId": creds.client_id,
            "clientSecret": creds.client_secret.expose(),
            "scope": creds.scope,
        });
        let spec = RequestSpec::post(&["api", "organization-auth", "authenticate"])
            .json(body)
            .unauthenticated()
            // Authenticating twice is harmless, so 5xx and drops are retried.
            .idempotent(true);
        let response = self.transport.send(spec).await?;
        let auth: AuthData = envelope::data(&response.body)?;
        if auth.access_token.is_empty() {
            return Err(Error::Decode("the answer has an empty access token".into()));
        }
        let expires_in = auth.expires_in.unwrap_or(DEFAULT_EXPIRES_IN);
        let session = AuthSession {
            token_type: auth.token_type.unwrap_or_else(|| "Bearer".into()),
            expires_in_secs: expires_in,
            organization: auth.organization,
        };
        *self.session.lock().unwrap_or_else(|p| p.into_inner()) = Some(session);
        self.exchanges.fetch_add(1, Ordering::SeqCst);
        tracing::debug!(expires_in, "cardio: access token obtained");
        Ok(AccessToken {
            token: Secret::new(auth.access_token),
            expires_at: SystemTime::now().checked_add(Duration::from_secs(expires_in)),
        })
    }
}

impl TokenProvider for CredentialsExchange {
    fn fetch_token(&self) -> BoxFuture<'_, Result<String>> {
        Box::pin(async move { Ok(self.exchange().await?.token.expose().to_owned()) })
    }

    /// The lifetime comes from `expiresIn`, not from a JWT claim.
    fn fetch_access_token(&self) -> BoxFuture<'_, Result<AccessToken>> {
        Box::pin(self.exchange())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_are_checked_and_redacted() {
        assert!(matches!(
            ClientCredentials::new(" ", "s", "api.read"),
            Err(Error::InvalidInput { field, .. }) if field == "client_id"
        ));
        assert!(ClientCredentials::new("id", "", "").is_err());
        let c = ClientCredentials::new("id", "topsecret", "api.read").unwrap();
        assert!(!format!("{c:?}").contains("topsecret"));
    }
}
