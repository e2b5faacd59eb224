//! Card operations: create (safe to retry), get, list, search, delete, flag.
//!
//! `POST /cards` is not idempotent: if the connection drops after the server
//! created the card, blindly resending would create a second one. So every
//! create carries a client-generated request id in the card's `metadata`
//! (`cardscan_client_request_id`); after an ambiguous failure (dropped
//! connection, read timeout, 5xx) the client first looks for a card carrying
//! that id among the newest cards, and only creates again if there is none.

use super::models::{Card, CardPage, CreateCardRequest, FlagRequest, PageRequest};
use super::transport::RequestSpec;
use super::Client;
use crate::error::{Error, Result};
use serde_json::Value;

/// Metadata key holding the client's idempotency id for card creation.
pub const CLIENT_REQUEST_ID_KEY: &str = "cardscan_client_request_id";

/// How many of the newest cards to examine when looking for a card whose
/// creation answer was lost.
const LOOKUP_PAGES: usize = 3;
const LOOKUP_PAGE_SIZE: u32 = 50;

fn page_query(spec: RequestSpec, page: &PageRequest) -> RequestSpec {
    spec.query_opt("limit", page.limit)
        .query_opt("cursor", page.cursor.as_deref())
}

/// Whether the server may have acted on a request that failed this way.
fn is_ambiguous(e: &Error) -> bool {
    matches!(e, Error::Network(_) | Error::Timeout | Error::Server { .. })
}

impl Client {
    /// `POST /cards`, retried safely (see the module docs).
    pub async fn create_card(&self, request: &CreateCardRequest) -> Result<Card> {
        let request_id = uuid::Uuid::new_v4().to_string();
        let body = with_request_id(request, &request_id)?;
        let policy = self.transport.retry_policy().clone();
        let mut retry = 0u32;
        loop {
            let spec = RequestSpec::post(&["cards"]).json(body.clone());
            match self.transport.json::<Card>(spec).await {
                Ok(card) => return Ok(card),
                Err(e) if is_ambiguous(&e) && retry < policy.max_retries => {
                    tracing::debug!(error = %e, "card creation outcome unknown: looking it up");
                    tokio::time::sleep(policy.backoff(retry)).await;
                    retry += 1;
                    if let Some(card) = self.find_card_by_request_id(&request_id).await? {
                        tracing::debug!("the lost creation had succeeded: reusing the card");
                        return Ok(card);
                    }
                }
                Err(e) => return Err(e),
            }
        }
    }

    async fn find_card_by_request_id(&self, request_id: &str) -> Result<Option<Card>> {
        let mut page = PageRequest {
            limit: Some(LOOKUP_PAGE_SIZE),
            cursor: None,
        };
        for _ in 0..LOOKUP_PAGES {
            let result = self.list_cards(&page).await?;
            if let Some(card) = result
                .cards
                .into_iter()
                .find(|c| carries_request_id(c, request_id))
            {
                return Ok(Some(card));
            }
            match result.response_metadata.next_cursor {
                Some(cursor) => page.cursor = Some(cursor),
                None => break,
            }
        }
        Ok(None)
    }

    /// `GET /cards/{card_id}`.
    pub async fn get_card(&self, card_id: &str) -> Result<Card> {
        self.transport
            .json(RequestSpec::get(&["cards", card_id]))
            .await
    }

    /// `GET /cards` (newest first; follow `response_metadata.next_cursor`).
    pub async fn list_cards(&self, page: &PageRequest) -> Result<CardPage> {
        self.transport
            .json(page_query(RequestSpec::get(&["cards"]), page))
            .await
    }

    /// `GET /cards/search?query=`.
    pub async fn search_cards(&self, query: &str, page: &PageRequest) -> Result<CardPage> {
        if query.trim().is_empty() {
            return Err(Error::invalid("query", "must not be empty"));
        }
        let spec = page_query(
            RequestSpec::get(&["cards", "search"]).query("query", query),
            page,
        );
        self.transport.json(spec).await
    }

    /// `DELETE /cards/{card_id}` (204).
    pub async fn delete_card(&self, card_id: &str) -> Result<()> {
        self.transport
            .send(RequestSpec::delete(&["cards", card_id]))
            .await
            .map(|_| ())
    }

    /// `POST /cards/{card_id}/flag`. The docs publish the body but not the
    /// path; this one is our assumption. Flagging twice is harmless, so it is
    /// retried like an idempotent request.
    pub async fn flag_card(&self, card_id: &str, flag: &FlagRequest) -> Result<Value> {
        let body = serde_json::to_value(flag).map_err(|e| Error::Decode(e.to_string()))?;
        let spec = RequestSpec::post(&["cards", card_id, "flag"])
            .json(body)
            .idempotent(true);
        let response = self.transport.send(spec).await?;
        if response.body.is_empty() {
            return Ok(Value::Null);
        }
        response.json()
    }
}

/// The create body with the request id merged into `metadata`.
fn with_request_id(request: &CreateCardRequest, request_id: &str) -> Result<Value> {
    let mut body = serde_json::to_value(request).map_err(|e| Error::Decode(e.to_string()))?;
    let metadata = match request.metadata.clone() {
        None => serde_json::Map::new(),
        Some(Value::Object(m)) => m,
        Some(_) => return Err(Error::invalid("metadata", "must be a JSON object")),
    };
    let mut metadata = metadata;
    metadata.insert(
        CLIENT_REQUEST_ID_KEY.into(),
        Value::String(request_id.into()),
    );
    if let Value::Object(map) = &mut body {
        map.insert("metadata".into(), Value::Object(metadata));
    }
    Ok(body)
}

fn carries_request_id(card: &Card, request_id: &str) -> bool {
    card.metadata
        .as_ref()
        .and_then(|m| m.get(CLIENT_REQUEST_ID_KEY))
        .and_then(Value::as_str)
        .is_some_and(|id| id == request_id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_id_is_merged_into_metadata() {
        let mut req = CreateCardRequest::with_backside();
        req.metadata = Some(serde_json::json!({"app": "demo"}));
        let body = with_request_id(&req, "abc").unwrap();
        assert_eq!(body["metadata"]["app"], "demo");
        assert_eq!(body["metadata"][CLIENT_REQUEST_ID_KEY], "abc");
        assert_eq!(body["enable_backside_scan"], true);
        assert_eq!(body["backside"]["scanning"], "required");
        req.metadata = Some(serde_json::json!([1]));
        assert!(matches!(
            with_request_id(&req, "x"),
            Err(Error::InvalidInput { .. })
        ));
    }
}
