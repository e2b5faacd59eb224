//! Waiting for cards: WebSocket, reconnection, polling fallback, failures, timeout.

mod api_common;

use api_common::*;
use cardscan_core::api::{Auth, CardState, Client, CreateCardRequest, Environment, EventKind};
use cardscan_core::error::Error;
use cardscan_core::events::FollowOptions;
use std::collections::HashSet;
use std::time::Duration;

#[tokio::test]
async fn wait_over_websocket_and_follow_events() {
    let sb = sandbox().await;
    let c = client(&sb);
    let id = c.upload_card_image(front(), Some(back())).await.unwrap();
    let card = c.wait_for_card(&id, WAIT).await.unwrap();
    assert!(card.state.is_success());
    assert!(
        sb.stats().ws_connections >= 1,
        "the wait used the WebSocket"
    );

    let card = c
        .create_card(&CreateCardRequest::with_backside())
        .await
        .unwrap();
    let mut events = c.follow_card(&card.card_id);
    let first = events.next().await.unwrap().unwrap();
    assert_eq!(
        first.state,
        CardState::Pending,
        "the state at registration is reported"
    );
    c.upload_side(
        &card.card_id,
        cardscan_core::api::Orientation::Front,
        front().into(),
        &Default::default(),
    )
    .await
    .unwrap();
    c.upload_side(
        &card.card_id,
        cardscan_core::api::Orientation::Back,
        back().into(),
        &Default::default(),
    )
    .await
    .unwrap();
    let mut states = Vec::new();
    let mut ids = HashSet::new();
    let mut scan_events = 0;
    while let Some(event) = tokio::time::timeout(WAIT, events.next()).await.unwrap() {
        let event = event.unwrap();
        assert!(ids.insert(event.event_id.clone()), "no duplicate event ids");
        match event.kind {
            EventKind::Card => states.push(event.state),
            EventKind::Scan => scan_events += 1,
            _ => {}
        }
        if event.state == CardState::Enriched {
            break;
        }
    }
    assert!(scan_events >= 2);
    let pos = |s| {
        states
            .iter()
            .position(|x| *x == s)
            .unwrap_or_else(|| panic!("{s} missing in {states:?}"))
    };
    assert!(pos(CardState::FrontsideProcessing) < pos(CardState::PostProcessing));
    assert!(pos(CardState::PostProcessing) < pos(CardState::Completed));
    assert!(pos(CardState::Completed) < pos(CardState::Enriched));
}

#[tokio::test]
async fn falls_back_to_polling_when_the_socket_cannot_connect() {
    let sb = sandbox().await;
    let unused = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let dead_ws = format!("ws://{}/ws", unused.local_addr().unwrap());
    drop(unused);
    let mut cfg = config(&sb, Auth::ApiKey(sb.api_key().into()));
    cfg.environment = Environment::Custom {
        rest_base: sb.base_url(),
        ws_url: dead_ws,
    };
    let c = Client::new(cfg).unwrap();
    let id = c.upload_card_image(front(), Some(back())).await.unwrap();
    let card = c.wait_for_card(&id, WAIT).await.unwrap();
    assert!(card.state.is_success());
    assert_eq!(sb.stats().ws_connections, 0);
    assert!(
        sb.stats().requests_for("GET /v1/cards/{card_id}") >= 2,
        "{:?}",
        sb.stats().requests
    );
}

#[tokio::test]
async fn reconnects_after_an_abnormal_close() {
    let sb = sandbox().await;
    let c = client(&sb);
    sb.faults().drop_next_websockets(1);
    let card = c.create_card(&CreateCardRequest::default()).await.unwrap();
    let options = FollowOptions {
        resync_interval: Duration::from_secs(60),
        ..Default::default()
    };
    let waiter = {
        let c = c.clone();
        let id = card.card_id.clone();
        tokio::spawn(async move { c.wait_for_card_with(&id, WAIT, options).await })
    };
    tokio::time::sleep(Duration::from_millis(200)).await;
    c.upload_side(
        &card.card_id,
        cardscan_core::api::Orientation::Front,
        front().into(),
        &Default::default(),
    )
    .await
    .unwrap();
    assert!(waiter.await.unwrap().unwrap().state.is_success());
    assert!(
        sb.stats().ws_connections >= 2,
        "re-connected: {}",
        sb.stats().ws_connections
    );
}

#[tokio::test]
async fn rejected_image_is_a_typed_failure() {
    let sb = sandbox().await;
    let c = client(&sb);
    let id = c.upload_card_image(tiny_jpeg(), None).await.unwrap();
    match c.wait_for_card(&id, WAIT).await {
        Err(Error::CardFailed { state, error }) => {
            assert_eq!(state, "frontside_failed");
            assert_eq!(error.unwrap().kind, "RejectedCard");
        }
        other => panic!("expected CardFailed, got {other:?}"),
    }
    let id = c.upload_card_image(front(), None).await.unwrap();
    c.wait_for_card(&id, WAIT).await.unwrap();
    let with_bad_back = c
        .upload_card_image(front(), Some(tiny_jpeg()))
        .await
        .unwrap();
    assert!(
        matches!(c.wait_for_card(&with_bad_back, WAIT).await, Err(Error::CardFailed { state, .. }) if state == "backside_failed")
    );
}

#[tokio::test]
async fn waiting_times_out() {
    let sb = sandbox().await;
    let c = client(&sb);
    let card = c.create_card(&CreateCardRequest::default()).await.unwrap();
    let started = std::time::Instant::now();
    assert_eq!(
        c.wait_for_card(&card.card_id, Duration::from_millis(500))
            .await
            .unwrap_err(),
        Error::Timeout
    );
    assert!(started.elapsed() < Duration::from_secs(3));
    assert_eq!(
        c.wait_for_card("00000000-0000-4000-8000-000000000000", WAIT)
            .await
            .unwrap_err(),
        Error::NotFound
    );
}
