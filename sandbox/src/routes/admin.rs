//! `/_admin`: fault injection and counters over HTTP, for manual play and
//! for clients in other processes. Not part of the CardScan API; no auth
//! (the sandbox is a local test server).

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use bytes::Bytes;
use serde::Deserialize;
use serde_json::Value;

use crate::error::ApiResult;
use crate::extract::json;
use crate::faults::FaultRule;
use crate::state::App;
use crate::stats::Stats;

/// One rule, a list of rules, or `{"spec": "ROUTE:KIND:VALUE"}`.
#[derive(Deserialize)]
#[serde(untagged)]
enum NewFaults {
    Many(Vec<FaultRule>),
    One(FaultRule),
    Spec { spec: String },
}

/// `POST /_admin/faults` → the active rules.
pub async fn add_faults(State(app): State<App>, body: Bytes) -> ApiResult<Json<Vec<FaultRule>>> {
    let rules = match json::<NewFaults>(&body)? {
        NewFaults::Many(rules) => rules,
        NewFaults::One(rule) => vec![rule],
        NewFaults::Spec { spec } => {
            vec![spec.parse().map_err(|e: crate::faults::FaultSpecError| {
                crate::error::ApiError::bad_request(e.to_string())
            })?]
        }
    };
    for rule in rules {
        app.faults.add(rule);
    }
    Ok(Json(app.faults.rules()))
}

/// `GET /_admin/faults`.
pub async fn list_faults(State(app): State<App>) -> Json<Vec<FaultRule>> {
    Json(app.faults.rules())
}

/// `DELETE /_admin/faults` → 204.
pub async fn clear_faults(State(app): State<App>) -> StatusCode {
    app.faults.clear();
    StatusCode::NO_CONTENT
}

/// `POST /_admin/expire-tokens` → 204: every token issued so far gets 401.
pub async fn expire_tokens(State(app): State<App>) -> StatusCode {
    app.faults.expire_tokens_now();
    StatusCode::NO_CONTENT
}

/// `POST /_admin/drop-websockets` → 204: open sockets close abnormally.
pub async fn drop_websockets(State(app): State<App>) -> StatusCode {
    app.faults.drop_websockets_now();
    StatusCode::NO_CONTENT
}

/// `GET /_admin/stats`.
pub async fn stats(State(app): State<App>) -> Json<Stats> {
    Json(
        app.counters
            .snapshot(app.faults.injected(), app.hub.open_sockets()),
    )
}

/// Unknown paths answer the API's 404 body.
pub async fn not_found() -> (StatusCode, Json<Value>) {
    (
        StatusCode::NOT_FOUND,
        Json(serde_json::json!({ "message": "Not Found", "type": "NotFound", "code": 404 })),
    )
}
