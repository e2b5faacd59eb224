//! Magic links (web-to-mobile handoff tokens).

use cardscan_core::api as core;

/// A one-hour link that lets a patient continue a scan on another device.
#[derive(Clone, PartialEq, uniffi::Record)]
pub struct MagicLink {
    /// The link to show or send.
    pub url: String,
    /// The token inside it (validate it with `validateMagicLink`).
    pub token: String,
    /// As the API sent it.
    pub expires_at: String,
    /// Milliseconds since the Unix epoch, when the timestamp parses.
    pub expires_at_ms: Option<i64>,
}

impl std::fmt::Debug for MagicLink {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MagicLink")
            .field("expires_at", &self.expires_at)
            .finish_non_exhaustive()
    }
}

impl From<core::MagicLink> for MagicLink {
    fn from(m: core::MagicLink) -> Self {
        MagicLink {
            url: m.magic_link,
            token: m.token.expose().to_string(),
            expires_at: m.expires_at.as_str().to_string(),
            expires_at_ms: m.expires_at.datetime().map(|t| t.timestamp_millis()),
        }
    }
}

/// A session token (from a validated magic link): use it as
/// `Credentials.SessionToken` to upload and read that session's cards.
#[derive(Clone, PartialEq, uniffi::Record)]
pub struct SessionToken {
    pub token: String,
    pub identity_id: String,
    pub session_id: Option<String>,
}

impl std::fmt::Debug for SessionToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SessionToken")
            .field("session_id", &self.session_id)
            .finish_non_exhaustive()
    }
}

impl From<core::SessionToken> for SessionToken {
    fn from(s: core::SessionToken) -> Self {
        SessionToken {
            token: s.token.expose().to_string(),
            identity_id: s.identity_id,
            session_id: s.session_id,
        }
    }
}
