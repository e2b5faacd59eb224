//! Session tokens and magic links.

use axum::extract::State;
use axum::response::{Html, IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};
use uuid::Uuid;

use crate::auth::Caller;
use crate::clock;
use crate::error::{ApiError, ApiResult};
use crate::extract::QueryMap;
use crate::jwt::{self, Claims, Scope};
use crate::model::{MagicLink, Owner};
use crate::origin::Origin;
use crate::state::App;
use crate::stats::Counters;

/// A stable identity id per user (Cognito-like `region:uuid` shape).
fn identity_id(app: &App, sub: &str) -> String {
    let mac = app.signer.sign(format!("identity:{sub}").as_bytes());
    let bytes: [u8; 16] = mac
        .get(..16)
        .and_then(|b| b.try_into().ok())
        .unwrap_or([0; 16]);
    format!("us-east-1:{}", Uuid::from_bytes(bytes))
}

/// Signs a token valid for the configured token lifetime.
fn issue(
    app: &App,
    scope: Scope,
    sub: String,
    user_id: Option<String>,
    session_id: String,
) -> (String, Claims) {
    let now = chrono::Utc::now().timestamp();
    let ttl = i64::try_from(app.config.token_ttl.as_secs())
        .unwrap_or(i64::MAX / 2)
        .max(1);
    let claims = Claims {
        identity_id: identity_id(app, &sub),
        sub,
        user_id,
        session_id,
        scope,
        iat: now,
        exp: now.saturating_add(ttl),
        tsn: app.faults.next_token_serial(),
    };
    Counters::bump(&app.counters.tokens_issued);
    (jwt::encode(&app.signer, &claims), claims)
}

/// `GET /access-token?user_id=` (API key only) → `{Token, IdentityId, session_id}`.
pub async fn access_token(
    State(app): State<App>,
    caller: Caller,
    q: QueryMap,
) -> ApiResult<Json<Value>> {
    if !matches!(caller, Caller::ApiKey) {
        return Err(ApiError::forbidden(
            "An API key is required to issue access tokens",
        ));
    }
    let user_id = q
        .get("user_id")
        .map(str::trim)
        .filter(|u| !u.is_empty())
        .map(str::to_string);
    let session_id = Uuid::new_v4().to_string();
    // Without a user id the identity is the session: its cards are lost with it.
    let sub = user_id
        .clone()
        .unwrap_or_else(|| format!("anonymous:{session_id}"));
    let (token, claims) = issue(&app, Scope::Session, sub, user_id, session_id);
    Ok(Json(
        json!({ "Token": token, "IdentityId": claims.identity_id, "session_id": claims.session_id }),
    ))
}

/// `GET /generate-magic-link` → `{magic_link, token, expires_at}`. Cards
/// the phone uploads with it belong to this caller's session.
pub async fn generate_magic_link(
    State(app): State<App>,
    caller: Caller,
    Origin(origin): Origin,
) -> ApiResult<Json<Value>> {
    caller.require_full_access()?;
    let (owner, user_id) = match &caller {
        Caller::Session(c) => (caller.owner(), c.user_id.clone()),
        // An API key has no session: the link gets a fresh one.
        _ => {
            let session = Uuid::new_v4().to_string();
            (
                Owner {
                    identity: Some(format!("anonymous:{session}")),
                    session_id: Some(session),
                },
                None,
            )
        }
    };
    let token = format!("ml_{}", Uuid::new_v4().simple());
    let ttl =
        chrono::Duration::from_std(app.config.magic_link_ttl).unwrap_or(chrono::Duration::hours(1));
    let expires_at = clock::now() + ttl;
    let link = MagicLink {
        owner,
        user_id,
        expires_at,
    };
    app.store().magic_links.insert(token.clone(), link);
    Ok(Json(json!({
        "magic_link": format!("{origin}/capture/?token={token}"),
        "token": token,
        "expires_at": clock::rfc3339(expires_at),
    })))
}

/// `GET /validate-magic-link?token=` (no auth) → `{Token, IdentityId}`;
/// 404 unknown, 410 expired.
pub async fn validate_magic_link(State(app): State<App>, q: QueryMap) -> ApiResult<Json<Value>> {
    let token = q.required("token")?;
    let link = app
        .store()
        .magic_links
        .get(token)
        .cloned()
        .ok_or_else(|| ApiError::not_found("Magic link not found"))?;
    if link.expires_at <= clock::now() {
        return Err(ApiError::gone("Magic link expired"));
    }
    let sub = link.owner.identity.clone().unwrap_or_default();
    let session = link.owner.session_id.clone().unwrap_or_default();
    let (token, claims) = issue(&app, Scope::MagicLink, sub, link.user_id, session);
    Ok(Json(
        json!({ "Token": token, "IdentityId": claims.identity_id }),
    ))
}

/// `GET /capture/?token=`: where a magic link lands. The real service serves
/// its capture web app here; the sandbox only explains what to do.
pub async fn capture_page(q: QueryMap) -> Response {
    let has_token = q.get("token").is_some_and(|t| !t.is_empty());
    let text = if has_token {
        "CardScan sandbox: open this link in an app built on cardscan-core to scan the card for the desktop session."
    } else {
        "CardScan sandbox capture page: the link has no token."
    };
    Html(format!(
        "<!doctype html><title>CardScan sandbox</title><p>{text}</p>"
    ))
    .into_response()
}
