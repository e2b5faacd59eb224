//! `HandoffLink`: the web-to-mobile handoff URL
//! (`…/?token=&companyName=&backsideSupport=`), parsed and built.

use std::sync::Arc;

use cardscan_core::api::Secret;
use cardscan_core::handoff::HandoffLink as CoreLink;

use crate::error::Result;

/// The content of a handoff link (shown as a QR code on the desktop).
#[derive(uniffi::Object)]
pub struct HandoffLink {
    inner: CoreLink,
}

impl std::fmt::Debug for HandoffLink {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.inner.fmt(f)
    }
}

impl From<CoreLink> for HandoffLink {
    fn from(inner: CoreLink) -> Self {
        HandoffLink { inner }
    }
}

impl HandoffLink {
    pub(crate) fn core(&self) -> &CoreLink {
        &self.inner
    }
}

#[uniffi::export]
impl HandoffLink {
    /// A link for a magic-link token.
    #[uniffi::constructor]
    pub fn new(token: String, company_name: Option<String>, backside_support: bool) -> Arc<Self> {
        Arc::new(
            CoreLink {
                token: Secret::new(token),
                company_name,
                backside_support,
            }
            .into(),
        )
    }

    /// Parses a scanned handoff URL; `InvalidInput` when it is not one.
    #[uniffi::constructor]
    pub fn parse(url: String) -> Result<Arc<Self>> {
        Ok(Arc::new(CoreLink::parse(&url)?.into()))
    }

    /// The URL for `urlBase` (your capture page or CardScan's).
    pub fn build(&self, url_base: String) -> Result<String> {
        Ok(self.inner.build(&url_base)?)
    }

    /// The magic-link token (pass to `validateMagicLink` / `acceptHandoff`).
    pub fn token(&self) -> String {
        self.inner.token.expose().to_string()
    }

    pub fn company_name(&self) -> Option<String> {
        self.inner.company_name.clone()
    }

    pub fn backside_support(&self) -> bool {
        self.inner.backside_support
    }
}

/// A generated handoff: the link and its URL.
#[derive(Debug, uniffi::Record)]
pub struct Handoff {
    pub link: Arc<HandoffLink>,
    pub url: String,
}
