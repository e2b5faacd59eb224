//! The CardScan REST API client: configuration, typed models, every
//! operation of the spec, over the reusable [`transport`].
//!
//! Higher-level flows are in sibling modules: [`crate::upload`]
//! (`upload_card_image`), [`crate::events`] (`wait_for_card`, following a
//! card), [`crate::eligibility`] (`check_eligibility`) and [`crate::handoff`].

mod cards;
mod client;
mod config;
pub mod models;
mod records;
mod session;
pub mod token;
pub mod transport;
mod uploads;

pub use cards::CLIENT_REQUEST_ID_KEY;
pub use client::Client;
pub use config::{Auth, ClientConfig, Environment};
pub use models::*;
pub use session::ApiKeyTokenProvider;
pub use token::{jwt_expiry, AccessToken, TokenCache, TokenProvider};
pub use transport::{RetryPolicy, Secret, Timeouts};
pub use uploads::EXPIRATION_RANGE;
