//! Reusable HTTP machinery: timeouts, retries with backoff, pluggable auth
//! and error decoding. The CardScan [`crate::api::Client`] and the
//! CardioExplorer client are both thin layers over a [`Transport`].
//!
//! What is retried, and why:
//! * a connection that could not be made: always (the server never saw it);
//! * 429: always, after `Retry-After` (the server refused to act);
//! * 5xx, a dropped connection, a read timeout: only for idempotent requests,
//!   because the server may already have acted on the request;
//! * a 401: once, after asking the [`AuthSource`] for a fresh credential.
//!
//! The `total` timeout bounds the whole call, retries and waits included.
//! Dropping the returned future aborts the request in flight.

mod auth;
mod decode;
mod request;
mod retry;

pub use auth::{AuthSource, Credential, Secret, StaticAuth};
pub use decode::{retry_after, status_error, ApiErrorBody, CardScanErrorDecoder, ErrorDecoder};
pub use request::{FormField, RequestBody, RequestSpec, Target};
pub use retry::{parse_retry_after, RetryPolicy};

use crate::error::{Error, Result};
use bytes::Bytes;
use reqwest::header::HeaderMap;
use serde::de::DeserializeOwned;
use std::sync::Arc;
use std::time::Duration;
use url::Url;

/// Connect, read and total timeouts.
#[derive(Clone, Debug)]
pub struct Timeouts {
    /// TCP + TLS handshake.
    pub connect: Duration,
    /// Longest silence while waiting for bytes of an answer.
    pub read: Duration,
    /// The whole call, retries and backoff included.
    pub total: Duration,
}

impl Default for Timeouts {
    fn default() -> Self {
        Timeouts {
            connect: Duration::from_secs(10),
            read: Duration::from_secs(30),
            total: Duration::from_secs(120),
        }
    }
}

/// How to build a [`Transport`].
pub struct TransportConfig {
    /// Base URL the request paths are appended to (e.g. `https://sandbox.cardscan.ai/v1`).
    pub base_url: Url,
    /// Credentials.
    pub auth: Arc<dyn AuthSource>,
    /// Error-body decoding.
    pub decoder: Arc<dyn ErrorDecoder>,
    /// Timeouts.
    pub timeouts: Timeouts,
    /// Retries.
    pub retry: RetryPolicy,
    /// `User-Agent` header.
    pub user_agent: String,
}

/// A successful (2xx) answer, fully read.
#[derive(Clone, Debug)]
pub struct Response {
    /// HTTP status.
    pub status: u16,
    /// Headers.
    pub headers: HeaderMap,
    /// Body bytes.
    pub body: Bytes,
}

impl Response {
    /// Decode the body as JSON.
    pub fn json<T: DeserializeOwned>(&self) -> Result<T> {
        decode_json(&self.body)
    }
}

/// Decode JSON, reporting the failing path but not the content (it may be PHI).
pub fn decode_json<T: DeserializeOwned>(body: &[u8]) -> Result<T> {
    serde_json::from_slice(body).map_err(|e| {
        Error::Decode(format!(
            "invalid JSON at line {} column {} ({:?})",
            e.line(),
            e.column(),
            e.classify()
        ))
    })
}

/// The HTTP client shared by every operation of one API.
#[derive(Clone)]
pub struct Transport {
    http: reqwest::Client,
    base_url: Url,
    auth: Arc<dyn AuthSource>,
    decoder: Arc<dyn ErrorDecoder>,
    timeouts: Timeouts,
    retry: RetryPolicy,
}

impl std::fmt::Debug for Transport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Transport")
            .field("base_url", &self.base_url.as_str())
            .field("timeouts", &self.timeouts)
            .field("retry", &self.retry)
            .finish_non_exhaustive()
    }
}

/// What one attempt produced.
enum Attempt {
    Done(Response),
    Unauthorized(u64),
    Failed { error: Error, retryable: bool },
}

impl Transport {
    /// Build a transport (creates the connection pool).
    pub fn new(config: TransportConfig) -> Result<Self> {
        let http = reqwest::Client::builder()
            .connect_timeout(config.timeouts.connect)
            .read_timeout(config.timeouts.read)
            .user_agent(config.user_agent)
            .build()
            .map_err(|e| Error::Config(format!("cannot build the HTTP client: {e}")))?;
        Ok(Transport {
            http,
            base_url: config.base_url,
            auth: config.auth,
            decoder: config.decoder,
            timeouts: config.timeouts,
            retry: config.retry,
        })
    }

    /// The base URL.
    pub fn base_url(&self) -> &Url {
        &self.base_url
    }

    /// The timeouts.
    pub fn timeouts(&self) -> &Timeouts {
        &self.timeouts
    }

    /// The retry policy.
    pub fn retry_policy(&self) -> &RetryPolicy {
        &self.retry
    }

    /// The auth source (e.g. to open a WebSocket with the same credential).
    pub fn auth(&self) -> &Arc<dyn AuthSource> {
        &self.auth
    }

    /// Resolve a target to a URL.
    pub fn url(&self, target: &Target) -> Result<Url> {
        match target {
            Target::Url(url) => Ok(url.clone()),
            Target::Path(segments) => {
                let mut url = self.base_url.clone();
                {
                    let mut path = url
                        .path_segments_mut()
                        .map_err(|_| Error::Config("the base URL cannot take a path".into()))?;
                    path.pop_if_empty();
                    for s in segments {
                        path.push(s);
                    }
                }
                Ok(url)
            }
        }
    }

    /// Send a request (with retries) and decode the JSON answer.
    pub async fn json<T: DeserializeOwned>(&self, spec: RequestSpec) -> Result<T> {
        self.send(spec).await?.json()
    }

    /// Send a request with retries, within the total timeout. Returns the
    /// 2xx answer, or the decoded error of the last attempt.
    pub async fn send(&self, spec: RequestSpec) -> Result<Response> {
        match tokio::time::timeout(self.timeouts.total, self.send_with_retries(&spec)).await {
            Ok(result) => result,
            Err(_) => {
                tracing::debug!(request = %spec.describe(), "total timeout expired");
                Err(Error::Timeout)
            }
        }
    }

    async fn send_with_retries(&self, spec: &RequestSpec) -> Result<Response> {
        let mut retries = 0u32;
        let mut refreshed = false;
        loop {
            let credential = if spec.authenticated {
                Some(self.auth.credential().await?)
            } else {
                None
            };
            match self.attempt(spec, credential.as_ref()).await {
                Attempt::Done(response) => return Ok(response),
                Attempt::Unauthorized(generation) if !refreshed => {
                    refreshed = true;
                    tracing::debug!(request = %spec.describe(), "401: refreshing the credential once");
                    if self.auth.refresh(generation).await?.is_none() {
                        return Err(Error::Unauthorized);
                    }
                }
                Attempt::Unauthorized(_) => return Err(Error::Unauthorized),
                Attempt::Failed { error, retryable } => {
                    let wait = match &error {
                        Error::RateLimited { retry_after } => {
                            self.retry.delay(retries, *retry_after)
                        }
                        _ => self.retry.delay(retries, None),
                    };
                    match wait {
                        Some(wait) if retryable && retries < self.retry.max_retries => {
                            tracing::debug!(request = %spec.describe(), %error, retry = retries + 1,
                                wait_ms = wait.as_millis() as u64, "retrying");
                            tokio::time::sleep(wait).await;
                            retries += 1;
                        }
                        _ => return Err(error),
                    }
                }
            }
        }
    }

    async fn attempt(&self, spec: &RequestSpec, credential: Option<&Credential>) -> Attempt {
        let request = match self.build(spec, credential) {
            Ok(r) => r,
            Err(error) => {
                return Attempt::Failed {
                    error,
                    retryable: false,
                }
            }
        };
        let response = match request.send().await {
            Ok(r) => r,
            Err(e) => return self.transport_failure(spec, &e),
        };
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let body = match response.bytes().await {
            Ok(b) => b,
            Err(e) => return self.transport_failure(spec, &e),
        };
        if (200..300).contains(&status) {
            return Attempt::Done(Response {
                status,
                headers,
                body,
            });
        }
        if status == 401 {
            if let Some(c) = credential {
                return Attempt::Unauthorized(c.generation);
            }
        }
        let error = self.decoder.decode(status, &headers, &body);
        let retryable = status == 429 || (spec.idempotent && status >= 500);
        tracing::debug!(request = %spec.describe(), status, "request failed");
        Attempt::Failed { error, retryable }
    }

    fn transport_failure(&self, spec: &RequestSpec, e: &reqwest::Error) -> Attempt {
        let never_sent = e.is_connect();
        let error = if e.is_timeout() {
            Error::Timeout
        } else {
            Error::Network(describe_reqwest(e))
        };
        tracing::debug!(request = %spec.describe(), %error, never_sent, "transport failure");
        Attempt::Failed {
            error,
            retryable: never_sent || spec.idempotent,
        }
    }

    fn build(
        &self,
        spec: &RequestSpec,
        credential: Option<&Credential>,
    ) -> Result<reqwest::RequestBuilder> {
        let mut url = self.url(&spec.target)?;
        if !spec.query.is_empty() {
            url.query_pairs_mut().extend_pairs(spec.query.iter());
        }
        let mut rb = self.http.request(spec.method.clone(), url);
        if let Some(c) = credential {
            rb = rb.bearer_auth(c.secret.expose());
        }
        for (name, value) in &spec.headers {
            rb = rb.header(name.as_str(), value.as_str());
        }
        rb = match &spec.body {
            RequestBody::Empty => rb,
            RequestBody::Json(v) => rb.json(v),
            RequestBody::Bytes { content_type, data } => rb
                .header(reqwest::header::CONTENT_TYPE, content_type.as_str())
                .body(data.clone()),
            RequestBody::Multipart(fields) => rb.multipart(
                request::build_form(fields)
                    .map_err(|e| Error::Config(format!("bad multipart field: {e}")))?,
            ),
        };
        Ok(rb)
    }
}

/// A reqwest error without its URL (which may carry a secret query).
fn describe_reqwest(e: &reqwest::Error) -> String {
    let kind = if e.is_connect() {
        "connection failed"
    } else if e.is_body() || e.is_decode() {
        "connection dropped while reading the answer"
    } else if e.is_request() {
        "request could not be sent"
    } else {
        "transport error"
    };
    let mut source = std::error::Error::source(e);
    let mut detail = String::new();
    while let Some(s) = source {
        detail = s.to_string();
        source = s.source();
    }
    if detail.is_empty() {
        kind.to_string()
    } else {
        format!("{kind}: {detail}")
    }
}
