//! Card endpoints: create, get, list, search, delete, flag, performance.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use bytes::Bytes;
use serde::Deserialize;
use serde_json::{json, Value};
use uuid::Uuid;

use crate::auth::Caller;
use crate::clock;
use crate::error::{ApiError, ApiResult};
use crate::extract::{json, json_or_default, QueryMap};
use crate::lifecycle;
use crate::model::{Card, Owner};
use crate::origin::Origin;
use crate::pagination::{paginate, PageRequest};
use crate::render;
use crate::state::App;
use crate::stats::Counters;

/// Largest page of cards.
const MAX_CARDS_PAGE: i64 = 200;
const DEFAULT_PAGE: usize = 20;

#[derive(Deserialize, Default)]
#[serde(default)]
struct CreateCard {
    enable_backside_scan: Option<bool>,
    /// Accepted; every card takes repeated scans of a side here (the last wins).
    #[allow(dead_code)]
    enable_livescan: Option<bool>,
    backside: Option<Backside>,
    metadata: Option<Value>,
}

#[derive(Deserialize)]
struct Backside {
    scanning: Option<String>,
}

/// Whether the card expects a back image: `enable_backside_scan`, or
/// `backside.scanning` of `required` / `optional`.
fn wants_backside(body: &CreateCard) -> ApiResult<bool> {
    let scanning = body.backside.as_ref().and_then(|b| b.scanning.as_deref());
    let by_mode = match scanning {
        None | Some("disabled") => false,
        Some("required" | "optional") => true,
        Some(_) => {
            return Err(ApiError::bad_request(
                "backside.scanning must be required, optional or disabled",
            ))
        }
    };
    Ok(body.enable_backside_scan.unwrap_or(false) || by_mode)
}

/// Parses a path card id; a malformed one is simply not found.
pub fn card_id(raw: &str) -> ApiResult<Uuid> {
    Uuid::parse_str(raw.trim()).map_err(|_| ApiError::card_not_found())
}

/// Creates a card owned by `owner` and returns its id.
pub fn insert_card(app: &App, owner: Owner, backside: bool, metadata: Option<Value>) -> Card {
    let mut store = app.store();
    let seq = store.next_seq();
    let card = Card::new(Uuid::new_v4(), seq, owner, backside, metadata);
    store.cards.insert(card.id, card.clone());
    drop(store);
    Counters::bump(&app.counters.cards_created);
    app.hub
        .publish(card.id, &card.owner, lifecycle::card_event(&card));
    card
}

/// `POST /cards` → 201 with the pending card.
pub async fn create(
    State(app): State<App>,
    caller: Caller,
    Origin(origin): Origin,
    body: Bytes,
) -> ApiResult<Response> {
    let body: CreateCard = json_or_default(&body)?;
    if body.metadata.as_ref().is_some_and(|m| !m.is_object()) {
        return Err(ApiError::bad_request("metadata must be a JSON object"));
    }
    let backside = wants_backside(&body)?;
    let card = insert_card(&app, caller.owner(), backside, body.metadata);
    Ok((
        StatusCode::CREATED,
        Json(render::card(&app, &origin, &card)),
    )
        .into_response())
}

/// Looks a card up for `caller`: 404 unknown, 403 foreign.
pub fn find_card(app: &App, caller: &Caller, id: Uuid) -> ApiResult<Card> {
    let store = app.store();
    let card = store.cards.get(&id).ok_or_else(ApiError::card_not_found)?;
    caller.check_card(card)?;
    Ok(card.clone())
}

/// `GET /cards/{card_id}`.
pub async fn get(
    State(app): State<App>,
    caller: Caller,
    Origin(origin): Origin,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    let card = find_card(&app, &caller, card_id(&id)?)?;
    Ok(Json(render::card(&app, &origin, &card)))
}

/// Cards the caller can see, not deleted, matching `filter`, as `(seq, json)`.
fn visible_cards(
    app: &App,
    caller: &Caller,
    origin: &str,
    filter: impl Fn(&Card) -> bool,
) -> Vec<(u64, Value)> {
    let store = app.store();
    store
        .cards
        .values()
        .filter(|c| !c.deleted && caller.can_access(&c.owner) && filter(c))
        .map(|c| (c.seq, render::card(app, origin, c)))
        .collect()
}

/// `GET /cards?limit=&cursor=`.
pub async fn list(
    State(app): State<App>,
    caller: Caller,
    Origin(origin): Origin,
    q: QueryMap,
) -> ApiResult<Json<Value>> {
    let page = PageRequest::from_query(&q, MAX_CARDS_PAGE, DEFAULT_PAGE)?;
    let (cards, metadata) = paginate(visible_cards(&app, &caller, &origin, |_| true), page);
    Ok(Json(
        json!({ "cards": cards, "response_metadata": metadata }),
    ))
}

/// `GET /cards/search?query=`: case-insensitive match on the card's id,
/// its result values and its metadata.
pub async fn search(
    State(app): State<App>,
    caller: Caller,
    Origin(origin): Origin,
    q: QueryMap,
) -> ApiResult<Json<Value>> {
    let needle = q.required("query")?.to_lowercase();
    let page = PageRequest::from_query(&q, MAX_CARDS_PAGE, DEFAULT_PAGE)?;
    let details = crate::dummy::card_details().to_string().to_lowercase();
    let matches = |c: &Card| {
        c.id.to_string().contains(&needle)
            || (c.state.has_result() && details.contains(&needle))
            || c.metadata
                .as_ref()
                .is_some_and(|m| m.to_string().to_lowercase().contains(&needle))
    };
    let (cards, metadata) = paginate(visible_cards(&app, &caller, &origin, matches), page);
    Ok(Json(
        json!({ "cards": cards, "response_metadata": metadata }),
    ))
}

/// `DELETE /cards/{card_id}` → 204; the card stays readable with `deleted: true`.
pub async fn delete(
    State(app): State<App>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    caller.require_full_access()?;
    let id = card_id(&id)?;
    let mut store = app.store();
    let card = store
        .cards
        .get_mut(&id)
        .ok_or_else(ApiError::card_not_found)?;
    caller.check_card(card)?;
    card.deleted = true;
    Ok(StatusCode::NO_CONTENT)
}

/// Flag types the docs list.
const FLAG_TYPES: [&str; 6] = [
    "missing_elements",
    "incorrect_elements",
    "bad_payer_match",
    "unreadable_text",
    "eligibility_issue",
    "other",
];

#[derive(Deserialize)]
struct FlagBody {
    flag_type: String,
    message: Option<String>,
}

/// `POST /cards/{card_id}/flag` (path not published by CardScan; see docs).
pub async fn flag(
    State(app): State<App>,
    caller: Caller,
    Path(id): Path<String>,
    body: Bytes,
) -> ApiResult<Json<Value>> {
    caller.require_full_access()?;
    let id = card_id(&id)?;
    let body: FlagBody = json(&body)?;
    if !FLAG_TYPES.contains(&body.flag_type.as_str()) {
        return Err(ApiError::bad_request(format!(
            "flag_type must be one of {}",
            FLAG_TYPES.join(", ")
        )));
    }
    let mut store = app.store();
    let card = store
        .cards
        .get_mut(&id)
        .ok_or_else(ApiError::card_not_found)?;
    caller.check_card(card)?;
    let flag = json!({
        "flag_id": Uuid::new_v4().to_string(),
        "card_id": id.to_string(),
        "flag_type": body.flag_type,
        "message": body.message,
        "created_at": clock::wire(clock::now()),
    });
    card.flags.push(flag.clone());
    Ok(Json(flag))
}

/// `POST /cards/{card_id}/performance`: free JSON, kept.
pub async fn performance(
    State(app): State<App>,
    caller: Caller,
    Path(id): Path<String>,
    body: Bytes,
) -> ApiResult<Json<Value>> {
    let id = card_id(&id)?;
    let body: Value = json(&body)?;
    if !body.is_object() {
        return Err(ApiError::bad_request(
            "performance data must be a JSON object",
        ));
    }
    let mut store = app.store();
    let card = store
        .cards
        .get_mut(&id)
        .ok_or_else(ApiError::card_not_found)?;
    caller.check_card(card)?;
    card.performance.push(body);
    Ok(Json(json!({ "message": "Performance data saved" })))
}
