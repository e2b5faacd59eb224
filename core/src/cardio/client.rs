//! [`CardioClient`]: the CardioExplorer operations over the shared transport.

use std::sync::Arc;
use std::time::Duration;

use serde::de::DeserializeOwned;
use serde_json::Value;
use url::Url;

use super::auth::{ClientCredentials, CredentialsExchange};
use super::envelope::{self, CardioErrorDecoder};
use super::fhir::Bundle;
use super::models::{AuthSession, DraftTest, Language, MagicLink, PatientReport, TestResponse};
use crate::api::transport::{
    AuthSource, RequestSpec, RetryPolicy, Secret, StaticAuth, Timeouts, Transport, TransportConfig,
};
use crate::api::TokenCache;
use crate::error::{Error, Result};

/// The production host.
pub const DEFAULT_BASE_URL: &str = "https://api.cardioexplorer.ai";

/// How to reach CardioExplorer.
#[derive(Clone, Debug)]
pub struct CardioConfig {
    /// Host root; the `/api/...` paths are appended (default [`DEFAULT_BASE_URL`]).
    pub base_url: String,
    pub timeouts: Timeouts,
    pub retry: RetryPolicy,
    /// Re-authenticate this long before the token's `expiresIn` runs out, so
    /// no request leaves with a token about to expire in flight.
    pub refresh_margin: Duration,
}

impl Default for CardioConfig {
    fn default() -> Self {
        CardioConfig {
            base_url: DEFAULT_BASE_URL.to_owned(),
            timeouts: Timeouts::default(),
            retry: RetryPolicy::default(),
            refresh_margin: Duration::from_secs(60),
        }
    }
}

impl CardioConfig {
    /// The default configuration for another host (e.g. a local sandbox).
    pub fn with_base_url(base_url: impl Into<String>) -> Self {
        CardioConfig {
            base_url: base_url.into(),
            ..Default::default()
        }
    }
}

/// A CardioExplorer client. Cheap to clone; clones share the token.
///
/// Call [`authenticate`](Self::authenticate) once: the client keeps the
/// credentials and renews the token by itself (ahead of expiry, and once
/// after a 401).
#[derive(Clone)]
pub struct CardioClient {
    transport: Transport,
    exchange: Arc<CredentialsExchange>,
    tokens: Arc<TokenCache>,
}

impl std::fmt::Debug for CardioClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CardioClient")
            .field("transport", &self.transport)
            .finish_non_exhaustive()
    }
}

impl CardioClient {
    /// A client for `config` (nothing is sent until the first call).
    pub fn new(config: CardioConfig) -> Result<Self> {
        let base_url = parse_base_url(&config.base_url)?;
        let transport_for = |auth: Arc<dyn AuthSource>| {
            Transport::new(TransportConfig {
                base_url: base_url.clone(),
                auth,
                decoder: Arc::new(CardioErrorDecoder),
                timeouts: config.timeouts.clone(),
                retry: config.retry.clone(),
                user_agent: format!("cardscan-core/{} (cardio)", env!("CARGO_PKG_VERSION")),
            })
        };
        let anonymous = transport_for(Arc::new(StaticAuth(Secret::new(""))))?;
        let exchange = Arc::new(CredentialsExchange::new(anonymous));
        let tokens = Arc::new(TokenCache::with_margin(
            exchange.clone(),
            config.refresh_margin,
        ));
        let transport = transport_for(tokens.clone())?;
        Ok(CardioClient {
            transport,
            exchange,
            tokens,
        })
    }

    /// Exchanges the organisation's client id and secret for an access token
    /// and keeps both, so later calls renew the token without being asked.
    /// `scope` is e.g. `"api.read api.write"`.
    pub async fn authenticate(
        &self,
        client_id: &str,
        client_secret: &str,
        scope: &str,
    ) -> Result<AuthSession> {
        let creds = ClientCredentials::new(client_id, client_secret, scope)?;
        let before = self.exchange.exchanges();
        self.exchange.set_credentials(Some(creds));
        let outcome = self.fetch_now(before).await;
        if outcome.is_err() {
            // Credentials the server refused are not kept for later refreshes.
            self.exchange.set_credentials(None);
        }
        outcome?;
        self.exchange
            .session()
            .ok_or_else(|| Error::Decode("no session after authenticating".into()))
    }

    /// Makes sure a token was obtained with the credentials just stored: the
    /// cache fetches one if it had none, otherwise it is told to replace it.
    async fn fetch_now(&self, before: u64) -> Result<()> {
        let current = self.tokens.credential().await?;
        if self.exchange.exchanges() == before {
            self.tokens.refresh(current.generation).await?;
        }
        Ok(())
    }

    /// The session of the latest authentication (organisation, lifetime).
    pub fn session(&self) -> Option<AuthSession> {
        self.exchange.session()
    }

    /// A one-off login link into CardioExplorer's UI for a clinician.
    pub async fn generate_magic_link(&self) -> Result<MagicLink> {
        let spec = RequestSpec::post(&["api", "auth", "magic-links", "generate"]);
        self.enveloped(spec).await
    }

    /// Drafts a test from a typed FHIR bundle (see [`Bundle::builder`]).
    pub async fn draft_test(&self, bundle: &Bundle) -> Result<DraftTest> {
        self.post_draft(bundle.to_json()).await
    }

    /// Drafts a test from a FHIR bundle given as raw JSON. The bundle must be
    /// a JSON object with `resourceType: "Bundle"`; the service checks the rest.
    pub async fn draft_test_json(&self, bundle: Value) -> Result<DraftTest> {
        check_raw_bundle(&bundle)?;
        self.post_draft(bundle).await
    }

    async fn post_draft(&self, bundle: Value) -> Result<DraftTest> {
        let spec = RequestSpec::post(&["api", "fhir", "draft-test"]).json(bundle);
        let response = self.transport.send(spec).await?;
        envelope::draft(&response.body)
    }

    /// Runs the CCS test of a draft; the recommendation is in `language`.
    pub async fn run_test(&self, test_id: &str, language: Language) -> Result<TestResponse> {
        let id = check_id(test_id)?;
        let spec = RequestSpec::post(&["api", "ccs", "v1", "tests", id, "run"])
            .query("language", language.as_str());
        let response: TestResponse = self.enveloped(spec).await?;
        if !(0.0..=1.0).contains(&response.risk_score) {
            return Err(Error::Decode("riskScore is outside 0..1".into()));
        }
        Ok(response)
    }

    /// The patient report of a test that has been run.
    pub async fn test_result(&self, test_id: &str) -> Result<PatientReport> {
        let id = check_id(test_id)?;
        self.enveloped(RequestSpec::get(&[
            "api", "ccs", "v1", "tests", id, "result",
        ]))
        .await
    }

    async fn enveloped<T: DeserializeOwned>(&self, spec: RequestSpec) -> Result<T> {
        let response = self.transport.send(spec).await?;
        envelope::data(&response.body)
    }
}

fn parse_base_url(raw: &str) -> Result<Url> {
    let url = Url::parse(raw.trim())
        .map_err(|e| Error::invalid("base_url", format!("not a URL ({e})")))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(Error::invalid("base_url", "must be http or https"));
    }
    Ok(url)
}

fn check_id(id: &str) -> Result<&str> {
    let id = id.trim();
    if id.is_empty() {
        return Err(Error::invalid("test_id", "must not be empty"));
    }
    if id.chars().any(|c| c.is_control() || c == '/') {
        return Err(Error::invalid(
            "test_id",
            "must not contain '/' or control characters",
        ));
    }
    Ok(id)
}

fn check_raw_bundle(bundle: &Value) -> Result<()> {
    let Some(obj) = bundle.as_object() else {
        return Err(Error::invalid(
            "bundle",
            "must be a JSON object (a FHIR Bundle)",
        ));
    };
    match obj.get("resourceType").and_then(Value::as_str) {
        Some("Bundle") => Ok(()),
        Some(_) => Err(Error::invalid("bundle", "resourceType must be \"Bundle\"")),
        None => Err(Error::invalid("bundle", "has no resourceType")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn rejects_bad_config_and_input_before_sending() {
        assert!(matches!(
            CardioClient::new(CardioConfig::with_base_url("ftp://x")),
            Err(Error::InvalidInput { .. })
        ));
        assert!(check_id("").is_err());
        assert!(check_id("a/b").is_err());
        assert_eq!(check_id(" abc ").unwrap(), "abc");
        assert!(check_raw_bundle(&json!([1])).is_err());
        assert!(check_raw_bundle(&json!({"resourceType": "Patient"})).is_err());
        assert!(check_raw_bundle(&json!({"resourceType": "Bundle"})).is_ok());
    }
}
