//! What is being followed, and how to read its current state with a GET.

use crate::api::{
    Card, CardEvent, CardState, Client, EligibilityRecord, EligibilityState, EventKind,
};
use crate::error::Result;

/// A card, or one eligibility check of a card. The WebSocket registration is
/// always by card id (it covers the card's eligibility events too).
#[derive(Clone, Debug)]
pub(crate) enum Subject {
    Card(String),
    Eligibility {
        card_id: String,
        eligibility_id: String,
    },
}

impl Subject {
    pub(crate) fn card_id(&self) -> &str {
        match self {
            Subject::Card(id) | Subject::Eligibility { card_id: id, .. } => id,
        }
    }

    /// Whether a server event concerns this subject (a socket also receives
    /// every event of its session, e.g. other cards).
    pub(crate) fn concerns(&self, event: &CardEvent) -> bool {
        event.card_id.as_deref() == Some(self.card_id())
            || matches!((self, &event.eligibility_id), (Subject::Eligibility { eligibility_id, .. }, Some(e)) if e == eligibility_id)
    }

    /// The current state as a synthetic event.
    pub(crate) async fn snapshot(&self, client: &Client) -> Result<CardEvent> {
        match self {
            Subject::Card(id) => Ok(card_snapshot(&client.get_card(id).await?)),
            Subject::Eligibility { eligibility_id, .. } => Ok(eligibility_snapshot(
                &client.get_eligibility(eligibility_id).await?,
            )),
        }
    }

    /// Whether nothing more will happen once this event was seen (polling stops).
    pub(crate) fn is_last(&self, event: &CardEvent) -> bool {
        match self {
            Subject::Card(_) => {
                event.kind == EventKind::Card
                    && (event.state == CardState::Enriched || event.state.is_failure())
            }
            Subject::Eligibility { .. } => {
                event.kind == EventKind::Eligibility && event.state != CardState::Processing
            }
        }
    }
}

fn synthetic(kind: EventKind, id: &str, state: CardState) -> CardEvent {
    CardEvent {
        event_id: format!("snapshot:{id}:{state}"),
        kind,
        card_id: None,
        state,
        created_at: None,
        session_id: None,
        eligibility_id: None,
        scan_id: None,
        error: None,
        other: Default::default(),
    }
}

/// A card's state as an event.
pub(crate) fn card_snapshot(card: &Card) -> CardEvent {
    let mut e = synthetic(EventKind::Card, &card.card_id, card.state);
    e.card_id = Some(card.card_id.clone());
    e.error = card.error.clone();
    e
}

/// An eligibility record's state as an event.
pub(crate) fn eligibility_snapshot(record: &EligibilityRecord) -> CardEvent {
    let state = match record.state {
        EligibilityState::Processing => CardState::Processing,
        EligibilityState::Completed => CardState::Completed,
        EligibilityState::Error => CardState::Error,
        EligibilityState::Unknown => CardState::Unknown,
    };
    let mut e = synthetic(EventKind::Eligibility, &record.eligibility_id, state);
    e.card_id = Some(record.card_id.clone());
    e.eligibility_id = Some(record.eligibility_id.clone());
    e.error = record.error.clone();
    e
}
