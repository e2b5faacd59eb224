//! Cards move through their states on their own, like the real service:
//! pending → frontside_processing → (backside_processing, waiting for the
//! back) → post_processing → completed → enriched, or a `*_failed` state
//! when a side is rejected. One tokio task per card advances it; it stops
//! while the card waits for its back image and restarts on that upload.

use std::time::Duration;

use serde_json::json;
use uuid::Uuid;

use crate::config::SandboxConfig;
use crate::dummy;
use crate::model::{Card, CardState, Side, SideImage};
use crate::state::App;

/// What a card waits for next.
#[derive(Debug, PartialEq, Eq)]
enum Plan {
    After(Duration),
    /// Waiting for an upload.
    Idle,
}

fn plan(card: &Card, config: &SandboxConfig) -> Plan {
    match card.state {
        CardState::FrontsideProcessing | CardState::PostProcessing => {
            Plan::After(config.state_delay)
        }
        CardState::BacksideProcessing if card.back.is_some() => Plan::After(config.state_delay),
        CardState::Completed => Plan::After(config.enrich_delay),
        _ => Plan::Idle,
    }
}

/// What happened in one step, for the events to publish.
#[derive(Debug, Default)]
struct Step {
    /// The side whose processing ended, and whether it was accepted.
    scan_done: Option<(Uuid, bool)>,
}

/// Moves the card one state on.
fn advance(card: &mut Card) -> Step {
    let mut step = Step::default();
    match card.state {
        CardState::FrontsideProcessing => {
            let ok = card.front.as_ref().is_some_and(|f| f.acceptable);
            step.scan_done = card.front.as_ref().map(|f| (f.scan_id, ok));
            card.state = match (ok, card.backside) {
                (false, _) => reject(card, CardState::FrontsideFailed),
                (true, true) => CardState::BacksideProcessing,
                (true, false) => CardState::PostProcessing,
            };
        }
        CardState::BacksideProcessing => {
            let ok = card.back.as_ref().is_some_and(|b| b.acceptable);
            step.scan_done = card.back.as_ref().map(|b| (b.scan_id, ok));
            card.state = if ok {
                CardState::PostProcessing
            } else {
                reject(card, CardState::BacksideFailed)
            };
        }
        CardState::PostProcessing => card.state = CardState::Completed,
        CardState::Completed => card.state = CardState::Enriched,
        _ => {}
    }
    step
}

fn reject(card: &mut Card, state: CardState) -> CardState {
    card.error = Some(dummy::rejected_card_error());
    state
}

/// Stores an uploaded side and starts (or resumes) processing. A repeated
/// upload of a side replaces its image; processing is not restarted.
pub fn accept_side(app: &App, card_id: Uuid, side: Side, image: SideImage) {
    let mut store = app.store();
    let Some(card) = store.cards.get_mut(&card_id) else {
        return;
    };
    let scan_id = image.scan_id;
    match side {
        Side::Front => card.front = Some(image),
        Side::Back => card.back = Some(image),
    }
    let owner = card.owner.clone();
    app.hub
        .publish(card_id, &owner, scan_event(card_id, scan_id, "processing"));
    if side == Side::Front && card.state == CardState::Pending {
        card.state = CardState::FrontsideProcessing;
        app.hub.publish(card_id, &owner, card_event(card));
    }
    if !card.advancing && plan(card, &app.config) != Plan::Idle {
        card.advancing = true;
        tokio::spawn(run(app.clone(), card_id));
    }
}

/// Advances one card until it needs an upload or reaches its last state.
async fn run(app: App, card_id: Uuid) {
    loop {
        let wait = {
            let mut store = app.store();
            let Some(card) = store.cards.get_mut(&card_id) else {
                return;
            };
            match plan(card, &app.config) {
                Plan::After(d) => d,
                Plan::Idle => {
                    card.advancing = false;
                    return;
                }
            }
        };
        tokio::time::sleep(wait).await;
        let mut store = app.store();
        let Some(card) = store.cards.get_mut(&card_id) else {
            return;
        };
        let step = advance(card);
        if let Some((scan_id, ok)) = step.scan_done {
            let state = if ok { "completed" } else { "error" };
            app.hub
                .publish(card_id, &card.owner, scan_event(card_id, scan_id, state));
        }
        app.hub.publish(card_id, &card.owner, card_event(card));
    }
}

/// `{"type":"card","card_id","state","error"?}` (the hub adds ids and time).
pub fn card_event(card: &Card) -> serde_json::Value {
    let mut event =
        json!({ "type": "card", "card_id": card.id.to_string(), "state": card.state.as_str() });
    if let (Some(error), Some(map)) = (&card.error, event.as_object_mut()) {
        map.insert("error".into(), error.clone());
    }
    event
}

fn scan_event(card_id: Uuid, scan_id: Uuid, state: &str) -> serde_json::Value {
    json!({ "type": "scan", "card_id": card_id.to_string(), "scan_id": scan_id.to_string(), "state": state })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Owner;

    fn image(ok: bool) -> SideImage {
        SideImage {
            scan_id: Uuid::new_v4(),
            bytes: bytes::Bytes::new(),
            content_type: "image/jpeg",
            acceptable: ok,
        }
    }

    fn card(backside: bool) -> Card {
        let mut card = Card::new(Uuid::new_v4(), 1, Owner::default(), backside, None);
        card.front = Some(image(true));
        card.state = CardState::FrontsideProcessing;
        card
    }

    fn walk(card: &mut Card) -> Vec<&'static str> {
        let config = SandboxConfig::fast();
        let mut seen = vec![card.state.as_str()];
        while plan(card, &config) != Plan::Idle {
            advance(card);
            seen.push(card.state.as_str());
        }
        seen
    }

    #[test]
    fn front_only_card_goes_to_enriched() {
        let mut c = card(false);
        assert_eq!(
            walk(&mut c),
            [
                "frontside_processing",
                "post_processing",
                "completed",
                "enriched"
            ]
        );
    }

    #[test]
    fn backside_card_waits_for_the_back_then_finishes() {
        let mut c = card(true);
        assert_eq!(
            walk(&mut c),
            ["frontside_processing", "backside_processing"]
        );
        c.back = Some(image(true));
        assert_eq!(
            walk(&mut c),
            [
                "backside_processing",
                "post_processing",
                "completed",
                "enriched"
            ]
        );
    }

    #[test]
    fn rejected_sides_fail_with_the_rejected_card_error() {
        let mut c = card(false);
        c.front = Some(image(false));
        assert_eq!(walk(&mut c), ["frontside_processing", "frontside_failed"]);
        assert_eq!(c.error.as_ref().unwrap()["type"], "RejectedCard");
        let mut c = card(true);
        c.back = Some(image(false));
        assert_eq!(
            walk(&mut c),
            [
                "frontside_processing",
                "backside_processing",
                "backside_failed"
            ]
        );
    }
}
