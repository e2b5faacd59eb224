//! CardioExplorer's answer shapes: the `{status, message, errors, data}`
//! envelope, and draft-test's own `{success, …}` shape.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

/// `200 {status:"success", message, errors:null, data}`.
pub fn ok(message: &str, data: Value) -> Response {
    let body = json!({"status": "success", "message": message, "errors": null, "data": data});
    (StatusCode::OK, Json(body)).into_response()
}

/// `{status:"error", message, errors, data:null}` with `status`.
pub fn error(status: StatusCode, message: &str, errors: Vec<String>) -> Response {
    let errors = if errors.is_empty() {
        Value::Null
    } else {
        json!(errors)
    };
    let body = json!({"status": "error", "message": message, "errors": errors, "data": null});
    (status, Json(body)).into_response()
}

pub fn unauthorized() -> Response {
    error(
        StatusCode::UNAUTHORIZED,
        "Invalid or expired access token",
        Vec::new(),
    )
}

pub fn not_found(message: &str) -> Response {
    error(StatusCode::NOT_FOUND, message, Vec::new())
}

/// draft-test's failure: `400 {success:false, message, validation:{valid:false, issues}}`.
pub fn invalid_bundle(issues: Vec<String>) -> Response {
    let body = json!({
        "success": false,
        "message": "The FHIR bundle is not valid",
        "validation": {"valid": false, "issues": issues},
    });
    (StatusCode::BAD_REQUEST, Json(body)).into_response()
}
