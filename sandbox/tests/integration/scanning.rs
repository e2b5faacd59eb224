//! The card life: direct uploads, states, rejection, the dummy result,
//! signed image URLs, the legacy upload URL.

use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::common::{card_jpeg, send, Env};
use crate::spec::check;

fn rejected() -> serde_json::Value {
    json!({"type":"RejectedCard","message":"Rejecting scan for invalid card","code":"UKN","error":"RejectedCard"})
}

#[tokio::test]
async fn front_only_card_completes_with_the_dummy_result_then_enriches() {
    let env = Env::start().await;
    let id = env.create_card(&env.key(), json!({})).await["card_id"]
        .as_str()
        .unwrap()
        .to_string();
    let front = card_jpeg(640, 400);
    let (status, upload) = env.upload(&env.key(), &id, "front", front.clone()).await;
    assert_eq!(status, StatusCode::OK);
    check("/cards/{card_id}/upload", "post", 200, &upload);
    assert_eq!(upload["card_id"], id.as_str());
    assert!(upload["metadata"]["ocr_latency"]
        .as_str()
        .unwrap()
        .parse::<u64>()
        .is_ok());
    let (_, now) = send(env.key_req(Method::GET, &format!("/cards/{id}"))).await;
    assert_ne!(
        now["state"], "pending",
        "a front upload starts processing at once"
    );
    let card = env.wait_card(&env.key(), &id, |s| s == "completed").await;
    check("/cards/{card_id}", "get", 200, &card);
    let d = &card["details"];
    assert_eq!(d["member_name"]["value"], "emily dickinson");
    assert_eq!(d["member_number"]["value"], "128845682");
    assert_eq!(d["group_number"]["value"], "98755");
    assert_eq!(d["rx_bin"]["value"], "610279");
    assert_eq!(d["plan_name"]["value"], "unitedhealthcare choice plus");
    assert_eq!(d["dependent_names"][0]["value"], "richard dickinson");
    assert_eq!(d["member_name"]["scores"].as_array().unwrap().len(), 2);
    assert_eq!(
        card["payer_match"],
        json!({"message":"Payer Match is not enabled for this account"})
    );
    assert!(card["images"].get("back").is_none());
    let url = card["images"]["front"]["url"].as_str().unwrap();
    let image = env.http.get(url).send().await.unwrap();
    assert_eq!(image.status(), StatusCode::OK);
    assert_eq!(image.headers()["content-type"], "image/jpeg");
    assert_eq!(image.bytes().await.unwrap().as_ref(), front.as_slice());
    let card = env.wait_card(&env.key(), &id, |s| s == "enriched").await;
    check("/cards/{card_id}", "get", 200, &card);
    assert_eq!(card["enriched_results"]["processed_sides"], "front_only");
}

#[tokio::test]
async fn backside_card_waits_for_its_back_image() {
    let env = Env::start().await;
    let card = env
        .create_card(&env.key(), json!({ "enable_backside_scan": true }))
        .await;
    let id = card["card_id"].as_str().unwrap().to_string();
    env.upload(&env.key(), &id, "front", card_jpeg(640, 400))
        .await;
    env.wait_card(&env.key(), &id, |s| s == "backside_processing")
        .await;
    tokio::time::sleep(std::time::Duration::from_millis(150)).await;
    let (_, still) = send(env.key_req(Method::GET, &format!("/cards/{id}"))).await;
    assert_eq!(
        still["state"], "backside_processing",
        "no back yet, no progress"
    );
    env.upload(&env.key(), &id, "back", card_jpeg(400, 640))
        .await;
    let card = env.wait_card(&env.key(), &id, |s| s == "enriched").await;
    assert!(card["images"]["back"]["url"].as_str().is_some());
    assert_eq!(card["enriched_results"]["processed_sides"], "both");
    // backside.scanning works the same way.
    let card = env
        .create_card(
            &env.key(),
            json!({ "backside": { "scanning": "required" } }),
        )
        .await;
    let id = card["card_id"].as_str().unwrap().to_string();
    env.upload(&env.key(), &id, "front", card_jpeg(640, 400))
        .await;
    env.wait_card(&env.key(), &id, |s| s == "backside_processing")
        .await;
}

#[tokio::test]
async fn small_or_undecodable_images_are_rejected_like_the_real_service() {
    let env = Env::start().await;
    for image in [
        card_jpeg(299, 180),
        card_jpeg(300, 179),
        b"definitely not a jpeg".to_vec(),
        card_jpeg(640, 400)[..2000].to_vec(),
    ] {
        let id = env.create_card(&env.key(), json!({})).await["card_id"]
            .as_str()
            .unwrap()
            .to_string();
        let (status, _) = env.upload(&env.key(), &id, "front", image).await;
        assert_eq!(status, StatusCode::OK, "the upload itself is accepted");
        let card = env
            .wait_card(&env.key(), &id, |s| s != "frontside_processing")
            .await;
        assert_eq!(card["state"], "frontside_failed");
        assert_eq!(card["error"], rejected());
        check("/cards/{card_id}", "get", 200, &card);
        let (status, _) = env
            .upload(&env.key(), &id, "front", card_jpeg(640, 400))
            .await;
        assert_eq!(
            status,
            StatusCode::BAD_REQUEST,
            "a failed card takes no more uploads"
        );
    }
    // Smallest accepted size, portrait.
    let id = env
        .create_card(&env.key(), json!({ "enable_backside_scan": true }))
        .await["card_id"]
        .as_str()
        .unwrap()
        .to_string();
    env.upload(&env.key(), &id, "front", card_jpeg(180, 300))
        .await;
    env.upload(&env.key(), &id, "back", card_jpeg(200, 100))
        .await;
    let card = env
        .wait_card(&env.key(), &id, |s| {
            s == "backside_failed" || s == "completed"
        })
        .await;
    assert_eq!(card["state"], "backside_failed");
    assert_eq!(card["error"], rejected());
}

#[tokio::test]
async fn base64_bodies_are_accepted_as_the_spec_allows() {
    use base64::Engine;
    let env = Env::start().await;
    let id = env.create_card(&env.key(), json!({})).await["card_id"]
        .as_str()
        .unwrap()
        .to_string();
    let b64 = base64::engine::general_purpose::STANDARD.encode(card_jpeg(640, 400));
    let (status, _) = env.upload(&env.key(), &id, "front", b64.into_bytes()).await;
    assert_eq!(status, StatusCode::OK);
    env.wait_card(&env.key(), &id, |s| s == "completed").await;
}

#[tokio::test]
async fn direct_upload_checks_its_parameters() {
    let env = Env::start().await;
    let id = env.create_card(&env.key(), json!({})).await["card_id"]
        .as_str()
        .unwrap()
        .to_string();
    for query in [
        "",
        "?orientation=front",
        "?orientation=side&capture_type=manual",
        "?orientation=front&capture_type=lucky",
    ] {
        let path = format!("/cards/{id}/upload{query}");
        let (status, body) = send(env.key_req(Method::POST, &path).body(card_jpeg(640, 400))).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{query}");
        check("/cards/{card_id}/upload", "post", 400, &body);
    }
    let (status, _) = send(env.key_req(
        Method::POST,
        &format!("/cards/{id}/upload?orientation=front&capture_type=api"),
    ))
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "empty body");
    let (status, body) = env
        .upload(
            &env.key(),
            &uuid::Uuid::new_v4().to_string(),
            "front",
            card_jpeg(640, 400),
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    check("/cards/{card_id}/upload", "post", 404, &body);
}

#[tokio::test]
async fn images_over_the_size_limit_get_413() {
    let config = cardscan_sandbox::SandboxConfig {
        max_upload_bytes: 10_000,
        ..cardscan_sandbox::SandboxConfig::fast()
    };
    let env = Env::with(config).await;
    let id = env.create_card(&env.key(), json!({})).await["card_id"]
        .as_str()
        .unwrap()
        .to_string();
    let big = card_jpeg(1200, 800);
    assert!(big.len() > 10_000);
    let (status, body) = env.upload(&env.key(), &id, "front", big).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(body["code"], 413);
}

#[tokio::test]
async fn image_urls_are_signed() {
    let env = Env::start().await;
    let id = env.completed_card().await;
    let (_, card) = send(env.key_req(Method::GET, &format!("/cards/{id}"))).await;
    let url = card["images"]["front"]["url"].as_str().unwrap().to_string();
    assert!(url.starts_with(&format!("http://{}/_images/", env.sandbox.addr())));
    let tampered = url.replace("front", "back");
    let response = env.http.get(&tampered).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let body = response.text().await.unwrap();
    assert!(
        body.contains("<Code>SignatureDoesNotMatch</Code>"),
        "{body}"
    );
    let unsigned = url.split('?').next().unwrap();
    assert_eq!(
        env.http.get(unsigned).send().await.unwrap().status(),
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn legacy_upload_url_creates_the_card() {
    let env = Env::start().await;
    let (status, body) =
        send(env.key_req(Method::GET, "/generate-upload-url?expiration=300")).await;
    assert_eq!(status, StatusCode::OK);
    check("/generate-upload-url", "get", 200, &body);
    assert_eq!(env.sandbox.stats().cards_created, 1);
    let id = body["card_id"].as_str().unwrap();
    let (status, card) = send(env.key_req(Method::GET, &format!("/cards/{id}"))).await;
    assert_eq!(
        (status, card["state"].as_str()),
        (StatusCode::OK, Some("pending"))
    );
    for bad in [
        "/generate-upload-url",
        "/generate-upload-url?expiration=99",
        "/generate-upload-url?expiration=3601",
    ] {
        let (status, body) = send(env.key_req(Method::GET, bad)).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{bad}");
        check("/generate-upload-url", "get", 400, &body);
    }
}
