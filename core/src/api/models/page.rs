//! Cursor pagination.

use super::card::Card;
use super::eligibility::EligibilityRecord;
use serde::{Deserialize, Serialize};

/// `response_metadata` of list answers; `next_cursor` only when more exist.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ResponseMetadata {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total: Option<u64>,
}

/// A page of cards (`GET /cards`, `GET /cards/search`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CardPage {
    #[serde(default)]
    pub cards: Vec<Card>,
    #[serde(default)]
    pub response_metadata: ResponseMetadata,
}

/// A page of eligibility records (`GET /eligibility`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EligibilityPage {
    #[serde(default)]
    pub eligibility_requests: Vec<EligibilityRecord>,
    #[serde(default)]
    pub response_metadata: ResponseMetadata,
}

/// Paging options.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PageRequest {
    /// Page size (cards ≤ 200, eligibility ≤ 30).
    pub limit: Option<u32>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}
