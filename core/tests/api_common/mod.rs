//! Shared set-up of the API integration tests: a real sandbox on loopback.
#![allow(dead_code)]

use cardscan_core::api::{Auth, Client, ClientConfig, Environment, RetryPolicy, Timeouts};
use cardscan_sandbox::{Sandbox, SandboxConfig};
use std::time::Duration;

pub async fn sandbox() -> Sandbox {
    Sandbox::start(SandboxConfig::fast()).await.unwrap()
}

pub async fn sandbox_with(config: SandboxConfig) -> Sandbox {
    Sandbox::start(config).await.unwrap()
}

/// Retries with short delays so tests stay quick (Retry-After is still honoured).
pub fn quick_retry() -> RetryPolicy {
    RetryPolicy {
        max_retries: 4,
        base_delay: Duration::from_millis(20),
        max_delay: Duration::from_millis(200),
        max_retry_after: Duration::from_secs(5),
    }
}

pub fn config(sb: &Sandbox, auth: Auth) -> ClientConfig {
    ClientConfig {
        environment: Environment::Custom {
            rest_base: sb.base_url(),
            ws_url: sb.ws_url(),
        },
        auth,
        timeouts: Timeouts {
            connect: Duration::from_secs(2),
            read: Duration::from_secs(5),
            total: Duration::from_secs(20),
        },
        retry: quick_retry(),
    }
}

pub fn client(sb: &Sandbox) -> Client {
    Client::new(config(sb, Auth::ApiKey(sb.api_key().into()))).unwrap()
}

pub fn front() -> Vec<u8> {
    cardscan_synth::sample::card_jpeg(cardscan_synth::Side::Front, 7)
}

pub fn back() -> Vec<u8> {
    cardscan_synth::sample::card_jpeg(cardscan_synth::Side::Back, 7)
}

/// A real JPEG too small to be a card photo (the sandbox rejects it).
pub fn tiny_jpeg() -> Vec<u8> {
    let img = image::RgbImage::from_pixel(64, 40, image::Rgb([200, 200, 200]));
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Jpeg).unwrap();
    out.into_inner()
}

pub const WAIT: Duration = Duration::from_secs(20);
