//! Session tokens and magic links (raw operations; the handoff helpers are in
//! [`crate::handoff`]).

use super::models::{MagicLink, SessionToken};
use super::token::TokenProvider;
use super::transport::RequestSpec;
use super::Client;
use crate::error::{Error, Result};
use futures::future::BoxFuture;

impl Client {
    /// `GET /access-token?user_id=` (API key only). `user_id` must be unique
    /// per end user, or users lose their cards when the token expires.
    pub async fn access_token(&self, user_id: Option<&str>) -> Result<SessionToken> {
        let spec = RequestSpec::get(&["access-token"]).query_opt("user_id", user_id);
        self.transport.json(spec).await
    }

    /// `GET /generate-magic-link` (session token).
    pub async fn generate_magic_link(&self) -> Result<MagicLink> {
        self.transport
            .json(RequestSpec::get(&["generate-magic-link"]).idempotent(false))
            .await
    }

    /// `GET /validate-magic-link?token=` (no auth). `Gone` once the link has expired.
    pub async fn validate_magic_link(&self, token: &str) -> Result<SessionToken> {
        if token.trim().is_empty() {
            return Err(Error::invalid("token", "must not be empty"));
        }
        let spec = RequestSpec::get(&["validate-magic-link"])
            .query("token", token)
            .unauthenticated();
        self.transport.json(spec).await
    }
}

/// A [`TokenProvider`] that mints session tokens with an API key: for servers
/// and tests (an app asks its own backend instead; the key never ships).
#[derive(Debug, Clone)]
pub struct ApiKeyTokenProvider {
    client: Client,
    user_id: Option<String>,
}

impl ApiKeyTokenProvider {
    /// `client` must be built with [`super::Auth::ApiKey`].
    pub fn new(client: Client, user_id: Option<String>) -> Self {
        ApiKeyTokenProvider { client, user_id }
    }
}

impl TokenProvider for ApiKeyTokenProvider {
    fn fetch_token(&self) -> BoxFuture<'_, Result<String>> {
        Box::pin(async move {
            let t = self.client.access_token(self.user_id.as_deref()).await?;
            Ok(t.token.expose().to_string())
        })
    }
}
