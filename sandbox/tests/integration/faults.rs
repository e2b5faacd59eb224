//! Fault injection seen by a real HTTP client.

use std::time::{Duration, Instant};

use cardscan_sandbox::{FaultKind, FaultRule, FaultTrigger, SandboxConfig};
use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::common::{send, Env};
use crate::spec::check;

#[tokio::test]
async fn next_n_5xx_then_success() {
    let env = Env::start().await;
    env.sandbox.faults().fail_next("POST /v1/cards", 2, 503);
    for _ in 0..2 {
        let (status, body) = send(env.key_req(Method::POST, "/cards")).await;
        assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
        check("/cards", "post", 500, &body);
        assert!(body["message"].is_string());
    }
    assert_eq!(
        send(env.key_req(Method::GET, "/cards")).await.0,
        StatusCode::OK,
        "other methods unaffected"
    );
    assert_eq!(
        send(env.key_req(Method::POST, "/cards")).await.0,
        StatusCode::CREATED
    );
    let stats = env.sandbox.stats();
    assert_eq!((stats.cards_created, stats.faults_injected), (1, 2));
    assert_eq!(stats.requests_for("POST /v1/cards"), 1);
}

#[tokio::test]
async fn rate_limit_sends_retry_after() {
    let env = Env::start().await;
    env.sandbox
        .faults()
        .rate_limit_next("/cards/{card_id}", 1, Duration::from_secs(2));
    let id = env.create_card(&env.key(), json!({})).await["card_id"]
        .as_str()
        .unwrap()
        .to_string();
    let response = env
        .key_req(Method::GET, &format!("/cards/{id}"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(response.headers()["retry-after"], "2");
    assert_eq!(
        send(env.key_req(Method::GET, &format!("/cards/{id}")))
            .await
            .0,
        StatusCode::OK
    );
}

#[tokio::test]
async fn dropped_connection_gives_the_client_no_response_and_no_card() {
    let env = Env::start().await;
    env.sandbox.faults().drop_next("POST /v1/cards", 1);
    let err = env
        .key_req(Method::POST, "/cards")
        .send()
        .await
        .expect_err("no response");
    assert!(!err.is_timeout() && !err.is_status(), "{err:?}");
    assert_eq!(env.sandbox.stats().cards_created, 0);
    assert_eq!(
        send(env.key_req(Method::POST, "/cards")).await.0,
        StatusCode::CREATED
    );
}

#[tokio::test]
async fn drop_after_handles_the_request_but_loses_the_response() {
    let env = Env::start().await;
    env.sandbox.faults().drop_after_next("POST /v1/cards", 1);
    assert!(env.key_req(Method::POST, "/cards").send().await.is_err());
    assert_eq!(
        env.sandbox.stats().cards_created,
        1,
        "the card exists although the client never heard of it"
    );
}

#[tokio::test]
async fn latency_is_added() {
    let env = Env::start().await;
    env.sandbox
        .faults()
        .add_latency("/v1/cards", Duration::from_millis(200));
    let started = Instant::now();
    assert_eq!(
        send(env.key_req(Method::GET, "/cards")).await.0,
        StatusCode::OK
    );
    assert!(started.elapsed() >= Duration::from_millis(200));
}

#[tokio::test]
async fn expire_tokens_rule_fires_on_its_route() {
    let env = Env::start().await;
    let token = env.token("u").await["Token"].as_str().unwrap().to_string();
    env.sandbox.faults().add(FaultRule::new(
        "/v1/cards",
        FaultKind::ExpireTokens,
        FaultTrigger::Next(1),
    ));
    assert_eq!(
        send(env.req(Method::GET, "/cards/search?query=x", &token))
            .await
            .0,
        StatusCode::OK
    );
    assert_eq!(
        send(env.req(Method::GET, "/cards", &token)).await.0,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn configured_faults_apply_from_the_start() {
    let rule: FaultRule = "*:500:1".parse().unwrap();
    let env = Env::with(SandboxConfig {
        faults: vec![rule],
        ..SandboxConfig::fast()
    })
    .await;
    assert_eq!(
        send(env.key_req(Method::GET, "/cards")).await.0,
        StatusCode::INTERNAL_SERVER_ERROR
    );
    assert_eq!(
        send(env.key_req(Method::GET, "/cards")).await.0,
        StatusCode::OK
    );
}

#[tokio::test]
async fn admin_endpoint_adds_lists_and_clears_faults() {
    let env = Env::start().await;
    let admin = format!("{}/_admin", env.sandbox.root_url());
    let (status, rules) = send(
        env.http
            .post(format!("{admin}/faults"))
            .json(&json!({ "spec": "*:502:always" })),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(rules.as_array().unwrap().len(), 1);
    let rule = json!({ "route": "/v1/cards", "kind": "rate_limit", "retry_after_secs": 3, "trigger": { "next": 1 } });
    let (_, rules) = send(env.http.post(format!("{admin}/faults")).json(&rule)).await;
    assert_eq!(rules.as_array().unwrap().len(), 2);
    assert_eq!(
        send(env.key_req(Method::GET, "/cards")).await.0,
        StatusCode::BAD_GATEWAY
    );
    // The admin endpoint itself is never faulted, so faults can be cleared.
    let (status, _) = send(env.http.delete(format!("{admin}/faults"))).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(
        send(env.key_req(Method::GET, "/cards")).await.0,
        StatusCode::OK
    );
    let (_, stats) = send(env.http.get(format!("{admin}/stats"))).await;
    assert_eq!(stats["requests"]["GET /v1/cards"], 1);
    assert_eq!(stats["faults_injected"], 1);
    let (status, _) = send(
        env.http
            .post(format!("{admin}/faults"))
            .json(&json!({ "spec": "nonsense" })),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let token = env.token("u").await["Token"].as_str().unwrap().to_string();
    assert_eq!(
        send(env.http.post(format!("{admin}/expire-tokens")))
            .await
            .0,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        send(env.req(Method::GET, "/cards", &token)).await.0,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn shutdown_is_prompt_with_open_connections() {
    let env = Env::start().await;
    let (mut socket, _) =
        tokio_tungstenite::connect_async(format!("{}?token={}", env.sandbox.ws_url(), env.key()))
            .await
            .unwrap();
    let addr = env.sandbox.addr();
    let started = Instant::now();
    env.sandbox.shutdown().await;
    assert!(started.elapsed() < Duration::from_secs(2));
    use futures::StreamExt;
    let _ = tokio::time::timeout(Duration::from_secs(2), socket.next())
        .await
        .expect("socket closed");
    assert!(
        tokio::net::TcpStream::connect(addr).await.is_err(),
        "no longer listening"
    );
}
