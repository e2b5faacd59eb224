//! Following a card: WebSocket events with automatic fallback to polling.
//!
//! [`Client::follow_card`] returns [`CardEvents`], a stream of [`CardEvent`]s
//! fed by a background task: it connects to `<ws url>?token=…`, registers
//! the card, pings every ~6 s, deduplicates by `event_id`, and reconnects and
//! re-registers after an abnormal close. When the socket cannot be opened
//! (or keeps failing, or the server closes it normally) it polls
//! `GET /cards/{id}` with backoff instead. After every (re)registration the
//! current state is read once, so events sent before it are not missed.
//! Dropping the stream stops the task.
//!
//! [`Client::wait_for_card`] follows until the card is `completed` /
//! `enriched` (returns the card, read with one final GET) or failed
//! ([`Error::CardFailed`]), within a timeout ([`Error::Timeout`]).

mod dedup;
mod poll;
mod socket;
mod subject;

pub(crate) use subject::Subject;

use crate::api::{Card, CardEvent, Client, EventKind};
use crate::error::{Error, Result};
use dedup::Dedup;
use socket::SessionEnd;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::sync::mpsc;

pub(crate) type Sink = mpsc::Sender<Result<CardEvent>>;

/// Tuning of following (defaults match the official clients).
#[derive(Clone, Debug)]
pub struct FollowOptions {
    /// Text `ping` interval.
    pub ping_interval: Duration,
    /// Re-read the state this often even while the socket is quiet.
    pub resync_interval: Duration,
    /// Failed connection attempts before falling back to polling.
    pub connect_attempts: u32,
    /// Consecutive sessions that delivered nothing before falling back to polling.
    pub broken_sessions: u32,
    /// First polling interval (grows ×1.5).
    pub poll_initial: Duration,
    /// Longest polling interval.
    pub poll_max: Duration,
}

impl Default for FollowOptions {
    fn default() -> Self {
        FollowOptions {
            ping_interval: Duration::from_secs(6),
            resync_interval: Duration::from_secs(15),
            connect_attempts: 2,
            broken_sessions: 3,
            poll_initial: Duration::from_millis(500),
            poll_max: Duration::from_secs(5),
        }
    }
}

/// A live stream of a card's events (also a [`futures::Stream`]). Dropping
/// it stops following.
pub struct CardEvents {
    rx: mpsc::Receiver<Result<CardEvent>>,
    task: tokio::task::JoinHandle<()>,
}

impl std::fmt::Debug for CardEvents {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CardEvents").finish_non_exhaustive()
    }
}

impl CardEvents {
    /// The next event; `None` once following has ended (last state reached
    /// while polling, or an error was delivered).
    pub async fn next(&mut self) -> Option<Result<CardEvent>> {
        self.rx.recv().await
    }
}

impl futures::Stream for CardEvents {
    type Item = Result<CardEvent>;
    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.rx.poll_recv(cx)
    }
}

impl Drop for CardEvents {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Read the subject's state and forward it if new. False when the receiver is gone.
pub(crate) async fn emit_snapshot(
    client: &Client,
    subject: &Subject,
    tx: &Sink,
    dedup: &mut Dedup,
) -> bool {
    match subject.snapshot(client).await {
        Ok(event) if dedup.accept_snapshot(&event) => tx.send(Ok(event)).await.is_ok(),
        Ok(_) => true,
        Err(e) if e.is_transient() => true,
        Err(e) => {
            let _ = tx.send(Err(e)).await;
            false
        }
    }
}

/// The background task: WebSocket sessions, then polling.
async fn follow(client: Client, subject: Subject, tx: Sink, options: FollowOptions) {
    let mut dedup = Dedup::default();
    let mut connect_failures = 0;
    let mut broken = 0;
    let mut reconnect = 0u32;
    loop {
        match socket::run_session(&client, &subject, &tx, &mut dedup, &options).await {
            SessionEnd::ReceiverGone => return,
            SessionEnd::Normal => break,
            SessionEnd::Abnormal { heard } => {
                connect_failures = 0;
                broken = if heard { 0 } else { broken + 1 };
                if broken >= options.broken_sessions {
                    break;
                }
            }
            SessionEnd::ConnectFailed(e) => {
                tracing::debug!(error = %e, "websocket connection failed");
                connect_failures += 1;
                if connect_failures >= options.connect_attempts {
                    break;
                }
            }
        }
        let wait = client.transport().retry_policy().backoff(reconnect);
        reconnect = (reconnect + 1).min(6);
        tokio::select! {
            _ = tx.closed() => return,
            _ = tokio::time::sleep(wait) => {}
        }
    }
    poll::run(&client, &subject, &tx, &mut dedup, &options).await;
}

impl Client {
    /// Follow a card's events as they arrive (see the module docs).
    pub fn follow_card(&self, card_id: &str) -> CardEvents {
        self.follow_with(Subject::Card(card_id.to_string()), FollowOptions::default())
    }

    /// [`Client::follow_card`] with tuning.
    pub fn follow_card_with(&self, card_id: &str, options: FollowOptions) -> CardEvents {
        self.follow_with(Subject::Card(card_id.to_string()), options)
    }

    pub(crate) fn follow_with(&self, subject: Subject, options: FollowOptions) -> CardEvents {
        let (tx, rx) = mpsc::channel(64);
        let task = tokio::spawn(follow(self.clone(), subject, tx, options));
        CardEvents { rx, task }
    }

    /// Wait until the card is processed: returns it when `completed` (or
    /// `enriched`), [`Error::CardFailed`] for `frontside_failed`,
    /// `backside_failed` or `error`, [`Error::Timeout`] after `timeout`.
    pub async fn wait_for_card(&self, card_id: &str, timeout: Duration) -> Result<Card> {
        self.wait_for_card_with(card_id, timeout, FollowOptions::default())
            .await
    }

    /// [`Client::wait_for_card`] with tuning.
    pub async fn wait_for_card_with(
        &self,
        card_id: &str,
        timeout: Duration,
        options: FollowOptions,
    ) -> Result<Card> {
        let wait = async {
            let mut events = self.follow_card_with(card_id, options);
            while let Some(event) = events.next().await {
                let event = event?;
                if event.kind != EventKind::Card || !event.state.is_final() {
                    continue;
                }
                if let Some(result) = self.final_card(card_id, &event).await? {
                    return result;
                }
            }
            Err(Error::WebSocket(
                "the event stream ended before the card was processed".into(),
            ))
        };
        tokio::time::timeout(timeout, wait)
            .await
            .unwrap_or(Err(Error::Timeout))
    }

    /// After a final event: read the card once. `None` when the read does not
    /// show the final state yet (keep waiting).
    async fn final_card(&self, card_id: &str, event: &CardEvent) -> Result<Option<Result<Card>>> {
        let card = self.get_card(card_id).await?;
        if card.state.is_success() {
            return Ok(Some(Ok(card)));
        }
        if card.state.is_failure() || event.state.is_failure() {
            let state = if card.state.is_failure() {
                card.state
            } else {
                event.state
            };
            let error = card.error.or_else(|| event.error.clone()).map(Into::into);
            return Ok(Some(Err(Error::CardFailed {
                state: state.to_string(),
                error,
            })));
        }
        Ok(None)
    }
}
