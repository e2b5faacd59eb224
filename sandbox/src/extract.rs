//! Request parsing that answers the API's 400 body instead of axum's plain
//! text rejections.

use std::collections::HashMap;

use axum::extract::{FromRequestParts, Query};
use axum::http::request::Parts;
use bytes::Bytes;
use serde::de::DeserializeOwned;

use crate::error::{ApiError, ApiResult};

/// Query parameters as strings; handlers parse what they need.
#[derive(Debug, Default)]
pub struct QueryMap(pub HashMap<String, String>);

impl<S: Send + Sync> FromRequestParts<S> for QueryMap {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        Query::<HashMap<String, String>>::from_request_parts(parts, state)
            .await
            .map(|Query(q)| QueryMap(q))
            .map_err(|_| ApiError::bad_request("Malformed query string"))
    }
}

impl QueryMap {
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0.get(name).map(String::as_str)
    }

    /// A required, non-empty parameter.
    pub fn required(&self, name: &str) -> ApiResult<&str> {
        match self.get(name).map(str::trim) {
            Some(v) if !v.is_empty() => Ok(v),
            _ => Err(ApiError::bad_request(format!(
                "Missing required query parameter: {name}"
            ))),
        }
    }

    /// An optional integer within `min..=max`.
    pub fn int_in(&self, name: &str, min: i64, max: i64) -> ApiResult<Option<i64>> {
        let Some(raw) = self.get(name) else {
            return Ok(None);
        };
        match raw.trim().parse::<i64>() {
            Ok(v) if (min..=max).contains(&v) => Ok(Some(v)),
            _ => Err(ApiError::bad_request(format!(
                "{name} must be an integer between {min} and {max}"
            ))),
        }
    }
}

/// Parses a JSON body; an empty body gives `T::default()`.
pub fn json_or_default<T: DeserializeOwned + Default>(body: &Bytes) -> ApiResult<T> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(T::default());
    }
    json(body)
}

/// Parses a required JSON body.
pub fn json<T: DeserializeOwned>(body: &Bytes) -> ApiResult<T> {
    serde_json::from_slice(body)
        .map_err(|e| ApiError::bad_request(format!("Invalid request body: {e}")))
}
