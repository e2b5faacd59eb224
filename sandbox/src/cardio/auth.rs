//! Client-credentials authentication, bearer checks, magic links and the
//! admin routes tests use to expire tokens and read counters.

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};

use super::reply;
use super::state::{CardioState, Grant};

/// Scopes a token may carry; an empty request scope grants both.
const KNOWN_SCOPES: [&str; 2] = ["api.read", "api.write"];

/// The organisation the sandbox's client id belongs to.
fn organization(state: &CardioState) -> Value {
    json!({
        "organizationId": "00000000-0000-4000-8000-0000000ca4d1",
        "azureClientId": state.config.client_id,
        "organizationName": "CardioExplorer Sandbox Organisation",
        "contactEmail": "sandbox@example.invalid",
        "accessLevel": 2,
        "isActive": true,
        "rateLimitPerHour": 1000,
        "allowedIpAddresses": "127.0.0.0/8",
    })
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct AuthRequest {
    client_id: Option<String>,
    client_secret: Option<String>,
    scope: Option<String>,
}

/// `POST /api/organization-auth/authenticate`.
pub async fn authenticate(State(state): State<Arc<CardioState>>, body: Bytes) -> Response {
    let Ok(req) = serde_json::from_slice::<AuthRequest>(&body) else {
        return reply::error(
            StatusCode::BAD_REQUEST,
            "Request body must be JSON",
            Vec::new(),
        );
    };
    let (Some(id), Some(secret)) = (req.client_id, req.client_secret) else {
        let issues = vec!["clientId and clientSecret are required".to_owned()];
        return reply::error(StatusCode::BAD_REQUEST, "Invalid request", issues);
    };
    let scopes = match parse_scopes(req.scope.as_deref()) {
        Ok(s) => s,
        Err(issue) => return reply::error(StatusCode::BAD_REQUEST, "Invalid scope", vec![issue]),
    };
    if !constant_time_eq(&id, &state.config.client_id)
        || !constant_time_eq(&secret, &state.config.client_secret)
    {
        state.lock().failed_authentications += 1;
        return reply::error(
            StatusCode::UNAUTHORIZED,
            "Invalid client credentials",
            Vec::new(),
        );
    }
    let token = format!("cx_sbx_{}", uuid::Uuid::new_v4().simple());
    let ttl = {
        let mut inner = state.lock();
        let ttl = inner.token_ttl.unwrap_or(state.config.token_ttl);
        inner.authentications += 1;
        inner.tokens.insert(
            token.clone(),
            Grant {
                expires: Instant::now() + ttl,
                scopes,
            },
        );
        ttl
    };
    let data = json!({
        "accessToken": token,
        "tokenType": "Bearer",
        "expiresIn": ttl.as_secs(),
        "organization": organization(&state),
    });
    reply::ok("Authentication successful", data)
}

fn parse_scopes(scope: Option<&str>) -> Result<Vec<String>, String> {
    let requested: Vec<&str> = scope.unwrap_or("").split_whitespace().collect();
    if requested.is_empty() {
        return Ok(KNOWN_SCOPES.iter().map(|s| (*s).to_owned()).collect());
    }
    match requested.iter().find(|s| !KNOWN_SCOPES.contains(s)) {
        Some(bad) => Err(format!(
            "unknown scope {bad:?} (known: api.read, api.write)"
        )),
        None => Ok(requested.into_iter().map(str::to_owned).collect()),
    }
}

/// Avoids leaking, through timing, how much of a secret matched.
fn constant_time_eq(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// Checks `Authorization: Bearer <token>`: unknown or expired → 401,
/// valid but without `scope` → 403.
// The error is the response a handler returns as is (axum's `Response`
// is large, but this runs once per request).
#[allow(clippy::result_large_err)]
pub fn require(state: &CardioState, headers: &HeaderMap, scope: &str) -> Result<(), Response> {
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim);
    let mut inner = state.lock();
    let revoked = inner.reject_tokens;
    let grant = token
        .and_then(|t| inner.tokens.get(t))
        .filter(|g| g.expires > Instant::now() && !revoked);
    let Some(grant) = grant else {
        inner.rejected_tokens += 1;
        return Err(reply::unauthorized());
    };
    if !grant.scopes.iter().any(|s| s == scope) {
        let msg = format!("The access token lacks the {scope} scope");
        return Err(reply::error(StatusCode::FORBIDDEN, &msg, Vec::new()));
    }
    Ok(())
}

/// `POST /api/auth/magic-links/generate`: a one-off login link into the
/// (sandbox's stand-in for the) CardioExplorer UI.
pub async fn magic_link(State(state): State<Arc<CardioState>>, headers: HeaderMap) -> Response {
    if let Err(r) = require(&state, &headers, "api.write") {
        return r;
    }
    state.lock().magic_links += 1;
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("127.0.0.1");
    let ttl = chrono::Duration::from_std(state.config.magic_link_ttl).unwrap_or_default();
    let expires = chrono::Utc::now() + ttl;
    let token = uuid::Uuid::new_v4().simple().to_string();
    let data = json!({
        "magicLink": format!("http://{host}/cardio/magic-login?token={token}&expires={}", expires.timestamp()),
        "message": "Magic link generated successfully",
        "expiresAt": expires.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
    });
    reply::ok("Magic link generated", data)
}

#[derive(Deserialize)]
pub struct MagicLogin {
    expires: Option<i64>,
}

/// `GET /cardio/magic-login`: where sandbox magic links lead.
pub async fn magic_login(Query(q): Query<MagicLogin>) -> Response {
    match q.expires {
        Some(t) if t > chrono::Utc::now().timestamp() => (
            StatusCode::OK,
            "CardioExplorer sandbox: magic link accepted (no real UI here).",
        )
            .into_response(),
        _ => (
            StatusCode::GONE,
            "CardioExplorer sandbox: this magic link has expired.",
        )
            .into_response(),
    }
}

/// `POST /_admin/cardio/expire-tokens`: every issued token expires now.
pub async fn expire_tokens(State(state): State<Arc<CardioState>>) -> Response {
    let now = Instant::now();
    let mut inner = state.lock();
    let count = inner.tokens.len();
    inner.tokens.values_mut().for_each(|g| g.expires = now);
    Json(json!({"expired": count})).into_response()
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AdminConfig {
    token_ttl_secs: Option<u64>,
    /// Refuse every token, even fresh ones (revoked credentials).
    reject_tokens: Option<bool>,
}

/// `POST /_admin/cardio/config {"tokenTtlSecs": n, "rejectTokens": bool}`:
/// lifetime of new tokens; whether every token is refused.
pub async fn configure(
    State(state): State<Arc<CardioState>>,
    Json(cfg): Json<AdminConfig>,
) -> Response {
    let mut inner = state.lock();
    if let Some(secs) = cfg.token_ttl_secs {
        inner.token_ttl = Some(Duration::from_secs(secs));
    }
    if let Some(reject) = cfg.reject_tokens {
        inner.reject_tokens = reject;
    }
    StatusCode::NO_CONTENT.into_response()
}

/// `GET /_admin/cardio/stats`: counters for tests.
pub async fn stats(State(state): State<Arc<CardioState>>) -> Response {
    let inner = state.lock();
    Json(json!({
        "authentications": inner.authentications,
        "failedAuthentications": inner.failed_authentications,
        "rejectedTokens": inner.rejected_tokens,
        "magicLinks": inner.magic_links,
        "drafts": inner.tests.len(),
        "runs": inner.runs,
    }))
    .into_response()
}
