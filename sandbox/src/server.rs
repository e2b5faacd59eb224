//! The accept loop. It is ours rather than `axum::serve` so that fault
//! injection can act below HTTP: a dropped connection is a service error,
//! which makes hyper close the socket without writing any response; and so
//! that shutdown ends open connections at once.

use std::time::Duration;

use axum::body::Body;
use axum::http::header::{RETRY_AFTER, UPGRADE};
use axum::http::{Request, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use axum::Router;
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::oneshot;
use tokio::task::JoinSet;
use tower::ServiceExt;

use crate::faults::{FaultAction, FaultControl};
use crate::ws::WsDropMarker;

/// The error that tells hyper to drop a connection.
#[derive(Debug)]
struct DroppedConnection;

impl std::fmt::Display for DroppedConnection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection dropped by fault injection")
    }
}

impl std::error::Error for DroppedConnection {}

/// Serves `app` on `listener` until `shutdown` fires, then aborts every
/// open connection.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    faults: FaultControl,
    mut shutdown: oneshot::Receiver<()>,
) {
    let mut connections = JoinSet::new();
    loop {
        tokio::select! {
            _ = &mut shutdown => break,
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => {
                    connections.spawn(serve_connection(stream, app.clone(), faults.clone()));
                }
                Err(e) => {
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(20)).await;
                }
            },
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
    connections.abort_all();
}

async fn serve_connection(stream: TcpStream, app: Router, faults: FaultControl) {
    let _ = stream.set_nodelay(true);
    let service =
        hyper::service::service_fn(move |request| handle(request, app.clone(), faults.clone()));
    let connection =
        hyper::server::conn::http1::Builder::new().serve_connection(TokioIo::new(stream), service);
    if let Err(e) = connection.with_upgrades().await {
        tracing::debug!(error = %e, "connection ended");
    }
}

/// Applies the fault rules, then the router.
async fn handle(
    request: Request<Incoming>,
    app: Router,
    faults: FaultControl,
) -> Result<Response, DroppedConnection> {
    let path = request.uri().path().to_string();
    let mut request = request.map(Body::new);
    if path.starts_with("/_admin") {
        return Ok(route(app, request).await);
    }
    let is_ws = request
        .headers()
        .get(UPGRADE)
        .is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"websocket"));
    let verdict = faults.evaluate(request.method().as_str(), &path, is_ws);
    if !verdict.latency.is_zero() {
        tokio::time::sleep(verdict.latency).await;
    }
    if verdict.expire_tokens {
        faults.expire_tokens_now();
    }
    if verdict.ws_drop {
        request.extensions_mut().insert(WsDropMarker);
    }
    match verdict.action {
        None => Ok(route(app, request).await),
        Some(FaultAction::Status(status)) => Ok(injected_status(status)),
        Some(FaultAction::RateLimit(secs)) => Ok(rate_limited(secs)),
        Some(FaultAction::Drop) => Err(DroppedConnection),
        Some(FaultAction::DropAfter) => {
            let _ = route(app, request).await;
            Err(DroppedConnection)
        }
    }
}

async fn route(app: Router, request: Request<Body>) -> Response {
    match app.oneshot(request).await {
        Ok(response) => response,
        Err(never) => match never {},
    }
}

fn injected_status(status: u16) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let body = if status.is_server_error() {
        serde_json::json!({ "message": "Internal server error (injected by the sandbox)" })
    } else {
        serde_json::json!({ "message": "Injected by the sandbox", "type": "InjectedFault", "code": status.as_u16() })
    };
    (status, Json(body)).into_response()
}

fn rate_limited(retry_after_secs: u64) -> Response {
    let body = serde_json::json!({ "message": "Too Many Requests", "type": "TooManyRequests", "code": 429 });
    (
        StatusCode::TOO_MANY_REQUESTS,
        [(RETRY_AFTER, retry_after_secs.to_string())],
        Json(body),
    )
        .into_response()
}
