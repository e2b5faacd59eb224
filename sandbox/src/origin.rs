//! The sandbox's own origin as the client reached it, so that URLs it hands
//! out (upload URL, image URLs, magic links) work from where the client is.

use std::convert::Infallible;

use axum::extract::FromRequestParts;
use axum::http::header::HOST;
use axum::http::request::Parts;

use crate::state::App;

/// `http://host:port` of this request.
#[derive(Clone, Debug)]
pub struct Origin(pub String);

impl FromRequestParts<App> for Origin {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, app: &App) -> Result<Self, Self::Rejection> {
        let host = parts
            .headers
            .get(HOST)
            .and_then(|h| h.to_str().ok())
            .filter(|h| {
                !h.is_empty()
                    && h.chars()
                        .all(|c| c.is_ascii_alphanumeric() || ".-:[]".contains(c))
            })
            .map(str::to_string)
            .unwrap_or_else(|| app.addr.to_string());
        Ok(Origin(format!("http://{host}")))
    }
}
