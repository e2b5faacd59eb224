//! Following a card's events: a foreign listener (`CardEventListener`) and a
//! cancellable `CardSubscription`. Events come from the WebSocket, or from
//! polling when it cannot connect (the core decides).

use std::sync::{Arc, Mutex};

use cardscan_core::api::{self as core, Client};
use tokio::task::AbortHandle;

use crate::error::{CardScanError, Result};
use crate::runtime::runtime;
use crate::types::{CardState, ServerError};

/// What an event is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, uniffi::Enum)]
pub enum EventKind {
    Card,
    Eligibility,
    Scan,
    Unknown,
}

/// A card (or eligibility / scan) state change.
#[derive(Clone, Debug, PartialEq, uniffi::Record)]
pub struct CardEvent {
    pub event_id: String,
    pub kind: EventKind,
    pub card_id: Option<String>,
    pub state: CardState,
    pub created_at: Option<String>,
    pub eligibility_id: Option<String>,
    pub error: Option<ServerError>,
}

impl From<core::CardEvent> for CardEvent {
    fn from(e: core::CardEvent) -> Self {
        CardEvent {
            event_id: e.event_id,
            kind: match e.kind {
                core::EventKind::Card => EventKind::Card,
                core::EventKind::Eligibility => EventKind::Eligibility,
                core::EventKind::Scan => EventKind::Scan,
                #[allow(unreachable_patterns)]
                _ => EventKind::Unknown,
            },
            card_id: e.card_id,
            state: e.state.into(),
            created_at: e.created_at.map(|t| t.as_str().to_string()),
            eligibility_id: e.eligibility_id,
            error: e.error.map(Into::into),
        }
    }
}

/// Implemented by the app to receive a card's events. Called on an SDK
/// thread: return quickly and hop to the main thread for UI work.
#[uniffi::export(with_foreign)]
pub trait CardEventListener: Send + Sync {
    /// A new state (deduplicated).
    fn on_event(&self, event: CardEvent) -> Result<(), CardScanError>;
    /// Following failed; no more calls follow.
    fn on_error(&self, error: CardScanError) -> Result<(), CardScanError>;
    /// The card reached a final state, or following ended; no more calls follow.
    fn on_complete(&self) -> Result<(), CardScanError>;
}

/// A running `followCard`; `cancel()` stops it (no more listener calls).
#[derive(Debug, uniffi::Object)]
pub struct CardSubscription {
    task: Mutex<Option<AbortHandle>>,
}

#[uniffi::export]
impl CardSubscription {
    /// Stops following. Safe to call more than once.
    pub fn cancel(&self) {
        if let Some(task) = self.task.lock().unwrap_or_else(|p| p.into_inner()).take() {
            task.abort();
        }
    }

    /// Whether following is still running.
    pub fn is_active(&self) -> bool {
        self.task
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .as_ref()
            .is_some_and(|t| !t.is_finished())
    }
}

/// Starts following `card_id` on the SDK runtime.
pub(crate) fn follow(
    client: Client,
    card_id: String,
    listener: Arc<dyn CardEventListener>,
) -> Result<Arc<CardSubscription>> {
    if card_id.trim().is_empty() {
        return Err(CardScanError::invalid("cardId", "must not be empty"));
    }
    let task = runtime()?.spawn(async move {
        let mut events = client.follow_card(&card_id);
        while let Some(item) = events.next().await {
            let delivered = match item {
                Ok(event) => {
                    let last = event.state.is_final();
                    let ok = listener.on_event(event.into()).is_ok();
                    if last {
                        break;
                    }
                    ok
                }
                Err(e) => {
                    let _ = listener.on_error(e.into());
                    return;
                }
            };
            if !delivered {
                tracing::debug!("card event listener threw; event dropped");
            }
        }
        let _ = listener.on_complete();
    });
    Ok(Arc::new(CardSubscription {
        task: Mutex::new(Some(task.abort_handle())),
    }))
}
