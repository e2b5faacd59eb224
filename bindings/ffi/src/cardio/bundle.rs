//! Building a FHIR bundle from Swift/Kotlin without writing FHIR JSON:
//! `buildCardioBundle(patient, observations)` returns the JSON `draftTest` takes.

use cardscan_core::cardio::{self as core, Biomarker, Bundle, Observation, Patient};
use chrono::NaiveDate;

use crate::error::{CardScanError, Result};

#[derive(Clone, Copy, Debug, PartialEq, Eq, uniffi::Enum)]
pub enum CardioGender {
    Male,
    Female,
    Other,
    Unknown,
}

/// The patient's demographics the risk test uses (no name needed).
#[derive(Clone, PartialEq, uniffi::Record)]
pub struct CardioPatient {
    #[uniffi(default = None)]
    pub id: Option<String>,
    #[uniffi(default = None)]
    pub gender: Option<CardioGender>,
    /// `YYYY-MM-DD`.
    #[uniffi(default = None)]
    pub birth_date: Option<String>,
}

impl std::fmt::Debug for CardioPatient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CardioPatient").finish_non_exhaustive()
    }
}

/// The biomarkers with their LOINC codes (see docs/cardio.md).
#[derive(Clone, Copy, Debug, PartialEq, Eq, uniffi::Enum)]
pub enum CardioBiomarker {
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
    Creatinine,
}

impl From<CardioBiomarker> for Biomarker {
    fn from(b: CardioBiomarker) -> Self {
        match b {
            CardioBiomarker::TotalCholesterol => Biomarker::TotalCholesterol,
            CardioBiomarker::HdlCholesterol => Biomarker::HdlCholesterol,
            CardioBiomarker::LdlCholesterolCalculated => Biomarker::LdlCholesterolCalculated,
            CardioBiomarker::LdlCholesterolDirect => Biomarker::LdlCholesterolDirect,
            CardioBiomarker::Triglycerides => Biomarker::Triglycerides,
            CardioBiomarker::SystolicBloodPressure => Biomarker::SystolicBloodPressure,
            CardioBiomarker::DiastolicBloodPressure => Biomarker::DiastolicBloodPressure,
            CardioBiomarker::HbA1c => Biomarker::HbA1c,
            CardioBiomarker::Glucose => Biomarker::Glucose,
            CardioBiomarker::Bmi => Biomarker::Bmi,
            CardioBiomarker::Creatinine => Biomarker::Creatinine,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, uniffi::Enum)]
pub enum CardioSmokingStatus {
    CurrentEveryDay,
    CurrentSomeDay,
    Former,
    Never,
}

/// One observation; dates are `YYYY-MM-DD`.
#[derive(Clone, Debug, PartialEq, uniffi::Enum)]
pub enum CardioObservation {
    /// A measured value; `unit` defaults to the biomarker's usual unit
    /// (mg/dL, mm[Hg], %, kg/m2).
    Quantity {
        biomarker: CardioBiomarker,
        value: f64,
        unit: Option<String>,
        effective_date: String,
    },
    /// Tobacco smoking status (LOINC 72166-2).
    Smoking {
        status: CardioSmokingStatus,
        effective_date: String,
    },
}

fn date(field: &str, s: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
        .map_err(|_| CardScanError::invalid(field, "must be a date as YYYY-MM-DD"))
}

fn patient(p: CardioPatient) -> Result<Patient> {
    let mut out = Patient::new();
    if let Some(id) = p.id {
        out = out.id(id);
    }
    if let Some(g) = p.gender {
        out = out.gender(match g {
            CardioGender::Male => core::Gender::Male,
            CardioGender::Female => core::Gender::Female,
            CardioGender::Other => core::Gender::Other,
            CardioGender::Unknown => core::Gender::Unknown,
        });
    }
    if let Some(b) = p.birth_date {
        out = out.birth_date(date("patient.birthDate", &b)?);
    }
    Ok(out)
}

fn observation(o: CardioObservation) -> Result<Observation> {
    Ok(match o {
        CardioObservation::Quantity {
            biomarker,
            value,
            unit,
            effective_date,
        } => {
            if !value.is_finite() {
                return Err(CardScanError::invalid(
                    "observation.value",
                    "must be a finite number",
                ));
            }
            let d = date("observation.effectiveDate", &effective_date)?;
            let b = Biomarker::from(biomarker);
            match unit {
                Some(u) => Observation::quantity_in(b, value, &u, d),
                None => Observation::quantity(b, value, d),
            }
        }
        CardioObservation::Smoking {
            status,
            effective_date,
        } => {
            let d = date("observation.effectiveDate", &effective_date)?;
            let s = match status {
                CardioSmokingStatus::CurrentEveryDay => core::SmokingStatus::CurrentEveryDay,
                CardioSmokingStatus::CurrentSomeDay => core::SmokingStatus::CurrentSomeDay,
                CardioSmokingStatus::Former => core::SmokingStatus::Former,
                CardioSmokingStatus::Never => core::SmokingStatus::Never,
            };
            Observation::smoking(s, d)
        }
    })
}

/// A FHIR Bundle (JSON) of one patient and their LOINC-coded observations,
/// ready for `CardioClient.draftTest`.
#[uniffi::export]
pub fn build_cardio_bundle(
    patient: CardioPatient,
    observations: Vec<CardioObservation>,
) -> Result<String> {
    crate::guard::guard(|| {
        let p = self::patient(patient)?;
        let obs = observations
            .into_iter()
            .map(observation)
            .collect::<Result<Vec<_>>>()?;
        let bundle: Bundle = Bundle::builder(p).observations(obs).build();
        serde_json::to_string(&bundle.to_json())
            .map_err(|e| CardScanError::internal(format!("bundle serialisation failed: {e}")))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_a_bundle_and_rejects_bad_dates() {
        let p = CardioPatient {
            id: Some("p1".into()),
            gender: Some(CardioGender::Female),
            birth_date: Some("1970-02-03".into()),
        };
        let obs = vec![
            CardioObservation::Quantity {
                biomarker: CardioBiomarker::HdlCholesterol,
                value: 55.0,
                unit: None,
                effective_date: "2026-01-01".into(),
            },
            CardioObservation::Smoking {
                status: CardioSmokingStatus::Never,
                effective_date: "2026-01-01".into(),
            },
        ];
        let json: serde_json::Value =
            serde_json::from_str(&build_cardio_bundle(p.clone(), obs).unwrap()).unwrap();
        assert_eq!(
            json["entry"][1]["resource"]["code"]["coding"][0]["code"],
            "2085-9"
        );
        assert_eq!(
            json["entry"][2]["resource"]["code"]["coding"][0]["code"],
            "72166-2"
        );
        let bad = vec![CardioObservation::Smoking {
            status: CardioSmokingStatus::Never,
            effective_date: "01/02/2026".into(),
        }];
        assert!(matches!(
            build_cardio_bundle(p, bad),
            Err(CardScanError::InvalidInput { .. })
        ));
    }
}
