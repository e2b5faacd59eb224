//! Cards: state, details, images, payer match, enrichment.

use super::time::Timestamp;
use super::wire::{lenient_opt_string, lenient_string, lenient_strings};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// Where a card is in its life. Values the client does not know yet become `Unknown`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CardState {
    Pending,
    Processing,
    FrontsideProcessing,
    FrontsideFailed,
    BacksideProcessing,
    BacksideFailed,
    PostProcessing,
    Completed,
    Enriched,
    Error,
    #[serde(other)]
    Unknown,
}

impl CardState {
    /// Processing finished successfully (`completed` or `enriched`).
    pub fn is_success(self) -> bool {
        matches!(self, CardState::Completed | CardState::Enriched)
    }

    /// This attempt failed; clients start a new card to retry.
    pub fn is_failure(self) -> bool {
        matches!(
            self,
            CardState::FrontsideFailed | CardState::BacksideFailed | CardState::Error
        )
    }

    /// No further progress will happen to this attempt (success or failure).
    pub fn is_final(self) -> bool {
        self.is_success() || self.is_failure()
    }

    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            CardState::Pending => "pending",
            CardState::Processing => "processing",
            CardState::FrontsideProcessing => "frontside_processing",
            CardState::FrontsideFailed => "frontside_failed",
            CardState::BacksideProcessing => "backside_processing",
            CardState::BacksideFailed => "backside_failed",
            CardState::PostProcessing => "post_processing",
            CardState::Completed => "completed",
            CardState::Enriched => "enriched",
            CardState::Error => "error",
            CardState::Unknown => "unknown",
        }
    }
}

impl std::fmt::Display for CardState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A server error object on a card, eligibility record or event. Its `code`
/// is a string here (`"UKN"`), unlike the numeric code of HTTP error bodies.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ModelError {
    #[serde(default, deserialize_with = "lenient_string")]
    pub message: String,
    #[serde(default, rename = "type", deserialize_with = "lenient_string")]
    pub kind: String,
    #[serde(default, deserialize_with = "lenient_string")]
    pub code: String,
    /// Deprecated duplicate of `type`.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient_opt_string"
    )]
    pub error: Option<String>,
}

impl From<ModelError> for crate::error::ServerError {
    fn from(e: ModelError) -> Self {
        let kind = if e.kind.is_empty() {
            e.error.unwrap_or_default()
        } else {
            e.kind
        };
        crate::error::ServerError {
            kind,
            message: e.message,
            code: e.code,
        }
    }
}

/// One extracted field: the value and the model's confidence scores, kept as
/// the strings the API sends (`"0.989"`) and offered as numbers.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct MatchScore {
    #[serde(default, deserialize_with = "lenient_string")]
    pub value: String,
    #[serde(default, deserialize_with = "lenient_strings")]
    pub scores: Vec<String>,
}

impl MatchScore {
    /// The scores as numbers (unparseable entries are skipped).
    pub fn scores_f64(&self) -> Vec<f64> {
        self.scores
            .iter()
            .filter_map(|s| s.trim().parse::<f64>().ok())
            .filter(|v| v.is_finite())
            .collect()
    }

    /// The lowest score: the confidence of the field as a whole.
    pub fn min_score(&self) -> Option<f64> {
        self.scores_f64().into_iter().reduce(f64::min)
    }
}

macro_rules! card_details {
    ($($field:ident),* $(,)?) => {
        /// The fields read from the card. Unknown fields are kept in `other`.
        #[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
        pub struct CardDetails {
            $(
                #[serde(default, skip_serializing_if = "Option::is_none")]
                pub $field: Option<MatchScore>,
            )*
            #[serde(default, skip_serializing_if = "Vec::is_empty")]
            pub dependent_names: Vec<MatchScore>,
            #[serde(flatten)]
            pub other: Map<String, Value>,
        }

        impl CardDetails {
            /// Every present single-valued field with its wire name, in a stable order.
            pub fn fields(&self) -> Vec<(&'static str, &MatchScore)> {
                let mut out = Vec::new();
                $( if let Some(v) = &self.$field { out.push((stringify!($field), v)); } )*
                out
            }
        }
    };
}

card_details!(
    member_name,
    member_number,
    group_number,
    payer_name,
    plan_name,
    plan_id,
    plan_type,
    plan_details,
    rx_bin,
    rx_pcn,
    rx_id,
    rx_issuer,
    rx_plan,
    pharmacy_benefit_manager,
    payer_id,
    card_specific_id,
    client_name,
    start_date,
    employer,
    medicare_medicaid_id,
    member_dob,
    member_gender,
    member_id_prefix,
    member_id_suffix,
    part_a_effective_date,
    part_b_effective_date,
);

/// A signed image URL.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ImageRef {
    #[serde(default)]
    pub url: Option<String>,
}

/// The card's stored images.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CardImages {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub front: Option<ImageRef>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub back: Option<ImageRef>,
}

/// One candidate of payer matching.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PayerMatchCandidate {
    #[serde(default, deserialize_with = "lenient_opt_string")]
    pub clearinghouse: Option<String>,
    #[serde(default, deserialize_with = "lenient_opt_string")]
    pub payer_id: Option<String>,
    #[serde(default, deserialize_with = "lenient_opt_string")]
    pub payer_name: Option<String>,
    #[serde(default, deserialize_with = "lenient_opt_string")]
    pub score: Option<String>,
    #[serde(default, deserialize_with = "lenient_opt_string")]
    pub cardscan_payer_id: Option<String>,
    #[serde(default, deserialize_with = "lenient_opt_string")]
    pub transaction_type: Option<String>,
    #[serde(default)]
    pub metadata: Option<Value>,
}

/// Payer matching, or `{"message": "Payer Match is not enabled…"}`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PayerMatch {
    #[serde(default, deserialize_with = "lenient_opt_string")]
    pub cardscan_payer_id: Option<String>,
    #[serde(default, deserialize_with = "lenient_opt_string")]
    pub cardscan_payer_name: Option<String>,
    #[serde(default, deserialize_with = "lenient_opt_string")]
    pub score: Option<String>,
    #[serde(default)]
    pub matches: Vec<PayerMatchCandidate>,
    /// Change Healthcare records, as sent.
    #[serde(default)]
    pub change_healthcare: Option<Vec<Value>>,
    /// Custom payer records, as sent.
    #[serde(default)]
    pub custom: Option<Vec<Value>>,
    #[serde(default)]
    pub message: Option<String>,
}

/// An address read by enrichment.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct EnrichedAddress {
    #[serde(default)]
    pub label: String,
    /// e.g. `medical_claims_address` (kept as text: new kinds appear).
    #[serde(default, rename = "type")]
    pub kind: String,
    #[serde(default)]
    pub company_name: Option<String>,
    #[serde(default)]
    pub address: String,
    #[serde(default, deserialize_with = "lenient_string")]
    pub score: String,
}

/// A phone number read by enrichment.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct EnrichedPhoneNumber {
    #[serde(default)]
    pub label: String,
    #[serde(default, rename = "type")]
    pub kind: String,
    #[serde(default)]
    pub number: String,
    #[serde(default, deserialize_with = "lenient_string")]
    pub score: String,
}

/// A copay / deductible read by enrichment.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct EnrichedCopay {
    #[serde(default)]
    pub service: String,
    #[serde(default)]
    pub category: String,
    #[serde(default)]
    pub value: Option<f64>,
    #[serde(default, deserialize_with = "lenient_string")]
    pub score: String,
}

/// Enrichment (arrives with the `enriched` state).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct EnrichedResults {
    #[serde(default)]
    pub addresses: Vec<EnrichedAddress>,
    #[serde(default)]
    pub phone_numbers: Vec<EnrichedPhoneNumber>,
    #[serde(default)]
    pub copays_deductibles: Vec<EnrichedCopay>,
    /// `front_only` or `both`.
    #[serde(default)]
    pub processed_sides: Option<String>,
}

/// A card as returned by the API. Unknown fields are kept in `other`, so
/// re-serialising gives back what the server sent.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Card {
    pub card_id: String,
    pub state: CardState,
    pub created_at: Timestamp,
    #[serde(default)]
    pub deleted: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<ModelError>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub details: Option<CardDetails>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub images: Option<CardImages>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payer_match: Option<PayerMatch>,
    /// Server metadata (`insurance_scan_version`, …) plus any metadata given at creation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enriched_results: Option<EnrichedResults>,
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

/// Backside scanning mode at card creation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BacksideScanning {
    Required,
    Optional,
    Disabled,
}

/// `backside` object of the create-card body.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BacksideConfig {
    pub scanning: BacksideScanning,
}

/// Body of `POST /cards`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CreateCardRequest {
    pub enable_backside_scan: bool,
    pub enable_livescan: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub backside: Option<BacksideConfig>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<Value>,
}

impl CreateCardRequest {
    /// A card that expects a back side (`enable_backside_scan` and `backside.scanning = required`).
    pub fn with_backside() -> Self {
        CreateCardRequest {
            enable_backside_scan: true,
            backside: Some(BacksideConfig {
                scanning: BacksideScanning::Required,
            }),
            ..Default::default()
        }
    }
}

/// Reasons for flagging a card.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FlagType {
    MissingElements,
    IncorrectElements,
    BadPayerMatch,
    UnreadableText,
    EligibilityIssue,
    Other,
}

impl std::str::FromStr for FlagType {
    type Err = crate::error::Error;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        serde_json::from_value(Value::String(s.to_string())).map_err(|_| {
            crate::error::Error::invalid(
                "flag_type",
                "must be one of missing_elements, incorrect_elements, bad_payer_match, unreadable_text, eligibility_issue, other",
            )
        })
    }
}

/// Body of `POST /cards/{card_id}/flag`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FlagRequest {
    pub flag_type: FlagType,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    const COMPLETED: &str = r#"{
        "card_id": "2f6a8c1e-1b2c-4d5e-8f90-123456789abc",
        "state": "completed",
        "created_at": "2025-06-18 02:19:53.214745+00:00",
        "deleted": false,
        "details": {
            "member_number": {"value": "128845682", "scores": ["0.737", "0.999"]},
            "group_number": {"value": "98755", "scores": [0.9, "0.8"]},
            "dependent_names": [{"value": "richard dickinson", "scores": ["0.9", "0.95"]}],
            "future_field": {"value": "x", "scores": []}
        },
        "payer_match": {"message": "Payer Match is not enabled for this account"},
        "images": {"front": {"url": "http://x/front.jpg"}, "back": null},
        "brand_new_top_level": 7
    }"#;

    #[test]
    fn decodes_completed_card_and_keeps_unknowns() {
        let card: Card = serde_json::from_str(COMPLETED).unwrap();
        assert_eq!(card.state, CardState::Completed);
        assert!(card.created_at.datetime().is_some());
        let d = card.details.as_ref().unwrap();
        let member = d.member_number.as_ref().unwrap();
        assert_eq!(member.scores, vec!["0.737", "0.999"]);
        assert_eq!(member.scores_f64(), vec![0.737, 0.999]);
        assert_eq!(member.min_score(), Some(0.737));
        assert_eq!(d.group_number.as_ref().unwrap().scores, vec!["0.9", "0.8"]);
        assert_eq!(d.dependent_names.len(), 1);
        assert!(d.other.contains_key("future_field"));
        assert_eq!(card.other.get("brand_new_top_level"), Some(&Value::from(7)));
        let back = serde_json::to_value(&card).unwrap();
        assert_eq!(back["brand_new_top_level"], 7);
        assert_eq!(back["created_at"], "2025-06-18 02:19:53.214745+00:00");
    }

    #[test]
    fn unknown_state_and_string_error_code() {
        let card: Card = serde_json::from_str(
            r#"{"card_id":"c","state":"teleported","created_at":"2025-06-18T02:19:53Z","deleted":false,
                "error":{"type":"RejectedCard","message":"Rejecting scan for invalid card","code":"UKN","error":"RejectedCard"}}"#,
        )
        .unwrap();
        assert_eq!(card.state, CardState::Unknown);
        let e: crate::error::ServerError = card.error.unwrap().into();
        assert_eq!((e.kind.as_str(), e.code.as_str()), ("RejectedCard", "UKN"));
    }

    #[test]
    fn state_classes() {
        assert!(CardState::Enriched.is_success());
        assert!(CardState::BacksideFailed.is_failure());
        assert!(!CardState::PostProcessing.is_final());
        assert_eq!(CardState::FrontsideFailed.to_string(), "frontside_failed");
    }

    #[test]
    fn flag_type_parses() {
        assert_eq!(
            "bad_payer_match".parse::<FlagType>().unwrap(),
            FlagType::BadPayerMatch
        );
        assert!("nonsense".parse::<FlagType>().is_err());
    }
}
