//! Every operation of the CardScan API against the real sandbox over loopback.

mod api_common;

use api_common::*;
use cardscan_core::api::{
    Auth, CaptureType, CardState, Client, CreateCardRequest, EligibilityInfo, EligibilityState,
    FlagRequest, FlagType, Orientation, PageRequest, Provider, Subscriber,
};
use cardscan_core::error::Error;
use cardscan_core::handoff::HandoffLink;
use cardscan_core::upload::{UploadMethod, UploadOptions};
use cardscan_sandbox::SandboxConfig;
use std::time::Duration;

fn eligibility_request(first: &str) -> EligibilityInfo {
    EligibilityInfo {
        provider: Provider {
            npi: "1234567893".into(),
            organization_name: Some("Local Clinic".into()),
            ..Default::default()
        },
        subscriber: Subscriber {
            first_name: first.into(),
            last_name: "Dickinson".into(),
            date_of_birth: "12/10/1980".into(),
        },
    }
}

#[tokio::test]
async fn access_token_is_pascal_case_and_usable() {
    let sb = sandbox().await;
    let c = client(&sb);
    let t = c.access_token(Some("user-42")).await.unwrap();
    assert!(!t.token.expose().is_empty());
    assert!(!t.identity_id.is_empty());
    assert!(t.session_id.is_some());
    assert!(
        !format!("{t:?}").contains(t.token.expose()),
        "Debug redacts the token"
    );
    let session = Client::new(config(&sb, Auth::SessionToken(t.token.clone()))).unwrap();
    let card = session
        .create_card(&CreateCardRequest::default())
        .await
        .unwrap();
    assert_eq!(card.state, CardState::Pending);
}

#[tokio::test]
async fn card_crud_pagination_search_and_flag() {
    let sb = sandbox().await;
    let c = client(&sb);
    let mut ids = Vec::new();
    for _ in 0..3 {
        let card = c.create_card(&CreateCardRequest::default()).await.unwrap();
        assert_eq!(card.state, CardState::Pending);
        assert!(card.created_at.datetime().is_some());
        ids.push(card.card_id);
    }
    let got = c.get_card(&ids[0]).await.unwrap();
    assert_eq!(got.card_id, ids[0]);

    let first = c
        .list_cards(&PageRequest {
            limit: Some(2),
            cursor: None,
        })
        .await
        .unwrap();
    assert_eq!(first.cards.len(), 2);
    let cursor = first
        .response_metadata
        .next_cursor
        .clone()
        .expect("more cards exist");
    let second = c
        .list_cards(&PageRequest {
            limit: Some(2),
            cursor: Some(cursor),
        })
        .await
        .unwrap();
    assert_eq!(second.cards.len(), 1);
    assert!(second.response_metadata.next_cursor.is_none());
    let mut listed: Vec<_> = first
        .cards
        .iter()
        .chain(&second.cards)
        .map(|c| c.card_id.clone())
        .collect();
    listed.sort();
    let mut expected = ids.clone();
    expected.sort();
    assert_eq!(listed, expected);

    let found = c
        .search_cards(&ids[1], &PageRequest::default())
        .await
        .unwrap();
    assert_eq!(
        found
            .cards
            .iter()
            .map(|c| c.card_id.as_str())
            .collect::<Vec<_>>(),
        vec![ids[1].as_str()]
    );

    let flag = FlagRequest {
        flag_type: FlagType::IncorrectElements,
        message: Some("group number".into()),
    };
    c.flag_card(&ids[2], &flag).await.unwrap();

    c.delete_card(&ids[0]).await.unwrap();
    match c.get_card(&ids[0]).await {
        Err(Error::NotFound) => {}
        Ok(card) => assert!(card.deleted),
        Err(e) => panic!("unexpected {e:?}"),
    }
}

async fn upload_and_wait(
    c: &Client,
    method: UploadMethod,
    with_back: bool,
) -> cardscan_core::api::Card {
    let options = UploadOptions {
        method,
        ..Default::default()
    };
    let back = with_back.then(back);
    let id = c
        .upload_card_image_with(front(), back, &options)
        .await
        .unwrap();
    let card = c.wait_for_card(&id, WAIT).await.unwrap();
    assert_eq!(card.card_id, id);
    card
}

#[tokio::test]
async fn upload_card_image_every_method() {
    let sb = sandbox().await;
    let c = client(&sb);
    for (method, with_back) in [
        (UploadMethod::Direct, true),
        (UploadMethod::PresignedPost, true),
        (UploadMethod::Legacy, false),
    ] {
        let card = upload_and_wait(&c, method, with_back).await;
        assert!(card.state.is_success(), "{method:?}: {:?}", card.state);
        let details = card.details.expect("a completed card has details");
        let member = details.member_number.expect("member number");
        assert_eq!(member.value, "128845682");
        assert_eq!(member.scores.len(), 2);
        assert!(member.scores_f64().iter().all(|s| (0.0..=1.0).contains(s)));
        let images = card.images.expect("images");
        assert!(images.front.and_then(|f| f.url).is_some());
        assert_eq!(
            images.back.and_then(|b| b.url).is_some(),
            with_back,
            "{method:?}"
        );
    }
    assert!(matches!(
        c.upload_card_image_with(
            front(),
            Some(back()),
            &UploadOptions {
                method: UploadMethod::Legacy,
                ..Default::default()
            }
        )
        .await,
        Err(Error::InvalidInput { .. })
    ));
}

#[tokio::test]
async fn raw_upload_operations() {
    let sb = sandbox().await;
    let c = client(&sb);
    let card = c.create_card(&CreateCardRequest::default()).await.unwrap();
    let up = c
        .direct_upload(
            &card.card_id,
            Orientation::Front,
            CaptureType::Manual,
            front().into(),
        )
        .await
        .unwrap();
    assert_eq!(up.card_id, card.card_id);
    c.set_scan_metadata(
        &up.scan_id,
        &serde_json::json!({"captureType": "manual", "mlThreshold": 0.5}),
    )
    .await
    .unwrap();
    c.card_performance(
        &card.card_id,
        &serde_json::json!({"scores": [0.9], "device": "test"}),
    )
    .await
    .unwrap();

    let card2 = c.create_card(&CreateCardRequest::default()).await.unwrap();
    let target = c
        .generate_card_upload_url(
            &card2.card_id,
            Orientation::Front,
            Some(CaptureType::Api),
            None,
            Some(300),
        )
        .await
        .unwrap();
    assert_eq!(target.card_id, card2.card_id);
    assert!(target.upload_parameters.iter().any(|(k, _)| k == "policy"));
    c.presigned_post(&target, front().into()).await.unwrap();
    c.presigned_post(&target, front().into())
        .await
        .expect("re-posting a valid form overwrites");
    assert!(c
        .wait_for_card(&card2.card_id, WAIT)
        .await
        .unwrap()
        .state
        .is_success());

    let legacy = c.generate_upload_url(200).await.unwrap();
    assert_eq!(
        c.get_card(&legacy.card_id).await.unwrap().state,
        CardState::Pending
    );
    assert!(matches!(
        c.generate_upload_url(5).await,
        Err(Error::InvalidInput { .. })
    ));
}

#[tokio::test]
async fn presigned_post_errors_are_decoded_from_s3_xml() {
    let sb = sandbox_with(SandboxConfig {
        upload_policy_ttl: Some(Duration::from_millis(1)),
        ..SandboxConfig::fast()
    })
    .await;
    let c = client(&sb);
    let card = c.create_card(&CreateCardRequest::default()).await.unwrap();
    let target = c
        .generate_card_upload_url(&card.card_id, Orientation::Front, None, None, None)
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(1100)).await;
    match c.presigned_post(&target, front().into()).await {
        Err(Error::Storage { code, .. }) => assert_eq!(code, "AccessDenied"),
        other => panic!("expected a storage error, got {other:?}"),
    }
}

#[tokio::test]
async fn eligibility_create_get_list_and_check() {
    let sb = sandbox().await;
    let c = client(&sb);
    let id = c.upload_card_image(front(), None).await.unwrap();
    c.wait_for_card(&id, WAIT).await.unwrap();

    let record = c
        .check_eligibility(&id, &eligibility_request("Emily"), WAIT)
        .await
        .unwrap();
    assert_eq!(record.state, EligibilityState::Completed);
    assert!(record.eligibility_summarized_response.is_some());

    let raw = c
        .create_eligibility(
            &id,
            &cardscan_core::eligibility::validate(&eligibility_request("Emily")).unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(raw.state, EligibilityState::Processing);
    assert_eq!(
        c.get_eligibility(&raw.eligibility_id)
            .await
            .unwrap()
            .card_id,
        id
    );
    let page = c
        .list_eligibility(&PageRequest {
            limit: Some(30),
            cursor: None,
        })
        .await
        .unwrap();
    assert_eq!(page.eligibility_requests.len(), 2);

    match c
        .check_eligibility(&id, &eligibility_request("Somebody"), WAIT)
        .await
    {
        Err(Error::CardFailed { state, .. }) => assert_eq!(state, "error"),
        other => panic!("a subscriber not on the card fails: {other:?}"),
    }
}

#[tokio::test]
async fn bad_input_is_refused_before_sending() {
    let sb = sandbox().await;
    let c = client(&sb);
    let mut bad = eligibility_request("Emily");
    bad.provider.npi = "1234567890".into();
    let err = c.check_eligibility("any", &bad, WAIT).await.unwrap_err();
    assert_eq!(
        err,
        Error::InvalidInput {
            field: "provider.npi".into(),
            reason: "fails the NPI check digit (Luhn with prefix 80840)".into()
        }
    );
    let mut bad = eligibility_request("Emily");
    bad.subscriber.date_of_birth = "02/30/1980".into();
    assert!(
        matches!(c.check_eligibility("any", &bad, WAIT).await, Err(Error::InvalidInput { field, .. }) if field == "subscriber.date_of_birth")
    );
    assert!(matches!(
        c.upload_card_image(b"not a jpeg".to_vec(), None).await,
        Err(Error::InvalidInput { .. })
    ));
    assert!(matches!(
        c.search_cards(" ", &PageRequest::default()).await,
        Err(Error::InvalidInput { .. })
    ));
    assert_eq!(sb.stats().eligibility_created, 0);
    assert_eq!(sb.stats().cards_created, 0);

    assert_eq!(
        c.get_card("00000000-0000-4000-8000-000000000000")
            .await
            .unwrap_err(),
        Error::NotFound
    );
    assert!(matches!(
        c.get_card("not-a-uuid").await,
        Err(Error::BadRequest { .. } | Error::NotFound)
    ));
    let wrong_key = Client::new(config(
        &sb,
        Auth::ApiKey("sk_test_cardscan_ai_wrong".into()),
    ))
    .unwrap();
    assert!(matches!(
        wrong_key.list_cards(&PageRequest::default()).await,
        Err(Error::Unauthorized | Error::Forbidden)
    ));
    assert!(matches!(
        c.list_cards(&PageRequest {
            limit: Some(5000),
            cursor: None
        })
        .await,
        Err(Error::BadRequest { .. })
    ));
}

#[tokio::test]
async fn magic_link_handoff_and_expiry() {
    let sb = sandbox().await;
    let desktop = client(&sb);
    let (link, url) = desktop
        .generate_handoff(
            Some("Acme Health"),
            true,
            Some("https://capture.example.com"),
        )
        .await
        .unwrap();
    let scanned = HandoffLink::parse(&url).unwrap();
    assert_eq!(scanned, link);
    assert!(scanned.backside_support);

    let phone_token = desktop.accept_handoff(&scanned).await.unwrap();
    let phone = Client::new(config(&sb, Auth::SessionToken(phone_token.token))).unwrap();
    let id = phone
        .upload_card_image(front(), Some(back()))
        .await
        .unwrap();
    assert!(phone
        .wait_for_card(&id, WAIT)
        .await
        .unwrap()
        .state
        .is_success());

    assert_eq!(
        desktop
            .validate_magic_link("no-such-link")
            .await
            .unwrap_err(),
        Error::NotFound
    );

    let short = sandbox_with(SandboxConfig {
        magic_link_ttl: Duration::from_millis(200),
        ..SandboxConfig::fast()
    })
    .await;
    let c = client(&short);
    let magic = c.generate_magic_link().await.unwrap();
    assert!(magic.expires_at.datetime().is_some());
    tokio::time::sleep(Duration::from_millis(400)).await;
    assert_eq!(
        c.validate_magic_link(magic.token.expose())
            .await
            .unwrap_err(),
        Error::Gone
    );
}
