//! `TokenProvider`: the foreign trait an app implements to hand the SDK
//! fresh session tokens (usually by asking its own backend, which holds the
//! API key). Swift: `func fetchToken() async throws -> String`; Kotlin:
//! `suspend fun fetchToken(): String`.
//!
//! The core calls it lazily, before expiry (JWT `exp`) and exactly once per
//! 401, however many requests were rejected together.

use std::sync::Arc;

use cardscan_core::api::TokenProvider as CoreTokenProvider;
use cardscan_core::error::Error as CoreError;
use futures::future::BoxFuture;

use crate::error::CardScanError;

/// Supplies session tokens to the SDK.
#[uniffi::export(with_foreign)]
#[async_trait::async_trait]
pub trait TokenProvider: Send + Sync {
    /// Return a fresh session token (from `GET /access-token` on your
    /// backend). Throw `CardScanError`/`CardScanException` to fail the
    /// request that needed it; any other exception is reported as
    /// `TokenProvider`.
    async fn fetch_token(&self) -> Result<String, CardScanError>;
}

/// Adapts the foreign trait to the core's [`CoreTokenProvider`].
pub(crate) struct ForeignTokenProvider(pub Arc<dyn TokenProvider>);

impl CoreTokenProvider for ForeignTokenProvider {
    fn fetch_token(&self) -> BoxFuture<'_, cardscan_core::error::Result<String>> {
        Box::pin(async move { self.0.fetch_token().await.map_err(to_core) })
    }
}

/// The app's error, as the core sees it: kinds that exist in both keep
/// their meaning; anything else is a failure to obtain a credential.
fn to_core(e: CardScanError) -> CoreError {
    match e {
        CardScanError::Unauthorized { .. } => CoreError::Unauthorized,
        CardScanError::Forbidden { .. } => CoreError::Forbidden,
        CardScanError::Network { reason } => CoreError::Network(reason),
        CardScanError::Timeout { .. } => CoreError::Timeout,
        CardScanError::Cancelled => CoreError::Cancelled,
        CardScanError::Server { status } => CoreError::Server { status },
        other => CoreError::Config(format!("the token provider failed: {other}")),
    }
}
