//! CardioExplorer endpoints (`/api/...`), merged into the sandbox at the root.
//!
//! Same routes and auth rules as `https://api.cardioexplorer.ai` (see
//! `docs/cardio.md`): client-credentials authentication, bearer tokens that
//! expire (401), a draft step that checks the FHIR bundle, a run step whose
//! deterministic result is marked "SANDBOX RESULT – not for clinical use", the
//! report, and magic links. `/_admin/cardio/*` lets tests expire tokens,
//! shorten their lifetime and read counters.

mod auth;
mod catalogue;
mod draft;
#[cfg(test)]
mod draft_tests;
mod i18n;
mod reply;
mod risk;
mod state;
mod tests_api;

use std::sync::Arc;

use axum::routing::{get, post};

pub use draft::MAX_OBSERVATION_AGE_DAYS;
pub use i18n::SANDBOX_MARK;
pub use risk::BANDS;
pub use state::CardioConfig;

/// The client id every sandbox accepts unless configured otherwise.
pub const DEFAULT_CLIENT_ID: &str = "5a4d6b0e-ca7d-4000-8000-00000000cafe";
/// The matching client secret: a test secret by design, printed by the CLI.
pub const DEFAULT_CLIENT_SECRET: &str = "cx_test_sandbox_secret";

/// Routes of the CardioExplorer sandbox with the default credentials.
pub fn router() -> axum::Router {
    router_with(CardioConfig::default())
}

/// Routes of the CardioExplorer sandbox with the given credentials and lifetimes.
pub fn router_with(config: CardioConfig) -> axum::Router {
    let state = Arc::new(state::CardioState::new(config));
    axum::Router::new()
        .route(
            "/api/organization-auth/authenticate",
            post(auth::authenticate),
        )
        .route("/api/auth/magic-links/generate", post(auth::magic_link))
        .route("/api/fhir/draft-test", post(tests_api::draft_test))
        .route("/api/ccs/v1/tests/{id}/run", post(tests_api::run))
        .route("/api/ccs/v1/tests/{id}/result", get(tests_api::result))
        .route("/cardio/magic-login", get(auth::magic_login))
        .route("/_admin/cardio/expire-tokens", post(auth::expire_tokens))
        .route("/_admin/cardio/config", post(auth::configure))
        .route("/_admin/cardio/stats", get(auth::stats))
        .with_state(state)
}
