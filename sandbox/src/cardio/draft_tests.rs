//! Unit tests of the draft checks and the risk score on hand-written bundles.

use chrono::NaiveDate;
use serde_json::{json, Value};

use super::catalogue::Marker;
use super::draft::check;
use super::risk::assess;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 6, 1).unwrap()
}

fn obs(url: &str, code: &str, value: f64, unit: &str, date: &str) -> Value {
    json!({"fullUrl": url, "resource": {
        "resourceType": "Observation", "status": "final",
        "code": {"coding": [{"system": "http://loinc.org", "code": code}]},
        "subject": {"reference": "urn:uuid:p"},
        "effectiveDateTime": date,
        "valueQuantity": {"value": value, "unit": unit}}})
}

fn smoking(code: &str, date: &str) -> Value {
    json!({"fullUrl": "urn:uuid:s", "resource": {
        "resourceType": "Observation", "status": "final",
        "code": {"coding": [{"system": "http://loinc.org", "code": "72166-2"}]},
        "subject": {"reference": "urn:uuid:p"},
        "effectiveDateTime": date,
        "valueCodeableConcept": {"coding": [{"system": "http://snomed.info/sct", "code": code}]}}})
}

fn bundle(mut entries: Vec<Value>) -> Value {
    let patient = json!({"fullUrl": "urn:uuid:p", "resource": {
        "resourceType": "Patient", "gender": "male", "birthDate": "1966-03-01"}});
    entries.insert(0, patient);
    json!({"resourceType": "Bundle", "type": "collection", "entry": entries})
}

fn full(tc: f64, hdl: f64, sbp: f64, smoker: &str) -> Value {
    bundle(vec![
        obs("urn:uuid:1", "2093-3", tc, "mg/dL", "2026-05-20"),
        obs("urn:uuid:2", "2085-9", hdl, "mg/dL", "2026-05-20"),
        obs("urn:uuid:3", "13457-7", 130.0, "mg/dL", "2026-05-20"),
        obs("urn:uuid:4", "8480-6", sbp, "mm[Hg]", "2026-05-20"),
        obs("urn:uuid:5", "4548-4", 5.4, "%", "2026-05-20"),
        smoking(smoker, "2026-05-20"),
    ])
}

#[test]
fn complete_bundle_maps_everything() {
    let d = check(&full(200.0, 50.0, 120.0, "266919005"), today()).unwrap();
    assert_eq!(d.values.len(), 6);
    assert!(d.rejected.is_empty(), "{:?}", d.rejected);
    assert!(d.missing.is_empty(), "{:?}", d.missing);
    assert_eq!(d.age_years(), Some(60));
}

#[test]
fn stale_unknown_and_foreign_entries_are_rejected() {
    let b = bundle(vec![
        obs("urn:uuid:old", "2093-3", 200.0, "mg/dL", "2026-02-20"),
        obs("urn:uuid:unk", "9999-9", 1.0, "mg/dL", "2026-05-20"),
        obs("urn:uuid:unit", "2085-9", 1.0, "g/L", "2026-05-20"),
        json!({"fullUrl": "urn:uuid:cond", "resource": {"resourceType": "Condition"}}),
    ]);
    let d = check(&b, today()).unwrap();
    let reasons: Vec<(&str, &str)> = d
        .rejected
        .iter()
        .map(|r| {
            (
                r["entryUrl"].as_str().unwrap(),
                r["rejectionReason"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        reasons,
        vec![
            ("urn:uuid:old", "Observation is older than 90 days"),
            (
                "urn:uuid:unk",
                "Unknown code: not a LOINC code used by the CCS test"
            ),
            ("urn:uuid:unit", "Unsupported unit"),
            ("urn:uuid:cond", "Unsupported resource type: Condition"),
        ]
    );
    assert!(d.values.is_empty());
    assert_eq!(d.missing.len(), 6, "{:?}", d.missing);
}

#[test]
fn exactly_ninety_days_is_still_accepted() {
    let b = bundle(vec![obs(
        "urn:uuid:1",
        "2093-3",
        200.0,
        "mg/dL",
        "2026-03-03",
    )]);
    assert_eq!(
        (today() - NaiveDate::from_ymd_opt(2026, 3, 3).unwrap()).num_days(),
        90
    );
    assert!(check(&b, today())
        .unwrap()
        .values
        .contains_key(&Marker::TotalCholesterol));
}

#[test]
fn the_newest_of_duplicate_observations_wins() {
    let b = bundle(vec![
        obs("urn:uuid:a", "2093-3", 180.0, "mg/dL", "2026-05-01"),
        obs("urn:uuid:b", "2093-3", 240.0, "mg/dL", "2026-05-21"),
    ]);
    let d = check(&b, today()).unwrap();
    assert_eq!(d.values[&Marker::TotalCholesterol].value, 240.0);
    assert_eq!(d.rejected.len(), 1);
    assert_eq!(d.rejected[0]["entryUrl"], "urn:uuid:a");
}

#[test]
fn structural_problems_are_validation_issues() {
    assert!(check(&json!([1, 2]), today()).is_err());
    let issues = check(&json!({"resourceType": "Patient"}), today()).unwrap_err();
    assert_eq!(issues.len(), 2, "{issues:?}");
    let no_patient = json!({"resourceType": "Bundle", "entry": [
        obs("urn:uuid:1", "2093-3", 200.0, "mg/dL", "2026-05-20")]});
    assert_eq!(
        check(&no_patient, today()).unwrap_err(),
        vec!["The Bundle must contain one Patient resource".to_owned()]
    );
}

#[test]
fn score_is_deterministic_and_rises_with_risk_factors() {
    let low = assess(&check(&full(180.0, 65.0, 115.0, "266919005"), today()).unwrap());
    let again = assess(&check(&full(180.0, 65.0, 115.0, "266919005"), today()).unwrap());
    let high = assess(&check(&full(280.0, 35.0, 165.0, "449868002"), today()).unwrap());
    assert_eq!(low.score, again.score);
    assert!(low.assumed.is_empty(), "{:?}", low.assumed);
    assert!(
        high.score > low.score + 0.2,
        "{} vs {}",
        high.score,
        low.score
    );
    assert_eq!(low.level, super::risk::level(low.score));
    assert!((0.0..=1.0).contains(&high.score));
}

#[test]
fn units_are_converted_before_scoring() {
    let mg = full(193.35, 50.0, 120.0, "266919005");
    let mut mmol = mg.clone();
    mmol["entry"][1]["resource"]["valueQuantity"] = json!({"value": 5.0, "unit": "mmol/L"});
    let a = assess(&check(&mg, today()).unwrap()).score;
    let b = assess(&check(&mmol, today()).unwrap()).score;
    assert!((a - b).abs() < 1e-3, "{a} vs {b}");
}
