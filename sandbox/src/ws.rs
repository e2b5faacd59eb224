//! WebSocket events: `?token=` authenticates, `{"action":"register","card_id"}`
//! subscribes to a card (and its eligibility), text `ping` gets `pong`. A
//! socket also receives every event of its own session, which is how a
//! desktop learns of the card a phone uploaded through its magic link.

use std::collections::{HashMap, HashSet};
use std::sync::Mutex;

use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::{Query, State};
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use futures::{SinkExt, StreamExt};
use serde::Deserialize;
use serde_json::{json, Value};
use tokio::sync::mpsc;
use uuid::Uuid;

use crate::auth::{bearer, Caller};
use crate::clock;
use crate::model::Owner;
use crate::state::App;
use crate::stats::Counters;

/// Marks a WebSocket upgrade that a `ws_drop` fault hit.
#[derive(Clone, Copy, Debug)]
pub struct WsDropMarker;

enum Outgoing {
    Event(String),
}

#[derive(Debug)]
struct Subscriber {
    tx: mpsc::UnboundedSender<Outgoing>,
    session_id: Option<String>,
    cards: HashSet<Uuid>,
}

impl std::fmt::Debug for Outgoing {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Outgoing")
    }
}

/// The open sockets and what each listens to.
#[derive(Debug, Default)]
pub struct Hub {
    inner: Mutex<HubInner>,
}

#[derive(Debug, Default)]
struct HubInner {
    next_id: u64,
    subscribers: HashMap<u64, Subscriber>,
}

impl Hub {
    fn lock(&self) -> std::sync::MutexGuard<'_, HubInner> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn connect(&self, session_id: Option<String>) -> (u64, mpsc::UnboundedReceiver<Outgoing>) {
        let (tx, rx) = mpsc::unbounded_channel();
        let mut hub = self.lock();
        hub.next_id += 1;
        let id = hub.next_id;
        hub.subscribers.insert(
            id,
            Subscriber {
                tx,
                session_id,
                cards: HashSet::new(),
            },
        );
        (id, rx)
    }

    fn register(&self, id: u64, card_id: Uuid) {
        if let Some(sub) = self.lock().subscribers.get_mut(&id) {
            sub.cards.insert(card_id);
        }
    }

    fn disconnect(&self, id: u64) {
        self.lock().subscribers.remove(&id);
    }

    /// Number of open sockets.
    pub fn open_sockets(&self) -> usize {
        self.lock().subscribers.len()
    }

    /// Sends an event about `card_id` to sockets registered for the card and
    /// to sockets of the record's session. Adds `event_id`, `created_at` and
    /// `session_id`.
    pub fn publish(&self, card_id: Uuid, owner: &Owner, mut event: Value) {
        if let Some(map) = event.as_object_mut() {
            map.insert("event_id".into(), json!(Uuid::new_v4().to_string()));
            map.insert("created_at".into(), json!(clock::wire(clock::now())));
            if let Some(session) = &owner.session_id {
                map.insert("session_id".into(), json!(session));
            }
        }
        let text = event.to_string();
        let hub = self.lock();
        for sub in hub.subscribers.values() {
            let same_session = owner.session_id.is_some() && sub.session_id == owner.session_id;
            if sub.cards.contains(&card_id) || same_session {
                let _ = sub.tx.send(Outgoing::Event(text.clone()));
            }
        }
    }
}

#[derive(Deserialize)]
pub struct WsQuery {
    token: Option<String>,
}

#[derive(Deserialize)]
struct Register {
    action: String,
    card_id: String,
}

/// `GET /ws?token=` (also `/v1/ws`): authenticates before upgrading.
pub async fn handler(
    State(app): State<App>,
    Query(query): Query<WsQuery>,
    parts: Parts,
    upgrade: WebSocketUpgrade,
) -> Response {
    let secret = query
        .token
        .or_else(|| bearer(&parts).map(str::to_string))
        .unwrap_or_default();
    let caller = match Caller::authenticate(&app, secret.trim()) {
        Ok(c) => c,
        Err(e) => return e.into_response(),
    };
    let drop_on_first_event = parts.extensions.get::<WsDropMarker>().is_some();
    Counters::bump(&app.counters.ws_connections);
    upgrade.on_upgrade(move |socket| run(app, caller, socket, drop_on_first_event))
}

/// Serves one socket until it closes, the sandbox drops it, or a fault does.
async fn run(app: App, caller: Caller, socket: WebSocket, drop_on_first_event: bool) {
    let (id, mut events) = app.hub.connect(caller.session_id().map(str::to_string));
    let mut kill = app.faults.ws_generation();
    kill.mark_unchanged();
    let (mut sink, mut stream) = socket.split();
    loop {
        tokio::select! {
            incoming = stream.next() => match incoming {
                Some(Ok(Message::Text(text))) => {
                    if let Some(reply) = on_text(&app, &caller, id, text.as_str()) {
                        if sink.send(Message::Text(reply.into())).await.is_err() { break; }
                    }
                }
                Some(Ok(Message::Close(_))) | None | Some(Err(_)) => break,
                Some(Ok(_)) => {}
            },
            outgoing = events.recv() => match outgoing {
                Some(_) if drop_on_first_event => break,
                Some(Outgoing::Event(text)) => {
                    if sink.send(Message::Text(text.into())).await.is_err() { break; }
                }
                None => break,
            },
            // Dropping the socket without a close frame is an abnormal close (1006).
            _ = kill.changed() => break,
        }
    }
    app.hub.disconnect(id);
}

/// Handles a client text frame; returns the reply, if any.
fn on_text(app: &App, caller: &Caller, id: u64, text: &str) -> Option<String> {
    if text.trim() == "ping" {
        return Some("pong".to_string());
    }
    let register: Register = serde_json::from_str(text).ok()?;
    if register.action != "register" {
        return None;
    }
    let card_id = Uuid::parse_str(register.card_id.trim()).ok()?;
    let allowed = app
        .store()
        .cards
        .get(&card_id)
        .is_some_and(|c| caller.can_access(&c.owner));
    if allowed {
        app.hub.register(id, card_id);
    } else {
        tracing::debug!("websocket register refused for an unknown or foreign card");
    }
    None
}
