//! WebSocket events, ping/pong, magic-link sessions and socket faults.

use std::collections::HashSet;
use std::time::Duration;

use futures::{SinkExt, StreamExt};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{connect_async, MaybeTlsStream, WebSocketStream};

use crate::common::{card_jpeg, send, Env};
use crate::spec::check_component;

type Socket = WebSocketStream<MaybeTlsStream<TcpStream>>;

async fn connect(url: &str, secret: &str) -> Socket {
    connect_async(format!("{url}?token={secret}"))
        .await
        .expect("websocket connects")
        .0
}

async fn register(socket: &mut Socket, card_id: &str) {
    let msg = json!({ "action": "register", "card_id": card_id }).to_string();
    socket.send(Message::text(msg)).await.unwrap();
    // Registration has no reply: a ping round trip proves it was processed.
    socket.send(Message::text("ping")).await.unwrap();
    assert_eq!(next_text(socket).await, "pong");
}

async fn next_text(socket: &mut Socket) -> String {
    loop {
        let msg = tokio::time::timeout(Duration::from_secs(10), socket.next())
            .await
            .expect("a message in time");
        match msg.expect("socket open").expect("no socket error") {
            Message::Text(t) => return t.to_string(),
            Message::Close(frame) => panic!("closed: {frame:?}"),
            _ => {}
        }
    }
}

/// Events until a card event with state `last`.
async fn events_until(socket: &mut Socket, last: &str) -> Vec<Value> {
    let mut events = Vec::new();
    loop {
        let event: Value = serde_json::from_str(&next_text(socket).await).unwrap();
        let done = event["type"] == "card" && event["state"] == last;
        events.push(event);
        if done {
            return events;
        }
    }
}

#[tokio::test]
async fn registered_socket_receives_every_state_in_order() {
    let env = Env::start().await;
    let id = env
        .create_card(&env.key(), json!({ "enable_backside_scan": true }))
        .await["card_id"]
        .as_str()
        .unwrap()
        .to_string();
    let mut socket = connect(&env.sandbox.ws_url(), &env.key()).await;
    register(&mut socket, &id).await;
    env.upload(&env.key(), &id, "front", card_jpeg(640, 400))
        .await;
    env.upload(&env.key(), &id, "back", card_jpeg(640, 400))
        .await;
    let events = events_until(&mut socket, "enriched").await;
    let states: Vec<&str> = events
        .iter()
        .filter(|e| e["type"] == "card")
        .map(|e| e["state"].as_str().unwrap())
        .collect();
    assert_eq!(
        states,
        [
            "frontside_processing",
            "backside_processing",
            "post_processing",
            "completed",
            "enriched"
        ]
    );
    for event in events.iter().filter(|e| e["type"] == "card") {
        check_component("CardWebsocketEvent", event);
        assert_eq!(event["card_id"], id.as_str());
    }
    let scans: Vec<(&str, &str)> = events
        .iter()
        .filter(|e| e["type"] == "scan")
        .map(|e| (e["scan_id"].as_str().unwrap(), e["state"].as_str().unwrap()))
        .collect();
    assert_eq!(scans.iter().filter(|(_, s)| *s == "processing").count(), 2);
    assert_eq!(scans.iter().filter(|(_, s)| *s == "completed").count(), 2);
    let ids: HashSet<&str> = events
        .iter()
        .map(|e| e["event_id"].as_str().unwrap())
        .collect();
    assert_eq!(ids.len(), events.len(), "event ids are unique");
}

#[tokio::test]
async fn rejected_card_event_carries_the_error_and_v1_ws_works_too() {
    let env = Env::start().await;
    let id = env.create_card(&env.key(), json!({})).await["card_id"]
        .as_str()
        .unwrap()
        .to_string();
    let url = format!("ws://{}/v1/ws", env.sandbox.addr());
    let mut socket = connect(&url, &env.key()).await;
    register(&mut socket, &id).await;
    env.upload(&env.key(), &id, "front", b"garbage".to_vec())
        .await;
    let events = events_until(&mut socket, "frontside_failed").await;
    let failed = events.last().unwrap();
    check_component("CardWebsocketEvent", failed);
    assert_eq!(failed["error"]["type"], "RejectedCard");
}

#[tokio::test]
async fn bad_tokens_cannot_connect() {
    let env = Env::start().await;
    let err = connect_async(format!("{}?token=sk_test_nope", env.sandbox.ws_url()))
        .await
        .unwrap_err();
    match err {
        tokio_tungstenite::tungstenite::Error::Http(response) => assert_eq!(response.status(), 401),
        other => panic!("expected an HTTP 401, got {other:?}"),
    }
    assert!(
        connect_async(env.sandbox.ws_url()).await.is_err(),
        "no token"
    );
}

#[tokio::test]
async fn magic_link_phone_card_reaches_the_desktop_session() {
    let env = Env::start().await;
    let desktop = env.token("desk-user").await;
    let desktop_token = desktop["Token"].as_str().unwrap().to_string();
    let session = desktop["session_id"].as_str().unwrap().to_string();
    let (status, link) = send(env.req(Method::GET, "/generate-magic-link", &desktop_token)).await;
    assert_eq!(status, StatusCode::OK);
    crate::spec::check("/generate-magic-link", "get", 200, &link);
    let mut desktop_socket = connect(&env.sandbox.ws_url(), &desktop_token).await;
    desktop_socket.send(Message::text("ping")).await.unwrap();
    assert_eq!(next_text(&mut desktop_socket).await, "pong");

    let magic = link["token"].as_str().unwrap();
    let (status, phone) = send(
        env.http
            .get(env.url(&format!("/validate-magic-link?token={magic}"))),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    crate::spec::check("/validate-magic-link", "get", 200, &phone);
    let phone_token = phone["Token"].as_str().unwrap().to_string();
    let card = env.create_card(&phone_token, json!({})).await;
    let id = card["card_id"].as_str().unwrap().to_string();
    env.upload(&phone_token, &id, "front", card_jpeg(640, 400))
        .await;

    // The desktop never registered the phone's card, yet it hears of it.
    let events = events_until(&mut desktop_socket, "completed").await;
    assert!(events.iter().all(|e| e["session_id"] == session.as_str()));
    assert!(events.iter().any(|e| e["card_id"] == id.as_str()));
    // The desktop user can read the card; the phone token can read it too,
    // but nothing outside its session and no other operations.
    assert_eq!(
        send(env.req(Method::GET, &format!("/cards/{id}"), &desktop_token))
            .await
            .0,
        StatusCode::OK
    );
    assert_eq!(
        send(env.req(Method::GET, &format!("/cards/{id}"), &phone_token))
            .await
            .0,
        StatusCode::OK
    );
    let foreign = env.create_card(&env.key(), json!({})).await["card_id"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(
        send(env.req(Method::GET, &format!("/cards/{foreign}"), &phone_token))
            .await
            .0,
        StatusCode::FORBIDDEN
    );
    let (status, _) = env
        .upload(&phone_token, &foreign, "front", card_jpeg(640, 400))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(
        send(env.req(Method::GET, "/generate-magic-link", &phone_token))
            .await
            .0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        send(env.req(Method::DELETE, &format!("/cards/{id}"), &phone_token))
            .await
            .0,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn ping_gets_pong() {
    let env = Env::start().await;
    let mut socket = connect(&env.sandbox.ws_url(), &env.key()).await;
    for _ in 0..3 {
        socket.send(Message::text("ping")).await.unwrap();
        assert_eq!(next_text(&mut socket).await, "pong");
    }
    socket.close(None).await.unwrap();
}

/// Whether the socket ends without a close frame (an abnormal close).
async fn ends_abnormally(socket: &mut Socket) -> bool {
    loop {
        match tokio::time::timeout(Duration::from_secs(10), socket.next())
            .await
            .expect("socket ends in time")
        {
            Some(Ok(Message::Close(_))) => return false,
            Some(Ok(_)) => {}
            Some(Err(_)) | None => return true,
        }
    }
}

#[tokio::test]
async fn ws_drop_fault_closes_the_socket_abnormally_at_its_first_event() {
    let env = Env::start().await;
    env.sandbox.faults().drop_next_websockets(1);
    let id = env.create_card(&env.key(), json!({})).await["card_id"]
        .as_str()
        .unwrap()
        .to_string();
    let mut dropped = connect(&env.sandbox.ws_url(), &env.key()).await;
    register(&mut dropped, &id).await;
    let mut healthy = connect(&env.sandbox.ws_url(), &env.key()).await;
    register(&mut healthy, &id).await;
    env.upload(&env.key(), &id, "front", card_jpeg(640, 400))
        .await;
    assert!(ends_abnormally(&mut dropped).await);
    let events = events_until(&mut healthy, "completed").await;
    assert!(!events.is_empty());
}

#[tokio::test]
async fn drop_websockets_now_closes_open_sockets_abnormally() {
    let env = Env::start().await;
    let mut socket = connect(&env.sandbox.ws_url(), &env.key()).await;
    socket.send(Message::text("ping")).await.unwrap();
    assert_eq!(next_text(&mut socket).await, "pong");
    assert_eq!(env.sandbox.stats().ws_open, 1);
    env.sandbox.faults().drop_websockets_now();
    assert!(ends_abnormally(&mut socket).await);
    // New sockets are fine afterwards.
    let mut again = connect(&env.sandbox.ws_url(), &env.key()).await;
    again.send(Message::text("ping")).await.unwrap();
    assert_eq!(next_text(&mut again).await, "pong");
}

#[tokio::test]
async fn eligibility_events_reach_the_cards_socket() {
    let env = Env::start().await;
    let card = env.completed_card().await;
    // Let the card finish (enriched) so that only eligibility events follow.
    env.wait_card(&env.key(), &card, |s| s == "enriched").await;
    let mut socket = connect(&env.sandbox.ws_url(), &env.key()).await;
    register(&mut socket, &card).await;
    let body = json!({
        "card_id": card,
        "eligibility": {
            "provider": { "npi": "1234567893", "first_name": "Ada", "last_name": "Lovelace" },
            "subscriber": { "first_name": "emily", "last_name": "dickinson", "date_of_birth": "19800101" }
        }
    });
    let (status, created) = send(env.key_req(Method::POST, "/eligibility").json(&body)).await;
    assert_eq!(status, StatusCode::CREATED);
    let mut states = Vec::new();
    while states.last().map(String::as_str) != Some("completed") {
        let event: Value = serde_json::from_str(&next_text(&mut socket).await).unwrap();
        if event["type"] != "eligibility" {
            continue;
        }
        check_component("EligibilityWebsocketEvent", &event);
        assert_eq!(event["eligibility_id"], created["eligibility_id"]);
        assert_eq!(event["card_id"], card.as_str());
        states.push(event["state"].as_str().unwrap().to_string());
    }
    assert_eq!(states, ["processing", "completed"]);
}
