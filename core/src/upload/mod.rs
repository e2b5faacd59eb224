//! `upload_card_image`: create a card, upload each side, post scan metadata.
//!
//! Three ways to get an image to CardScan ([`UploadMethod`]):
//! * `Direct` (default, what the mobile SDKs use): the JPEG is the body of
//!   `POST /cards/{id}/upload`.
//! * `PresignedPost`: `generate-upload-url`, then a multipart POST of every
//!   returned field, in order, with the image last as `file`.
//! * `Legacy`: `GET /generate-upload-url` creates the card implicitly; front only.
//!
//! Card creation is safe to retry (see [`crate::api::Client::create_card`]);
//! uploads are safe to repeat (they replace the side's image), so a dropped
//! connection never yields a second card.

mod s3;

pub use s3::S3ErrorDecoder;

use crate::api::transport::{FormField, RequestSpec};
use crate::api::{CaptureType, Client, CreateCardRequest, Orientation, UploadUrl};
use crate::error::{Error, Result};
use bytes::Bytes;
use serde_json::{json, Value};

/// How images travel to CardScan.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum UploadMethod {
    /// `POST /cards/{id}/upload` with the JPEG body.
    #[default]
    Direct,
    /// Presigned multipart POST to storage.
    PresignedPost,
    /// `GET /generate-upload-url` (creates the card; front side only).
    Legacy,
}

impl std::str::FromStr for UploadMethod {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s {
            "direct" => Ok(UploadMethod::Direct),
            "presigned" | "presigned_post" | "presigned-post" => Ok(UploadMethod::PresignedPost),
            "legacy" => Ok(UploadMethod::Legacy),
            _ => Err(Error::invalid(
                "method",
                "must be direct, presigned or legacy",
            )),
        }
    }
}

/// Options of [`Client::upload_card_image_with`].
#[derive(Clone, Debug)]
pub struct UploadOptions {
    pub method: UploadMethod,
    pub capture_type: CaptureType,
    /// Extra scan metadata (keys of the spec's ScanMetadata), sent with each side.
    pub scan_metadata: Option<Value>,
    /// Free metadata stored on the card.
    pub card_metadata: Option<Value>,
    /// Presigned URL lifetime in seconds (100..=3600).
    pub expiration: u32,
}

impl Default for UploadOptions {
    fn default() -> Self {
        UploadOptions {
            method: UploadMethod::Direct,
            capture_type: CaptureType::Automatic,
            scan_metadata: None,
            card_metadata: None,
            expiration: 600,
        }
    }
}

/// Reject what is certainly not a whole JPEG before anything is sent: a
/// truncated file would reach the service with its lower part missing,
/// costing an upload and a failed or wrong scan (see [`crate::still`]).
fn check_jpeg(field: &str, bytes: &[u8]) -> Result<()> {
    if bytes.is_empty() {
        return Err(Error::invalid(field, "is empty"));
    }
    if !bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return Err(Error::invalid(field, "is not a JPEG image"));
    }
    if !crate::still::jpeg::is_complete(bytes) {
        return Err(Error::invalid(
            field,
            "is a truncated JPEG (it ends before its end-of-image marker)",
        ));
    }
    Ok(())
}

/// The body of `POST /scans/{id}/metadata`.
fn scan_metadata_body(options: &UploadOptions, side: Orientation) -> Value {
    json!({
        "metadata": options.scan_metadata.clone().unwrap_or_else(|| json!({})),
        "captureType": options.capture_type.as_str(),
        "orientation": side.as_str(),
        "package_name": env!("CARGO_PKG_NAME"),
        "package_version": env!("CARGO_PKG_VERSION"),
    })
}

impl Client {
    /// Upload a card (front, and back when given) the default way (direct)
    /// and return its `card_id`. Then [`Client::wait_for_card`].
    pub async fn upload_card_image(
        &self,
        front_jpeg: Vec<u8>,
        back_jpeg: Option<Vec<u8>>,
    ) -> Result<String> {
        self.upload_card_image_with(front_jpeg, back_jpeg, &UploadOptions::default())
            .await
    }

    /// [`Client::upload_card_image`] with a chosen method and metadata.
    pub async fn upload_card_image_with(
        &self,
        front_jpeg: Vec<u8>,
        back_jpeg: Option<Vec<u8>>,
        options: &UploadOptions,
    ) -> Result<String> {
        check_jpeg("front", &front_jpeg)?;
        if let Some(back) = &back_jpeg {
            check_jpeg("back", back)?;
        }
        let front = Bytes::from(front_jpeg);
        let back = back_jpeg.map(Bytes::from);
        let card_id = match options.method {
            UploadMethod::Legacy => {
                if back.is_some() {
                    return Err(Error::invalid(
                        "back",
                        "the legacy flow uploads the front side only",
                    ));
                }
                return self.legacy_upload(front, options).await;
            }
            _ => {
                let mut request = if back.is_some() {
                    CreateCardRequest::with_backside()
                } else {
                    CreateCardRequest::default()
                };
                request.metadata = options.card_metadata.clone();
                self.create_card(&request).await?.card_id
            }
        };
        self.upload_side(&card_id, Orientation::Front, front, options)
            .await?;
        if let Some(back) = back {
            if let Err(e) = self
                .upload_side(&card_id, Orientation::Back, back, options)
                .await
            {
                return Err(self.explain_upload_failure(&card_id, e).await);
            }
        }
        Ok(card_id)
    }

    /// Upload one side of an existing card and post its scan metadata; returns the scan id.
    pub async fn upload_side(
        &self,
        card_id: &str,
        side: Orientation,
        jpeg: Bytes,
        options: &UploadOptions,
    ) -> Result<String> {
        let scan_id = match options.method {
            UploadMethod::Direct => {
                self.direct_upload(card_id, side, options.capture_type, jpeg)
                    .await?
                    .scan_id
            }
            UploadMethod::PresignedPost | UploadMethod::Legacy => {
                let target = self
                    .generate_card_upload_url(
                        card_id,
                        side,
                        Some(options.capture_type),
                        options.scan_metadata.clone(),
                        Some(options.expiration),
                    )
                    .await?;
                self.presigned_post(&target, jpeg).await?;
                target.scan_id
            }
        };
        self.set_scan_metadata(&scan_id, &scan_metadata_body(options, side))
            .await?;
        Ok(scan_id)
    }

    /// POST an image to a presigned target: every `upload_parameters` entry as
    /// a form field, in the order given, then the image as `file`. Safe to
    /// repeat while the policy is valid (it overwrites the same object).
    pub async fn presigned_post(&self, target: &UploadUrl, jpeg: Bytes) -> Result<()> {
        let url = url::Url::parse(&target.upload_url)
            .map_err(|_| Error::Decode("the upload_url is not a valid URL".into()))?;
        let mut fields: Vec<FormField> = target
            .upload_parameters
            .iter()
            .map(|(name, value)| FormField::Text {
                name: name.clone(),
                value: value.clone(),
            })
            .collect();
        fields.push(FormField::File {
            name: "file".into(),
            file_name: "card.jpg".into(),
            content_type: "image/jpeg".into(),
            data: jpeg,
        });
        let spec = RequestSpec::to_url(reqwest::Method::POST, url)
            .multipart(fields)
            .unauthenticated()
            .idempotent(true);
        self.storage.send(spec).await.map(|_| ())
    }

    async fn legacy_upload(&self, front: Bytes, options: &UploadOptions) -> Result<String> {
        let target = self.generate_upload_url(options.expiration).await?;
        self.presigned_post(&target, front).await?;
        self.set_scan_metadata(
            &target.scan_id,
            &scan_metadata_body(options, Orientation::Front),
        )
        .await?;
        Ok(target.card_id)
    }

    /// A failed back upload is usually a card whose front was already
    /// rejected: report that, it is what the app must act on.
    async fn explain_upload_failure(&self, card_id: &str, error: Error) -> Error {
        if !matches!(error, Error::BadRequest { .. }) {
            return error;
        }
        match self.get_card(card_id).await {
            Ok(card) if card.state.is_failure() => Error::CardFailed {
                state: card.state.to_string(),
                error: card.error.map(Into::into),
            },
            _ => error,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_methods_and_rejects_non_jpeg() {
        assert_eq!(
            "presigned".parse::<UploadMethod>().unwrap(),
            UploadMethod::PresignedPost
        );
        assert!("ftp".parse::<UploadMethod>().is_err());
        assert!(matches!(
            check_jpeg("front", b""),
            Err(Error::InvalidInput { .. })
        ));
        assert!(matches!(
            check_jpeg("front", b"\x89PNG"),
            Err(Error::InvalidInput { .. })
        ));
        let jpeg = cardscan_test_jpeg();
        assert!(check_jpeg("front", &jpeg).is_ok());
        let cut = check_jpeg("back", &jpeg[..jpeg.len() * 2 / 3]).unwrap_err();
        assert!(matches!(cut, Error::InvalidInput { .. }));
        assert!(cut.to_string().contains("truncated"), "{cut}");
    }

    /// A small whole JPEG, as the rectifier writes them.
    fn cardscan_test_jpeg() -> Vec<u8> {
        let img =
            image::RgbImage::from_fn(64, 40, |x, y| image::Rgb([x as u8 * 4, y as u8 * 6, 90]));
        let mut out = Vec::new();
        img.write_to(
            &mut std::io::Cursor::new(&mut out),
            image::ImageFormat::Jpeg,
        )
        .unwrap();
        out
    }
}
