//! API keys, session tokens, scoping and token expiry.

use std::time::Duration;

use cardscan_sandbox::{Sandbox, SandboxConfig};
use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::common::{jwt_claims, send, Env};
use crate::spec::check;

#[tokio::test]
async fn unknown_key_gets_the_real_401_body() {
    let env = Env::start().await;
    let (status, body) = send(env.req(Method::GET, "/cards", "sk_test_not_registered")).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        body,
        json!({"message":"API Key is not registered","type":"Unauthorized","code":401})
    );
    check("/cards", "get", 401, &body);
    let (status, _) = send(env.http.get(env.url("/cards"))).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "no Authorization header");
}

#[tokio::test]
async fn access_token_is_a_signed_jwt_with_session_and_user() {
    let env = Env::start().await;
    let body = env.token("user-1").await;
    check("/access-token", "get", 200, &body);
    let token = body["Token"].as_str().unwrap();
    let claims = jwt_claims(token);
    assert_eq!(claims["user_id"], "user-1");
    assert_eq!(claims["sub"], "user-1");
    assert_eq!(claims["session_id"], body["session_id"]);
    let (iat, exp) = (
        claims["iat"].as_i64().unwrap(),
        claims["exp"].as_i64().unwrap(),
    );
    assert_eq!(exp - iat, 3600);
    assert!(body["IdentityId"]
        .as_str()
        .unwrap()
        .starts_with("us-east-1:"));
    // The same user keeps the same identity across sessions.
    let again = env.token("user-1").await;
    assert_eq!(again["IdentityId"], body["IdentityId"]);
    assert_ne!(again["session_id"], body["session_id"]);
    let (status, _) = send(env.req(Method::GET, "/cards", token)).await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn forged_tampered_and_foreign_tokens_are_refused() {
    let env = Env::start().await;
    let other = Sandbox::start(SandboxConfig::fast()).await.unwrap();
    let foreign = {
        let http = reqwest::Client::new();
        let url = format!("{}/access-token?user_id=u", other.base_url());
        let body: serde_json::Value = http
            .get(url)
            .bearer_auth(other.api_key())
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        body["Token"].as_str().unwrap().to_string()
    };
    let (status, body) = send(env.req(Method::GET, "/cards", &foreign)).await;
    assert_eq!(
        (status, body["message"].as_str()),
        (StatusCode::UNAUTHORIZED, Some("Invalid token"))
    );
    let token = env.token("u").await["Token"].as_str().unwrap().to_string();
    let mut parts: Vec<String> = token.split('.').map(str::to_string).collect();
    let mut claims = jwt_claims(&token);
    claims["sub"] = json!("someone-else");
    use base64::Engine;
    parts[1] = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(claims.to_string());
    let (status, _) = send(env.req(Method::GET, "/cards", &parts.join("."))).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    other.shutdown().await;
}

#[tokio::test]
async fn session_tokens_see_only_their_users_cards() {
    let env = Env::start().await;
    let alice = env.token("alice").await["Token"]
        .as_str()
        .unwrap()
        .to_string();
    let bob = env.token("bob").await["Token"]
        .as_str()
        .unwrap()
        .to_string();
    let card = env.create_card(&alice, json!({})).await;
    let id = card["card_id"].as_str().unwrap();
    let (status, body) = send(env.req(Method::GET, &format!("/cards/{id}"), &bob)).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    check("/cards/{card_id}", "get", 403, &body);
    let (status, _) = send(env.key_req(Method::GET, &format!("/cards/{id}"))).await;
    assert_eq!(
        status,
        StatusCode::OK,
        "the API key sees the account's cards"
    );
    // A later session of the same user still sees the card.
    let alice_again = env.token("alice").await["Token"]
        .as_str()
        .unwrap()
        .to_string();
    let (status, list) = send(env.req(Method::GET, "/cards", &alice_again)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(list["cards"].as_array().unwrap().len(), 1);
    let (status, list) = send(env.req(Method::GET, "/cards", &bob)).await;
    assert_eq!(
        (status, list["cards"].as_array().unwrap().len()),
        (StatusCode::OK, 0)
    );
    // Tokens cannot mint tokens.
    let (status, _) = send(env.req(Method::GET, "/access-token?user_id=x", &alice)).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn expire_now_turns_every_issued_token_into_401_and_new_ones_work() {
    let env = Env::start().await;
    let old = env.token("u").await["Token"].as_str().unwrap().to_string();
    env.sandbox.faults().expire_tokens_now();
    let (status, body) = send(env.req(Method::GET, "/cards", &old)).await;
    assert_eq!(
        (status, body["message"].as_str()),
        (StatusCode::UNAUTHORIZED, Some("Token has expired"))
    );
    let fresh = env.token("u").await["Token"].as_str().unwrap().to_string();
    let (status, _) = send(env.req(Method::GET, "/cards", &fresh)).await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = send(env.key_req(Method::GET, "/cards")).await;
    assert_eq!(status, StatusCode::OK, "API keys never expire");
}

#[tokio::test]
async fn tokens_expire_after_the_configured_lifetime() {
    let env = Env::with(SandboxConfig {
        token_ttl: Duration::from_secs(1),
        ..SandboxConfig::fast()
    })
    .await;
    let token = env.token("u").await["Token"].as_str().unwrap().to_string();
    let (status, _) = send(env.req(Method::GET, "/cards", &token)).await;
    assert_eq!(status, StatusCode::OK);
    tokio::time::sleep(Duration::from_millis(2100)).await;
    let (status, body) = send(env.req(Method::GET, "/cards", &token)).await;
    assert_eq!(
        (status, body["message"].as_str()),
        (StatusCode::UNAUTHORIZED, Some("Token has expired"))
    );
}

#[tokio::test]
async fn extra_configured_keys_are_accepted() {
    let config = SandboxConfig {
        api_keys: vec!["sk_test_a".into(), "sk_test_b".into()],
        ..SandboxConfig::fast()
    };
    let env = Env::with(config).await;
    assert_eq!(env.sandbox.api_key(), "sk_test_a");
    for key in ["sk_test_a", "sk_test_b"] {
        assert_eq!(
            send(env.req(Method::GET, "/cards", key)).await.0,
            StatusCode::OK
        );
    }
    let default = cardscan_sandbox::DEFAULT_API_KEY;
    assert_eq!(
        send(env.req(Method::GET, "/cards", default)).await.0,
        StatusCode::UNAUTHORIZED
    );
}
