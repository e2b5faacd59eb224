//! The one public error type of cardscan-core.
//!
//! Every fallible public function returns [`Error`]. Messages are written for
//! app developers and logs, so they never carry PHI (names, member ids, dates of
//! birth, images) nor credentials: server messages are kept only for 400s
//! (`BadRequest`), where the API explains what was wrong with the request, and
//! for card / S3 errors, whose messages are fixed strings chosen by the service.

use std::time::Duration;

/// Shorthand used throughout the crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong in cardscan-core.
#[derive(Debug, thiserror::Error, Clone, PartialEq)]
#[non_exhaustive]
pub enum Error {
    /// 401: missing, wrong or expired credential (after one refresh attempt).
    #[error("unauthorized: the API key or session token was rejected")]
    Unauthorized,
    /// 403: the credential is valid but may not touch this resource.
    #[error("forbidden: this credential may not access the resource")]
    Forbidden,
    /// 404: no such card, scan, eligibility record or magic link.
    #[error("not found")]
    NotFound,
    /// 410: the resource existed but has expired (e.g. a magic link older than one hour).
    #[error("gone: the link or resource has expired")]
    Gone,
    /// 400 (or another 4xx) with the server's explanation.
    #[error("bad request: {message}")]
    BadRequest {
        /// The server's `message` (describes the request, never echoes PHI).
        message: String,
    },
    /// 429: too many requests; retry after the given delay when the server said so.
    #[error("rate limited{}", retry_after.map(|d| format!(" (retry after {} ms)", d.as_millis())).unwrap_or_default())]
    RateLimited {
        /// Value of the `Retry-After` header, when present.
        retry_after: Option<Duration>,
    },
    /// 5xx from the server.
    #[error("server error (HTTP {status})")]
    Server {
        /// The HTTP status code.
        status: u16,
    },
    /// Any other unexpected HTTP status.
    #[error("unexpected HTTP status {status}")]
    Http {
        /// The HTTP status code.
        status: u16,
    },
    /// The connection could not be made or was dropped.
    #[error("network error: {0}")]
    Network(String),
    /// A connect, read or total timeout expired.
    #[error("timed out")]
    Timeout,
    /// The server's answer could not be decoded.
    #[error("could not decode the server's answer: {0}")]
    Decode(String),
    /// A value given by the caller is invalid; nothing was sent.
    #[error("invalid {field}: {reason}")]
    InvalidInput {
        /// Name of the offending field (e.g. `provider.npi`).
        field: String,
        /// Why it is invalid (never repeats the value itself).
        reason: String,
    },
    /// The card (or eligibility check) ended in a failure state.
    #[error("card processing failed ({state}){}", error.as_ref().map(|e| format!(": {e}")).unwrap_or_default())]
    CardFailed {
        /// The final state, e.g. `frontside_failed`, `backside_failed`, `error`.
        state: String,
        /// The server's error, if it gave one.
        error: Option<ServerError>,
    },
    /// A presigned (S3-style) upload was refused.
    #[error("upload refused by storage: {code}")]
    Storage {
        /// The S3 error code, e.g. `AccessDenied`, `EntityTooLarge`.
        code: String,
        /// The S3 error message.
        message: String,
    },
    /// The operation was cancelled by the caller.
    #[error("cancelled")]
    Cancelled,
    /// The WebSocket failed in a way the caller should know about.
    #[error("websocket error: {0}")]
    WebSocket(String),
    /// The client is misconfigured (bad URL, TLS unavailable, …).
    #[error("configuration error: {0}")]
    Config(String),
}

/// A server-side error object as carried by a card, an eligibility record or
/// a WebSocket event (`{type, message, code}`; `code` is a string there).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ServerError {
    /// Error type, e.g. `RejectedCard`.
    pub kind: String,
    /// Human message, e.g. "Rejecting scan for invalid card".
    pub message: String,
    /// Error code, e.g. `UKN`.
    pub code: String,
}

impl std::fmt::Display for ServerError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({}): {}", self.kind, self.code, self.message)
    }
}

impl Error {
    /// Whether retrying the same request later can succeed (used by the retry loop).
    pub fn is_transient(&self) -> bool {
        matches!(
            self,
            Error::RateLimited { .. } | Error::Server { .. } | Error::Network(_) | Error::Timeout
        )
    }

    pub(crate) fn invalid(field: &str, reason: impl Into<String>) -> Self {
        Error::InvalidInput {
            field: field.to_string(),
            reason: reason.into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_are_one_line_and_informative() {
        let e = Error::RateLimited {
            retry_after: Some(Duration::from_millis(1500)),
        };
        assert_eq!(e.to_string(), "rate limited (retry after 1500 ms)");
        let e = Error::CardFailed {
            state: "frontside_failed".into(),
            error: Some(ServerError {
                kind: "RejectedCard".into(),
                message: "Rejecting scan for invalid card".into(),
                code: "UKN".into(),
            }),
        };
        assert_eq!(
            e.to_string(),
            "card processing failed (frontside_failed): RejectedCard (UKN): Rejecting scan for invalid card"
        );
        assert!(!e.to_string().contains('\n'));
    }

    #[test]
    fn transient_classification() {
        assert!(Error::Server { status: 503 }.is_transient());
        assert!(Error::Timeout.is_transient());
        assert!(!Error::Unauthorized.is_transient());
        assert!(!Error::invalid("npi", "must be 10 digits").is_transient());
    }
}
