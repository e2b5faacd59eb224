//! The HTTP routes: the CardScan API under `/v1`, the WebSocket at `/ws`
//! (and `/v1/ws`), the S3 and image stand-ins, the admin endpoints, and the
//! CardioExplorer routes at the root.

mod admin;
pub mod cards;
mod eligibility;
mod tokens;
mod uploads;

use axum::extract::{DefaultBodyLimit, MatchedPath, Request, State};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;

use crate::state::App;
use crate::{cardio, images, s3, ws};

/// The whole application.
pub fn app(state: App) -> Router {
    let s3_limit = state.config.max_upload_bytes.saturating_add(1024 * 1024);
    let api = Router::new()
        .route("/v1/access-token", get(tokens::access_token))
        .route("/v1/cards", get(cards::list).post(cards::create))
        .route("/v1/cards/search", get(cards::search))
        .route("/v1/cards/{card_id}", get(cards::get).delete(cards::delete))
        .route("/v1/cards/{card_id}/upload", post(uploads::direct))
        .route("/v1/cards/{card_id}/performance", post(cards::performance))
        .route(
            "/v1/cards/{card_id}/generate-upload-url",
            post(uploads::card_upload_url),
        )
        .route("/v1/cards/{card_id}/flag", post(cards::flag))
        .route("/v1/scans/{scan_id}/metadata", post(uploads::scan_metadata))
        .route("/v1/generate-upload-url", get(uploads::legacy_upload_url))
        .route(
            "/v1/eligibility",
            get(eligibility::list).post(eligibility::create),
        )
        .route("/v1/eligibility/{eligibility_id}", get(eligibility::get))
        .route("/v1/generate-magic-link", get(tokens::generate_magic_link))
        .route("/v1/validate-magic-link", get(tokens::validate_magic_link))
        .route("/v1/ws", get(ws::handler))
        .route("/ws", get(ws::handler))
        .route(
            "/_s3/upload",
            post(s3::upload).layer(DefaultBodyLimit::max(s3_limit)),
        )
        .route("/_images/{card_id}/{side}", get(images::serve))
        .route("/capture/", get(tokens::capture_page))
        .route("/capture", get(tokens::capture_page))
        .route(
            "/_admin/faults",
            get(admin::list_faults)
                .post(admin::add_faults)
                .delete(admin::clear_faults),
        )
        .route("/_admin/expire-tokens", post(admin::expire_tokens))
        .route("/_admin/drop-websockets", post(admin::drop_websockets))
        .route("/_admin/stats", get(admin::stats))
        .route_layer(middleware::from_fn_with_state(state.clone(), count_request))
        .fallback(admin::not_found)
        .with_state(state);
    api.merge(cardio::router())
}

/// Counts requests per matched route for [`crate::Stats`].
async fn count_request(State(app): State<App>, request: Request, next: Next) -> Response {
    if let Some(path) = request.extensions().get::<MatchedPath>() {
        app.counters
            .count_request(format!("{} {}", request.method(), path.as_str()));
    }
    next.run(request).await
}
