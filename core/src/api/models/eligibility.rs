//! Eligibility requests and records.

use super::card::ModelError;
use super::time::Timestamp;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// The provider asking: an NPI plus an organisation or a person's name.
#[derive(Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Provider {
    pub npi: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
}

/// The insured person (PHI: `Debug` redacts it).
#[derive(Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Subscriber {
    pub first_name: String,
    pub last_name: String,
    /// `YYYYMMDD` on the wire; [`crate::eligibility::validate`] normalises other forms.
    pub date_of_birth: String,
}

/// `eligibility` object of `POST /eligibility`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct EligibilityInfo {
    pub provider: Provider,
    pub subscriber: Subscriber,
}

impl std::fmt::Debug for Provider {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Provider")
            .field("npi", &self.npi)
            .finish_non_exhaustive()
    }
}

impl std::fmt::Debug for Subscriber {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Subscriber(<redacted>)")
    }
}

/// State of an eligibility record.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EligibilityState {
    Processing,
    Completed,
    Error,
    #[serde(other)]
    Unknown,
}

/// Deductible or out-of-pocket amounts (strings like `"$250"`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Amounts {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total_amount: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remaining_amount: Option<String>,
}

/// A co-insurance or co-payment amount.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Amount {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount: Option<String>,
}

/// Coverage summary (also the shape of each service category).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CoverageSummary {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub individual_deductible_in_network: Option<Amounts>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub individual_deductible_out_network: Option<Amounts>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub individual_oop_in_network: Option<Amounts>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub individual_oop_out_network: Option<Amounts>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub family_deductible_in_network: Option<Amounts>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub family_deductible_out_network: Option<Amounts>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub family_oop_in_network: Option<Amounts>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub family_oop_out_network: Option<Amounts>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub co_insurance_in_network: Option<Amount>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub co_insurance_out_network: Option<Amount>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub co_payment_in_network: Option<Amount>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub co_payment_out_network: Option<Amount>,
    /// Only on service categories.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_code: Option<String>,
}

/// Summarised eligibility answer. The ~150 service categories (`office_visit`,
/// `urgent_care`, …) are kept in `services` as sent; [`Self::service`] types one.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct EligibilitySummary {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subscriber_details: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payer_details: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plan_details: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub coverage_summary: Option<CoverageSummary>,
    #[serde(flatten)]
    pub services: Map<String, Value>,
}

impl EligibilitySummary {
    /// One service category, typed (`None` when absent or malformed).
    pub fn service(&self, name: &str) -> Option<CoverageSummary> {
        serde_json::from_value(self.services.get(name)?.clone()).ok()
    }

    /// Whether the plan is reported active.
    pub fn plan_active(&self) -> Option<bool> {
        self.plan_details.as_ref()?.get("plan_active")?.as_bool()
    }
}

/// An eligibility record.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EligibilityRecord {
    pub eligibility_id: String,
    pub state: EligibilityState,
    #[serde(default)]
    pub card_id: String,
    pub created_at: Timestamp,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub eligibility_request: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub eligibility_response: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub eligibility_summarized_response: Option<EligibilitySummary>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<ModelError>,
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subscriber_debug_hides_phi() {
        let s = Subscriber {
            first_name: "Emily".into(),
            last_name: "Dickinson".into(),
            date_of_birth: "19801210".into(),
        };
        let shown = format!(
            "{:?}",
            EligibilityInfo {
                provider: Provider::default(),
                subscriber: s
            }
        );
        assert!(!shown.contains("Emily") && !shown.contains("1980"));
    }

    #[test]
    fn decodes_record_with_services() {
        let r: EligibilityRecord = serde_json::from_str(
            r#"{"eligibility_id":"e","state":"completed","card_id":"c","created_at":"2025-06-18T02:19:53Z",
               "eligibility_summarized_response":{"plan_details":{"plan_active":true},
                 "coverage_summary":{"co_payment_in_network":{"amount":"$25"}},
                 "office_visit":{"co_payment_in_network":{"amount":"$30"},"service_code":"98"}}}"#,
        )
        .unwrap();
        let s = r.eligibility_summarized_response.unwrap();
        assert_eq!(s.plan_active(), Some(true));
        assert_eq!(
            s.service("office_visit")
                .unwrap()
                .co_payment_in_network
                .unwrap()
                .amount
                .as_deref(),
            Some("$30")
        );
        let state: EligibilityState = serde_json::from_str("\"queued\"").unwrap();
        assert_eq!(state, EligibilityState::Unknown);
    }
}
