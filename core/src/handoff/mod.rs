//! Web-to-mobile handoff: the desktop generates a magic link and shows it as
//! a QR code; the phone parses it, validates the token, and scans with the
//! limited token it gets back.

mod link;

pub use link::HandoffLink;

use crate::api::{Client, SessionToken};
use crate::error::Result;

/// Default capture page (live).
pub const LIVE_CAPTURE_URL: &str = "https://capture.cardscan.ai";
/// Default capture page (sandbox).
pub const SANDBOX_CAPTURE_URL: &str = "https://sandbox-capture.cardscan.ai";

impl Client {
    /// Generate a magic link and the handoff URL to show (for `url_base`, or
    /// the environment's default capture page).
    pub async fn generate_handoff(
        &self,
        company_name: Option<&str>,
        backside_support: bool,
        url_base: Option<&str>,
    ) -> Result<(HandoffLink, String)> {
        let magic = self.generate_magic_link().await?;
        let link = HandoffLink {
            token: magic.token,
            company_name: company_name.map(str::to_string),
            backside_support,
        };
        let url = link.build(url_base.unwrap_or(self.environment().capture_url_base()))?;
        Ok((link, url))
    }

    /// On the phone: validate a scanned handoff link; returns the session
    /// token to scan with ([`crate::error::Error::Gone`] once expired).
    pub async fn accept_handoff(&self, link: &HandoffLink) -> Result<SessionToken> {
        self.validate_magic_link(link.token.expose()).await
    }
}
