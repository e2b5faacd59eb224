//! The one error type Swift and Kotlin see: `CardScanError` (Swift) /
//! `CardScanException` (Kotlin; UniFFI renames `…Error` to `…Exception`).
//!
//! Every variant carries only plain fields so that apps can `switch`/`when` on
//! it. Like the core's error, no variant ever carries PHI or a credential: the
//! `reason` strings are the core's messages, which are written to be safe.

use cardscan_core::error::Error as CoreError;

/// Result alias used by every export.
pub type Result<T, E = CardScanError> = std::result::Result<T, E>;

/// Everything that can go wrong in the SDK.
#[derive(Debug, Clone, PartialEq, thiserror::Error, uniffi::Error)]
pub enum CardScanError {
    /// 401: the API key or session token was rejected (after one refresh).
    #[error("unauthorized: {reason}")]
    Unauthorized { reason: String },
    /// 403: the credential may not access this resource.
    #[error("forbidden: {reason}")]
    Forbidden { reason: String },
    /// 404: no such card, eligibility record or magic link.
    #[error("not found: {reason}")]
    NotFound { reason: String },
    /// 410: the resource has expired (e.g. a magic link older than one hour).
    #[error("gone: {reason}")]
    Gone { reason: String },
    /// 400: the server explained what was wrong with the request.
    #[error("bad request: {reason}")]
    BadRequest { reason: String },
    /// 429: too many requests; retry after the given delay when known.
    #[error("rate limited (retry after {retry_after_ms:?} ms)")]
    RateLimited { retry_after_ms: Option<u64> },
    /// 5xx from the server (after the SDK's own retries).
    #[error("server error (HTTP {status})")]
    Server { status: u16 },
    /// Any other unexpected HTTP status.
    #[error("unexpected HTTP status {status}")]
    Http { status: u16 },
    /// The connection could not be made or was dropped.
    #[error("network error: {reason}")]
    Network { reason: String },
    /// A connect, read, total or wait timeout expired.
    #[error("timed out: {reason}")]
    Timeout { reason: String },
    /// The server's answer could not be decoded.
    #[error("could not decode the server's answer: {reason}")]
    Decode { reason: String },
    /// An argument is invalid; nothing was sent.
    #[error("invalid {field}: {reason}")]
    InvalidInput { field: String, reason: String },
    /// The card (or eligibility check) ended in a failure state.
    #[error("card failed ({state}): {reason}")]
    CardFailed {
        /// `frontside_failed`, `backside_failed` or `error`.
        state: String,
        /// The server's error type (e.g. `RejectedCard`), when it gave one.
        error_type: Option<String>,
        /// The server's error code (e.g. `UKN`), when it gave one.
        error_code: Option<String>,
        /// The server's fixed message, or a description of the state.
        reason: String,
    },
    /// A presigned upload was refused by storage.
    #[error("upload refused by storage: {code}")]
    Storage { code: String, reason: String },
    /// The WebSocket failed in a way the caller should know about.
    #[error("websocket error: {reason}")]
    WebSocket { reason: String },
    /// The client is misconfigured (bad URL, missing credentials, …).
    #[error("configuration error: {reason}")]
    Config { reason: String },
    /// The operation was cancelled.
    #[error("cancelled")]
    Cancelled,
    /// A camera frame had a bad size, stride, format or rotation.
    #[error("invalid frame: {reason}")]
    InvalidFrame { reason: String },
    /// An image could not be decoded, or was too large.
    #[error("invalid image: {reason}")]
    InvalidImage { reason: String },
    /// The app's `TokenProvider` failed or threw an unexpected exception.
    #[error("token provider failed: {reason}")]
    TokenProvider { reason: String },
    /// A bug in the SDK (a caught panic): please report it.
    #[error("internal error: {reason}")]
    Internal { reason: String },
}

impl CardScanError {
    pub(crate) fn internal(reason: impl Into<String>) -> Self {
        CardScanError::Internal {
            reason: reason.into(),
        }
    }

    pub(crate) fn invalid(field: &str, reason: impl Into<String>) -> Self {
        CardScanError::InvalidInput {
            field: field.to_string(),
            reason: reason.into(),
        }
    }
}

/// A foreign callback (e.g. the app's `TokenProvider`) threw something that is
/// not a `CardScanException`: UniFFI hands it to us as this type.
impl From<uniffi::UnexpectedUniFFICallbackError> for CardScanError {
    fn from(e: uniffi::UnexpectedUniFFICallbackError) -> Self {
        CardScanError::TokenProvider { reason: e.reason }
    }
}

impl From<CoreError> for CardScanError {
    fn from(e: CoreError) -> Self {
        let reason = e.to_string();
        match e {
            CoreError::Unauthorized => CardScanError::Unauthorized { reason },
            CoreError::Forbidden => CardScanError::Forbidden { reason },
            CoreError::NotFound => CardScanError::NotFound { reason },
            CoreError::Gone => CardScanError::Gone { reason },
            CoreError::BadRequest { message } => CardScanError::BadRequest { reason: message },
            CoreError::RateLimited { retry_after } => CardScanError::RateLimited {
                retry_after_ms: retry_after.map(|d| d.as_millis().min(u64::MAX as u128) as u64),
            },
            CoreError::Server { status } => CardScanError::Server { status },
            CoreError::Http { status } => CardScanError::Http { status },
            CoreError::Network(reason) => CardScanError::Network { reason },
            CoreError::Timeout => CardScanError::Timeout { reason },
            CoreError::Decode(reason) => CardScanError::Decode { reason },
            CoreError::InvalidInput { field, reason } => {
                CardScanError::InvalidInput { field, reason }
            }
            CoreError::CardFailed { state, error } => CardScanError::CardFailed {
                state,
                error_type: error.as_ref().map(|e| e.kind.clone()),
                error_code: error.as_ref().map(|e| e.code.clone()),
                reason: error.map(|e| e.message).unwrap_or(reason),
            },
            CoreError::Storage { code, message } => CardScanError::Storage {
                code,
                reason: message,
            },
            CoreError::Cancelled => CardScanError::Cancelled,
            CoreError::WebSocket(reason) => CardScanError::WebSocket { reason },
            CoreError::Config(reason) => CardScanError::Config { reason },
            // The core's enum is non-exhaustive: a variant added later still
            // reaches the app, typed as internal, with its (PHI-free) message.
            #[allow(unreachable_patterns)]
            _ => CardScanError::Internal { reason },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn core_errors_keep_their_kind_and_fields() {
        let e: CardScanError = CoreError::InvalidInput {
            field: "provider.npi".into(),
            reason: "must be 10 digits".into(),
        }
        .into();
        assert_eq!(
            e,
            CardScanError::invalid("provider.npi", "must be 10 digits")
        );
        let e: CardScanError = CoreError::RateLimited {
            retry_after: Some(std::time::Duration::from_secs(2)),
        }
        .into();
        assert_eq!(
            e,
            CardScanError::RateLimited {
                retry_after_ms: Some(2000)
            }
        );
    }

    #[test]
    fn unexpected_callback_errors_become_token_provider_errors() {
        let e: CardScanError = uniffi::UnexpectedUniFFICallbackError {
            reason: "boom".into(),
        }
        .into();
        assert!(matches!(e, CardScanError::TokenProvider { ref reason } if reason == "boom"));
    }
}
