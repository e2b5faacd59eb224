//! Reliability against injected faults: token refresh under concurrent 401s,
//! retries under 5xx / 429 / dropped connections, no duplicate cards, timeouts.

mod api_common;

use api_common::*;
use cardscan_core::api::{
    ApiKeyTokenProvider, Auth, Client, CreateCardRequest, PageRequest, Timeouts, TokenProvider,
};
use cardscan_core::error::{Error, Result};
use futures::future::BoxFuture;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// A host token provider that mints tokens with the API key and counts calls.
struct CountingProvider {
    inner: ApiKeyTokenProvider,
    calls: AtomicUsize,
}

impl TokenProvider for CountingProvider {
    fn fetch_token(&self) -> BoxFuture<'_, Result<String>> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        self.inner.fetch_token()
    }
}

#[tokio::test]
async fn one_refresh_under_fifty_concurrent_401s() {
    let sb = sandbox().await;
    let provider = Arc::new(CountingProvider {
        inner: ApiKeyTokenProvider::new(client(&sb), Some("patient-1".into())),
        calls: AtomicUsize::new(0),
    });
    let c = Client::new(config(&sb, Auth::TokenProvider(provider.clone()))).unwrap();
    assert_eq!(
        provider.calls.load(Ordering::SeqCst),
        0,
        "tokens are fetched lazily"
    );
    let card = c.create_card(&CreateCardRequest::default()).await.unwrap();
    assert_eq!(provider.calls.load(Ordering::SeqCst), 1);

    sb.faults().expire_tokens_now();
    let before = sb.stats().requests_for("GET /v1/cards/{card_id}");
    let tasks: Vec<_> = (0..50)
        .map(|_| {
            let c = c.clone();
            let id = card.card_id.clone();
            tokio::spawn(async move { c.get_card(&id).await })
        })
        .collect();
    for t in tasks {
        assert_eq!(t.await.unwrap().unwrap().card_id, card.card_id);
    }
    assert_eq!(
        provider.calls.load(Ordering::SeqCst),
        2,
        "exactly one refresh"
    );
    let sent = sb.stats().requests_for("GET /v1/cards/{card_id}") - before;
    assert!(
        sent > 50 && sent <= 100,
        "each request retried at most once after its 401 ({sent})"
    );
}

#[tokio::test]
async fn a_401_with_an_api_key_is_final() {
    let sb = sandbox().await;
    let c = Client::new(config(
        &sb,
        Auth::ApiKey("sk_test_cardscan_ai_unknown".into()),
    ))
    .unwrap();
    assert!(matches!(
        c.get_card("x").await,
        Err(Error::Unauthorized | Error::Forbidden)
    ));
    assert_eq!(sb.stats().requests_for("GET /v1/cards/{card_id}"), 1);
}

#[tokio::test]
async fn retries_5xx_on_idempotent_requests() {
    let sb = sandbox().await;
    let c = client(&sb);
    let card = c.create_card(&CreateCardRequest::default()).await.unwrap();
    sb.faults().fail_next("GET /v1/cards/{card_id}", 3, 503);
    assert_eq!(
        c.get_card(&card.card_id).await.unwrap().card_id,
        card.card_id
    );
    assert_eq!(
        sb.stats().faults_injected,
        3,
        "three 503s absorbed by retries"
    );

    sb.faults().fail_next("GET /v1/cards", 10, 500);
    assert_eq!(
        c.list_cards(&PageRequest::default()).await.unwrap_err(),
        Error::Server { status: 500 }
    );
    sb.faults().clear();
}

#[tokio::test]
async fn non_idempotent_5xx_is_not_resent() {
    let sb = sandbox().await;
    let c = client(&sb);
    let id = c.upload_card_image(front(), None).await.unwrap();
    c.wait_for_card(&id, WAIT).await.unwrap();
    sb.faults().fail_next("POST /v1/eligibility", 1, 502);
    let info = cardscan_core::api::EligibilityInfo {
        provider: cardscan_core::api::Provider {
            npi: "1234567893".into(),
            organization_name: Some("Clinic".into()),
            ..Default::default()
        },
        subscriber: cardscan_core::api::Subscriber {
            first_name: "Emily".into(),
            last_name: "Dickinson".into(),
            date_of_birth: "19801210".into(),
        },
    };
    let faults_before = sb.stats().faults_injected;
    assert_eq!(
        c.create_eligibility(&id, &info).await.unwrap_err(),
        Error::Server { status: 502 }
    );
    assert_eq!(sb.stats().faults_injected - faults_before, 1);
    assert_eq!(
        sb.stats().requests_for("POST /v1/eligibility"),
        0,
        "not resent after the 502"
    );
}

#[tokio::test]
async fn honours_retry_after_on_429() {
    let sb = sandbox().await;
    let c = client(&sb);
    sb.faults()
        .rate_limit_next("POST /v1/cards", 1, Duration::from_secs(1));
    let started = Instant::now();
    c.create_card(&CreateCardRequest::default()).await.unwrap();
    assert!(
        started.elapsed() >= Duration::from_millis(950),
        "waited {:?}",
        started.elapsed()
    );
    assert_eq!(sb.stats().cards_created, 1);
}

#[tokio::test]
async fn upload_survives_faults_without_a_duplicate_card() {
    let sb = sandbox().await;
    let c = client(&sb);
    // The server creates the card, then the connection drops before the answer.
    sb.faults().drop_after_next("POST /v1/cards", 1);
    // The first upload attempt never reaches the handler; the next fails with 503.
    sb.faults().drop_next("POST /v1/cards/{card_id}/upload", 1);
    sb.faults()
        .fail_next("POST /v1/cards/{card_id}/upload", 1, 503);
    sb.faults()
        .fail_next("POST /v1/scans/{scan_id}/metadata", 1, 500);
    let id = c.upload_card_image(front(), Some(back())).await.unwrap();
    assert!(c.wait_for_card(&id, WAIT).await.unwrap().state.is_success());
    assert_eq!(sb.stats().faults_injected, 4, "every injected fault fired");
    assert_eq!(
        sb.stats().cards_created,
        1,
        "one card despite the lost answer"
    );
    let all = c.list_cards(&PageRequest::default()).await.unwrap();
    assert_eq!(all.cards.len(), 1);
    assert_eq!(all.cards[0].card_id, id);

    // A 5xx on creation (before or after acting) never duplicates either.
    sb.faults().fail_next("POST /v1/cards", 2, 503);
    c.upload_card_image(front(), None).await.unwrap();
    assert_eq!(sb.stats().cards_created, 2);
}

#[tokio::test]
async fn presigned_upload_retries_after_dropped_connection() {
    let sb = sandbox().await;
    let c = client(&sb);
    sb.faults().drop_after_next("POST /_s3/*", 1);
    sb.faults()
        .fail_next("POST /v1/cards/{card_id}/generate-upload-url", 1, 503);
    let options = cardscan_core::upload::UploadOptions {
        method: cardscan_core::upload::UploadMethod::PresignedPost,
        ..Default::default()
    };
    let id = c
        .upload_card_image_with(front(), None, &options)
        .await
        .unwrap();
    assert!(c.wait_for_card(&id, WAIT).await.unwrap().state.is_success());
    assert_eq!(sb.stats().cards_created, 1);
}

#[tokio::test]
async fn total_and_read_timeouts() {
    let sb = sandbox().await;
    let mut cfg = config(&sb, Auth::ApiKey(sb.api_key().into()));
    cfg.timeouts = Timeouts {
        connect: Duration::from_secs(1),
        read: Duration::from_secs(5),
        total: Duration::from_millis(300),
    };
    let c = Client::new(cfg).unwrap();
    sb.faults()
        .add_latency("GET /v1/cards", Duration::from_secs(2));
    let started = Instant::now();
    assert_eq!(
        c.list_cards(&PageRequest::default()).await.unwrap_err(),
        Error::Timeout
    );
    assert!(started.elapsed() < Duration::from_secs(1));

    let mut cfg = config(&sb, Auth::ApiKey(sb.api_key().into()));
    cfg.timeouts.read = Duration::from_millis(300);
    cfg.retry.max_retries = 1;
    let c = Client::new(cfg).unwrap();
    let faults_before = sb.stats().faults_injected;
    let started = Instant::now();
    assert_eq!(
        c.list_cards(&PageRequest::default()).await.unwrap_err(),
        Error::Timeout
    );
    assert_eq!(
        sb.stats().faults_injected - faults_before,
        2,
        "a read timeout of a GET is retried"
    );
    assert!(started.elapsed() < Duration::from_millis(1500));
}
