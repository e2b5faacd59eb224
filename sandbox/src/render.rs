//! JSON views of records, shaped like the real API's responses.

use serde_json::{json, Value};

use crate::clock;
use crate::dummy;
use crate::images;
use crate::model::{Card, Eligibility};
use crate::state::App;

/// A card as `GET /cards/{id}` returns it: a pending card has only
/// `card_id, state, created_at, deleted` (and the caller's metadata); a
/// completed one adds details, images, payer match; enriched adds results.
pub fn card(app: &App, origin: &str, card: &Card) -> Value {
    let mut out = json!({
        "card_id": card.id.to_string(),
        "state": card.state.as_str(),
        "created_at": clock::wire(card.created_at),
        "deleted": card.deleted,
    });
    let Some(map) = out.as_object_mut() else {
        return out;
    };
    if let Some(metadata) = &card.metadata {
        map.insert("metadata".into(), metadata.clone());
    }
    if let Some(error) = &card.error {
        map.insert("error".into(), error.clone());
    }
    if card.state.has_result() {
        map.insert("details".into(), dummy::card_details());
        map.insert("images".into(), images::signed_urls(app, origin, card));
        map.insert("payer_match".into(), dummy::payer_match());
    }
    if card.state == crate::model::CardState::Enriched {
        map.insert(
            "enriched_results".into(),
            dummy::enriched_results(card.back.is_some()),
        );
    }
    out
}

/// An eligibility record as `GET /eligibility/{id}` returns it.
pub fn eligibility(record: &Eligibility) -> Value {
    let mut out = json!({
        "eligibility_id": record.id.to_string(),
        "card_id": record.card_id.to_string(),
        "state": record.state.as_str(),
        "created_at": clock::wire(record.created_at),
        "eligibility_request": record.request,
    });
    let Some(map) = out.as_object_mut() else {
        return out;
    };
    for (key, value) in [
        ("eligibility_response", &record.response),
        ("eligibility_summarized_response", &record.summary),
        ("error", &record.error),
    ] {
        if let Some(v) = value {
            map.insert(key.into(), v.clone());
        }
    }
    out
}
