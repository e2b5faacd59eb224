//! The scenarios of the Kotlin and Swift suites, through the exported Rust
//! API of cardscan-ffi (exactly what UniFFI wraps), against an in-process
//! sandbox over loopback.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use cardscan_ffi::*;
use cardscan_sandbox::{Sandbox, SandboxConfig};
use cardscan_synth::{sample, Side};

fn config(sb: &Sandbox, credentials: Credentials, max_retries: u32) -> ClientConfig {
    ClientConfig {
        environment: Environment::Custom {
            base_url: sb.base_url(),
            ws_url: sb.ws_url(),
        },
        credentials,
        connect_timeout_ms: 5_000,
        read_timeout_ms: 10_000,
        request_timeout_ms: 30_000,
        max_retries,
    }
}

fn key(sb: &Sandbox) -> Credentials {
    Credentials::ApiKey {
        key: sb.api_key().to_string(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn upload_wait_get_list() {
    let sb = Sandbox::start(SandboxConfig::fast()).await.unwrap();
    let client = CardScanClient::new(config(&sb, key(&sb), 4)).unwrap();
    let front = sample::card_jpeg(Side::Front, 3);
    let back = sample::card_jpeg(Side::Back, 3);
    let id = client.upload_card_image(front, Some(back)).await.unwrap();
    let card = client.wait_for_card(id.clone(), 30_000).await.unwrap();
    assert!(
        matches!(card.state, CardState::Completed | CardState::Enriched),
        "{:?}",
        card.state
    );
    assert!(card
        .details
        .iter()
        .any(|f| f.name == "member_number" && !f.value.is_empty()));
    assert_eq!(client.get_card(id.clone()).await.unwrap().card_id, id);
    let page = client.list_cards(Some(100), None).await.unwrap();
    assert!(page.cards.iter().any(|c| c.card_id == id));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn typed_errors_for_bad_key_unknown_card_and_dropped_connection() {
    let sb = Sandbox::start(SandboxConfig::fast()).await.unwrap();
    let bad = CardScanClient::new(config(
        &sb,
        Credentials::ApiKey {
            key: "sk_test_wrong".into(),
        },
        4,
    ))
    .unwrap();
    assert!(matches!(
        bad.list_cards(Some(1), None).await,
        Err(CardScanError::Unauthorized { .. })
    ));
    let client = CardScanClient::new(config(&sb, key(&sb), 1)).unwrap();
    let unknown = "00000000-0000-4000-8000-000000000000".to_string();
    assert!(matches!(
        client.get_card(unknown.clone()).await,
        Err(CardScanError::NotFound { .. })
    ));
    sb.faults().drop_next("GET /v1/cards/{card_id}", 10);
    assert!(matches!(
        client.get_card(unknown).await,
        Err(CardScanError::Network { .. })
    ));
    assert!(matches!(
        client.wait_for_card(String::new(), 0).await,
        Err(CardScanError::InvalidInput { .. })
    ));
}

struct Tokens {
    base_url: String,
    key: String,
    calls: AtomicUsize,
}

#[async_trait::async_trait]
impl TokenProvider for Tokens {
    async fn fetch_token(&self) -> Result<String, CardScanError> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        // What an app's backend does: GET /access-token with the API key, for
        // one stable user id (so every token it mints sees that user's cards).
        let backend = cardscan_core::api::Client::with_api_key(
            &self.base_url,
            "ws://127.0.0.1:1/ws",
            &self.key,
        )
        .map_err(|e| CardScanError::Config {
            reason: e.to_string(),
        })?;
        let token = backend
            .access_token(Some("ffi-test-user"))
            .await
            .map_err(|e| CardScanError::Config {
                reason: e.to_string(),
            })?;
        Ok(token.token.expose().to_string())
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn token_provider_is_lazy_and_refreshed_once_on_401() {
    let sb = Sandbox::start(SandboxConfig::fast()).await.unwrap();
    let provider = Arc::new(Tokens {
        base_url: sb.base_url(),
        key: sb.api_key().into(),
        calls: AtomicUsize::new(0),
    });
    let client = CardScanClient::new(config(
        &sb,
        Credentials::Provider {
            provider: provider.clone(),
        },
        4,
    ))
    .unwrap();
    assert_eq!(provider.calls.load(Ordering::SeqCst), 0);
    let id = client
        .upload_card_image(sample::card_jpeg(Side::Front, 4), None)
        .await
        .unwrap();
    client.get_card(id.clone()).await.unwrap();
    assert_eq!(provider.calls.load(Ordering::SeqCst), 1);
    sb.faults().expire_tokens_now();
    client.get_card(id).await.unwrap();
    assert_eq!(provider.calls.load(Ordering::SeqCst), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dropping_a_waiting_call_cancels_it_and_the_client_still_works() {
    let sb = Sandbox::start(SandboxConfig::fast()).await.unwrap();
    let client = CardScanClient::new(config(&sb, key(&sb), 4)).unwrap();
    let id = client
        .upload_card_image(sample::card_jpeg(Side::Front, 5), None)
        .await
        .unwrap();
    sb.faults()
        .add_latency("GET /v1/cards/{card_id}", Duration::from_secs(30));
    let waited = tokio::time::timeout(
        Duration::from_millis(500),
        client.wait_for_card(id.clone(), 60_000),
    )
    .await;
    assert!(waited.is_err(), "waitForCard should still be waiting");
    sb.faults().clear();
    let t0 = Instant::now();
    assert_eq!(client.get_card(id.clone()).await.unwrap().card_id, id);
    assert!(
        t0.elapsed() < Duration::from_secs(5),
        "the client is still busy with the dropped call"
    );
}

#[test]
fn handoff_links_round_trip_and_reject_garbage() {
    let url = HandoffLink::new("tok".into(), Some("Acme".into()), true)
        .build("https://capture.example.com".into())
        .unwrap();
    let link = HandoffLink::parse(url).unwrap();
    assert_eq!(
        (link.token(), link.company_name(), link.backside_support()),
        ("tok".into(), Some("Acme".into()), true)
    );
    assert!(matches!(
        HandoffLink::parse("nope".into()),
        Err(CardScanError::InvalidInput { .. })
    ));
}
