//! The draft-test step: check a FHIR bundle and sort its observations into
//! mapped, rejected and missing items.
//!
//! Whole-request problems (not a Bundle, no entries, no or several Patients)
//! are *validation issues* (400). Problems with a single entry are *rejected
//! items*: the draft still succeeds with what could be used.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde_json::{json, Value};

use super::catalogue::{Marker, Smoker, AGE_CONCEPT, REQUIRED, SEX_CONCEPT};

/// Observations older than this (before the draft day) are rejected.
pub const MAX_OBSERVATION_AGE_DAYS: i64 = 90;

const LOINC: &str = "http://loinc.org";
const SNOMED: &str = "http://snomed.info/sct";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sex {
    Male,
    Female,
    Other,
}

/// A usable observation, its value in the canonical unit.
#[derive(Debug, Clone)]
pub struct Accepted {
    pub value: f64,
    pub smoker: Option<Smoker>,
    pub date: NaiveDate,
    /// The rejected item this entry becomes if a newer one replaces it.
    superseded: Value,
}

/// What the draft step kept of a bundle.
#[derive(Debug, Clone)]
pub struct Draft {
    pub patient_id: String,
    pub sex: Option<Sex>,
    pub birth_date: Option<NaiveDate>,
    pub values: BTreeMap<Marker, Accepted>,
    pub rejected: Vec<Value>,
    pub missing: Vec<(u32, &'static str)>,
}

impl Draft {
    /// Age in whole years on the latest observation's date (so the result
    /// depends on the bundle only, not on the day the test runs).
    pub fn age_years(&self) -> Option<u32> {
        let birth = self.birth_date?;
        let on = self.values.values().map(|a| a.date).max()?;
        on.years_since(birth)
    }

    /// The `data`-less draft-test answer (`success`, counts, items).
    pub fn summary_json(&self, draft_id: &str) -> Value {
        let missing: Vec<Value> = self
            .missing
            .iter()
            .map(|(id, name)| json!({"conceptId": id, "name": name}))
            .collect();
        json!({
            "success": true,
            "draftTestId": draft_id,
            "itemsMapped": self.values.len(),
            "itemsRejected": self.rejected.len(),
            "itemsMissing": missing.len(),
            "rejectedItems": self.rejected,
            "missingItems": missing,
        })
    }
}

/// Checks `bundle` as of `today`. `Err` lists the validation issues.
pub fn check(bundle: &Value, today: NaiveDate) -> Result<Draft, Vec<String>> {
    let entries = structure(bundle)?;
    let (patient_url, patient) = find_patient(entries)?;
    let mut draft = Draft {
        patient_id: patient_id(patient, patient_url),
        sex: sex(patient),
        birth_date: patient
            .get("birthDate")
            .and_then(Value::as_str)
            .and_then(parse_date),
        values: BTreeMap::new(),
        rejected: Vec::new(),
        missing: Vec::new(),
    };
    let subjects = subject_refs(patient, patient_url);
    for entry in entries {
        let url = entry.get("fullUrl").and_then(Value::as_str).unwrap_or("");
        let Some(resource) = entry.get("resource") else {
            continue;
        };
        match resource.get("resourceType").and_then(Value::as_str) {
            Some("Patient") => {}
            Some("Observation") => observation(&mut draft, resource, url, &subjects, today),
            other => draft
                .rejected
                .push(reject_resource(other.unwrap_or(""), url)),
        }
    }
    draft.missing = missing(&draft);
    Ok(draft)
}

/// The entry list, or the issues that make the request unusable.
fn structure(bundle: &Value) -> Result<&Vec<Value>, Vec<String>> {
    let Some(obj) = bundle.as_object() else {
        return Err(vec!["The request body must be a FHIR Bundle object".into()]);
    };
    let mut issues = Vec::new();
    if obj.get("resourceType").and_then(Value::as_str) != Some("Bundle") {
        issues.push("resourceType must be \"Bundle\"".to_owned());
    }
    let entries = match obj.get("entry").and_then(Value::as_array) {
        Some(e) if !e.is_empty() => Some(e),
        _ => {
            issues.push("Bundle.entry must be a non-empty array".to_owned());
            None
        }
    };
    for (i, e) in entries.into_iter().flatten().enumerate() {
        let rt = e
            .get("resource")
            .and_then(|r| r.get("resourceType"))
            .and_then(Value::as_str);
        if rt.is_none() {
            issues.push(format!(
                "Bundle.entry[{i}].resource must be a resource with a resourceType"
            ));
        }
    }
    match entries {
        Some(e) if issues.is_empty() => Ok(e),
        _ => Err(issues),
    }
}

fn find_patient(entries: &[Value]) -> Result<(&str, &Value), Vec<String>> {
    let patients: Vec<&Value> = entries
        .iter()
        .filter(|e| e["resource"]["resourceType"].as_str() == Some("Patient"))
        .collect();
    match patients.as_slice() {
        [one] => Ok((
            one.get("fullUrl").and_then(Value::as_str).unwrap_or(""),
            &one["resource"],
        )),
        [] => Err(vec!["The Bundle must contain one Patient resource".into()]),
        _ => Err(vec![
            "The Bundle must contain exactly one Patient resource".into()
        ]),
    }
}

fn patient_id(patient: &Value, url: &str) -> String {
    if let Some(id) = patient.get("id").and_then(Value::as_str) {
        return id.to_owned();
    }
    match url.strip_prefix("urn:uuid:") {
        Some(u) if !u.is_empty() => u.to_owned(),
        _ => uuid::Uuid::new_v4().to_string(),
    }
}

fn sex(patient: &Value) -> Option<Sex> {
    match patient.get("gender").and_then(Value::as_str)? {
        "male" => Some(Sex::Male),
        "female" => Some(Sex::Female),
        "other" => Some(Sex::Other),
        _ => None,
    }
}

/// References that point at the bundle's patient.
fn subject_refs(patient: &Value, url: &str) -> Vec<String> {
    let mut refs = Vec::new();
    if !url.is_empty() {
        refs.push(url.to_owned());
    }
    if let Some(id) = patient.get("id").and_then(Value::as_str) {
        refs.push(format!("Patient/{id}"));
    }
    refs
}

/// Accepts `YYYY-MM-DD` or any RFC 3339 date-time (its date part).
fn parse_date(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s.get(..10)?, "%Y-%m-%d").ok()
}

fn effective_date(obs: &Value) -> Option<&str> {
    obs.get("effectiveDateTime")
        .or_else(|| obs.get("effectiveInstant"))
        .or_else(|| {
            obs.get("effectivePeriod")
                .and_then(|p| p.get("end").or_else(|| p.get("start")))
        })
        .or_else(|| obs.get("issued"))
        .and_then(Value::as_str)
}

/// The observation's LOINC coding, else its first coding.
fn coding(obs: &Value) -> (Option<&str>, Option<&str>) {
    let codings = obs["code"]["coding"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or(&[]);
    let chosen = codings
        .iter()
        .find(|c| c["system"].as_str() == Some(LOINC))
        .or_else(|| codings.first());
    match chosen {
        Some(c) => (c["system"].as_str(), c["code"].as_str()),
        None => (None, None),
    }
}

/// What was sent as the value, echoed in rejected items.
struct Sent<'a> {
    number: Option<f64>,
    text: Option<&'a str>,
    unit: Option<&'a str>,
}

fn sent_value(obs: &Value) -> Sent<'_> {
    let q = &obs["valueQuantity"];
    let text = obs["valueCodeableConcept"]["coding"][0]["code"]
        .as_str()
        .or_else(|| obs["valueString"].as_str());
    Sent {
        number: q["value"].as_f64(),
        text,
        unit: q["unit"].as_str().or(q["code"].as_str()),
    }
}

fn observation(draft: &mut Draft, obs: &Value, url: &str, subjects: &[String], today: NaiveDate) {
    let (system, code) = coding(obs);
    let marker = match (system, code) {
        (Some(LOINC) | None, Some(c)) => Marker::from_loinc(c),
        _ => None,
    };
    let sent = sent_value(obs);
    let reject = |reason: &str| rejected(marker, system, code, url, &sent, reason);
    let Some(marker) = marker else {
        draft.rejected.push(reject(
            "Unknown code: not a LOINC code used by the CCS test",
        ));
        return;
    };
    match accept(marker, obs, subjects, today, &sent) {
        Err(reason) => draft.rejected.push(reject(reason)),
        Ok((value, smoker, date)) => {
            let superseded = reject("Superseded by a more recent observation");
            keep_latest(
                draft,
                marker,
                Accepted {
                    value,
                    smoker,
                    date,
                    superseded,
                },
            );
        }
    }
}

/// Keeps the most recent observation per marker; the older one is rejected.
fn keep_latest(draft: &mut Draft, marker: Marker, acc: Accepted) {
    match draft.values.remove(&marker) {
        Some(prev) if prev.date >= acc.date => {
            draft.rejected.push(acc.superseded);
            draft.values.insert(marker, prev);
        }
        Some(prev) => {
            draft.rejected.push(prev.superseded);
            draft.values.insert(marker, acc);
        }
        None => {
            draft.values.insert(marker, acc);
        }
    }
}

fn accept(
    marker: Marker,
    obs: &Value,
    subjects: &[String],
    today: NaiveDate,
    sent: &Sent<'_>,
) -> Result<(f64, Option<Smoker>, NaiveDate), &'static str> {
    if let Some(s) = obs["status"].as_str() {
        if matches!(s, "entered-in-error" | "cancelled") {
            return Err("Observation status is not usable");
        }
    }
    if let Some(r) = obs["subject"]["reference"].as_str() {
        if !subjects.iter().any(|s| s == r) {
            return Err("Subject is not the bundle's Patient");
        }
    }
    let date = effective_date(obs).ok_or("Observation has no effective date")?;
    let date = parse_date(date).ok_or("Effective date is not a valid date")?;
    if date > today {
        return Err("Effective date is in the future");
    }
    if (today - date).num_days() > MAX_OBSERVATION_AGE_DAYS {
        return Err("Observation is older than 90 days");
    }
    if marker == Marker::Smoking {
        let code = obs["valueCodeableConcept"]["coding"]
            .as_array()
            .and_then(|cs| cs.iter().find(|c| c["system"].as_str() == Some(SNOMED)))
            .and_then(|c| c["code"].as_str());
        let smoker = code
            .and_then(Smoker::from_snomed)
            .ok_or("Unrecognised smoking status")?;
        return Ok((0.0, Some(smoker), date));
    }
    let value = sent.number.ok_or("Missing or non-numeric valueQuantity")?;
    let value = marker.canonical(value, sent.unit.unwrap_or(""))?;
    Ok((value, None, date))
}

fn rejected(
    marker: Option<Marker>,
    system: Option<&str>,
    code: Option<&str>,
    url: &str,
    sent: &Sent<'_>,
    reason: &str,
) -> Value {
    json!({
        "conceptId": marker.map(Marker::concept_id),
        "conceptName": marker.map(Marker::name),
        "code": code,
        "vocabularyId": vocabulary(system),
        "resourceType": "Observation",
        "rejectionReason": reason,
        "entryUrl": url,
        "valueNumber": sent.number,
        "valueText": sent.text,
        "unit": sent.unit,
    })
}

fn vocabulary(system: Option<&str>) -> Option<&str> {
    match system {
        Some(LOINC) => Some("LOINC"),
        Some(SNOMED) => Some("SNOMED"),
        other => other,
    }
}

fn reject_resource(resource_type: &str, url: &str) -> Value {
    json!({
        "conceptId": null, "conceptName": null, "code": null, "vocabularyId": null,
        "resourceType": resource_type,
        "rejectionReason": format!("Unsupported resource type: {resource_type}"),
        "entryUrl": url, "valueNumber": null, "valueText": null, "unit": null,
    })
}

fn missing(draft: &Draft) -> Vec<(u32, &'static str)> {
    let mut out = Vec::new();
    if draft.birth_date.is_none() {
        out.push(AGE_CONCEPT);
    }
    if draft.sex.is_none() {
        out.push(SEX_CONCEPT);
    }
    out.extend(
        REQUIRED
            .iter()
            .filter(|m| !draft.values.contains_key(m))
            .map(|m| (m.concept_id(), m.name())),
    );
    out
}
