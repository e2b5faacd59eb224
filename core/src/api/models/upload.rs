//! Upload answers.

use super::wire::{ordered_pairs, serialize_pairs};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Side of the card.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Orientation {
    Front,
    Back,
}

impl Orientation {
    /// Wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Orientation::Front => "front",
            Orientation::Back => "back",
        }
    }
}

/// How an image was captured.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum CaptureType {
    #[serde(rename = "automatic")]
    Automatic,
    #[serde(rename = "manual")]
    Manual,
    #[serde(rename = "selectedFile")]
    SelectedFile,
    #[serde(rename = "api")]
    Api,
}

impl CaptureType {
    /// Wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            CaptureType::Automatic => "automatic",
            CaptureType::Manual => "manual",
            CaptureType::SelectedFile => "selectedFile",
            CaptureType::Api => "api",
        }
    }
}

/// Answer of a direct upload.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DirectUploadResponse {
    pub card_id: String,
    pub scan_id: String,
    #[serde(default)]
    pub metadata: Option<Value>,
}

/// A presigned POST target: copy every parameter, in order, then the file.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
pub struct UploadUrl {
    pub card_id: String,
    pub scan_id: String,
    pub upload_url: String,
    /// S3 policy fields in wire order (`key`, `policy`, `x-amz-*`, …): never hard-code them.
    #[serde(deserialize_with = "ordered_pairs", serialize_with = "serialize_pairs")]
    pub upload_parameters: Vec<(String, String)>,
}

impl std::fmt::Debug for UploadUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let names: Vec<&str> = self
            .upload_parameters
            .iter()
            .map(|(k, _)| k.as_str())
            .collect();
        f.debug_struct("UploadUrl")
            .field("card_id", &self.card_id)
            .field("scan_id", &self.scan_id)
            .field("parameters", &names)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_parameter_order() {
        let u: UploadUrl = serde_json::from_str(
            r#"{"card_id":"c","scan_id":"s","upload_url":"http://x/u",
               "upload_parameters":{"key":"k","Content-Type":"image/jpeg","policy":"p","x-amz-signature":"sig","a-last":"z"}}"#,
        )
        .unwrap();
        let names: Vec<_> = u
            .upload_parameters
            .iter()
            .map(|(k, _)| k.as_str())
            .collect();
        assert_eq!(
            names,
            ["key", "Content-Type", "policy", "x-amz-signature", "a-last"]
        );
        assert!(!format!("{u:?}").contains("sig\""));
    }
}
