//! Uploaded images: the acceptance check the real service applies (the image
//! decodes and is big enough to be a card photo), and signed URLs under
//! `/_images/` that stand in for the real service's signed S3 links.

use axum::extract::{Path, Query, State};
use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use serde::Deserialize;
use uuid::Uuid;

use crate::model::{Card, Side};
use crate::s3::s3_error;
use crate::state::App;

/// Smallest card photo accepted, long side × short side (either orientation).
pub const MIN_LONG_SIDE: u32 = 300;
pub const MIN_SHORT_SIDE: u32 = 180;

/// How long image URLs stay valid (the real service: 24 h).
const URL_TTL_SECS: i64 = 24 * 3600;

/// What the sandbox made of an uploaded image.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Inspection {
    pub content_type: &'static str,
    pub acceptable: bool,
}

/// Decodes the whole image (a truncated file is refused, not just a bad
/// header) and checks its size. CPU-bound: call it from `spawn_blocking`.
pub fn inspect(bytes: &[u8]) -> Inspection {
    let content_type = match image::guess_format(bytes) {
        Ok(image::ImageFormat::Png) => "image/png",
        Ok(image::ImageFormat::Jpeg) => "image/jpeg",
        _ => {
            return Inspection {
                content_type: "application/octet-stream",
                acceptable: false,
            }
        }
    };
    // The JPEG decoder fills in a truncated file; a real upload ends with EOI.
    let complete = content_type != "image/jpeg" || has_jpeg_end(bytes);
    let acceptable = complete
        && image::load_from_memory(bytes).is_ok_and(|img| big_enough(img.width(), img.height()));
    Inspection {
        content_type,
        acceptable,
    }
}

/// Whether the JPEG's end-of-image marker is there (allowing trailing padding).
fn has_jpeg_end(bytes: &[u8]) -> bool {
    let tail = &bytes[bytes.len().saturating_sub(64)..];
    tail.windows(2).any(|w| w == [0xFF, 0xD9])
}

fn big_enough(w: u32, h: u32) -> bool {
    w.max(h) >= MIN_LONG_SIDE && w.min(h) >= MIN_SHORT_SIDE
}

/// Runs [`inspect`] off the async workers.
pub async fn inspect_async(bytes: Bytes) -> Inspection {
    tokio::task::spawn_blocking(move || inspect(&bytes))
        .await
        .unwrap_or(Inspection {
            content_type: "application/octet-stream",
            acceptable: false,
        })
}

fn signing_input(card_id: Uuid, side: Side, exp: i64) -> String {
    format!("image:{card_id}:{}:{exp}", side.as_str())
}

/// `{"front":{"url"},"back":{"url"}}` for the sides the card has.
pub fn signed_urls(app: &App, origin: &str, card: &Card) -> serde_json::Value {
    let exp = chrono::Utc::now().timestamp() + URL_TTL_SECS;
    let mut images = serde_json::Map::new();
    for side in [Side::Front, Side::Back] {
        if card.side(side).is_some() {
            let sig = app
                .signer
                .sign_hex(signing_input(card.id, side, exp).as_bytes());
            let url = format!(
                "{origin}/_images/{}/{}?exp={exp}&sig={sig}",
                card.id,
                side.as_str()
            );
            images.insert(side.as_str().into(), serde_json::json!({ "url": url }));
        }
    }
    serde_json::Value::Object(images)
}

#[derive(Deserialize)]
pub struct ImageQuery {
    exp: Option<i64>,
    sig: Option<String>,
}

/// `GET /_images/{card_id}/{side}?exp=&sig=`: S3-style 403 XML when the
/// signature is wrong or expired, 404 XML when there is no such image.
pub async fn serve(
    State(app): State<App>,
    Path((card_id, side)): Path<(String, String)>,
    Query(q): Query<ImageQuery>,
) -> Response {
    let (Ok(card_id), Some(side)) = (Uuid::parse_str(&card_id), Side::parse(&side)) else {
        return s3_error(
            axum::http::StatusCode::NOT_FOUND,
            "NoSuchKey",
            "The specified key does not exist.",
        );
    };
    let (Some(exp), Some(sig)) = (q.exp, q.sig) else {
        return s3_error(
            axum::http::StatusCode::FORBIDDEN,
            "AccessDenied",
            "Query-string authentication requires the signature and expiry parameters",
        );
    };
    if !app
        .signer
        .verify_hex(signing_input(card_id, side, exp).as_bytes(), &sig)
    {
        return s3_error(
            axum::http::StatusCode::FORBIDDEN,
            "SignatureDoesNotMatch",
            "The request signature we calculated does not match the signature you provided.",
        );
    }
    if exp <= chrono::Utc::now().timestamp() {
        return s3_error(
            axum::http::StatusCode::FORBIDDEN,
            "AccessDenied",
            "Request has expired",
        );
    }
    let image = app
        .store()
        .cards
        .get(&card_id)
        .and_then(|c| c.side(side).cloned());
    match image {
        Some(img) => ([(CONTENT_TYPE, img.content_type)], img.bytes).into_response(),
        None => s3_error(
            axum::http::StatusCode::NOT_FOUND,
            "NoSuchKey",
            "The specified key does not exist.",
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(w: u32, h: u32) -> Vec<u8> {
        let img = image::RgbImage::from_pixel(w, h, image::Rgb([200, 180, 160]));
        let mut out = std::io::Cursor::new(Vec::new());
        img.write_to(&mut out, image::ImageFormat::Png).unwrap();
        out.into_inner()
    }

    #[test]
    fn accepts_card_sized_images_in_either_orientation() {
        assert!(inspect(&png(300, 180)).acceptable);
        assert!(inspect(&png(180, 300)).acceptable);
        assert_eq!(inspect(&png(640, 400)).content_type, "image/png");
    }

    #[test]
    fn rejects_small_truncated_and_non_images() {
        assert!(!inspect(&png(299, 180)).acceptable);
        assert!(!inspect(&png(300, 179)).acceptable);
        let full = png(640, 400);
        assert!(!inspect(&full[..full.len() / 2]).acceptable);
        assert!(!inspect(b"not an image at all").acceptable);
    }
}
