//! Eligibility: create (needs a completed card), get, list. A request moves
//! processing → completed when the subscriber is the card's member, or →
//! error ("Subscriber/Insured Not Found") otherwise.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use bytes::Bytes;
use chrono::Datelike;
use serde::Deserialize;
use serde_json::{json, Value};
use uuid::Uuid;

use crate::auth::Caller;
use crate::clock;
use crate::dummy;
use crate::error::{ApiError, ApiResult};
use crate::extract::{json, QueryMap};
use crate::model::{Eligibility, EligibilityState};
use crate::pagination::{paginate, PageRequest};
use crate::render;
use crate::state::App;
use crate::stats::Counters;

const MAX_PAGE: i64 = 30;
const DEFAULT_PAGE: usize = 20;

#[derive(Deserialize)]
struct CreateBody {
    card_id: String,
    eligibility: EligibilityInfo,
}

#[derive(Deserialize)]
struct EligibilityInfo {
    provider: Provider,
    subscriber: Subscriber,
}

#[derive(Deserialize)]
struct Provider {
    npi: String,
    first_name: Option<String>,
    last_name: Option<String>,
    organization_name: Option<String>,
}

#[derive(Deserialize)]
struct Subscriber {
    first_name: String,
    last_name: String,
    date_of_birth: String,
}

fn length_ok(value: &str, min: usize, max: usize) -> bool {
    (min..=max).contains(&value.trim().chars().count())
}

/// NPI: 10 digits, valid under the Luhn check with the `80840` prefix.
pub fn npi_valid(npi: &str) -> bool {
    if npi.len() != 10 || !npi.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    let digits = format!("80840{npi}");
    let sum: u32 = digits
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| {
            let d = u32::from(b - b'0');
            if i % 2 == 1 {
                if d * 2 > 9 {
                    d * 2 - 9
                } else {
                    d * 2
                }
            } else {
                d
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

fn validate_provider(p: &Provider) -> ApiResult<()> {
    if !npi_valid(p.npi.trim()) {
        return Err(ApiError::bad_request(
            "provider.npi must be a valid 10-digit NPI",
        ));
    }
    let org = p
        .organization_name
        .as_deref()
        .filter(|o| !o.trim().is_empty());
    let person = (p.first_name.as_deref(), p.last_name.as_deref());
    match (org, person) {
        (Some(o), _) if !length_ok(o, 1, 60) => Err(ApiError::bad_request(
            "provider.organization_name must be at most 60 characters",
        )),
        (Some(_), _) => Ok(()),
        (None, (Some(f), Some(l))) if length_ok(f, 1, 35) && length_ok(l, 1, 60) => Ok(()),
        _ => Err(ApiError::bad_request(
            "provider needs organization_name, or first_name (1-35) and last_name (1-60)",
        )),
    }
}

fn validate_subscriber(s: &Subscriber) -> ApiResult<()> {
    if !length_ok(&s.first_name, 1, 35) || !length_ok(&s.last_name, 1, 60) {
        return Err(ApiError::bad_request(
            "subscriber first_name (1-35) and last_name (1-60) are required",
        ));
    }
    let dob = s.date_of_birth.trim();
    let date = chrono::NaiveDate::parse_from_str(dob, "%Y%m%d")
        .ok()
        .filter(|_| dob.len() == 8);
    match date {
        Some(d) if d.year() >= 1900 && d <= chrono::Utc::now().date_naive() => Ok(()),
        _ => Err(ApiError::bad_request(
            "subscriber.date_of_birth must be a real date written YYYYMMDD",
        )),
    }
}

fn is_member(s: &Subscriber) -> bool {
    s.first_name
        .trim()
        .eq_ignore_ascii_case(dummy::MEMBER_FIRST_NAME)
        && s.last_name
            .trim()
            .eq_ignore_ascii_case(dummy::MEMBER_LAST_NAME)
}

/// `POST /eligibility` → 201 `processing`.
pub async fn create(State(app): State<App>, caller: Caller, body: Bytes) -> ApiResult<Response> {
    caller.require_full_access()?;
    let body: CreateBody = json(&body)?;
    validate_provider(&body.eligibility.provider)?;
    validate_subscriber(&body.eligibility.subscriber)?;
    let card_id = Uuid::parse_str(body.card_id.trim()).map_err(|_| ApiError::card_not_found())?;
    let record = {
        let mut store = app.store();
        let card = store
            .cards
            .get(&card_id)
            .ok_or_else(ApiError::card_not_found)?;
        caller.check_card(card)?;
        if !card.state.has_result() {
            return Err(ApiError::bad_request(
                "The card scan must be completed before checking eligibility",
            ));
        }
        let seq = store.next_seq();
        let record = new_record(&caller, card_id, seq, &body.eligibility);
        store.eligibility.insert(record.id, record.clone());
        record
    };
    Counters::bump(&app.counters.eligibility_created);
    app.hub.publish(card_id, &record.owner, event(&record));
    tokio::spawn(finish_later(app.clone(), record.id));
    Ok((StatusCode::CREATED, Json(render::eligibility(&record))).into_response())
}

fn new_record(caller: &Caller, card_id: Uuid, seq: u64, info: &EligibilityInfo) -> Eligibility {
    let control_number = format!("{:09}", rand::random::<u32>() % 1_000_000_000);
    let p = &info.provider;
    let provider = json!({ "npi": p.npi.trim(), "first_name": p.first_name, "last_name": p.last_name, "organization_name": p.organization_name });
    let provider = strip_nulls(provider);
    let s = &info.subscriber;
    let subscriber = json!({ "first_name": s.first_name.trim(), "last_name": s.last_name.trim(), "date_of_birth": s.date_of_birth.trim() });
    Eligibility {
        id: Uuid::new_v4(),
        seq,
        card_id,
        owner: caller.owner(),
        state: EligibilityState::Processing,
        created_at: clock::now(),
        request: dummy::eligibility_request(&control_number, &provider, &subscriber),
        response: None,
        summary: None,
        error: None,
        subscriber_matches: is_member(s),
    }
}

fn strip_nulls(mut value: Value) -> Value {
    if let Some(map) = value.as_object_mut() {
        map.retain(|_, v| !v.is_null());
    }
    value
}

/// After the configured delay: completed with the summary, or error.
async fn finish_later(app: App, id: Uuid) {
    tokio::time::sleep(app.config.eligibility_delay).await;
    let mut store = app.store();
    let Some(record) = store.eligibility.get_mut(&id) else {
        return;
    };
    let control = record.request["control_number"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let dob = record.request["subscriber"]["date_of_birth"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    record.response = Some(dummy::eligibility_raw_response(
        &control,
        record.subscriber_matches,
    ));
    if record.subscriber_matches {
        record.state = EligibilityState::Completed;
        record.summary = Some(dummy::eligibility_summary(&dob));
    } else {
        record.state = EligibilityState::Error;
        record.summary = Some(dummy::eligibility_not_found_summary());
        record.error = Some(dummy::eligibility_error());
    }
    app.hub
        .publish(record.card_id, &record.owner, event(record));
}

fn event(record: &Eligibility) -> Value {
    let mut e = json!({
        "type": "eligibility",
        "eligibility_id": record.id.to_string(),
        "card_id": record.card_id.to_string(),
        "state": record.state.as_str(),
    });
    if let (Some(err), Some(map)) = (&record.error, e.as_object_mut()) {
        map.insert("error".into(), err.clone());
    }
    e
}

/// `GET /eligibility/{eligibility_id}`.
pub async fn get(
    State(app): State<App>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    let not_found = || ApiError::not_found("Eligibility record not found");
    let id = Uuid::parse_str(id.trim()).map_err(|_| not_found())?;
    let store = app.store();
    let record = store.eligibility.get(&id).ok_or_else(not_found)?;
    if !caller.can_access(&record.owner) {
        return Err(ApiError::forbidden(
            "You do not have access to this eligibility record",
        ));
    }
    Ok(Json(render::eligibility(record)))
}

/// `GET /eligibility?limit=&cursor=` (limit ≤ 30).
pub async fn list(State(app): State<App>, caller: Caller, q: QueryMap) -> ApiResult<Json<Value>> {
    let page = PageRequest::from_query(&q, MAX_PAGE, DEFAULT_PAGE)?;
    let items: Vec<(u64, Value)> = app
        .store()
        .eligibility
        .values()
        .filter(|r| caller.can_access(&r.owner))
        .map(|r| (r.seq, render::eligibility(r)))
        .collect();
    let (records, metadata) = paginate(items, page);
    Ok(Json(
        json!({ "eligibility_requests": records, "response_metadata": metadata }),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn npi_luhn_with_80840_prefix() {
        assert!(npi_valid("1234567893"));
        assert!(!npi_valid("1234567890"));
        assert!(!npi_valid("123456789"));
        assert!(!npi_valid("12345678a3"));
    }

    #[test]
    fn subscriber_dates_must_be_real_yyyymmdd() {
        let s = |dob: &str| Subscriber {
            first_name: "a".into(),
            last_name: "b".into(),
            date_of_birth: dob.into(),
        };
        assert!(validate_subscriber(&s("19800101")).is_ok());
        assert!(validate_subscriber(&s("19800230")).is_err());
        assert!(validate_subscriber(&s("1980-01-01")).is_err());
        assert!(validate_subscriber(&s("18991231")).is_err());
    }
}
