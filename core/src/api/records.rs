//! Raw eligibility operations (validation and waiting are in [`crate::eligibility`]).

use super::models::{EligibilityInfo, EligibilityPage, EligibilityRecord, PageRequest};
use super::transport::RequestSpec;
use super::Client;
use crate::error::{Error, Result};
use serde_json::json;

impl Client {
    /// `POST /eligibility` (201, state `processing`). Sent as given: use
    /// [`crate::eligibility::validate`] (or `check_eligibility`) to check it first.
    pub async fn create_eligibility(
        &self,
        card_id: &str,
        info: &EligibilityInfo,
    ) -> Result<EligibilityRecord> {
        let eligibility = serde_json::to_value(info).map_err(|e| Error::Decode(e.to_string()))?;
        let spec = RequestSpec::post(&["eligibility"])
            .json(json!({ "card_id": card_id, "eligibility": eligibility }));
        self.transport.json(spec).await
    }

    /// `GET /eligibility/{eligibility_id}`.
    pub async fn get_eligibility(&self, eligibility_id: &str) -> Result<EligibilityRecord> {
        self.transport
            .json(RequestSpec::get(&["eligibility", eligibility_id]))
            .await
    }

    /// `GET /eligibility` (limit ≤ 30).
    pub async fn list_eligibility(&self, page: &PageRequest) -> Result<EligibilityPage> {
        let spec = RequestSpec::get(&["eligibility"])
            .query_opt("limit", page.limit)
            .query_opt("cursor", page.cursor.as_deref());
        self.transport.json(spec).await
    }
}
