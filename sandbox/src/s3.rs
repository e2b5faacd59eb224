//! A stand-in for S3's presigned POST: `upload_parameters` carry a base64
//! policy (expiry, exact fields, size range) signed with the sandbox secret,
//! and `POST /_s3/upload` checks the form like S3 does, answering 204 or an
//! XML `<Error>`. Re-posting a valid form overwrites the same object.

use std::collections::BTreeMap;

use axum::extract::{Multipart, State};
use axum::http::header::CONTENT_TYPE;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use chrono::{DateTime, Duration, Utc};
use serde_json::{json, Value};
use uuid::Uuid;

use crate::images;
use crate::lifecycle;
use crate::model::{Side, SideImage};
use crate::state::App;
use crate::stats::Counters;

const BUCKET: &str = "cardscan-sandbox-uploads";

/// An S3-style XML error response.
pub fn s3_error(status: StatusCode, code: &str, message: &str) -> Response {
    let body = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>{code}</Code><Message>{}</Message><RequestId>{}</RequestId></Error>",
        xml_escape(message),
        Uuid::new_v4().simple()
    );
    (status, [(CONTENT_TYPE, "application/xml")], body).into_response()
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// What an upload slot is for.
pub struct Slot<'a> {
    pub card_id: Uuid,
    pub scan_id: Uuid,
    pub side: Side,
    pub user_id: Option<&'a str>,
}

/// The ordered form fields of a presigned POST for `slot`, valid until
/// `now + expires_in`, accepting files up to `max_bytes`.
pub fn upload_parameters(
    app: &App,
    slot: &Slot<'_>,
    expires_in: Duration,
    max_bytes: usize,
) -> Value {
    let now = Utc::now();
    let date = now.format("%Y%m%d").to_string();
    let mut fields: Vec<(&str, String)> = vec![
        ("Content-Type", "image/jpeg".into()),
        ("Content-Disposition", "inline".into()),
        ("x-amz-meta-cardscan-account-id", "sandbox".into()),
        ("x-amz-meta-cardscan-card-id", slot.card_id.to_string()),
        ("x-amz-meta-cardscan-scan-id", slot.scan_id.to_string()),
    ];
    if let Some(user) = slot.user_id {
        fields.push(("x-amz-meta-cardscan-user-id", user.to_string()));
    }
    fields.extend([
        (
            "key",
            format!(
                "cards/{}/{}/{}.jpg",
                slot.card_id,
                slot.scan_id,
                slot.side.as_str()
            ),
        ),
        ("x-amz-algorithm", "AWS4-HMAC-SHA256".into()),
        (
            "x-amz-credential",
            format!("SANDBOXACCESSKEY/{date}/us-east-1/s3/aws4_request"),
        ),
        ("x-amz-date", now.format("%Y%m%dT%H%M%SZ").to_string()),
        (
            "x-amz-security-token",
            format!("sandbox-session-{}", Uuid::new_v4().simple()),
        ),
    ]);
    let mut conditions: Vec<Value> = vec![json!({ "bucket": BUCKET })];
    conditions.extend(fields.iter().map(|(k, v)| json!({ *k: v })));
    conditions.push(json!(["content-length-range", 1, max_bytes]));
    let expiration = (now + expires_in).to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    let policy =
        STANDARD.encode(json!({ "expiration": expiration, "conditions": conditions }).to_string());
    let signature = app.signer.sign_hex(policy.as_bytes());
    let mut out = serde_json::Map::new();
    for (k, v) in fields {
        out.insert(k.to_string(), json!(v));
    }
    out.insert("policy".into(), json!(policy));
    out.insert("x-amz-signature".into(), json!(signature));
    Value::Object(out)
}

/// The parsed form: fields before the file, and the file.
struct Form {
    fields: BTreeMap<String, String>,
    file: Option<bytes::Bytes>,
}

/// Failures carry the finished XML response, boxed to keep `Result` small.
type S3Result<T> = Result<T, Box<Response>>;

fn fail(status: StatusCode, code: &str, message: &str) -> Box<Response> {
    Box::new(s3_error(status, code, message))
}

async fn read_form(mut multipart: Multipart) -> S3Result<Form> {
    let mut form = Form {
        fields: BTreeMap::new(),
        file: None,
    };
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) => return Err(form_error(e.status())),
        };
        let name = field.name().unwrap_or_default().to_string();
        if name == "file" {
            form.file = Some(field.bytes().await.map_err(|e| form_error(e.status()))?);
            // S3 ignores every field after the file.
            break;
        }
        let value = field.text().await.map_err(|e| form_error(e.status()))?;
        form.fields.insert(name.to_ascii_lowercase(), value);
    }
    Ok(form)
}

fn form_error(status: StatusCode) -> Box<Response> {
    if status == StatusCode::PAYLOAD_TOO_LARGE {
        fail(
            StatusCode::BAD_REQUEST,
            "EntityTooLarge",
            "Your proposed upload exceeds the maximum allowed size",
        )
    } else {
        fail(
            StatusCode::BAD_REQUEST,
            "MalformedPOSTRequest",
            "The body of your POST request is not well-formed multipart/form-data.",
        )
    }
}

fn denied(message: &str) -> Box<Response> {
    fail(StatusCode::FORBIDDEN, "AccessDenied", message)
}

/// Checks signature, expiry, every condition and the size; returns the
/// verified scan id.
fn verify(app: &App, form: &Form, file_len: usize) -> S3Result<Uuid> {
    let (Some(policy_b64), Some(signature)) = (
        form.fields.get("policy"),
        form.fields.get("x-amz-signature"),
    ) else {
        return Err(denied(
            "Bucket POST must contain a field named 'policy' and 'x-amz-signature'",
        ));
    };
    if !app.signer.verify_hex(policy_b64.as_bytes(), signature) {
        return Err(fail(
            StatusCode::FORBIDDEN,
            "SignatureDoesNotMatch",
            "The request signature we calculated does not match the signature you provided.",
        ));
    }
    let policy: Value = STANDARD
        .decode(policy_b64)
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .ok_or_else(|| {
            fail(
                StatusCode::BAD_REQUEST,
                "InvalidPolicyDocument",
                "Invalid Policy: Invalid JSON.",
            )
        })?;
    let expiration = policy["expiration"]
        .as_str()
        .and_then(|e| DateTime::parse_from_rfc3339(e).ok());
    if expiration.is_none_or(|e| e <= Utc::now()) {
        return Err(denied("Invalid according to Policy: Policy expired."));
    }
    let conditions = policy["conditions"].as_array().cloned().unwrap_or_default();
    check_conditions(&conditions, form, file_len)?;
    form.fields
        .get("x-amz-meta-cardscan-scan-id")
        .and_then(|s| Uuid::parse_str(s).ok())
        .ok_or_else(|| denied("Invalid according to Policy: missing scan id"))
}

fn check_conditions(conditions: &[Value], form: &Form, file_len: usize) -> S3Result<()> {
    let mut covered = vec![
        "policy".to_string(),
        "x-amz-signature".to_string(),
        "file".to_string(),
    ];
    for condition in conditions {
        if let Some(map) = condition.as_object() {
            for (name, expected) in map {
                if name == "bucket" {
                    continue;
                }
                let lname = name.to_ascii_lowercase();
                if form.fields.get(&lname).map(String::as_str) != expected.as_str() {
                    return Err(denied(&format!(
                        "Invalid according to Policy: Policy Condition failed: [\"eq\", \"${name}\", {expected}]"
                    )));
                }
                covered.push(lname);
            }
        } else if let Some([kind, min, max]) = condition.as_array().map(Vec::as_slice) {
            if kind == "content-length-range" {
                let (min, max) = (min.as_u64().unwrap_or(0), max.as_u64().unwrap_or(u64::MAX));
                let len = file_len as u64;
                if len > max {
                    return Err(fail(
                        StatusCode::BAD_REQUEST,
                        "EntityTooLarge",
                        "Your proposed upload exceeds the maximum allowed size",
                    ));
                }
                if len < min {
                    return Err(fail(
                        StatusCode::BAD_REQUEST,
                        "EntityTooSmall",
                        "Your proposed upload is smaller than the minimum allowed size",
                    ));
                }
            }
        }
    }
    let extra: Vec<&String> = form
        .fields
        .keys()
        .filter(|k| !covered.contains(k) && !k.starts_with("x-ignore-"))
        .collect();
    match extra.first() {
        Some(name) => Err(denied(&format!(
            "Invalid according to Policy: Extra input fields: {name}"
        ))),
        None => Ok(()),
    }
}

/// `POST /_s3/upload`: the multipart form of a presigned POST.
pub async fn upload(State(app): State<App>, multipart: Multipart) -> Response {
    match handle_upload(&app, multipart).await {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(response) => *response,
    }
}

async fn handle_upload(app: &App, multipart: Multipart) -> S3Result<()> {
    let form = read_form(multipart).await?;
    let Some(file) = form.file.clone() else {
        return Err(fail(
            StatusCode::BAD_REQUEST,
            "InvalidArgument",
            "POST requires exactly one file upload per request.",
        ));
    };
    let scan_id = verify(app, &form, file.len())?;
    let inspection = images::inspect_async(file.clone()).await;
    Counters::bump(&app.counters.uploads);
    let target = {
        let mut store = app.store();
        let scan = store.scans.get_mut(&scan_id);
        scan.map(|s| {
            s.received = true;
            (s.card_id, s.side)
        })
    };
    let Some((card_id, side)) = target else {
        return Err(fail(
            StatusCode::NOT_FOUND,
            "NoSuchUpload",
            "The upload slot does not exist.",
        ));
    };
    let image = SideImage {
        scan_id,
        bytes: file,
        content_type: inspection.content_type,
        acceptable: inspection.acceptable,
    };
    lifecycle::accept_side(app, card_id, side, image);
    Ok(())
}
