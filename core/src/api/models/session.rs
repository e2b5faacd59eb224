//! Tokens and magic links.

use super::time::Timestamp;
use crate::api::transport::Secret;
use serde::{Deserialize, Serialize};

/// Answer of `GET /access-token` and `GET /validate-magic-link`
/// (PascalCase `Token` / `IdentityId` on the wire).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SessionToken {
    #[serde(rename = "Token")]
    pub token: Secret,
    #[serde(rename = "IdentityId", default)]
    pub identity_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub session_id: Option<String>,
}

/// Answer of `GET /generate-magic-link`.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
pub struct MagicLink {
    /// Carries the token: treat as a secret.
    pub magic_link: String,
    pub token: Secret,
    pub expires_at: Timestamp,
}

impl std::fmt::Debug for MagicLink {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MagicLink")
            .field("expires_at", &self.expires_at)
            .finish_non_exhaustive()
    }
}
