//! Presigned POST: the S3 stand-in checks signature, expiry, fields and size.

use std::time::Duration;

use cardscan_sandbox::SandboxConfig;
use reqwest::multipart::{Form, Part};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::common::{card_jpeg, send, Env};
use crate::spec::check;

async fn upload_url(env: &Env, card_id: &str, side: &str) -> Value {
    let path = format!("/cards/{card_id}/generate-upload-url?expiration=600");
    let (status, body) = send(
        env.key_req(Method::POST, &path)
            .json(&json!({ "orientation": side })),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    check("/cards/{card_id}/generate-upload-url", "post", 200, &body);
    body
}

/// The form as clients build it: every parameter in order, the file last.
fn form(params: &Value, file: Vec<u8>) -> Form {
    let mut form = Form::new();
    for (k, v) in params.as_object().unwrap() {
        form = form.text(k.clone(), v.as_str().unwrap().to_string());
    }
    form.part(
        "file",
        Part::bytes(file)
            .file_name("card.jpg")
            .mime_str("image/jpeg")
            .unwrap(),
    )
}

async fn post_form(env: &Env, url: &Value, form: Form) -> (StatusCode, String) {
    let response = env
        .http
        .post(url["upload_url"].as_str().unwrap())
        .multipart(form)
        .send()
        .await
        .unwrap();
    (response.status(), response.text().await.unwrap())
}

fn s3_code(body: &str) -> &str {
    body.split("<Code>")
        .nth(1)
        .and_then(|r| r.split("</Code>").next())
        .unwrap_or("")
}

#[tokio::test]
async fn valid_post_is_204_and_the_card_completes_and_reposting_overwrites() {
    let env = Env::start().await;
    let id = env
        .create_card(&env.key(), json!({ "enable_backside_scan": true }))
        .await["card_id"]
        .as_str()
        .unwrap()
        .to_string();
    let front = upload_url(&env, &id, "front").await;
    assert_eq!(
        front["upload_url"],
        format!("http://{}/_s3/upload", env.sandbox.addr())
    );
    let params = &front["upload_parameters"];
    for field in [
        "key",
        "policy",
        "x-amz-algorithm",
        "x-amz-credential",
        "x-amz-date",
        "x-amz-signature",
        "Content-Type",
    ] {
        assert!(params[field].is_string(), "{field}");
    }
    let (status, body) = post_form(&env, &front, form(params, card_jpeg(640, 400))).await;
    assert_eq!((status, body.as_str()), (StatusCode::NO_CONTENT, ""));
    // A retry of the same form (e.g. after a lost response) is harmless.
    let (status, _) = post_form(&env, &front, form(params, card_jpeg(640, 400))).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let back = upload_url(&env, &id, "back").await;
    let (status, _) = post_form(
        &env,
        &back,
        form(&back["upload_parameters"], card_jpeg(640, 400)),
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let card = env.wait_card(&env.key(), &id, |s| s == "completed").await;
    assert!(card["images"]["back"]["url"].is_string());
    let stats = env.sandbox.stats();
    assert_eq!((stats.cards_created, stats.uploads), (1, 3));
}

#[tokio::test]
async fn expired_policy_is_refused_with_s3_xml() {
    let config = SandboxConfig {
        upload_policy_ttl: Some(Duration::from_millis(300)),
        ..SandboxConfig::fast()
    };
    let env = Env::with(config).await;
    let id = env.create_card(&env.key(), json!({})).await["card_id"]
        .as_str()
        .unwrap()
        .to_string();
    let url = upload_url(&env, &id, "front").await;
    tokio::time::sleep(Duration::from_millis(400)).await;
    let (status, body) = post_form(
        &env,
        &url,
        form(&url["upload_parameters"], card_jpeg(640, 400)),
    )
    .await;
    assert_eq!(
        (status, s3_code(&body)),
        (StatusCode::FORBIDDEN, "AccessDenied")
    );
    assert!(body.contains("Policy expired"), "{body}");
    assert!(body.starts_with("<?xml") && body.contains("<Error>") && body.contains("<Message>"));
}

#[tokio::test]
async fn too_large_files_are_refused() {
    let config = SandboxConfig {
        max_upload_bytes: 20_000,
        ..SandboxConfig::fast()
    };
    let env = Env::with(config).await;
    let id = env.create_card(&env.key(), json!({})).await["card_id"]
        .as_str()
        .unwrap()
        .to_string();
    let url = upload_url(&env, &id, "front").await;
    let big = card_jpeg(1000, 700);
    assert!(big.len() > 20_000);
    let (status, body) = post_form(&env, &url, form(&url["upload_parameters"], big)).await;
    assert_eq!(
        (status, s3_code(&body)),
        (StatusCode::BAD_REQUEST, "EntityTooLarge")
    );
    assert_eq!(env.sandbox.stats().uploads, 0);
}

#[tokio::test]
async fn tampered_forms_are_refused() {
    let env = Env::start().await;
    let id = env.create_card(&env.key(), json!({})).await["card_id"]
        .as_str()
        .unwrap()
        .to_string();
    let url = upload_url(&env, &id, "front").await;
    let params = url["upload_parameters"].clone();
    let mut other_key = params.clone();
    other_key["key"] = json!("cards/someone-else/x.jpg");
    let mut forged_policy = params.clone();
    forged_policy["policy"] = json!(format!("{}e30=", &params["policy"].as_str().unwrap()[..8]));
    let mut extra = params.clone();
    extra["x-amz-meta-evil"] = json!("1");
    let mut unsigned = params.clone();
    unsigned.as_object_mut().unwrap().remove("x-amz-signature");
    for (form_params, code, status) in [
        (other_key, "AccessDenied", StatusCode::FORBIDDEN),
        (
            forged_policy,
            "SignatureDoesNotMatch",
            StatusCode::FORBIDDEN,
        ),
        (extra, "AccessDenied", StatusCode::FORBIDDEN),
        (unsigned, "AccessDenied", StatusCode::FORBIDDEN),
    ] {
        let (got, body) = post_form(&env, &url, form(&form_params, card_jpeg(640, 400))).await;
        assert_eq!((got, s3_code(&body)), (status, code), "{body}");
    }
    let mut no_file = Form::new();
    for (k, v) in params.as_object().unwrap() {
        no_file = no_file.text(k.clone(), v.as_str().unwrap().to_string());
    }
    let (status, body) = post_form(&env, &url, no_file).await;
    assert_eq!(
        (status, s3_code(&body)),
        (StatusCode::BAD_REQUEST, "InvalidArgument")
    );
    assert_eq!(env.sandbox.stats().uploads, 0);
    let (_, card) = send(env.key_req(Method::GET, &format!("/cards/{id}"))).await;
    assert_eq!(card["state"], "pending");
}

#[tokio::test]
async fn upload_url_checks_its_inputs() {
    let env = Env::start().await;
    let id = env.create_card(&env.key(), json!({})).await["card_id"]
        .as_str()
        .unwrap()
        .to_string();
    let path = |q: &str| format!("/cards/{id}/generate-upload-url{q}");
    for (q, body) in [
        ("?expiration=99", json!({"orientation":"front"})),
        ("", json!({})),
        ("", json!({"orientation":"top"})),
    ] {
        let (status, err) = send(env.key_req(Method::POST, &path(q)).json(&body)).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{q} {body}");
        check("/cards/{card_id}/generate-upload-url", "post", 400, &err);
    }
    let unknown = format!("/cards/{}/generate-upload-url", uuid::Uuid::new_v4());
    let (status, _) = send(
        env.key_req(Method::POST, &unknown)
            .json(&json!({"orientation":"front"})),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}
