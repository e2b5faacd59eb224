//! The three ways to upload a side: direct upload, presigned POST (card
//! upload URL), and the legacy upload URL that creates the card itself.
//! Also scan metadata.

use std::time::Instant;

use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use bytes::Bytes;
use serde::Deserialize;
use serde_json::{json, Value};
use uuid::Uuid;

use super::cards::{card_id, find_card, insert_card};
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult};
use crate::extract::{json, QueryMap};
use crate::images;
use crate::lifecycle;
use crate::model::{Card, Scan, Side, SideImage};
use crate::origin::Origin;
use crate::s3::{self, Slot};
use crate::state::App;
use crate::stats::Counters;

const CAPTURE_TYPES: [&str; 4] = ["manual", "automatic", "selectedFile", "api"];

fn orientation(raw: Option<&str>) -> ApiResult<Side> {
    match raw {
        None => Err(ApiError::bad_request(
            "Missing required parameter: orientation",
        )),
        Some(o) => Side::parse(o.trim())
            .ok_or_else(|| ApiError::bad_request("orientation must be front or back")),
    }
}

fn capture_type(raw: Option<&str>) -> ApiResult<()> {
    match raw.map(str::trim) {
        None => Err(ApiError::bad_request(
            "Missing required parameter: capture_type",
        )),
        Some(c) if CAPTURE_TYPES.contains(&c) => Ok(()),
        Some(_) => Err(ApiError::bad_request(format!(
            "capture_type must be one of {}",
            CAPTURE_TYPES.join(", ")
        ))),
    }
}

/// A card that still takes uploads.
fn uploadable(card: &Card) -> ApiResult<()> {
    if card.deleted {
        return Err(ApiError::bad_request("Card was deleted"));
    }
    if card.state.is_failed() {
        return Err(ApiError::bad_request(
            "Card failed processing; create a new card to scan again",
        ));
    }
    Ok(())
}

/// The spec allows the image raw or base64-encoded (optionally as a data URL).
fn image_bytes(body: Bytes) -> Bytes {
    if image::guess_format(&body).is_ok() {
        return body;
    }
    let text = String::from_utf8_lossy(&body);
    let text = text.trim();
    let text = text.split_once(";base64,").map_or(text, |(_, b64)| b64);
    let compact: String = text.chars().filter(|c| !c.is_ascii_whitespace()).collect();
    STANDARD.decode(compact).map(Bytes::from).unwrap_or(body)
}

fn new_scan(app: &App, card_id: Uuid, side: Side, metadata: Option<Value>, received: bool) -> Uuid {
    let id = Uuid::new_v4();
    let scan = Scan {
        card_id,
        side,
        metadata,
        received,
    };
    app.store().scans.insert(id, scan);
    id
}

/// `POST /cards/{card_id}/upload?orientation=&capture_type=` with the image
/// as the body → `{card_id, scan_id, metadata: {ocr_latency}}`.
pub async fn direct(
    State(app): State<App>,
    caller: Caller,
    Path(id): Path<String>,
    q: QueryMap,
    body: Body,
) -> ApiResult<Json<Value>> {
    let started = Instant::now();
    let id = card_id(&id)?;
    let side = orientation(q.get("orientation"))?;
    capture_type(q.get("capture_type"))?;
    uploadable(&find_card(&app, &caller, id)?)?;
    let limit = app.config.max_upload_bytes;
    let body = axum::body::to_bytes(body, limit).await.map_err(|_| {
        ApiError::too_large(format!("Images larger than {limit} bytes are refused"))
    })?;
    let bytes = image_bytes(body);
    if bytes.is_empty() {
        return Err(ApiError::bad_request("The request body must be the image"));
    }
    let inspection = images::inspect_async(bytes.clone()).await;
    Counters::bump(&app.counters.uploads);
    let scan_id = new_scan(&app, id, side, None, true);
    let image = SideImage {
        scan_id,
        bytes,
        content_type: inspection.content_type,
        acceptable: inspection.acceptable,
    };
    lifecycle::accept_side(&app, id, side, image);
    let latency = started.elapsed().as_millis().to_string();
    Ok(Json(
        json!({ "card_id": id.to_string(), "scan_id": scan_id.to_string(), "metadata": { "ocr_latency": latency } }),
    ))
}

#[derive(Deserialize)]
struct UploadUrlBody {
    orientation: Option<String>,
    capture_type: Option<String>,
    metadata: Option<Value>,
}

/// `expiration` in seconds, 100..=3600.
fn expiration(q: &QueryMap, required: bool) -> ApiResult<i64> {
    match q.int_in("expiration", 100, 3600)? {
        Some(e) => Ok(e),
        None if required => Err(ApiError::bad_request(
            "Missing required query parameter: expiration",
        )),
        None => Ok(3600),
    }
}

fn upload_url_response(app: &App, origin: &str, slot: &Slot<'_>, expires_in: i64) -> Value {
    let requested = chrono::Duration::seconds(expires_in);
    let ttl = app
        .config
        .upload_policy_ttl
        .and_then(|t| chrono::Duration::from_std(t).ok())
        .unwrap_or(requested);
    let parameters = s3::upload_parameters(app, slot, ttl, app.config.max_upload_bytes);
    json!({
        "card_id": slot.card_id.to_string(),
        "scan_id": slot.scan_id.to_string(),
        "upload_url": format!("{origin}/_s3/upload"),
        "upload_parameters": parameters,
    })
}

fn user_id(caller: &Caller) -> Option<&str> {
    match caller {
        Caller::ApiKey => None,
        Caller::Session(c) | Caller::MagicLink(c) => c.user_id.as_deref(),
    }
}

/// `POST /cards/{card_id}/generate-upload-url?expiration=` with
/// `{orientation, capture_type?, metadata?}` → a presigned POST.
pub async fn card_upload_url(
    State(app): State<App>,
    caller: Caller,
    Origin(origin): Origin,
    Path(id): Path<String>,
    q: QueryMap,
    body: Bytes,
) -> ApiResult<Json<Value>> {
    let id = card_id(&id)?;
    let expires_in = expiration(&q, false)?;
    let body: UploadUrlBody = json(&body)?;
    let side = orientation(body.orientation.as_deref())?;
    body.capture_type
        .as_deref()
        .map(|c| capture_type(Some(c)))
        .transpose()?;
    uploadable(&find_card(&app, &caller, id)?)?;
    let scan_id = new_scan(&app, id, side, body.metadata, false);
    let slot = Slot {
        card_id: id,
        scan_id,
        side,
        user_id: user_id(&caller),
    };
    Ok(Json(upload_url_response(&app, &origin, &slot, expires_in)))
}

/// Legacy `GET /generate-upload-url?expiration=`: creates a card and returns
/// a presigned POST for its front.
pub async fn legacy_upload_url(
    State(app): State<App>,
    caller: Caller,
    Origin(origin): Origin,
    q: QueryMap,
) -> ApiResult<Json<Value>> {
    let expires_in = expiration(&q, true)?;
    let card = insert_card(&app, caller.owner(), false, None);
    let scan_id = new_scan(&app, card.id, Side::Front, None, false);
    let slot = Slot {
        card_id: card.id,
        scan_id,
        side: Side::Front,
        user_id: user_id(&caller),
    };
    Ok(Json(upload_url_response(&app, &origin, &slot, expires_in)))
}

/// `POST /scans/{scan_id}/metadata`: free JSON, kept; 200 with no body.
pub async fn scan_metadata(
    State(app): State<App>,
    caller: Caller,
    Path(id): Path<String>,
    body: Bytes,
) -> ApiResult<StatusCode> {
    let not_found = || ApiError::not_found("Scan not found");
    let id = Uuid::parse_str(id.trim()).map_err(|_| not_found())?;
    let metadata: Value = json(&body)?;
    if !metadata.is_object() {
        return Err(ApiError::bad_request("metadata must be a JSON object"));
    }
    let mut store = app.store();
    let card_id = store.scans.get(&id).ok_or_else(not_found)?.card_id;
    let owner = store
        .cards
        .get(&card_id)
        .map(|c| c.owner.clone())
        .ok_or_else(not_found)?;
    if !caller.can_access(&owner) {
        return Err(ApiError::forbidden("You do not have access to this scan"));
    }
    if let Some(scan) = store.scans.get_mut(&id) {
        scan.metadata = Some(metadata);
    }
    Ok(StatusCode::OK)
}
