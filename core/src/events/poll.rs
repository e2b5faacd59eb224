//! Polling fallback: `GET` the subject with growing intervals and report
//! each new state, until the last state or until nobody listens.

use super::dedup::Dedup;
use super::subject::Subject;
use super::{FollowOptions, Sink};
use crate::api::Client;

/// Poll until the subject reaches its last state, an error, or the receiver goes.
pub(crate) async fn run(
    client: &Client,
    subject: &Subject,
    tx: &Sink,
    dedup: &mut Dedup,
    options: &FollowOptions,
) {
    tracing::debug!("following by polling");
    let mut interval = options.poll_initial;
    loop {
        match subject.snapshot(client).await {
            Ok(event) => {
                let last = subject.is_last(&event);
                if dedup.accept_snapshot(&event) {
                    if tx.send(Ok(event)).await.is_err() {
                        return;
                    }
                    interval = options.poll_initial;
                }
                if last {
                    return;
                }
            }
            Err(e) => {
                let _ = tx.send(Err(e)).await;
                return;
            }
        }
        tokio::select! {
            _ = tx.closed() => return,
            _ = tokio::time::sleep(interval) => {}
        }
        interval = (interval.mul_f64(1.5)).min(options.poll_max);
    }
}
