//! Raw upload operations (the flows combining them live in [`crate::upload`]).

use super::models::{CaptureType, DirectUploadResponse, Orientation, UploadUrl};
use super::transport::RequestSpec;
use super::Client;
use crate::error::{Error, Result};
use bytes::Bytes;
use serde_json::{json, Value};

/// Presigned URL lifetime bounds (seconds) accepted by the API.
pub const EXPIRATION_RANGE: std::ops::RangeInclusive<u32> = 100..=3600;

fn check_expiration(expiration: Option<u32>) -> Result<()> {
    match expiration {
        Some(e) if !EXPIRATION_RANGE.contains(&e) => {
            Err(Error::invalid("expiration", "must be 100..=3600 seconds"))
        }
        _ => Ok(()),
    }
}

impl Client {
    /// `POST /cards/{card_id}/upload?orientation=&capture_type=` with the JPEG
    /// as the body. Re-sending it cannot create a card (at worst a second scan
    /// of the same side, which the service supersedes), so it is retried.
    pub async fn direct_upload(
        &self,
        card_id: &str,
        orientation: Orientation,
        capture_type: CaptureType,
        jpeg: Bytes,
    ) -> Result<DirectUploadResponse> {
        if jpeg.is_empty() {
            return Err(Error::invalid("image", "is empty"));
        }
        let spec = RequestSpec::post(&["cards", card_id, "upload"])
            .query("orientation", orientation.as_str())
            .query("capture_type", capture_type.as_str())
            .bytes("image/jpeg", jpeg)
            .idempotent(true);
        self.transport.json(spec).await
    }

    /// `POST /cards/{card_id}/generate-upload-url?expiration=` → a presigned POST.
    pub async fn generate_card_upload_url(
        &self,
        card_id: &str,
        orientation: Orientation,
        capture_type: Option<CaptureType>,
        metadata: Option<Value>,
        expiration: Option<u32>,
    ) -> Result<UploadUrl> {
        check_expiration(expiration)?;
        let mut body = json!({ "orientation": orientation.as_str() });
        if let Some(c) = capture_type {
            body["capture_type"] = json!(c.as_str());
        }
        if let Some(m) = metadata {
            body["metadata"] = m;
        }
        let spec = RequestSpec::post(&["cards", card_id, "generate-upload-url"])
            .query_opt("expiration", expiration)
            .json(body)
            .idempotent(true);
        self.transport.json(spec).await
    }

    /// Legacy `GET /generate-upload-url?expiration=`: creates a card implicitly.
    /// Not retried after an ambiguous failure (a retry could create another card).
    pub async fn generate_upload_url(&self, expiration: u32) -> Result<UploadUrl> {
        check_expiration(Some(expiration))?;
        let spec = RequestSpec::get(&["generate-upload-url"])
            .query("expiration", expiration)
            .idempotent(false);
        self.transport.json(spec).await
    }

    /// `POST /scans/{scan_id}/metadata` (free JSON; keys of the spec's ScanMetadata).
    pub async fn set_scan_metadata(&self, scan_id: &str, metadata: &Value) -> Result<()> {
        if !metadata.is_object() {
            return Err(Error::invalid("metadata", "must be a JSON object"));
        }
        let spec = RequestSpec::post(&["scans", scan_id, "metadata"])
            .json(metadata.clone())
            .idempotent(true);
        self.transport.send(spec).await.map(|_| ())
    }

    /// `POST /cards/{card_id}/performance` (free JSON: model scores, device info).
    pub async fn card_performance(&self, card_id: &str, data: &Value) -> Result<Value> {
        if !data.is_object() {
            return Err(Error::invalid("performance", "must be a JSON object"));
        }
        let spec = RequestSpec::post(&["cards", card_id, "performance"])
            .json(data.clone())
            .idempotent(true);
        let response = self.transport.send(spec).await?;
        if response.body.is_empty() {
            return Ok(Value::Null);
        }
        response.json()
    }
}
