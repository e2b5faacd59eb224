//! One WebSocket session: connect with `?token=`, register the card, ping
//! every few seconds, forward new events; report how the session ended so the
//! follower can reconnect or fall back to polling.

use super::dedup::Dedup;
use super::subject::Subject;
use super::{FollowOptions, Sink};
use crate::api::{CardEvent, Client};
use crate::error::Error;
use futures::{SinkExt, StreamExt};
use serde_json::json;
use tokio::time::Instant;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tokio_tungstenite::tungstenite::Message;

/// How a session ended.
#[derive(Debug)]
pub(crate) enum SessionEnd {
    /// Nobody listens any more.
    ReceiverGone,
    /// The server closed normally (1000 / 1005).
    Normal,
    /// Dropped, errored or silent; `heard` tells whether it worked at all.
    Abnormal { heard: bool },
    /// Could not connect (refused, timeout, handshake refused).
    ConnectFailed(Error),
}

/// Run one session until it ends.
pub(crate) async fn run_session(
    client: &Client,
    subject: &Subject,
    tx: &Sink,
    dedup: &mut Dedup,
    options: &FollowOptions,
) -> SessionEnd {
    let credential = match client.transport().auth().credential().await {
        Ok(c) => c,
        Err(e) => return SessionEnd::ConnectFailed(e),
    };
    let mut url = client.ws_url().clone();
    url.query_pairs_mut()
        .append_pair("token", credential.secret.expose());
    let connect = tokio::time::timeout(
        client.transport().timeouts().connect,
        tokio_tungstenite::connect_async(url.as_str().to_string()),
    );
    let socket = match connect.await {
        Ok(Ok((socket, _))) => socket,
        Ok(Err(e)) => return SessionEnd::ConnectFailed(Error::WebSocket(describe(&e))),
        Err(_) => return SessionEnd::ConnectFailed(Error::Timeout),
    };
    tracing::debug!("websocket connected");
    let (mut out, mut incoming) = socket.split();
    let register = json!({ "action": "register", "card_id": subject.card_id() }).to_string();
    if out.send(Message::text(register)).await.is_err() {
        return SessionEnd::Abnormal { heard: false };
    }
    // Events before the registration are lost: read the current state once.
    if !super::emit_snapshot(client, subject, tx, dedup).await {
        return SessionEnd::ReceiverGone;
    }
    let mut heard = false;
    let mut last_heard = Instant::now();
    let mut ping = tokio::time::interval_at(
        Instant::now() + options.ping_interval,
        options.ping_interval,
    );
    let mut resync = tokio::time::interval_at(
        Instant::now() + options.resync_interval,
        options.resync_interval,
    );
    loop {
        tokio::select! {
            _ = tx.closed() => return SessionEnd::ReceiverGone,
            _ = ping.tick() => {
                if last_heard.elapsed() > options.ping_interval * 3 {
                    tracing::debug!("websocket silent: reconnecting");
                    return SessionEnd::Abnormal { heard };
                }
                if out.send(Message::text("ping")).await.is_err() {
                    return SessionEnd::Abnormal { heard };
                }
            }
            _ = resync.tick() => {
                if !super::emit_snapshot(client, subject, tx, dedup).await {
                    return SessionEnd::ReceiverGone;
                }
            }
            message = incoming.next() => {
                last_heard = Instant::now();
                match message {
                    Some(Ok(Message::Text(text))) => {
                        heard = true;
                        if !forward(text.as_str(), subject, tx, dedup).await {
                            return SessionEnd::ReceiverGone;
                        }
                    }
                    Some(Ok(Message::Close(frame))) => {
                        let normal = frame.as_ref().is_none_or(|f| matches!(f.code, CloseCode::Normal | CloseCode::Status));
                        tracing::debug!(normal, "websocket closed by the server");
                        return if normal { SessionEnd::Normal } else { SessionEnd::Abnormal { heard } };
                    }
                    Some(Ok(_)) => heard = true,
                    Some(Err(e)) => {
                        tracing::debug!(error = %describe(&e), "websocket error");
                        return SessionEnd::Abnormal { heard };
                    }
                    None => return SessionEnd::Abnormal { heard },
                }
            }
        }
    }
}

/// Forward one text frame if it is a new event about the subject. Returns
/// false when the receiver is gone.
async fn forward(text: &str, subject: &Subject, tx: &Sink, dedup: &mut Dedup) -> bool {
    if text.trim() == "pong" {
        return true;
    }
    let event: CardEvent = match serde_json::from_str(text) {
        Ok(e) => e,
        Err(_) => {
            tracing::debug!("ignoring a websocket message that is not an event");
            return true;
        }
    };
    if !subject.concerns(&event) || !dedup.accept(&event) {
        return true;
    }
    tx.send(Ok(event)).await.is_ok()
}

/// A tungstenite error without the URL (it carries the token).
fn describe(e: &tokio_tungstenite::tungstenite::Error) -> String {
    use tokio_tungstenite::tungstenite::Error as E;
    match e {
        E::Http(response) => format!("handshake refused with HTTP {}", response.status().as_u16()),
        E::Io(io) => format!("connection failed: {}", io.kind()),
        E::Url(_) => "invalid WebSocket URL".to_string(),
        E::ConnectionClosed | E::AlreadyClosed => "connection closed".to_string(),
        E::Protocol(p) => format!("protocol error: {p}"),
        E::Tls(_) => "TLS error".to_string(),
        _ => "websocket failure".to_string(),
    }
}
