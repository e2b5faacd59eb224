//! The sandbox's risk score: a fixed logistic formula over the mapped
//! observations, so the same bundle always gives the same score. It is shaped
//! like published coronary risk equations but is NOT a clinical model.
//!
//! `z = -2.6 + 0.07·(age−55) + 0.45·[male] + 0.006·(TC−200) − 0.025·(HDL−50)
//!      + 0.004·(LDL−130) + 0.02·(SBP−120) + 0.65·[current smoker]
//!      + 0.2·[former smoker] + 0.6·[diabetes] + 0.03·(BMI−25)`,
//! `score = 1 / (1 + e^−z)` rounded to 4 decimals. Diabetes means HbA1c ≥ 6.5 %
//! or glucose ≥ 126 mg/dL. A missing input takes its reference value (the one
//! subtracted above; sex counts as half male) and adds a warning.
//!
//! Bands: score < 0.10 Very Low, < 0.20 Low, < 0.40 Moderate, < 0.60 High,
//! otherwise Very High.

use super::catalogue::{Marker, Smoker};
use super::draft::{Draft, Sex};

/// Upper bounds (exclusive) of the first four bands; see [`level`].
pub const BANDS: [(f64, &str); 4] = [
    (0.10, "Very Low"),
    (0.20, "Low"),
    (0.40, "Moderate"),
    (0.60, "High"),
];

/// The band name for a score.
pub fn level(score: f64) -> &'static str {
    BANDS
        .iter()
        .find(|(upper, _)| score < *upper)
        .map(|(_, name)| *name)
        .unwrap_or("Very High")
}

/// The score and the inputs that had to be assumed.
#[derive(Debug, Clone)]
pub struct Assessment {
    pub score: f64,
    pub level: &'static str,
    /// Names of inputs the bundle did not provide (reference value used).
    pub assumed: Vec<&'static str>,
    pub diabetes: bool,
}

/// Scores a draft.
pub fn assess(draft: &Draft) -> Assessment {
    let mut assumed = Vec::new();
    let mut get = |m: Marker, reference: f64| match draft.values.get(&m) {
        Some(a) => a.value,
        None => {
            assumed.push(m.name());
            reference
        }
    };
    let tc = get(Marker::TotalCholesterol, 200.0);
    let hdl = get(Marker::Hdl, 50.0);
    let ldl = get(Marker::Ldl, 130.0);
    let sbp = get(Marker::Systolic, 120.0);
    let a1c = get(Marker::HbA1c, 5.4);
    let bmi = draft.values.get(&Marker::Bmi).map_or(25.0, |a| a.value);
    let glucose = draft.values.get(&Marker::Glucose).map(|a| a.value);
    let smoker = draft.values.get(&Marker::Smoking).and_then(|a| a.smoker);
    if smoker.is_none() {
        assumed.push(Marker::Smoking.name());
    }
    let age = match draft.age_years() {
        Some(a) => f64::from(a),
        None => {
            assumed.push("Age");
            55.0
        }
    };
    let male = match draft.sex {
        Some(Sex::Male) => 1.0,
        Some(Sex::Female) => 0.0,
        Some(Sex::Other) | None => {
            assumed.push("Sex");
            0.5
        }
    };
    let diabetes = a1c >= 6.5 || glucose.is_some_and(|g| g >= 126.0);
    let z = -2.6 + 0.07 * (age - 55.0) + 0.45 * male + 0.006 * (tc - 200.0) - 0.025 * (hdl - 50.0)
        + 0.004 * (ldl - 130.0)
        + 0.02 * (sbp - 120.0)
        + match smoker {
            Some(Smoker::Current) => 0.65,
            Some(Smoker::Former) => 0.2,
            _ => 0.0,
        }
        + if diabetes { 0.6 } else { 0.0 }
        + 0.03 * (bmi - 25.0);
    let score = (1.0 / (1.0 + (-z).exp()) * 10_000.0).round() / 10_000.0;
    Assessment {
        score,
        level: level(score),
        assumed,
        diabetes,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bands_cover_the_unit_interval() {
        assert_eq!(level(0.0), "Very Low");
        assert_eq!(level(0.0999), "Very Low");
        assert_eq!(level(0.1), "Low");
        assert_eq!(level(0.2), "Moderate");
        assert_eq!(level(0.4), "High");
        assert_eq!(level(0.6), "Very High");
        assert_eq!(level(1.0), "Very High");
    }
}
