//! Handoff URLs: `{url_base}/?token=<token>&companyName=<name>&backsideSupport=<bool>`.

use crate::api::transport::Secret;
use crate::error::{Error, Result};
use url::Url;

/// The content of a web-to-mobile handoff link (shown as a QR code).
#[derive(Clone, PartialEq, Eq)]
pub struct HandoffLink {
    /// The magic-link token (validate it with `validate_magic_link`).
    pub token: Secret,
    /// Company name shown to the user.
    pub company_name: Option<String>,
    /// Whether the back side should be scanned too.
    pub backside_support: bool,
}

impl std::fmt::Debug for HandoffLink {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HandoffLink")
            .field("company_name", &self.company_name)
            .field("backside_support", &self.backside_support)
            .finish_non_exhaustive()
    }
}

fn parse_bool(value: &str) -> Result<bool> {
    match value.trim().to_ascii_lowercase().as_str() {
        "true" | "1" | "yes" => Ok(true),
        "false" | "0" | "no" | "" => Ok(false),
        _ => Err(Error::invalid("backsideSupport", "must be true or false")),
    }
}

impl HandoffLink {
    /// Parse a scanned handoff URL.
    pub fn parse(url: &str) -> Result<Self> {
        let url =
            Url::parse(url.trim()).map_err(|_| Error::invalid("url", "is not a valid URL"))?;
        if !matches!(url.scheme(), "https" | "http") {
            return Err(Error::invalid("url", "must be an http(s) URL"));
        }
        let mut token = None;
        let mut company_name = None;
        let mut backside_support = false;
        for (name, value) in url.query_pairs() {
            match name.as_ref() {
                "token" => token = Some(value.into_owned()),
                "companyName" => {
                    company_name = Some(value.into_owned()).filter(|v| !v.trim().is_empty())
                }
                "backsideSupport" => backside_support = parse_bool(&value)?,
                _ => {}
            }
        }
        let token = token
            .filter(|t| !t.trim().is_empty())
            .ok_or_else(|| Error::invalid("token", "the link carries no token"))?;
        Ok(HandoffLink {
            token: Secret::new(token),
            company_name,
            backside_support,
        })
    }

    /// Build the URL for `url_base` (e.g. [`super::LIVE_CAPTURE_URL`] or the app's domain).
    pub fn build(&self, url_base: &str) -> Result<String> {
        let mut url = Url::parse(url_base.trim())
            .map_err(|_| Error::invalid("url_base", "is not a valid URL"))?;
        if url.cannot_be_a_base() {
            return Err(Error::invalid("url_base", "cannot carry a path"));
        }
        if url.path().is_empty() {
            url.set_path("/");
        }
        url.set_query(None);
        {
            let mut q = url.query_pairs_mut();
            q.append_pair("token", self.token.expose());
            if let Some(name) = &self.company_name {
                q.append_pair("companyName", name);
            }
            q.append_pair(
                "backsideSupport",
                if self.backside_support {
                    "true"
                } else {
                    "false"
                },
            );
        }
        Ok(url.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        let link = HandoffLink {
            token: Secret::new("tok/+="),
            company_name: Some("Acme Health & Co".into()),
            backside_support: true,
        };
        let url = link.build("https://capture.cardscan.ai").unwrap();
        assert!(url.starts_with("https://capture.cardscan.ai/?token="));
        assert_eq!(HandoffLink::parse(&url).unwrap(), link);
    }

    #[test]
    fn parses_and_rejects() {
        let l = HandoffLink::parse(
            "https://sandbox-capture.cardscan.ai/?token=abc&companyName=Acme&backsideSupport=false",
        )
        .unwrap();
        assert_eq!(l.token.expose(), "abc");
        assert_eq!(l.company_name.as_deref(), Some("Acme"));
        assert!(!l.backside_support);
        let l = HandoffLink::parse("https://x.example/scan?token=abc").unwrap();
        assert!(l.company_name.is_none() && !l.backside_support);
        assert!(matches!(
            HandoffLink::parse("https://x.example/?companyName=A"),
            Err(Error::InvalidInput { .. })
        ));
        assert!(matches!(
            HandoffLink::parse("not a url"),
            Err(Error::InvalidInput { .. })
        ));
        assert!(matches!(
            HandoffLink::parse("ftp://x/?token=a"),
            Err(Error::InvalidInput { .. })
        ));
        assert!(matches!(
            HandoffLink::parse("https://x/?token=a&backsideSupport=maybe"),
            Err(Error::InvalidInput { .. })
        ));
        assert!(!format!("{l:?}").contains("abc"));
    }
}
