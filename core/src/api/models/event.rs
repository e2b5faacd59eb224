//! WebSocket events.

use super::card::{CardState, ModelError};
use super::time::Timestamp;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// Kind of event.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    Card,
    Eligibility,
    /// Not in the spec: per-scan progress.
    Scan,
    #[serde(other)]
    Unknown,
}

/// A server event. `state` uses [`CardState`], whose values also cover the
/// eligibility (`processing|completed|error`) and scan states.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CardEvent {
    pub event_id: String,
    #[serde(rename = "type")]
    pub kind: EventKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub card_id: Option<String>,
    pub state: CardState,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<Timestamp>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub session_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub eligibility_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scan_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<ModelError>,
    #[serde(flatten)]
    pub other: Map<String, Value>,
}
