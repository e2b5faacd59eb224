//! Eligibility and magic-link lifetimes.

use std::time::{Duration, Instant};

use cardscan_sandbox::SandboxConfig;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::common::{send, Env};
use crate::spec::check;

fn request(card_id: &str, first: &str, last: &str) -> Value {
    json!({
        "card_id": card_id,
        "eligibility": {
            "provider": { "npi": "1234567893", "organization_name": "Northside Clinic" },
            "subscriber": { "first_name": first, "last_name": last, "date_of_birth": "19800101" }
        }
    })
}

async fn wait_eligibility(env: &Env, id: &str) -> Value {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let (status, record) = send(env.key_req(Method::GET, &format!("/eligibility/{id}"))).await;
        assert_eq!(status, StatusCode::OK);
        if record["state"] != "processing" {
            return record;
        }
        assert!(Instant::now() < deadline);
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

#[tokio::test]
async fn matching_subscriber_completes_with_a_summary() {
    let env = Env::start().await;
    let card = env.completed_card().await;
    let (status, created) = send(env.key_req(Method::POST, "/eligibility").json(&request(
        &card,
        "Emily",
        "Dickinson",
    )))
    .await;
    assert_eq!(status, StatusCode::CREATED);
    check("/eligibility", "post", 201, &created);
    assert_eq!(created["state"], "processing");
    let id = created["eligibility_id"].as_str().unwrap();
    let done = wait_eligibility(&env, id).await;
    check("/eligibility/{eligibility_id}", "get", 200, &done);
    assert_eq!(done["state"], "completed");
    let summary = &done["eligibility_summarized_response"];
    assert_eq!(
        summary["coverage_summary"]["individual_deductible_in_network"]["total_amount"],
        "$250"
    );
    assert_eq!(summary["plan_details"]["plan_active"], true);
    assert_eq!(
        done["eligibility_request"]["subscriber"]["member_id"],
        "128845682"
    );
}

#[tokio::test]
async fn other_subscriber_ends_in_error() {
    let env = Env::start().await;
    let card = env.completed_card().await;
    let (_, created) = send(
        env.key_req(Method::POST, "/eligibility")
            .json(&request(&card, "John", "Keats")),
    )
    .await;
    let done = wait_eligibility(&env, created["eligibility_id"].as_str().unwrap()).await;
    check("/eligibility/{eligibility_id}", "get", 200, &done);
    assert_eq!(done["state"], "error");
    assert_eq!(done["error"]["code"], "75");
}

#[tokio::test]
async fn eligibility_validates_its_input_and_needs_a_completed_card() {
    let env = Env::start().await;
    let card = env.completed_card().await;
    let pending = env.create_card(&env.key(), json!({})).await["card_id"]
        .as_str()
        .unwrap()
        .to_string();
    let mut bad_npi = request(&card, "Emily", "Dickinson");
    bad_npi["eligibility"]["provider"]["npi"] = json!("1234567890");
    let mut no_provider_name = request(&card, "Emily", "Dickinson");
    no_provider_name["eligibility"]["provider"] = json!({ "npi": "1234567893" });
    let mut bad_dob = request(&card, "Emily", "Dickinson");
    bad_dob["eligibility"]["subscriber"]["date_of_birth"] = json!("1980-02-30");
    let mut no_subscriber = request(&card, "Emily", "Dickinson");
    no_subscriber["eligibility"]
        .as_object_mut()
        .unwrap()
        .remove("subscriber");
    for body in [
        bad_npi,
        no_provider_name,
        bad_dob,
        no_subscriber,
        request(&pending, "Emily", "Dickinson"),
    ] {
        let (status, err) = send(env.key_req(Method::POST, "/eligibility").json(&body)).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        check("/eligibility", "post", 400, &err);
    }
    let unknown = request(&uuid::Uuid::new_v4().to_string(), "Emily", "Dickinson");
    let (status, err) = send(env.key_req(Method::POST, "/eligibility").json(&unknown)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    check("/eligibility", "post", 404, &err);
    let (status, _) = send(env.key_req(
        Method::GET,
        &format!("/eligibility/{}", uuid::Uuid::new_v4()),
    ))
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn eligibility_list_pages_with_limit_up_to_30() {
    let env = Env::start().await;
    let card = env.completed_card().await;
    for _ in 0..3 {
        send(
            env.key_req(Method::POST, "/eligibility")
                .json(&request(&card, "Emily", "Dickinson")),
        )
        .await;
    }
    let (status, page) = send(env.key_req(Method::GET, "/eligibility?limit=2")).await;
    assert_eq!(status, StatusCode::OK);
    check("/eligibility", "get", 200, &page);
    assert_eq!(page["eligibility_requests"].as_array().unwrap().len(), 2);
    let cursor = page["response_metadata"]["next_cursor"].as_str().unwrap();
    let (_, rest) = send(env.key_req(
        Method::GET,
        &format!("/eligibility?limit=2&cursor={cursor}"),
    ))
    .await;
    assert_eq!(rest["eligibility_requests"].as_array().unwrap().len(), 1);
    assert!(rest["response_metadata"].get("next_cursor").is_none());
    assert_eq!(
        send(env.key_req(Method::GET, "/eligibility?limit=31"))
            .await
            .0,
        StatusCode::BAD_REQUEST
    );
}

#[tokio::test]
async fn magic_links_expire_and_unknown_ones_are_404() {
    let env = Env::with(SandboxConfig {
        magic_link_ttl: Duration::from_millis(300),
        ..SandboxConfig::fast()
    })
    .await;
    let token = env.token("u").await["Token"].as_str().unwrap().to_string();
    let (_, link) = send(env.req(Method::GET, "/generate-magic-link", &token)).await;
    let magic = link["token"].as_str().unwrap();
    assert!(link["magic_link"].as_str().unwrap().contains(magic));
    tokio::time::sleep(Duration::from_millis(400)).await;
    let (status, body) = send(
        env.http
            .get(env.url(&format!("/validate-magic-link?token={magic}"))),
    )
    .await;
    assert_eq!(status, StatusCode::GONE);
    check("/validate-magic-link", "get", 410, &body);
    let (status, body) = send(
        env.http
            .get(env.url("/validate-magic-link?token=ml_unknown")),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    check("/validate-magic-link", "get", 404, &body);
    let (status, body) = send(env.http.get(env.url("/validate-magic-link"))).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    check("/validate-magic-link", "get", 400, &body);
}
