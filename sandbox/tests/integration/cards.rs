//! Card CRUD, pagination, search, flags, performance and scan metadata.

use std::collections::HashSet;

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::common::{send, Env};
use crate::spec::check;

#[tokio::test]
async fn create_returns_201_with_a_pending_card_and_keeps_metadata() {
    let env = Env::start().await;
    let meta = json!({ "patient_ref": "abc", "nested": { "n": 1 } });
    let (status, card) = send(
        env.key_req(Method::POST, "/cards")
            .json(&json!({ "metadata": meta })),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    check("/cards", "post", 201, &card);
    assert_eq!(card["state"], "pending");
    assert_eq!(card["deleted"], false);
    assert_eq!(card["metadata"], meta);
    let keys: HashSet<&str> = card
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        HashSet::from(["card_id", "state", "created_at", "deleted", "metadata"])
    );
    let created = card["created_at"].as_str().unwrap();
    assert!(
        chrono::DateTime::parse_from_str(created, "%Y-%m-%d %H:%M:%S%.6f%:z").is_ok(),
        "{created}"
    );
    let (status, got) = send(env.key_req(
        Method::GET,
        &format!("/cards/{}", card["card_id"].as_str().unwrap()),
    ))
    .await;
    assert_eq!(status, StatusCode::OK);
    check("/cards/{card_id}", "get", 200, &got);
    assert_eq!(got, card);
    // An empty body is a card with defaults.
    let (status, _) = send(env.key_req(Method::POST, "/cards")).await;
    assert_eq!(status, StatusCode::CREATED);
}

#[tokio::test]
async fn bad_bodies_and_ids_get_400_and_404() {
    let env = Env::start().await;
    let (status, body) = send(env.key_req(Method::POST, "/cards").body("{not json")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    check("/cards", "post", 400, &body);
    let scanning = json!({ "backside": { "scanning": "sometimes" } });
    assert_eq!(
        send(env.key_req(Method::POST, "/cards").json(&scanning))
            .await
            .0,
        StatusCode::BAD_REQUEST
    );
    let (status, body) =
        send(env.key_req(Method::GET, &format!("/cards/{}", uuid::Uuid::new_v4()))).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    check("/cards/{card_id}", "get", 404, &body);
    assert_eq!(
        send(env.key_req(Method::GET, "/cards/not-a-uuid")).await.0,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn list_pages_through_every_card_newest_first() {
    let env = Env::start().await;
    let mut created = Vec::new();
    for _ in 0..5 {
        created.push(
            env.create_card(&env.key(), json!({})).await["card_id"]
                .as_str()
                .unwrap()
                .to_string(),
        );
    }
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    let mut pages = 0;
    loop {
        let path = match &cursor {
            Some(c) => format!("/cards?limit=2&cursor={c}"),
            None => "/cards?limit=2".to_string(),
        };
        let (status, page) = send(env.key_req(Method::GET, &path)).await;
        assert_eq!(status, StatusCode::OK);
        check("/cards", "get", 200, &page);
        pages += 1;
        seen.extend(
            page["cards"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c["card_id"].as_str().unwrap().to_string()),
        );
        match page["response_metadata"]
            .get("next_cursor")
            .and_then(Value::as_str)
        {
            Some(c) => cursor = Some(c.to_string()),
            None => break,
        }
    }
    assert_eq!(pages, 3);
    created.reverse();
    assert_eq!(seen, created);
    for bad in [
        "/cards?limit=201",
        "/cards?limit=0",
        "/cards?limit=x",
        "/cards?cursor=%%%",
    ] {
        assert_eq!(
            send(env.key_req(Method::GET, bad)).await.0,
            StatusCode::BAD_REQUEST,
            "{bad}"
        );
    }
    let (status, page) = send(env.key_req(Method::GET, "/cards?limit=200")).await;
    assert_eq!(
        (status, page["cards"].as_array().unwrap().len()),
        (StatusCode::OK, 5)
    );
    assert!(page["response_metadata"].get("next_cursor").is_none());
}

#[tokio::test]
async fn search_matches_results_and_metadata() {
    let env = Env::start().await;
    let done = env.completed_card().await;
    let tagged = env
        .create_card(&env.key(), json!({ "metadata": { "clinic": "Northside" } }))
        .await;
    let (status, hits) = send(env.key_req(Method::GET, "/cards/search?query=DICKINSON")).await;
    assert_eq!(status, StatusCode::OK);
    check("/cards/search", "get", 200, &hits);
    let ids: Vec<&str> = hits["cards"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["card_id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, vec![done.as_str()]);
    let (_, hits) = send(env.key_req(Method::GET, "/cards/search?query=northside")).await;
    assert_eq!(hits["cards"][0]["card_id"], tagged["card_id"]);
    assert_eq!(hits["cards"].as_array().unwrap().len(), 1);
    let (_, none) = send(env.key_req(Method::GET, "/cards/search?query=zzz-nothing")).await;
    assert!(none["cards"].as_array().unwrap().is_empty());
    assert_eq!(
        send(env.key_req(Method::GET, "/cards/search")).await.0,
        StatusCode::BAD_REQUEST
    );
}

#[tokio::test]
async fn delete_is_soft_and_answers_204() {
    let env = Env::start().await;
    let id = env.create_card(&env.key(), json!({})).await["card_id"]
        .as_str()
        .unwrap()
        .to_string();
    let (status, body) = send(env.key_req(Method::DELETE, &format!("/cards/{id}"))).await;
    assert_eq!((status, body), (StatusCode::NO_CONTENT, Value::Null));
    let (_, card) = send(env.key_req(Method::GET, &format!("/cards/{id}"))).await;
    assert_eq!(card["deleted"], true);
    let (_, list) = send(env.key_req(Method::GET, "/cards")).await;
    assert!(list["cards"].as_array().unwrap().is_empty());
    let (status, body) =
        send(env.key_req(Method::DELETE, &format!("/cards/{}", uuid::Uuid::new_v4()))).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    check("/cards/{card_id}", "delete", 404, &body);
}

#[tokio::test]
async fn flag_accepts_the_documented_types_only() {
    let env = Env::start().await;
    let id = env.create_card(&env.key(), json!({})).await["card_id"]
        .as_str()
        .unwrap()
        .to_string();
    let path = format!("/cards/{id}/flag");
    for t in [
        "missing_elements",
        "incorrect_elements",
        "bad_payer_match",
        "unreadable_text",
        "eligibility_issue",
        "other",
    ] {
        let (status, flag) = send(
            env.key_req(Method::POST, &path)
                .json(&json!({ "flag_type": t, "message": "m" })),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{t}");
        assert_eq!(flag["flag_type"], t);
    }
    let (status, body) = send(
        env.key_req(Method::POST, &path)
            .json(&json!({ "flag_type": "ugly" })),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body["message"]
        .as_str()
        .unwrap()
        .contains("missing_elements"));
    assert_eq!(
        send(env.key_req(Method::POST, &path).json(&json!({})))
            .await
            .0,
        StatusCode::BAD_REQUEST
    );
    let unknown = format!("/cards/{}/flag", uuid::Uuid::new_v4());
    assert_eq!(
        send(
            env.key_req(Method::POST, &unknown)
                .json(&json!({ "flag_type": "other" }))
        )
        .await
        .0,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn performance_and_scan_metadata_take_free_json() {
    let env = Env::start().await;
    let id = env.create_card(&env.key(), json!({})).await["card_id"]
        .as_str()
        .unwrap()
        .to_string();
    let perf = json!({ "model_scores": [0.9, 0.95], "device": { "os": "ios" } });
    let (status, body) = send(
        env.key_req(Method::POST, &format!("/cards/{id}/performance"))
            .json(&perf),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    check("/cards/{card_id}/performance", "post", 200, &body);
    let (_, upload) = env
        .upload(&env.key(), &id, "front", crate::common::card_jpeg(640, 400))
        .await;
    let scan = upload["scan_id"].as_str().unwrap();
    let meta = json!({ "metadata": { "guides": { "x": 1 } }, "captureType": "automatic", "orientation": "front" });
    let (status, body) = send(
        env.key_req(Method::POST, &format!("/scans/{scan}/metadata"))
            .json(&meta),
    )
    .await;
    assert_eq!((status, body), (StatusCode::OK, Value::Null));
    let unknown = format!("/scans/{}/metadata", uuid::Uuid::new_v4());
    let (status, body) = send(env.key_req(Method::POST, &unknown).json(&meta)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    check("/scans/{scan_id}/metadata", "post", 404, &body);
    assert_eq!(
        send(
            env.key_req(Method::POST, &format!("/scans/{scan}/metadata"))
                .body("[")
        )
        .await
        .0,
        StatusCode::BAD_REQUEST
    );
}
