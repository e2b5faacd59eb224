//! S3-style XML errors of presigned POST uploads:
//! `<Error><Code>…</Code><Message>…</Message></Error>`.

use crate::api::transport::{retry_after, status_error, ErrorDecoder};
use crate::error::Error;
use reqwest::header::HeaderMap;

/// The text of the first `<tag>…</tag>` element, XML entities decoded.
fn element(xml: &str, tag: &str) -> Option<String> {
    let open = format!("<{tag}>");
    let close = format!("</{tag}>");
    let start = xml.find(&open)? + open.len();
    let len = xml.get(start..)?.find(&close)?;
    let raw = xml.get(start..start + len)?;
    Some(
        raw.replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&apos;", "'")
            .replace("&amp;", "&"),
    )
}

/// Decodes S3 XML errors into [`Error::Storage`] (and 429/5xx into the usual
/// transient errors, so retries still apply).
#[derive(Debug, Default, Clone, Copy)]
pub struct S3ErrorDecoder;

impl ErrorDecoder for S3ErrorDecoder {
    fn decode(&self, status: u16, headers: &HeaderMap, body: &[u8]) -> Error {
        if status == 429 || status >= 500 {
            return status_error(status, None, retry_after(headers));
        }
        let text = String::from_utf8_lossy(body);
        match element(&text, "Code") {
            Some(code) => Error::Storage {
                code,
                message: element(&text, "Message").unwrap_or_default(),
            },
            None => status_error(status, None, retry_after(headers)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_s3_xml() {
        let xml = b"<?xml version=\"1.0\"?>\n<Error><Code>AccessDenied</Code><Message>Policy expired &amp; gone</Message><RequestId>1</RequestId></Error>";
        assert_eq!(
            S3ErrorDecoder.decode(403, &HeaderMap::new(), xml),
            Error::Storage {
                code: "AccessDenied".into(),
                message: "Policy expired & gone".into()
            }
        );
        assert_eq!(
            S3ErrorDecoder.decode(503, &HeaderMap::new(), xml),
            Error::Server { status: 503 }
        );
        assert_eq!(
            S3ErrorDecoder.decode(403, &HeaderMap::new(), b"nope"),
            Error::Forbidden
        );
        assert_eq!(element("<Code>x", "Code"), None);
    }
}
