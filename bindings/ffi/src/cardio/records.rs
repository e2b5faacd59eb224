//! Small records Swift and Kotlin see of CardioExplorer's answers.

use cardscan_core::cardio as core;

/// Language of a test's recommendation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, uniffi::Enum)]
pub enum CardioLanguage {
    En,
    De,
}

impl From<CardioLanguage> for core::Language {
    fn from(l: CardioLanguage) -> Self {
        match l {
            CardioLanguage::En => core::Language::En,
            CardioLanguage::De => core::Language::De,
        }
    }
}

/// What `authenticate` tells the app (the token stays inside the SDK).
#[derive(Clone, Debug, PartialEq, uniffi::Record)]
pub struct CardioSession {
    pub token_type: String,
    pub expires_in_secs: u64,
    pub organization_id: Option<String>,
    pub organization_name: Option<String>,
    pub is_active: Option<bool>,
}

impl From<core::AuthSession> for CardioSession {
    fn from(s: core::AuthSession) -> Self {
        let org = s.organization;
        CardioSession {
            token_type: s.token_type,
            expires_in_secs: s.expires_in_secs,
            organization_id: org.as_ref().and_then(|o| o.organization_id.clone()),
            organization_name: org.as_ref().and_then(|o| o.organization_name.clone()),
            is_active: org.as_ref().and_then(|o| o.is_active),
        }
    }
}

/// A login link into CardioExplorer's UI (it carries a token: do not log it).
#[derive(Clone, PartialEq, uniffi::Record)]
pub struct CardioMagicLink {
    pub url: String,
    pub expires_at: Option<String>,
}

impl std::fmt::Debug for CardioMagicLink {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CardioMagicLink")
            .field("expires_at", &self.expires_at)
            .finish_non_exhaustive()
    }
}

impl From<core::MagicLink> for CardioMagicLink {
    fn from(m: core::MagicLink) -> Self {
        CardioMagicLink {
            url: m.magic_link,
            expires_at: m.expires_at,
        }
    }
}

/// An entry of the bundle the service could not use, and why.
#[derive(Clone, Debug, PartialEq, uniffi::Record)]
pub struct CardioRejectedItem {
    pub concept_id: Option<String>,
    pub concept_name: Option<String>,
    pub code: Option<String>,
    pub vocabulary_id: Option<String>,
    pub resource_type: Option<String>,
    pub rejection_reason: Option<String>,
    pub entry_url: Option<String>,
    pub value_number: Option<f64>,
    pub value_text: Option<String>,
    pub unit: Option<String>,
}

impl From<core::RejectedItem> for CardioRejectedItem {
    fn from(r: core::RejectedItem) -> Self {
        CardioRejectedItem {
            concept_id: r.concept_id,
            concept_name: r.concept_name,
            code: r.code,
            vocabulary_id: r.vocabulary_id,
            resource_type: r.resource_type,
            rejection_reason: r.rejection_reason,
            entry_url: r.entry_url,
            value_number: r.value_number,
            value_text: r.value_text,
            unit: r.unit,
        }
    }
}

/// A biomarker the test wants that the bundle did not provide.
#[derive(Clone, Debug, PartialEq, uniffi::Record)]
pub struct CardioMissingItem {
    pub concept_id: Option<String>,
    pub name: Option<String>,
}

/// The outcome of `draftTest`.
#[derive(Clone, Debug, PartialEq, uniffi::Record)]
pub struct CardioDraftTest {
    pub draft_test_id: String,
    pub items_mapped: u32,
    pub items_rejected: u32,
    pub items_missing: u32,
    pub rejected_items: Vec<CardioRejectedItem>,
    pub missing_items: Vec<CardioMissingItem>,
}

impl From<core::DraftTest> for CardioDraftTest {
    fn from(d: core::DraftTest) -> Self {
        CardioDraftTest {
            draft_test_id: d.draft_test_id,
            items_mapped: d.items_mapped,
            items_rejected: d.items_rejected,
            items_missing: d.items_missing,
            rejected_items: d.rejected_items.into_iter().map(Into::into).collect(),
            missing_items: d
                .missing_items
                .into_iter()
                .map(|m| CardioMissingItem {
                    concept_id: m.concept_id,
                    name: m.name,
                })
                .collect(),
        }
    }
}

/// Risk bands; `Other` keeps a name this SDK does not know yet.
#[derive(Clone, Debug, PartialEq, Eq, uniffi::Enum)]
pub enum CardioRiskLevel {
    VeryLow,
    Low,
    Moderate,
    High,
    VeryHigh,
    Other { name: String },
}

impl From<core::RiskLevel> for CardioRiskLevel {
    fn from(l: core::RiskLevel) -> Self {
        match l {
            core::RiskLevel::VeryLow => CardioRiskLevel::VeryLow,
            core::RiskLevel::Low => CardioRiskLevel::Low,
            core::RiskLevel::Moderate => CardioRiskLevel::Moderate,
            core::RiskLevel::High => CardioRiskLevel::High,
            core::RiskLevel::VeryHigh => CardioRiskLevel::VeryHigh,
            core::RiskLevel::Other(name) => CardioRiskLevel::Other { name },
        }
    }
}

/// The outcome of `runTest`.
#[derive(Clone, Debug, PartialEq, uniffi::Record)]
pub struct CardioTestResponse {
    pub test_id: String,
    pub patient_id: Option<String>,
    /// 0..1.
    pub risk_score: f64,
    pub risk_level: CardioRiskLevel,
    pub recommendation: Option<String>,
    pub completed_at: Option<String>,
    pub warnings: Vec<String>,
}

impl From<core::TestResponse> for CardioTestResponse {
    fn from(t: core::TestResponse) -> Self {
        CardioTestResponse {
            test_id: t.test_id,
            patient_id: t.patient_id,
            risk_score: t.risk_score,
            risk_level: t.risk_level.into(),
            recommendation: t.recommendation,
            completed_at: t.completed_at,
            warnings: t.warnings,
        }
    }
}

/// One biomarker line of a report.
#[derive(Clone, Debug, PartialEq, uniffi::Record)]
pub struct CardioReportBiomarker {
    pub name: Option<String>,
    pub code: Option<String>,
    pub value: Option<f64>,
    pub value_text: Option<String>,
    pub unit: Option<String>,
}

/// The patient report of `testResult`. Its fields are not all published, so
/// the full answer is also given as JSON (`rawJson`).
#[derive(Clone, Debug, PartialEq, uniffi::Record)]
pub struct CardioReport {
    pub test_id: Option<String>,
    pub patient_id: Option<String>,
    pub language: Option<String>,
    pub risk_score: Option<f64>,
    pub risk_level: Option<CardioRiskLevel>,
    pub summary: Option<String>,
    pub biomarkers: Vec<CardioReportBiomarker>,
    pub recommendations: Vec<String>,
    pub warnings: Vec<String>,
    pub completed_at: Option<String>,
    pub raw_json: String,
}

impl From<core::PatientReport> for CardioReport {
    fn from(r: core::PatientReport) -> Self {
        let raw_json = serde_json::to_string(&r).unwrap_or_default();
        let assessment = r.risk_assessment;
        CardioReport {
            test_id: r.test_id,
            patient_id: r.patient_id,
            language: r.language,
            risk_score: assessment.as_ref().map(|a| a.risk_score),
            risk_level: assessment.as_ref().map(|a| a.risk_level.clone().into()),
            summary: assessment.and_then(|a| a.summary),
            biomarkers: r
                .biomarkers
                .into_iter()
                .map(|b| CardioReportBiomarker {
                    name: b.name,
                    code: b.code,
                    value: b.value,
                    value_text: b.value_text,
                    unit: b.unit,
                })
                .collect(),
            recommendations: r.recommendations,
            warnings: r.warnings,
            completed_at: r.completed_at,
            raw_json,
        }
    }
}
