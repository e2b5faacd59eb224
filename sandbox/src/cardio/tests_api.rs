//! `draft-test`, `run` and `result`: the CCSTest endpoints.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};

use super::auth::require;
use super::draft::{self, Draft};
use super::i18n::{self, Lang};
use super::reply;
use super::risk::{self, Assessment};
use super::state::{CardioState, TestRecord};

/// `POST /api/fhir/draft-test`.
pub async fn draft_test(
    State(state): State<Arc<CardioState>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if let Err(r) = require(&state, &headers, "api.write") {
        return r;
    }
    let Ok(bundle) = serde_json::from_slice::<Value>(&body) else {
        return reply::invalid_bundle(vec!["The request body is not valid JSON".into()]);
    };
    let today = chrono::Utc::now().date_naive();
    let draft = match draft::check(&bundle, today) {
        Ok(d) => d,
        Err(issues) => return reply::invalid_bundle(issues),
    };
    let id = uuid::Uuid::new_v4().to_string();
    let summary = draft.summary_json(&id);
    state.lock().tests.insert(
        id,
        TestRecord {
            draft,
            result: None,
        },
    );
    (StatusCode::OK, Json(summary)).into_response()
}

#[derive(Deserialize)]
pub struct RunQuery {
    language: Option<String>,
}

/// `POST /api/ccs/v1/tests/{id}/run?language=en|de` → TestResponse.
pub async fn run(
    State(state): State<Arc<CardioState>>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(q): Query<RunQuery>,
) -> Response {
    if let Err(r) = require(&state, &headers, "api.write") {
        return r;
    }
    let Some(lang) = Lang::parse(q.language.as_deref()) else {
        let issues = vec!["language must be en or de".to_owned()];
        return reply::error(StatusCode::BAD_REQUEST, "Invalid language", issues);
    };
    let mut inner = state.lock();
    let Some(record) = inner.tests.get_mut(&id) else {
        return reply::not_found("Test not found");
    };
    let assessment = risk::assess(&record.draft);
    let completed_at = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let response = test_response(&id, &record.draft, &assessment, lang, &completed_at);
    record.result = Some(report(&id, &record.draft, &assessment, lang, &completed_at));
    inner.runs += 1;
    reply::ok("Test completed", response)
}

/// `GET /api/ccs/v1/tests/{id}/result` → PatientReport (after a run).
pub async fn result(
    State(state): State<Arc<CardioState>>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    if let Err(r) = require(&state, &headers, "api.read") {
        return r;
    }
    let inner = state.lock();
    match inner.tests.get(&id) {
        None => reply::not_found("Test not found"),
        Some(TestRecord { result: None, .. }) => {
            reply::not_found("No result for this test yet: run it first")
        }
        Some(TestRecord {
            result: Some(report),
            ..
        }) => reply::ok("Result retrieved", report.clone()),
    }
}

fn warnings(a: &Assessment, lang: Lang) -> Vec<String> {
    let mut w = vec![i18n::SANDBOX_MARK.to_owned()];
    w.extend(
        a.assumed
            .iter()
            .map(|name| i18n::assumed_warning(name, lang)),
    );
    w
}

fn test_response(id: &str, draft: &Draft, a: &Assessment, lang: Lang, completed_at: &str) -> Value {
    json!({
        "testId": id,
        "patientId": draft.patient_id,
        "riskScore": a.score,
        "riskLevel": a.level,
        "recommendation": i18n::recommendation(a.level, lang),
        "completedAt": completed_at,
        "warnings": warnings(a, lang),
    })
}

fn report(id: &str, draft: &Draft, a: &Assessment, lang: Lang, completed_at: &str) -> Value {
    let biomarkers: Vec<Value> = draft
        .values
        .iter()
        .map(|(m, acc)| {
            let (value, text) = match acc.smoker {
                Some(s) => (Value::Null, json!(s.label())),
                None => (json!((acc.value * 100.0).round() / 100.0), Value::Null),
            };
            json!({
                "name": m.name(), "conceptId": m.concept_id(), "code": m.loinc(), "value": value,
                "valueText": text, "unit": m.canonical_unit(),
                "effectiveDate": acc.date.to_string(), "status": "used",
            })
        })
        .collect();
    json!({
        "testId": id,
        "patientId": draft.patient_id,
        "language": lang.code(),
        "source": "sandbox",
        "riskAssessment": {
            "riskScore": a.score,
            "riskLevel": a.level,
            "riskLevelLocalized": i18n::level_name(a.level, lang),
            "summary": i18n::summary(a.level, a.score, lang),
            "diabetes": a.diabetes,
        },
        "biomarkers": biomarkers,
        "recommendations": [i18n::recommendation(a.level, lang)],
        "warnings": warnings(a, lang),
        "completedAt": completed_at,
    })
}
