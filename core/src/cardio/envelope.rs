//! CardioExplorer's answer shapes and their errors.
//!
//! Most endpoints wrap results as `{status, message, errors, data}`;
//! draft-test answers `{success, …}` on success and
//! `{success:false, message, validation:{valid, issues}}` on failure. Both
//! failure forms become [`Error`]s; validation issues are listed in the
//! `BadRequest` message so apps can show what to fix.

use reqwest::header::HeaderMap;
use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::Value;

use crate::api::transport::{decode_json, retry_after, status_error, ErrorDecoder};
use crate::error::{Error, Result};

/// The `{status, message, errors, data}` envelope.
#[derive(Debug, Deserialize)]
struct Envelope<T> {
    #[serde(default)]
    status: Option<String>,
    #[serde(default)]
    message: Option<String>,
    #[serde(default)]
    errors: Option<Value>,
    data: Option<T>,
}

/// Any failure body this API sends (envelope or draft-test form).
#[derive(Debug, Default, Deserialize)]
struct FailureBody {
    #[serde(default)]
    message: Option<String>,
    #[serde(default)]
    errors: Option<Value>,
    #[serde(default)]
    validation: Option<Validation>,
}

#[derive(Debug, Default, Deserialize)]
struct Validation {
    #[serde(default)]
    issues: Option<Value>,
}

impl FailureBody {
    /// The message with the listed issues, e.g. `Invalid scope: unknown scope "x"`.
    fn describe(&self) -> Option<String> {
        let mut issues = Vec::new();
        collect_issues(self.errors.as_ref(), &mut issues);
        collect_issues(
            self.validation.as_ref().and_then(|v| v.issues.as_ref()),
            &mut issues,
        );
        match (&self.message, issues.is_empty()) {
            (None, true) => None,
            (Some(m), true) => Some(m.clone()),
            (None, false) => Some(issues.join("; ")),
            (Some(m), false) => Some(format!("{m}: {}", issues.join("; "))),
        }
    }
}

/// Issues may be strings, `{message}` objects, or a map of field → messages.
fn collect_issues(value: Option<&Value>, out: &mut Vec<String>) {
    match value {
        Some(Value::String(s)) => out.push(s.clone()),
        Some(Value::Array(items)) => items.iter().for_each(|i| collect_issues(Some(i), out)),
        Some(Value::Object(map)) => match map.get("message").and_then(Value::as_str) {
            Some(m) => out.push(m.to_owned()),
            None => map.iter().for_each(|(field, v)| {
                let mut inner = Vec::new();
                collect_issues(Some(v), &mut inner);
                out.extend(inner.into_iter().map(|m| format!("{field}: {m}")));
            }),
        },
        _ => {}
    }
}

/// Error decoding for CardioExplorer answers (plugged into the transport).
#[derive(Debug, Default, Clone, Copy)]
pub struct CardioErrorDecoder;

impl ErrorDecoder for CardioErrorDecoder {
    fn decode(&self, status: u16, headers: &HeaderMap, body: &[u8]) -> Error {
        let parsed: FailureBody = serde_json::from_slice(body).unwrap_or_default();
        status_error(status, parsed.describe(), retry_after(headers))
    }
}

/// The `data` of a 2xx envelope; `status:"error"` or no `data` are errors.
pub(crate) fn data<T: DeserializeOwned>(body: &[u8]) -> Result<T> {
    let envelope: Envelope<T> = decode_json(body)?;
    let failed = envelope
        .status
        .as_deref()
        .is_some_and(|s| !s.eq_ignore_ascii_case("success"));
    match envelope.data {
        Some(data) if !failed => Ok(data),
        _ if failed => {
            let failure = FailureBody {
                message: envelope.message,
                errors: envelope.errors,
                validation: None,
            };
            Err(Error::BadRequest {
                message: failure
                    .describe()
                    .unwrap_or_else(|| "request failed".into()),
            })
        }
        _ => Err(Error::Decode("the answer has no data".into())),
    }
}

/// Draft-test's `{success, …}` answer: the draft on success, else the
/// validation failure as `BadRequest` (a 200 with `success:false` included).
pub(crate) fn draft<T: DeserializeOwned>(body: &[u8]) -> Result<T> {
    #[derive(Deserialize)]
    struct Success {
        success: Option<bool>,
    }
    let head: Success = decode_json(body)?;
    if head.success == Some(false) {
        let failure: FailureBody = decode_json(body)?;
        return Err(Error::BadRequest {
            message: failure
                .describe()
                .unwrap_or_else(|| "draft test failed".into()),
        });
    }
    // Some deployments may wrap the draft in the envelope: accept both.
    let value: Value = decode_json(body)?;
    let inner = match value.get("data") {
        Some(d) if d.is_object() && value.get("draftTestId").is_none() => d.clone(),
        _ => value,
    };
    serde_json::from_value(inner).map_err(|e| Error::Decode(format!("draft test: {}", redact(&e))))
}

/// A serde error message without the offending value (which may be PHI):
/// only "missing field `x`" messages are kept as they are.
fn redact(e: &serde_json::Error) -> String {
    let text = e.to_string();
    if text.starts_with("missing field") {
        text
    } else {
        format!("{:?} error in the answer", e.classify())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cardio::models::DraftTest;

    #[test]
    fn envelope_data_is_unwrapped() {
        let v: Value =
            data(br#"{"status":"success","message":"ok","errors":null,"data":{"a":1}}"#).unwrap();
        assert_eq!(v["a"], 1);
    }

    #[test]
    fn envelope_error_status_and_missing_data_are_errors() {
        let e =
            data::<Value>(br#"{"status":"error","message":"nope","errors":["x bad"],"data":null}"#)
                .unwrap_err();
        assert_eq!(
            e,
            Error::BadRequest {
                message: "nope: x bad".into()
            }
        );
        let e = data::<Value>(br#"{"status":"success","data":null}"#).unwrap_err();
        assert!(matches!(e, Error::Decode(_)));
    }

    #[test]
    fn draft_failure_lists_validation_issues() {
        let body = br#"{"success":false,"message":"The FHIR bundle is not valid",
            "validation":{"valid":false,"issues":["resourceType must be \"Bundle\"",{"message":"entry missing"}]}}"#;
        let e = draft::<DraftTest>(body).unwrap_err();
        assert_eq!(
            e,
            Error::BadRequest {
                message:
                    "The FHIR bundle is not valid: resourceType must be \"Bundle\"; entry missing"
                        .into()
            }
        );
        let decoded = CardioErrorDecoder.decode(400, &HeaderMap::new(), body);
        assert_eq!(decoded, e);
    }

    #[test]
    fn decoder_maps_statuses_and_field_maps() {
        let h = HeaderMap::new();
        let d = CardioErrorDecoder;
        assert_eq!(
            d.decode(401, &h, br#"{"status":"error","message":"bad"}"#),
            Error::Unauthorized
        );
        assert_eq!(d.decode(404, &h, b""), Error::NotFound);
        assert_eq!(d.decode(500, &h, b"oops"), Error::Server { status: 500 });
        let e = d.decode(
            400,
            &h,
            br#"{"status":"error","message":"Invalid","errors":{"clientId":["is required"]}}"#,
        );
        assert_eq!(
            e,
            Error::BadRequest {
                message: "Invalid: clientId: is required".into()
            }
        );
    }

    #[test]
    fn draft_accepts_plain_and_enveloped_success() {
        let plain = br#"{"success":true,"draftTestId":"d1","itemsMapped":1}"#;
        assert_eq!(draft::<DraftTest>(plain).unwrap().draft_test_id, "d1");
        let wrapped = br#"{"status":"success","data":{"success":true,"draftTestId":"d2"}}"#;
        assert_eq!(draft::<DraftTest>(wrapped).unwrap().draft_test_id, "d2");
    }
}
