//! Plain records and enums Swift and Kotlin see for API results, converted
//! from the core's serde models. Scores stay as the API sends them (strings)
//! and are also offered as numbers; every record keeps the full JSON
//! (`rawJson`) so nothing the API adds later is lost to the app.

mod card;
mod eligibility;
mod session;

pub use card::*;
pub use eligibility::*;
pub use session::*;

/// A server-side error carried by a card, an eligibility record or an event.
#[derive(Clone, Debug, PartialEq, uniffi::Record)]
pub struct ServerError {
    /// e.g. `RejectedCard`.
    pub error_type: String,
    /// The service's fixed message.
    pub message: String,
    /// e.g. `UKN`.
    pub code: String,
}

impl From<cardscan_core::api::ModelError> for ServerError {
    fn from(e: cardscan_core::api::ModelError) -> Self {
        let e: cardscan_core::error::ServerError = e.into();
        ServerError {
            error_type: e.kind,
            message: e.message,
            code: e.code,
        }
    }
}

/// JSON text of a serde model ("{}" if it cannot be encoded, which serde
/// models of plain data never hit).
pub(crate) fn json_of<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| "{}".to_string())
}
