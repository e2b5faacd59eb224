//! Turning an unsuccessful HTTP answer into an [`Error`]. Pluggable, because
//! each API wraps its errors differently (CardScan `{message,type,code}`,
//! CardioExplorer `{status,message,errors,data}`, S3 XML).

use super::retry::parse_retry_after;
use crate::error::Error;
use reqwest::header::{HeaderMap, RETRY_AFTER};
use serde::Deserialize;
use std::time::Duration;

/// Decodes the body of a non-2xx answer into an [`Error`].
pub trait ErrorDecoder: Send + Sync + 'static {
    /// `status` is ≥ 400; `body` is the raw answer (possibly empty or not JSON).
    fn decode(&self, status: u16, headers: &HeaderMap, body: &[u8]) -> Error;
}

/// The `Retry-After` header of an answer, if any.
pub fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    headers
        .get(RETRY_AFTER)?
        .to_str()
        .ok()
        .and_then(parse_retry_after)
}

/// The standard mapping of a status code to an [`Error`]; `message` is the
/// server's explanation, used only for 400-class "bad request" answers.
pub fn status_error(status: u16, message: Option<String>, retry_after: Option<Duration>) -> Error {
    match status {
        401 => Error::Unauthorized,
        403 => Error::Forbidden,
        404 => Error::NotFound,
        410 => Error::Gone,
        429 => Error::RateLimited { retry_after },
        400 | 405..=409 | 411..=428 | 430..=499 => Error::BadRequest {
            message: message.unwrap_or_else(|| format!("HTTP {status}")),
        },
        500..=599 => Error::Server { status },
        _ => Error::Http { status },
    }
}

/// CardScan's error body: `{"message", "type", "code"}`, where `code` is a
/// number on API errors and a string elsewhere; 500s may carry only `message`.
#[derive(Deserialize, Debug, Default)]
pub struct ApiErrorBody {
    /// Explanation.
    #[serde(default)]
    pub message: Option<String>,
    /// Error type, e.g. `Unauthorized`.
    #[serde(default, rename = "type")]
    pub kind: Option<String>,
    /// Numeric or string code, kept as JSON.
    #[serde(default)]
    pub code: Option<serde_json::Value>,
}

/// Decoder for the CardScan REST API.
#[derive(Debug, Default, Clone, Copy)]
pub struct CardScanErrorDecoder;

impl ErrorDecoder for CardScanErrorDecoder {
    fn decode(&self, status: u16, headers: &HeaderMap, body: &[u8]) -> Error {
        let parsed: ApiErrorBody = serde_json::from_slice(body).unwrap_or_default();
        status_error(status, parsed.message, retry_after(headers))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_statuses() {
        let d = CardScanErrorDecoder;
        let h = HeaderMap::new();
        let body = br#"{"message":"API Key is not registered","type":"Unauthorized","code":401}"#;
        assert_eq!(d.decode(401, &h, body), Error::Unauthorized);
        assert_eq!(d.decode(410, &h, b""), Error::Gone);
        assert_eq!(
            d.decode(500, &h, br#"{"message":"Internal"}"#),
            Error::Server { status: 500 }
        );
        let e = d.decode(
            400,
            &h,
            br#"{"message":"orientation is required","type":"BadRequest","code":"E1"}"#,
        );
        assert_eq!(
            e,
            Error::BadRequest {
                message: "orientation is required".into()
            }
        );
        assert_eq!(
            d.decode(400, &h, b"<html>"),
            Error::BadRequest {
                message: "HTTP 400".into()
            }
        );
    }

    #[test]
    fn rate_limit_carries_retry_after() {
        let mut h = HeaderMap::new();
        h.insert(RETRY_AFTER, "2".parse().unwrap());
        assert_eq!(
            CardScanErrorDecoder.decode(429, &h, b"{}"),
            Error::RateLimited {
                retry_after: Some(Duration::from_secs(2))
            }
        );
    }
}
