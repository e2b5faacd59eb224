//! Eligibility requests (PHI: Debug impls redact) and records.

use cardscan_core::api as core;

use super::{json_of, ServerError};

/// The provider asking (NPI: 10 digits, Luhn-checked with the 80840 prefix).
#[derive(Clone, PartialEq, uniffi::Record)]
pub struct EligibilityProvider {
    pub npi: String,
    #[uniffi(default = None)]
    pub organization_name: Option<String>,
    #[uniffi(default = None)]
    pub first_name: Option<String>,
    #[uniffi(default = None)]
    pub last_name: Option<String>,
}

/// The insured person. Date of birth as `YYYYMMDD`, `YYYY-MM-DD` or
/// `MM/DD/YYYY`; the SDK checks and normalises it.
#[derive(Clone, PartialEq, uniffi::Record)]
pub struct EligibilitySubscriber {
    pub first_name: String,
    pub last_name: String,
    pub date_of_birth: String,
}

/// What an eligibility check needs besides the card.
#[derive(Clone, PartialEq, uniffi::Record)]
pub struct EligibilityInfo {
    pub provider: EligibilityProvider,
    pub subscriber: EligibilitySubscriber,
}

impl std::fmt::Debug for EligibilityInfo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("EligibilityInfo(<redacted>)")
    }
}

impl From<EligibilityInfo> for core::EligibilityInfo {
    fn from(i: EligibilityInfo) -> Self {
        core::EligibilityInfo {
            provider: core::Provider {
                npi: i.provider.npi,
                organization_name: i.provider.organization_name,
                first_name: i.provider.first_name,
                last_name: i.provider.last_name,
            },
            subscriber: core::Subscriber {
                first_name: i.subscriber.first_name,
                last_name: i.subscriber.last_name,
                date_of_birth: i.subscriber.date_of_birth,
            },
        }
    }
}

/// Where an eligibility check is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, uniffi::Enum)]
pub enum EligibilityState {
    Processing,
    Completed,
    Error,
    Unknown,
}

impl From<core::EligibilityState> for EligibilityState {
    fn from(s: core::EligibilityState) -> Self {
        match s {
            core::EligibilityState::Processing => EligibilityState::Processing,
            core::EligibilityState::Completed => EligibilityState::Completed,
            core::EligibilityState::Error => EligibilityState::Error,
            #[allow(unreachable_patterns)]
            _ => EligibilityState::Unknown,
        }
    }
}

/// Copay / coinsurance / deductible amounts of the plan's summary, as text
/// exactly as the API gives them (e.g. `"$25"`).
#[derive(Clone, Debug, PartialEq, uniffi::Record)]
pub struct CoverageSummary {
    pub co_payment_in_network: Option<String>,
    pub co_payment_out_network: Option<String>,
    pub co_insurance_in_network: Option<String>,
    pub co_insurance_out_network: Option<String>,
    pub individual_deductible_in_network_total: Option<String>,
    pub individual_deductible_in_network_remaining: Option<String>,
    pub individual_oop_in_network_total: Option<String>,
    pub individual_oop_in_network_remaining: Option<String>,
}

impl From<core::CoverageSummary> for CoverageSummary {
    fn from(c: core::CoverageSummary) -> Self {
        let amount = |a: Option<core::Amount>| a.and_then(|a| a.amount);
        let total = |a: &Option<core::Amounts>| a.as_ref().and_then(|a| a.total_amount.clone());
        let remaining =
            |a: &Option<core::Amounts>| a.as_ref().and_then(|a| a.remaining_amount.clone());
        CoverageSummary {
            individual_deductible_in_network_total: total(&c.individual_deductible_in_network),
            individual_deductible_in_network_remaining: remaining(
                &c.individual_deductible_in_network,
            ),
            individual_oop_in_network_total: total(&c.individual_oop_in_network),
            individual_oop_in_network_remaining: remaining(&c.individual_oop_in_network),
            co_payment_in_network: amount(c.co_payment_in_network),
            co_payment_out_network: amount(c.co_payment_out_network),
            co_insurance_in_network: amount(c.co_insurance_in_network),
            co_insurance_out_network: amount(c.co_insurance_out_network),
        }
    }
}

/// An eligibility check and, once completed, its summarised answer.
#[derive(Clone, PartialEq, uniffi::Record)]
pub struct EligibilityRecord {
    pub eligibility_id: String,
    pub card_id: String,
    pub state: EligibilityState,
    pub created_at: String,
    pub error: Option<ServerError>,
    /// Whether the plan is active, when the payer said.
    pub plan_active: Option<bool>,
    pub coverage: Option<CoverageSummary>,
    /// The record exactly as the API returned it.
    pub raw_json: String,
}

impl std::fmt::Debug for EligibilityRecord {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EligibilityRecord")
            .field("eligibility_id", &self.eligibility_id)
            .field("state", &self.state)
            .finish_non_exhaustive()
    }
}

impl From<core::EligibilityRecord> for EligibilityRecord {
    fn from(r: core::EligibilityRecord) -> Self {
        let raw_json = json_of(&r);
        let summary = r.eligibility_summarized_response;
        EligibilityRecord {
            eligibility_id: r.eligibility_id,
            card_id: r.card_id,
            state: r.state.into(),
            created_at: r.created_at.as_str().to_string(),
            error: r.error.map(Into::into),
            plan_active: summary.as_ref().and_then(|s| s.plan_active()),
            coverage: summary.and_then(|s| s.coverage_summary).map(Into::into),
            raw_json,
        }
    }
}

/// One page of eligibility records.
#[derive(Clone, Debug, PartialEq, uniffi::Record)]
pub struct EligibilityPage {
    pub records: Vec<EligibilityRecord>,
    pub next_cursor: Option<String>,
}

impl From<core::EligibilityPage> for EligibilityPage {
    fn from(p: core::EligibilityPage) -> Self {
        EligibilityPage {
            records: p.eligibility_requests.into_iter().map(Into::into).collect(),
            next_cursor: p.response_metadata.next_cursor,
        }
    }
}
