//! `check_eligibility`: validate, create, wait, return the result.

mod validate;

pub use validate::{normalize_date_of_birth, npi_is_valid, validate};

use crate::api::{Client, EligibilityInfo, EligibilityRecord, EligibilityState, EventKind};
use crate::error::{Error, Result};
use crate::events::{FollowOptions, Subject};
use std::time::Duration;

impl Client {
    /// Check a subscriber's coverage against a completed card: the request
    /// is validated first ([`Error::InvalidInput`], nothing sent), then
    /// created, then followed (WebSocket eligibility events, or polling) until
    /// `completed` (returned) or `error` ([`Error::CardFailed`] with state
    /// `error`), within `timeout`.
    pub async fn check_eligibility(
        &self,
        card_id: &str,
        request: &EligibilityInfo,
        timeout: Duration,
    ) -> Result<EligibilityRecord> {
        let request = validate(request)?;
        if card_id.trim().is_empty() {
            return Err(Error::invalid("card_id", "must not be empty"));
        }
        let created = self.create_eligibility(card_id, &request).await?;
        let wait =
            self.wait_for_eligibility(card_id, &created.eligibility_id, FollowOptions::default());
        tokio::time::timeout(timeout, wait)
            .await
            .unwrap_or(Err(Error::Timeout))
    }

    /// Follow an eligibility record until it is `completed` or `error`.
    pub async fn wait_for_eligibility(
        &self,
        card_id: &str,
        eligibility_id: &str,
        options: FollowOptions,
    ) -> Result<EligibilityRecord> {
        let subject = Subject::Eligibility {
            card_id: card_id.to_string(),
            eligibility_id: eligibility_id.to_string(),
        };
        let mut events = self.follow_with(subject, options);
        while let Some(event) = events.next().await {
            let event = event?;
            let ours = event.kind == EventKind::Eligibility
                && event
                    .eligibility_id
                    .as_deref()
                    .is_none_or(|id| id == eligibility_id);
            if !ours || !event.state.is_final() {
                continue;
            }
            let record = self.get_eligibility(eligibility_id).await?;
            match record.state {
                EligibilityState::Completed => return Ok(record),
                EligibilityState::Error => {
                    return Err(Error::CardFailed {
                        state: "error".into(),
                        error: record.error.map(Into::into),
                    })
                }
                _ => continue,
            }
        }
        Err(Error::WebSocket(
            "the event stream ended before the eligibility check finished".into(),
        ))
    }
}
