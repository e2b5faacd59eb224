//! Typed FHIR R4 builders for what CardioExplorer's draft-test reads: one
//! `Patient` and the `Observation`s (LOINC-coded) of that patient, wrapped in a
//! `collection` `Bundle`.
//!
//! Only the fields the risk test needs are modelled; callers with richer FHIR
//! documents send them as raw JSON instead (see `CardioClient::draft_test_json`).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// LOINC's code system URI, as FHIR expects it in `coding.system`.
pub const LOINC_SYSTEM: &str = "http://loinc.org";
/// SNOMED CT's code system URI (smoking status answers).
pub const SNOMED_SYSTEM: &str = "http://snomed.info/sct";
const OBSERVATION_CATEGORY_SYSTEM: &str =
    "http://terminology.hl7.org/CodeSystem/observation-category";

/// The biomarkers the CCS test uses, each with its LOINC code. LDL has two
/// codes (calculated and direct measurement); both mean the same input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Biomarker {
    TotalCholesterol,
    HdlCholesterol,
    LdlCholesterolCalculated,
    LdlCholesterolDirect,
    Triglycerides,
    SystolicBloodPressure,
    DiastolicBloodPressure,
    HbA1c,
    Glucose,
    Bmi,
    SmokingStatus,
    Creatinine,
}

impl Biomarker {
    /// Every biomarker, for listings and tests.
    pub const ALL: [Biomarker; 12] = [
        Self::TotalCholesterol,
        Self::HdlCholesterol,
        Self::LdlCholesterolCalculated,
        Self::LdlCholesterolDirect,
        Self::Triglycerides,
        Self::SystolicBloodPressure,
        Self::DiastolicBloodPressure,
        Self::HbA1c,
        Self::Glucose,
        Self::Bmi,
        Self::SmokingStatus,
        Self::Creatinine,
    ];

    pub fn loinc(self) -> &'static str {
        match self {
            Self::TotalCholesterol => "2093-3",
            Self::HdlCholesterol => "2085-9",
            Self::LdlCholesterolCalculated => "13457-7",
            Self::LdlCholesterolDirect => "18262-6",
            Self::Triglycerides => "2571-8",
            Self::SystolicBloodPressure => "8480-6",
            Self::DiastolicBloodPressure => "8462-4",
            Self::HbA1c => "4548-4",
            Self::Glucose => "2345-7",
            Self::Bmi => "39156-5",
            Self::SmokingStatus => "72166-2",
            Self::Creatinine => "2160-0",
        }
    }

    pub fn display(self) -> &'static str {
        match self {
            Self::TotalCholesterol => "Cholesterol [Mass/volume] in Serum or Plasma",
            Self::HdlCholesterol => "Cholesterol in HDL [Mass/volume] in Serum or Plasma",
            Self::LdlCholesterolCalculated => {
                "Cholesterol in LDL [Mass/volume] in Serum or Plasma by calculation"
            }
            Self::LdlCholesterolDirect => {
                "Cholesterol in LDL [Mass/volume] in Serum or Plasma by Direct assay"
            }
            Self::Triglycerides => "Triglyceride [Mass/volume] in Serum or Plasma",
            Self::SystolicBloodPressure => "Systolic blood pressure",
            Self::DiastolicBloodPressure => "Diastolic blood pressure",
            Self::HbA1c => "Hemoglobin A1c/Hemoglobin.total in Blood",
            Self::Glucose => "Glucose [Mass/volume] in Serum or Plasma",
            Self::Bmi => "Body mass index (BMI) [Ratio]",
            Self::SmokingStatus => "Tobacco smoking status",
            Self::Creatinine => "Creatinine [Mass/volume] in Serum or Plasma",
        }
    }

    /// The UCUM unit the builders use unless told otherwise.
    pub fn default_unit(self) -> &'static str {
        match self {
            Self::SystolicBloodPressure | Self::DiastolicBloodPressure => "mm[Hg]",
            Self::HbA1c => "%",
            Self::Bmi => "kg/m2",
            Self::SmokingStatus => "",
            _ => "mg/dL",
        }
    }

    /// FHIR observation category (`laboratory`, `vital-signs`, `social-history`).
    pub fn category(self) -> &'static str {
        match self {
            Self::SystolicBloodPressure | Self::DiastolicBloodPressure | Self::Bmi => "vital-signs",
            Self::SmokingStatus => "social-history",
            _ => "laboratory",
        }
    }

    /// The biomarker with this LOINC code, if it is one the test uses.
    pub fn from_loinc(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|b| b.loinc() == code)
    }
}

/// Administrative gender, as FHIR spells it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Gender {
    Male,
    Female,
    Other,
    Unknown,
}

/// Smoking status answers (SNOMED CT codes used by the US Core profile).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SmokingStatus {
    CurrentEveryDay,
    CurrentSomeDay,
    Former,
    Never,
}

impl SmokingStatus {
    pub fn snomed(self) -> &'static str {
        match self {
            Self::CurrentEveryDay => "449868002",
            Self::CurrentSomeDay => "428041000124106",
            Self::Former => "8517006",
            Self::Never => "266919005",
        }
    }

    pub fn display(self) -> &'static str {
        match self {
            Self::CurrentEveryDay => "Current every day smoker",
            Self::CurrentSomeDay => "Current some day smoker",
            Self::Former => "Ex-smoker",
            Self::Never => "Never smoked tobacco",
        }
    }
}

/// `{system, code, display}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Coding {
    pub system: String,
    pub code: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CodeableConcept {
    pub coding: Vec<Coding>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
}

impl CodeableConcept {
    fn single(system: &str, code: &str, display: &str) -> Self {
        Self {
            coding: vec![Coding {
                system: system.to_owned(),
                code: code.to_owned(),
                display: Some(display.to_owned()),
            }],
            text: None,
        }
    }
}

/// `valueQuantity`: a number with its UCUM unit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Quantity {
    pub value: f64,
    pub unit: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub system: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Reference {
    pub reference: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HumanName {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub family: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub given: Vec<String>,
}

/// A FHIR `Patient`: the demographics the risk test uses (sex, birth date).
/// A name is optional and never needed by the test; leave it out when you can.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Patient {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gender: Option<Gender>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub birth_date: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub name: Vec<HumanName>,
}

/// Demographics are PHI: Debug shows only which fields are present.
impl std::fmt::Debug for Patient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Patient")
            .field("has_id", &self.id.is_some())
            .field("has_gender", &self.gender.is_some())
            .field("has_birth_date", &self.birth_date.is_some())
            .field("names", &self.name.len())
            .finish()
    }
}

impl Patient {
    pub fn new() -> Self {
        Self {
            id: None,
            gender: None,
            birth_date: None,
            name: Vec::new(),
        }
    }

    pub fn id(mut self, id: impl Into<String>) -> Self {
        self.id = Some(id.into());
        self
    }

    pub fn gender(mut self, gender: Gender) -> Self {
        self.gender = Some(gender);
        self
    }

    pub fn birth_date(mut self, date: NaiveDate) -> Self {
        self.birth_date = Some(date);
        self
    }

    pub fn name(mut self, family: impl Into<String>, given: impl Into<String>) -> Self {
        self.name.push(HumanName {
            family: Some(family.into()),
            given: vec![given.into()],
        });
        self
    }
}

impl Default for Patient {
    fn default() -> Self {
        Self::new()
    }
}

/// A FHIR `Observation` of one biomarker, coded in LOINC.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Observation {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    pub status: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub category: Vec<CodeableConcept>,
    pub code: CodeableConcept,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<Reference>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub effective_date_time: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value_quantity: Option<Quantity>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value_codeable_concept: Option<CodeableConcept>,
}

impl Observation {
    /// A numeric biomarker in its default unit (see [`Biomarker::default_unit`]).
    pub fn quantity(biomarker: Biomarker, value: f64, effective: NaiveDate) -> Self {
        Self::quantity_in(biomarker, value, biomarker.default_unit(), effective)
    }

    /// A numeric biomarker in an explicit UCUM unit (e.g. `mmol/L`).
    pub fn quantity_in(biomarker: Biomarker, value: f64, unit: &str, effective: NaiveDate) -> Self {
        let mut obs = Self::coded(biomarker.loinc(), biomarker.display(), effective);
        obs.category = vec![category(biomarker.category())];
        obs.value_quantity = Some(Quantity {
            value,
            unit: unit.to_owned(),
            system: Some("http://unitsofmeasure.org".to_owned()),
            code: Some(unit.to_owned()),
        });
        obs
    }

    /// Tobacco smoking status (LOINC 72166-2) with a SNOMED CT answer.
    pub fn smoking(status: SmokingStatus, effective: NaiveDate) -> Self {
        let b = Biomarker::SmokingStatus;
        let mut obs = Self::coded(b.loinc(), b.display(), effective);
        obs.category = vec![category(b.category())];
        obs.value_codeable_concept = Some(CodeableConcept::single(
            SNOMED_SYSTEM,
            status.snomed(),
            status.display(),
        ));
        obs
    }

    /// Any LOINC code with a numeric value, for codes this crate does not name.
    pub fn loinc(code: &str, display: &str, value: f64, unit: &str, effective: NaiveDate) -> Self {
        let mut obs = Self::coded(code, display, effective);
        obs.value_quantity = Some(Quantity {
            value,
            unit: unit.to_owned(),
            system: Some("http://unitsofmeasure.org".to_owned()),
            code: Some(unit.to_owned()),
        });
        obs
    }

    pub fn id(mut self, id: impl Into<String>) -> Self {
        self.id = Some(id.into());
        self
    }

    fn coded(code: &str, display: &str, effective: NaiveDate) -> Self {
        Self {
            id: None,
            status: "final".to_owned(),
            category: Vec::new(),
            code: CodeableConcept::single(LOINC_SYSTEM, code, display),
            subject: None,
            effective_date_time: Some(effective.format("%Y-%m-%d").to_string()),
            value_quantity: None,
            value_codeable_concept: None,
        }
    }
}

fn category(code: &str) -> CodeableConcept {
    CodeableConcept::single(OBSERVATION_CATEGORY_SYSTEM, code, code)
}

/// The resources a bundle built here can hold.
// A bundle holds a handful of resources, so the size difference between
// the variants costs nothing worth boxing (and boxing would change every
// caller's match).
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "resourceType")]
pub enum Resource {
    Patient(Patient),
    Observation(Observation),
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BundleEntry {
    pub full_url: String,
    pub resource: Resource,
}

/// A FHIR `Bundle` of type `collection`: one patient and their observations.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Bundle {
    pub resource_type: String,
    #[serde(rename = "type")]
    pub bundle_type: String,
    pub entry: Vec<BundleEntry>,
}

impl Bundle {
    /// Start a bundle for one patient; observations added with
    /// [`BundleBuilder::observation`] get their `subject` pointed at it.
    pub fn builder(patient: Patient) -> BundleBuilder {
        BundleBuilder::new(patient)
    }

    /// The bundle as the JSON the API receives.
    pub fn to_json(&self) -> serde_json::Value {
        // Serialising these plain structs cannot fail (no maps with non-string keys).
        serde_json::to_value(self).unwrap_or(serde_json::Value::Null)
    }
}

/// Builds a [`Bundle`]: assigns `urn:uuid:` full URLs and links each
/// observation's subject to the patient entry, so callers cannot get the
/// references wrong.
#[derive(Debug, Clone)]
pub struct BundleBuilder {
    patient_url: String,
    entries: Vec<BundleEntry>,
}

impl BundleBuilder {
    pub fn new(patient: Patient) -> Self {
        let patient_url = urn();
        let entries = vec![BundleEntry {
            full_url: patient_url.clone(),
            resource: Resource::Patient(patient),
        }];
        Self {
            patient_url,
            entries,
        }
    }

    pub fn observation(mut self, mut obs: Observation) -> Self {
        obs.subject = Some(Reference {
            reference: self.patient_url.clone(),
        });
        self.entries.push(BundleEntry {
            full_url: urn(),
            resource: Resource::Observation(obs),
        });
        self
    }

    pub fn observations(self, observations: impl IntoIterator<Item = Observation>) -> Self {
        observations.into_iter().fold(self, Self::observation)
    }

    pub fn build(self) -> Bundle {
        Bundle {
            resource_type: "Bundle".to_owned(),
            bundle_type: "collection".to_owned(),
            entry: self.entries,
        }
    }
}

fn urn() -> String {
    format!("urn:uuid:{}", uuid::Uuid::new_v4())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn bundle_links_observations_to_patient() {
        let bundle = Bundle::builder(
            Patient::new()
                .gender(Gender::Female)
                .birth_date(day(1960, 5, 1)),
        )
        .observation(Observation::quantity(
            Biomarker::TotalCholesterol,
            210.0,
            day(2026, 1, 2),
        ))
        .observation(Observation::smoking(SmokingStatus::Never, day(2026, 1, 2)))
        .build();
        let json = bundle.to_json();
        assert_eq!(json["resourceType"], "Bundle");
        assert_eq!(json["type"], "collection");
        let entries = json["entry"].as_array().unwrap();
        assert_eq!(entries.len(), 3);
        let patient_url = entries[0]["fullUrl"].as_str().unwrap();
        assert!(patient_url.starts_with("urn:uuid:"));
        assert_eq!(entries[0]["resource"]["resourceType"], "Patient");
        assert_eq!(entries[0]["resource"]["birthDate"], "1960-05-01");
        assert_eq!(entries[0]["resource"]["gender"], "female");
        let chol = &entries[1]["resource"];
        assert_eq!(chol["resourceType"], "Observation");
        assert_eq!(chol["code"]["coding"][0]["system"], LOINC_SYSTEM);
        assert_eq!(chol["code"]["coding"][0]["code"], "2093-3");
        assert_eq!(chol["subject"]["reference"], patient_url);
        assert_eq!(chol["valueQuantity"]["value"], 210.0);
        assert_eq!(chol["valueQuantity"]["unit"], "mg/dL");
        assert_eq!(chol["effectiveDateTime"], "2026-01-02");
        let smoke = &entries[2]["resource"];
        assert_eq!(smoke["code"]["coding"][0]["code"], "72166-2");
        assert_eq!(
            smoke["valueCodeableConcept"]["coding"][0]["code"],
            "266919005"
        );
    }

    #[test]
    fn bundle_round_trips_through_json() {
        let bundle = Bundle::builder(Patient::new().id("p-1"))
            .observation(Observation::quantity(Biomarker::Bmi, 27.5, day(2026, 3, 1)))
            .build();
        let back: Bundle = serde_json::from_value(bundle.to_json()).unwrap();
        assert_eq!(back, bundle);
    }

    #[test]
    fn loinc_lookup_covers_every_biomarker() {
        for b in Biomarker::ALL {
            assert_eq!(Biomarker::from_loinc(b.loinc()), Some(b));
        }
        assert_eq!(Biomarker::from_loinc("0000-0"), None);
    }

    #[test]
    fn patient_debug_hides_demographics() {
        let p = Patient::new()
            .name("Doe", "Jane")
            .birth_date(day(1970, 1, 1));
        let text = format!("{p:?}");
        assert!(!text.contains("Doe") && !text.contains("1970"), "{text}");
    }
}
