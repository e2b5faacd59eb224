//! Deduplication of events: by `event_id` (the server may resend after a
//! reconnect), and of synthetic snapshot events by state (a GET that shows
//! nothing new is not an event).

use crate::api::{CardEvent, CardState, EventKind};
use std::collections::{HashSet, VecDeque};

/// Remembered event ids are bounded; a card emits a handful of events.
const MAX_REMEMBERED: usize = 1024;

#[derive(Default, Debug)]
pub(crate) struct Dedup {
    ids: HashSet<String>,
    order: VecDeque<String>,
    last_card_state: Option<CardState>,
    last_eligibility_state: Option<CardState>,
}

impl Dedup {
    /// Whether a server event is new (and remember it).
    pub(crate) fn accept(&mut self, event: &CardEvent) -> bool {
        if !self.ids.insert(event.event_id.clone()) {
            return false;
        }
        self.order.push_back(event.event_id.clone());
        if self.order.len() > MAX_REMEMBERED {
            if let Some(old) = self.order.pop_front() {
                self.ids.remove(&old);
            }
        }
        self.note_state(event);
        true
    }

    /// Whether a snapshot (from a GET) shows a state not reported yet.
    pub(crate) fn accept_snapshot(&mut self, event: &CardEvent) -> bool {
        let last = match event.kind {
            EventKind::Eligibility => self.last_eligibility_state,
            _ => self.last_card_state,
        };
        if last == Some(event.state) {
            return false;
        }
        self.accept(event)
    }

    fn note_state(&mut self, event: &CardEvent) {
        match event.kind {
            EventKind::Card => self.last_card_state = Some(event.state),
            EventKind::Eligibility => self.last_eligibility_state = Some(event.state),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(id: &str, kind: EventKind, state: CardState) -> CardEvent {
        CardEvent {
            event_id: id.into(),
            kind,
            card_id: Some("c".into()),
            state,
            created_at: None,
            session_id: None,
            eligibility_id: None,
            scan_id: None,
            error: None,
            other: Default::default(),
        }
    }

    #[test]
    fn drops_repeated_ids_and_stale_snapshots() {
        let mut d = Dedup::default();
        assert!(d.accept(&ev("1", EventKind::Card, CardState::FrontsideProcessing)));
        assert!(!d.accept(&ev("1", EventKind::Card, CardState::FrontsideProcessing)));
        assert!(!d.accept_snapshot(&ev("s1", EventKind::Card, CardState::FrontsideProcessing)));
        assert!(d.accept_snapshot(&ev("s2", EventKind::Card, CardState::Completed)));
        assert!(d.accept(&ev("2", EventKind::Scan, CardState::Completed)));
        assert!(d.accept_snapshot(&ev("s3", EventKind::Eligibility, CardState::Completed)));
    }
}
