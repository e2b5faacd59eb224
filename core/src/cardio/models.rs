//! Wire models of the CardioExplorer API (camelCase JSON), tolerant of
//! unknown fields and of ids sent as numbers or strings.

use serde::{Deserialize, Deserializer, Serialize};

/// Report language of `run_test` (`?language=en|de`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    #[default]
    En,
    De,
}

impl Language {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::En => "en",
            Self::De => "de",
        }
    }
}

impl std::str::FromStr for Language {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "en" => Ok(Self::En),
            "de" => Ok(Self::De),
            _ => Err(format!("unsupported language {s:?} (expected en or de)")),
        }
    }
}

/// The organisation a client id belongs to, as returned by authenticate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Organization {
    #[serde(default, deserialize_with = "opt_string_or_number")]
    pub organization_id: Option<String>,
    #[serde(default)]
    pub organization_name: Option<String>,
    #[serde(default)]
    pub contact_email: Option<String>,
    #[serde(default)]
    pub access_level: Option<i64>,
    #[serde(default)]
    pub is_active: Option<bool>,
    #[serde(default)]
    pub rate_limit_per_hour: Option<i64>,
}

/// `data` of `POST /api/organization-auth/authenticate`.
#[derive(Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct AuthData {
    pub access_token: String,
    #[serde(default)]
    pub token_type: Option<String>,
    #[serde(default)]
    pub expires_in: Option<u64>,
    #[serde(default)]
    pub organization: Option<Organization>,
}

/// What `authenticate` tells the caller (the token itself stays inside the client).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AuthSession {
    pub token_type: String,
    pub expires_in_secs: u64,
    pub organization: Option<Organization>,
}

/// `data` of `POST /api/auth/magic-links/generate`. The link carries a login
/// token, so `Debug` shows only its host.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MagicLink {
    pub magic_link: String,
    #[serde(default)]
    pub message: Option<String>,
    #[serde(default)]
    pub expires_at: Option<String>,
}

impl std::fmt::Debug for MagicLink {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let host = url::Url::parse(&self.magic_link)
            .ok()
            .and_then(|u| u.host_str().map(str::to_owned))
            .unwrap_or_default();
        f.debug_struct("MagicLink")
            .field("magic_link", &format_args!("<redacted link to {host}>"))
            .field("expires_at", &self.expires_at)
            .finish()
    }
}

/// An item of the bundle the service could not use, and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RejectedItem {
    #[serde(default, deserialize_with = "opt_string_or_number")]
    pub concept_id: Option<String>,
    #[serde(default)]
    pub concept_name: Option<String>,
    #[serde(default)]
    pub code: Option<String>,
    #[serde(default)]
    pub vocabulary_id: Option<String>,
    #[serde(default)]
    pub resource_type: Option<String>,
    #[serde(default)]
    pub rejection_reason: Option<String>,
    #[serde(default)]
    pub entry_url: Option<String>,
    #[serde(default)]
    pub value_number: Option<f64>,
    #[serde(default)]
    pub value_text: Option<String>,
    #[serde(default)]
    pub unit: Option<String>,
}

/// A biomarker the test wants that the bundle did not provide.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MissingItem {
    #[serde(default, deserialize_with = "opt_string_or_number")]
    pub concept_id: Option<String>,
    #[serde(default)]
    pub name: Option<String>,
}

/// The answer of `POST /api/fhir/draft-test` when `success` is true.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DraftTest {
    #[serde(deserialize_with = "string_or_number")]
    pub draft_test_id: String,
    #[serde(default)]
    pub items_mapped: u32,
    #[serde(default)]
    pub items_rejected: u32,
    #[serde(default)]
    pub items_missing: u32,
    #[serde(default)]
    pub rejected_items: Vec<RejectedItem>,
    #[serde(default)]
    pub missing_items: Vec<MissingItem>,
}

/// Risk bands as the API names them; anything else is kept as `Other`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RiskLevel {
    VeryLow,
    Low,
    Moderate,
    High,
    VeryHigh,
    Other(String),
}

impl RiskLevel {
    pub fn as_str(&self) -> &str {
        match self {
            Self::VeryLow => "Very Low",
            Self::Low => "Low",
            Self::Moderate => "Moderate",
            Self::High => "High",
            Self::VeryHigh => "Very High",
            Self::Other(s) => s,
        }
    }

    fn parse(s: &str) -> Self {
        let squashed: String = s
            .chars()
            .filter(|c| c.is_ascii_alphabetic())
            .collect::<String>()
            .to_lowercase();
        match squashed.as_str() {
            "verylow" => Self::VeryLow,
            "low" => Self::Low,
            "moderate" | "medium" => Self::Moderate,
            "high" => Self::High,
            "veryhigh" => Self::VeryHigh,
            _ => Self::Other(s.to_owned()),
        }
    }
}

impl Serialize for RiskLevel {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for RiskLevel {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Ok(Self::parse(&s))
    }
}

/// `TestResponse` of `POST /api/ccs/v1/tests/{id}/run`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TestResponse {
    #[serde(deserialize_with = "string_or_number")]
    pub test_id: String,
    #[serde(default, deserialize_with = "opt_string_or_number")]
    pub patient_id: Option<String>,
    /// Probability-like score in 0..=1.
    pub risk_score: f64,
    pub risk_level: RiskLevel,
    #[serde(default)]
    pub recommendation: Option<String>,
    #[serde(default)]
    pub completed_at: Option<String>,
    #[serde(default)]
    pub warnings: Vec<String>,
}

/// One biomarker line of a patient report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReportBiomarker {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub code: Option<String>,
    #[serde(default)]
    pub value: Option<f64>,
    #[serde(default)]
    pub value_text: Option<String>,
    #[serde(default)]
    pub unit: Option<String>,
    #[serde(default)]
    pub status: Option<String>,
}

/// The risk assessment section of a patient report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RiskAssessment {
    pub risk_score: f64,
    pub risk_level: RiskLevel,
    #[serde(default)]
    pub summary: Option<String>,
}

/// `PatientReport` of `GET /api/ccs/v1/tests/{id}/result`. Its fields are not
/// published beyond TestResponse, so everything is optional and any further
/// fields the service sends are kept in `other`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PatientReport {
    #[serde(default, deserialize_with = "opt_string_or_number")]
    pub test_id: Option<String>,
    #[serde(default, deserialize_with = "opt_string_or_number")]
    pub patient_id: Option<String>,
    #[serde(default)]
    pub language: Option<String>,
    #[serde(default)]
    pub risk_assessment: Option<RiskAssessment>,
    #[serde(default)]
    pub biomarkers: Vec<ReportBiomarker>,
    #[serde(default)]
    pub recommendations: Vec<String>,
    #[serde(default)]
    pub warnings: Vec<String>,
    #[serde(default)]
    pub completed_at: Option<String>,
    #[serde(flatten)]
    pub other: serde_json::Map<String, serde_json::Value>,
}

fn string_or_number<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    match serde_json::Value::deserialize(d)? {
        serde_json::Value::String(s) => Ok(s),
        serde_json::Value::Number(n) => Ok(n.to_string()),
        other => Err(serde::de::Error::custom(format!(
            "expected an id, got {}",
            kind(&other)
        ))),
    }
}

fn opt_string_or_number<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    match Option::<serde_json::Value>::deserialize(d)? {
        None | Some(serde_json::Value::Null) => Ok(None),
        Some(serde_json::Value::String(s)) => Ok(Some(s)),
        Some(serde_json::Value::Number(n)) => Ok(Some(n.to_string())),
        Some(other) => Err(serde::de::Error::custom(format!(
            "expected an id, got {}",
            kind(&other)
        ))),
    }
}

/// The JSON kind only: values may be PHI, so they never enter error text.
fn kind(v: &serde_json::Value) -> &'static str {
    match v {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "a boolean",
        serde_json::Value::Number(_) => "a number",
        serde_json::Value::String(_) => "a string",
        serde_json::Value::Array(_) => "an array",
        serde_json::Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn test_response_accepts_numeric_ids_and_known_levels() {
        let r: TestResponse = serde_json::from_value(json!({
            "testId": 42, "patientId": "p", "riskScore": 0.31, "riskLevel": "Moderate",
            "recommendation": "x", "completedAt": "2026-01-01T00:00:00Z", "warnings": ["w"],
            "futureField": true
        }))
        .unwrap();
        assert_eq!(r.test_id, "42");
        assert_eq!(r.risk_level, RiskLevel::Moderate);
        assert_eq!(r.warnings, vec!["w".to_owned()]);
    }

    #[test]
    fn risk_level_tolerates_spelling_and_keeps_unknowns() {
        assert_eq!(RiskLevel::parse("very_high"), RiskLevel::VeryHigh);
        assert_eq!(RiskLevel::parse("VERY LOW"), RiskLevel::VeryLow);
        assert_eq!(
            RiskLevel::parse("Extreme"),
            RiskLevel::Other("Extreme".into())
        );
        assert_eq!(
            serde_json::to_value(RiskLevel::VeryHigh).unwrap(),
            json!("Very High")
        );
    }

    #[test]
    fn draft_test_decodes_the_documented_shape() {
        let d: DraftTest = serde_json::from_value(json!({
            "success": true, "draftTestId": "d1", "itemsMapped": 3, "itemsRejected": 1,
            "itemsMissing": 1,
            "rejectedItems": [{"conceptId": 7, "conceptName": "HDL", "code": "2085-9",
                "vocabularyId": "LOINC", "resourceType": "Observation",
                "rejectionReason": "too old", "entryUrl": "urn:uuid:1", "valueNumber": 50.0,
                "valueText": null, "unit": "mg/dL"}],
            "missingItems": [{"conceptId": "9", "name": "Systolic blood pressure"}]
        }))
        .unwrap();
        assert_eq!(d.rejected_items[0].concept_id.as_deref(), Some("7"));
        assert_eq!(d.missing_items[0].concept_id.as_deref(), Some("9"));
    }

    #[test]
    fn magic_link_debug_redacts_the_token() {
        let m = MagicLink {
            magic_link: "https://app.cardioexplorer.ai/login?token=secret123".into(),
            message: None,
            expires_at: None,
        };
        let text = format!("{m:?}");
        assert!(
            !text.contains("secret123") && text.contains("app.cardioexplorer.ai"),
            "{text}"
        );
    }

    #[test]
    fn language_parses_case_insensitively() {
        assert_eq!("DE".parse::<Language>().unwrap(), Language::De);
        assert!("fr".parse::<Language>().is_err());
    }
}
