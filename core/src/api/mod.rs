//! The CardScan REST API client.

pub mod token;
pub mod transport;

pub use token::{jwt_expiry, AccessToken, TokenCache, TokenProvider};
