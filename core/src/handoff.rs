//! Web-to-mobile handoff (magic links).

/// Default capture page (live).
pub const LIVE_CAPTURE_URL: &str = "https://capture.cardscan.ai";
/// Default capture page (sandbox).
pub const SANDBOX_CAPTURE_URL: &str = "https://sandbox-capture.cardscan.ai";
