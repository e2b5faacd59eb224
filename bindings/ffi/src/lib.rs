//! cardscan-ffi: the UniFFI layer, everything Swift and Kotlin see of
//! cardscan-core.
//!
//! The core knows nothing of UniFFI; this crate converts its types to small
//! public records/enums/objects, maps its errors to one [`CardScanError`],
//! runs async work on one SDK-owned tokio runtime ([`runtime`]) and keeps
//! panics from crossing the boundary ([`guard`]). One module per concept.

uniffi::setup_scaffolding!();

mod client;
mod config;
mod error;
mod events;
mod guard;
mod handoff;
mod runtime;
mod scanner;
mod token;
mod types;

pub use config::{ClientConfig, Credentials, Environment};
pub use error::CardScanError;
pub use token::TokenProvider;

/// The SDK version (the cardscan-ffi crate version), for support reports.
#[uniffi::export]
pub fn sdk_version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}
