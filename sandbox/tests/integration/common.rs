//! Test harness: a real sandbox on an ephemeral port and a plain reqwest
//! client speaking to it over loopback.

use std::time::{Duration, Instant};

use cardscan_sandbox::{Sandbox, SandboxConfig};
use reqwest::{Method, RequestBuilder, StatusCode};
use serde_json::Value;

pub struct Env {
    pub sandbox: Sandbox,
    pub http: reqwest::Client,
}

impl Env {
    pub async fn start() -> Env {
        Env::with(SandboxConfig::fast()).await
    }

    pub async fn with(config: SandboxConfig) -> Env {
        let sandbox = Sandbox::start(config).await.expect("sandbox starts");
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(20))
            .build()
            .unwrap();
        Env { sandbox, http }
    }

    pub fn key(&self) -> String {
        self.sandbox.api_key().to_string()
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.sandbox.base_url())
    }

    /// A request to `/v1{path}` authenticated with `secret`.
    pub fn req(&self, method: Method, path: &str, secret: &str) -> RequestBuilder {
        self.http
            .request(method, self.url(path))
            .bearer_auth(secret)
    }

    /// A request authenticated with the API key.
    pub fn key_req(&self, method: Method, path: &str) -> RequestBuilder {
        self.req(method, path, &self.key())
    }

    pub async fn token(&self, user_id: &str) -> Value {
        let (status, body) =
            send(self.key_req(Method::GET, &format!("/access-token?user_id={user_id}"))).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        body
    }

    /// Creates a card with `body` using `secret`; returns the card JSON.
    pub async fn create_card(&self, secret: &str, body: Value) -> Value {
        let (status, card) = send(self.req(Method::POST, "/cards", secret).json(&body)).await;
        assert_eq!(status, StatusCode::CREATED, "{card}");
        card
    }

    /// Direct upload of one side.
    pub async fn upload(
        &self,
        secret: &str,
        card_id: &str,
        side: &str,
        image: Vec<u8>,
    ) -> (StatusCode, Value) {
        let path = format!("/cards/{card_id}/upload?orientation={side}&capture_type=automatic");
        send(
            self.req(Method::POST, &path, secret)
                .header("content-type", "image/jpeg")
                .body(image),
        )
        .await
    }

    /// Polls `GET /cards/{id}` until `done(state)` or the timeout.
    pub async fn wait_card(
        &self,
        secret: &str,
        card_id: &str,
        done: impl Fn(&str) -> bool,
    ) -> Value {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let (status, card) =
                send(self.req(Method::GET, &format!("/cards/{card_id}"), secret)).await;
            assert_eq!(status, StatusCode::OK, "{card}");
            if done(card["state"].as_str().unwrap_or_default()) {
                return card;
            }
            assert!(Instant::now() < deadline, "card stuck in {}", card["state"]);
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }

    /// A completed card (front only) made with the API key.
    pub async fn completed_card(&self) -> String {
        let card = self.create_card(&self.key(), serde_json::json!({})).await;
        let id = card["card_id"].as_str().unwrap().to_string();
        let (status, _) = self
            .upload(&self.key(), &id, "front", card_jpeg(640, 400))
            .await;
        assert_eq!(status, StatusCode::OK);
        self.wait_card(&self.key(), &id, |s| s == "completed" || s == "enriched")
            .await;
        id
    }
}

/// Sends and returns the status with the JSON body (`Null` when empty).
pub async fn send(request: RequestBuilder) -> (StatusCode, Value) {
    let response = request.send().await.expect("request reaches the sandbox");
    let status = response.status();
    let bytes = response.bytes().await.expect("body");
    let body = if bytes.is_empty() {
        Value::Null
    } else {
        serde_json::from_slice(&bytes).expect("JSON body")
    };
    (status, body)
}

/// A card-sized JPEG with some structure in it.
pub fn card_jpeg(width: u32, height: u32) -> Vec<u8> {
    let img = image::RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([(x % 256) as u8, (y % 256) as u8, ((x + y) % 200) as u8 + 40])
    });
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Jpeg).unwrap();
    out.into_inner()
}

/// The claims of a JWT (no verification: that is the sandbox's job).
pub fn jwt_claims(token: &str) -> Value {
    use base64::Engine;
    let payload = token.split('.').nth(1).expect("JWT payload");
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload)
        .unwrap();
    serde_json::from_slice(&bytes).unwrap()
}
