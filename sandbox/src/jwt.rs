//! HS256 JSON Web Tokens for session and magic-link tokens.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde::{Deserialize, Serialize};

use crate::signing::Signer;

/// What a sandbox token grants.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    /// A session token from `/access-token`: the user's own cards.
    Session,
    /// A token from `/validate-magic-link`: upload and read the cards of the
    /// session that generated the link, nothing else.
    MagicLink,
}

/// Claims of a sandbox token.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claims {
    /// The identity (the `user_id` when given).
    pub sub: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_id: Option<String>,
    pub session_id: String,
    pub identity_id: String,
    pub scope: Scope,
    pub iat: i64,
    pub exp: i64,
    /// Serial number, so "expire every token issued so far" is exact.
    pub tsn: u64,
}

/// Why a token was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenError {
    Malformed,
    BadSignature,
    Expired,
}

/// `header.claims.signature`, base64url without padding.
pub fn encode(signer: &Signer, claims: &Claims) -> String {
    let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"HS256","typ":"JWT"}"#);
    let body = URL_SAFE_NO_PAD.encode(serde_json::to_vec(claims).unwrap_or_default());
    let signing_input = format!("{header}.{body}");
    let sig = URL_SAFE_NO_PAD.encode(signer.sign(signing_input.as_bytes()));
    format!("{signing_input}.{sig}")
}

/// Checks the signature and the `exp` claim; `now` in Unix seconds.
pub fn decode(signer: &Signer, token: &str, now: i64) -> Result<Claims, TokenError> {
    let mut parts = token.split('.');
    let (Some(header), Some(body), Some(sig), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(TokenError::Malformed);
    };
    let sig = URL_SAFE_NO_PAD
        .decode(sig)
        .map_err(|_| TokenError::Malformed)?;
    if !signer.verify(format!("{header}.{body}").as_bytes(), &sig) {
        return Err(TokenError::BadSignature);
    }
    let body = URL_SAFE_NO_PAD
        .decode(body)
        .map_err(|_| TokenError::Malformed)?;
    let claims: Claims = serde_json::from_slice(&body).map_err(|_| TokenError::Malformed)?;
    if claims.exp <= now {
        return Err(TokenError::Expired);
    }
    Ok(claims)
}

/// Whether `s` has the three-part shape of a JWT (so it is not an API key).
pub fn looks_like_jwt(s: &str) -> bool {
    s.split('.').count() == 3
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claims(exp: i64) -> Claims {
        Claims {
            sub: "u1".into(),
            user_id: Some("u1".into()),
            session_id: "s1".into(),
            identity_id: "i1".into(),
            scope: Scope::Session,
            iat: 0,
            exp,
            tsn: 1,
        }
    }

    #[test]
    fn round_trips_and_rejects_tampering_other_keys_and_expiry() {
        let signer = Signer::new(Some(b"k".to_vec()));
        let token = encode(&signer, &claims(100));
        assert_eq!(decode(&signer, &token, 50), Ok(claims(100)));
        assert_eq!(decode(&signer, &token, 100), Err(TokenError::Expired));
        assert_eq!(
            decode(&Signer::new(Some(b"other".to_vec())), &token, 50),
            Err(TokenError::BadSignature)
        );
        let forged_body = encode(&signer, &claims(10_000))
            .split('.')
            .nth(1)
            .unwrap()
            .to_string();
        let mut parts = token.split('.');
        let (header, _, sig) = (parts.next().unwrap(), parts.next(), parts.next().unwrap());
        let tampered = format!("{header}.{forged_body}.{sig}");
        assert_eq!(
            decode(&signer, &tampered, 50),
            Err(TokenError::BadSignature)
        );
        assert_eq!(decode(&signer, "a.b", 0), Err(TokenError::Malformed));
    }
}
