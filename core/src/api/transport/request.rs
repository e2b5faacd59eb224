//! A description of one HTTP request, rebuilt for every attempt so that
//! retries resend exactly the same thing.

use bytes::Bytes;
use reqwest::Method;
use url::Url;

/// Where a request goes.
#[derive(Clone, Debug)]
pub enum Target {
    /// Path segments appended to the transport's base URL (each one
    /// percent-encoded, so ids can never escape their segment).
    Path(Vec<String>),
    /// An absolute URL given by the server (e.g. a presigned upload URL).
    Url(Url),
}

/// One field of a `multipart/form-data` body.
#[derive(Clone, Debug)]
pub enum FormField {
    /// A plain text field.
    Text { name: String, value: String },
    /// A file field.
    File {
        name: String,
        file_name: String,
        content_type: String,
        data: Bytes,
    },
}

/// The body of a request.
#[derive(Clone, Debug, Default)]
pub enum RequestBody {
    /// No body.
    #[default]
    Empty,
    /// A JSON document.
    Json(serde_json::Value),
    /// Raw bytes with a content type (e.g. `image/jpeg`).
    Bytes { content_type: String, data: Bytes },
    /// A multipart form; fields are sent in the given order.
    Multipart(Vec<FormField>),
}

/// Everything the transport needs to send (and resend) a request.
#[derive(Clone, Debug)]
pub struct RequestSpec {
    /// HTTP method.
    pub method: Method,
    /// Destination.
    pub target: Target,
    /// Query parameters, in order. Values may be secret (magic-link tokens):
    /// the transport never logs them.
    pub query: Vec<(String, String)>,
    /// Body.
    pub body: RequestBody,
    /// Whether the request may be sent twice without harm. Non-idempotent
    /// requests are retried only when the server certainly did not act on
    /// them (connection refused, 429).
    pub idempotent: bool,
    /// Whether to send the bearer credential.
    pub authenticated: bool,
    /// Extra headers.
    pub headers: Vec<(String, String)>,
}

impl RequestSpec {
    /// A request to `segments` under the base URL. GET, PUT, DELETE and HEAD
    /// are marked idempotent; others are not until [`Self::idempotent`] says so.
    pub fn new(method: Method, segments: &[&str]) -> Self {
        let idempotent = matches!(
            method,
            Method::GET | Method::PUT | Method::DELETE | Method::HEAD
        );
        RequestSpec {
            method,
            target: Target::Path(segments.iter().map(|s| s.to_string()).collect()),
            query: Vec::new(),
            body: RequestBody::Empty,
            idempotent,
            authenticated: true,
            headers: Vec::new(),
        }
    }

    /// `GET` under the base URL.
    pub fn get(segments: &[&str]) -> Self {
        Self::new(Method::GET, segments)
    }

    /// `POST` under the base URL.
    pub fn post(segments: &[&str]) -> Self {
        Self::new(Method::POST, segments)
    }

    /// `DELETE` under the base URL.
    pub fn delete(segments: &[&str]) -> Self {
        Self::new(Method::DELETE, segments)
    }

    /// A request to an absolute URL.
    pub fn to_url(method: Method, url: Url) -> Self {
        let mut spec = Self::new(method, &[]);
        spec.target = Target::Url(url);
        spec
    }

    /// Add a query parameter.
    pub fn query(mut self, name: &str, value: impl ToString) -> Self {
        self.query.push((name.to_string(), value.to_string()));
        self
    }

    /// Add a query parameter when a value is present.
    pub fn query_opt(self, name: &str, value: Option<impl ToString>) -> Self {
        match value {
            Some(v) => self.query(name, v),
            None => self,
        }
    }

    /// Set a JSON body.
    pub fn json(mut self, body: serde_json::Value) -> Self {
        self.body = RequestBody::Json(body);
        self
    }

    /// Set a raw body.
    pub fn bytes(mut self, content_type: &str, data: Bytes) -> Self {
        self.body = RequestBody::Bytes {
            content_type: content_type.to_string(),
            data,
        };
        self
    }

    /// Set a multipart body.
    pub fn multipart(mut self, fields: Vec<FormField>) -> Self {
        self.body = RequestBody::Multipart(fields);
        self
    }

    /// Declare whether the request is safe to repeat.
    pub fn idempotent(mut self, yes: bool) -> Self {
        self.idempotent = yes;
        self
    }

    /// Send without credentials.
    pub fn unauthenticated(mut self) -> Self {
        self.authenticated = false;
        self
    }

    /// Add a header.
    pub fn header(mut self, name: &str, value: impl Into<String>) -> Self {
        self.headers.push((name.to_string(), value.into()));
        self
    }

    /// A loggable description: method and path only (no query, it may hold secrets).
    pub fn describe(&self) -> String {
        match &self.target {
            Target::Path(segments) => format!("{} /{}", self.method, segments.join("/")),
            Target::Url(url) => format!("{} {}", self.method, url.path()),
        }
    }
}

/// Build a multipart form from fields (a fresh one per attempt: forms are not `Clone`).
pub(crate) fn build_form(fields: &[FormField]) -> reqwest::Result<reqwest::multipart::Form> {
    let mut form = reqwest::multipart::Form::new();
    for field in fields {
        form = match field {
            FormField::Text { name, value } => form.text(name.clone(), value.clone()),
            FormField::File {
                name,
                file_name,
                content_type,
                data,
            } => {
                let part = reqwest::multipart::Part::stream(reqwest::Body::from(data.clone()))
                    .file_name(file_name.clone())
                    .mime_str(content_type)?;
                form.part(name.clone(), part)
            }
        };
    }
    Ok(form)
}
