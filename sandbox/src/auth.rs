//! Who is calling: an API key, a session token or a magic-link token, all
//! sent as `Authorization: Bearer <secret>` (WebSockets: `?token=`).

use axum::extract::FromRequestParts;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;

use crate::error::ApiError;
use crate::jwt::{self, Claims, Scope, TokenError};
use crate::model::{Card, Owner};
use crate::state::App;

/// The authenticated caller of a request.
#[derive(Clone, Debug)]
pub enum Caller {
    /// A configured API key: sees everything of the account.
    ApiKey,
    /// A session token: the cards of its identity.
    Session(Claims),
    /// A magic-link token: the cards of the desktop session that made the link.
    MagicLink(Claims),
}

impl Caller {
    /// Authenticates a bearer secret.
    pub fn authenticate(app: &App, secret: &str) -> Result<Caller, ApiError> {
        if app.config.api_keys.iter().any(|k| k == secret) {
            return Ok(Caller::ApiKey);
        }
        if !jwt::looks_like_jwt(secret) {
            return Err(ApiError::unregistered_key());
        }
        let claims = match jwt::decode(&app.signer, secret, chrono::Utc::now().timestamp()) {
            Ok(c) if app.faults.token_expired(c.tsn) => {
                return Err(ApiError::unauthorized("Token has expired"))
            }
            Ok(c) => c,
            Err(TokenError::Expired) => return Err(ApiError::unauthorized("Token has expired")),
            Err(TokenError::BadSignature | TokenError::Malformed) => {
                return Err(ApiError::unauthorized("Invalid token"))
            }
        };
        Ok(match claims.scope {
            Scope::Session => Caller::Session(claims),
            Scope::MagicLink => Caller::MagicLink(claims),
        })
    }

    /// The owner stamped on records this caller creates.
    pub fn owner(&self) -> Owner {
        match self {
            Caller::ApiKey => Owner::default(),
            Caller::Session(c) | Caller::MagicLink(c) => Owner {
                identity: Some(c.sub.clone()),
                session_id: Some(c.session_id.clone()),
            },
        }
    }

    /// The session whose events a WebSocket of this caller receives.
    pub fn session_id(&self) -> Option<&str> {
        match self {
            Caller::ApiKey => None,
            Caller::Session(c) | Caller::MagicLink(c) => Some(&c.session_id),
        }
    }

    /// Whether this caller may read or change a record owned by `owner`.
    pub fn can_access(&self, owner: &Owner) -> bool {
        match self {
            Caller::ApiKey => true,
            Caller::Session(c) => owner.identity.as_deref() == Some(c.sub.as_str()),
            Caller::MagicLink(c) => owner.session_id.as_deref() == Some(c.session_id.as_str()),
        }
    }

    /// 403 unless the caller may access `card`.
    pub fn check_card(&self, card: &Card) -> Result<(), ApiError> {
        if self.can_access(&card.owner) {
            Ok(())
        } else {
            Err(ApiError::forbidden("You do not have access to this card"))
        }
    }

    /// 403 for magic-link tokens, which may only scan and read their cards.
    pub fn require_full_access(&self) -> Result<(), ApiError> {
        match self {
            Caller::MagicLink(_) => Err(ApiError::forbidden(
                "This token may only upload and read its cards",
            )),
            _ => Ok(()),
        }
    }
}

/// The bearer secret of a request, if any.
pub fn bearer(parts: &Parts) -> Option<&str> {
    let value = parts.headers.get(AUTHORIZATION)?.to_str().ok()?.trim();
    let (scheme, secret) = value.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| secret.trim())
}

impl FromRequestParts<App> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, app: &App) -> Result<Self, Self::Rejection> {
        match bearer(parts) {
            Some(secret) if !secret.is_empty() => Caller::authenticate(app, secret),
            _ => Err(ApiError::unauthorized("Unauthorized")),
        }
    }
}
