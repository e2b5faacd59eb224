//! [`Client`]: one CardScan API client (cheap to clone, share it).

use super::config::{Auth, ClientConfig, Environment};
use super::token::TokenCache;
use super::transport::{AuthSource, CardScanErrorDecoder, StaticAuth, Transport, TransportConfig};
use crate::error::{Error, Result};
use std::sync::Arc;
use url::Url;

/// The CardScan API client. Operations are methods defined next to their
/// topic (`cards`, `uploads`, `eligibility`, `session`) and in the
/// [`crate::upload`], [`crate::events`], [`crate::eligibility`] and
/// [`crate::handoff`] modules.
#[derive(Clone)]
pub struct Client {
    pub(crate) transport: Transport,
    pub(crate) environment: Environment,
    pub(crate) ws_url: Url,
    /// Presigned uploads: no credentials, S3 XML errors.
    pub(crate) storage: Transport,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("rest_base", &self.transport.base_url().as_str())
            .field("ws_url", &self.ws_url.as_str())
            .finish_non_exhaustive()
    }
}

fn parse_url(what: &str, text: &str) -> Result<Url> {
    Url::parse(text).map_err(|_| Error::Config(format!("{what} is not a valid URL")))
}

impl Client {
    /// Build a client. Nothing is sent until the first operation.
    pub fn new(config: ClientConfig) -> Result<Self> {
        let rest = parse_url("the REST base URL", config.environment.rest_base())?;
        let ws_url = parse_url("the WebSocket URL", config.environment.ws_url())?;
        let auth: Arc<dyn AuthSource> = match &config.auth {
            Auth::ApiKey(key) | Auth::SessionToken(key) => Arc::new(StaticAuth(key.clone())),
            Auth::TokenProvider(p) => Arc::new(TokenCache::new(p.clone())),
        };
        let user_agent = concat!("cardscan-core/", env!("CARGO_PKG_VERSION")).to_string();
        let transport = Transport::new(TransportConfig {
            base_url: rest.clone(),
            auth: auth.clone(),
            decoder: Arc::new(CardScanErrorDecoder),
            timeouts: config.timeouts.clone(),
            retry: config.retry.clone(),
            user_agent: user_agent.clone(),
        })?;
        let storage = Transport::new(TransportConfig {
            base_url: rest,
            auth,
            decoder: Arc::new(crate::upload::S3ErrorDecoder),
            timeouts: config.timeouts,
            retry: config.retry,
            user_agent,
        })?;
        Ok(Client {
            transport,
            environment: config.environment,
            ws_url,
            storage,
        })
    }

    /// A client on a custom REST/WebSocket pair with an API key (tests, CLI).
    pub fn with_api_key(rest_base: &str, ws_url: &str, api_key: &str) -> Result<Self> {
        Self::new(ClientConfig::new(
            Environment::Custom {
                rest_base: rest_base.into(),
                ws_url: ws_url.into(),
            },
            Auth::ApiKey(api_key.into()),
        ))
    }

    /// The HTTP transport (for building related clients on the same machinery).
    pub fn transport(&self) -> &Transport {
        &self.transport
    }

    /// The environment.
    pub fn environment(&self) -> &Environment {
        &self.environment
    }

    /// The WebSocket URL.
    pub fn ws_url(&self) -> &Url {
        &self.ws_url
    }
}
