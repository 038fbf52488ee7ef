//! What every request passes through before a route: bounds on the address and the headers, a
//! time limit for reading the body, a panic caught and answered 500, and every error answered as
//! Partner Center's `{code, description}` JSON — also those made by the layers and extractors
//! underneath, which answer in plain text or with no body at all.

use std::time::Duration;

use axum::Router;
use axum::extract::Request;
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::timeout::RequestBodyTimeoutLayer;

use crate::api::{ApiError, BODY_LIMIT};

/// The longest request target (path and query) accepted.
pub const MAX_URI: usize = 8 * 1024;
/// The most header bytes (names and values) accepted.
pub const MAX_HEADERS: usize = 32 * 1024;
/// How long a request's body may take to arrive.
pub const BODY_READ_TIMEOUT: Duration = Duration::from_secs(10);

/// `router` with the bounds, the body's time limit, the panic guard and JSON errors around it.
pub fn guarded(router: Router) -> Router {
    router
        .layer(RequestBodyTimeoutLayer::new(BODY_READ_TIMEOUT))
        .layer(axum::middleware::from_fn(json_errors))
        .layer(CatchPanicLayer::custom(|_| {
            ApiError::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "The server failed while answering this request. Other requests are not affected: reload to see what is saved.",
            )
            .into_response()
        }))
}

/// Refuses an address or headers over the bounds, then answers any error without a JSON body as
/// `{code, description}`, keeping headers a client acts on (`Allow`, `Retry-After`).
async fn json_errors(request: Request, next: Next) -> Response {
    let target = request
        .uri()
        .path_and_query()
        .map_or(0, |p| p.as_str().len());
    if target > MAX_URI {
        return ApiError::new(
            StatusCode::URI_TOO_LONG,
            format!("The request's address is longer than {MAX_URI} characters."),
        )
        .into_response();
    }
    let headers: usize = request
        .headers()
        .iter()
        .map(|(name, value)| name.as_str().len() + value.len())
        .sum();
    if headers > MAX_HEADERS {
        return ApiError::new(
            StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
            format!(
                "The request's headers are larger than {} KB.",
                MAX_HEADERS / 1024
            ),
        )
        .into_response();
    }
    let response = next.run(request).await;
    let status = response.status();
    let is_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"application/json"));
    if !(status.is_client_error() || status.is_server_error()) || is_json {
        return response;
    }
    let (parts, body) = response.into_parts();
    let text = axum::body::to_bytes(body, 4096).await.unwrap_or_default();
    let text = String::from_utf8_lossy(&text);
    let description = match status {
        StatusCode::PAYLOAD_TOO_LARGE => {
            format!("The request body is larger than {} KB.", BODY_LIMIT / 1024)
        }
        StatusCode::REQUEST_TIMEOUT => format!(
            "The request body did not arrive within {} seconds.",
            BODY_READ_TIMEOUT.as_secs()
        ),
        StatusCode::METHOD_NOT_ALLOWED => "This route does not take that method.".to_owned(),
        StatusCode::NOT_FOUND => "No such route.".to_owned(),
        // An extractor's own words (a query string that does not parse, a body that is not JSON).
        _ if !text.trim().is_empty() => format!("{}.", text.trim().trim_end_matches('.')),
        _ => {
            status
                .canonical_reason()
                .unwrap_or("The request failed")
                .to_owned()
                + "."
        }
    };
    let mut answer = ApiError::new(status, description).into_response();
    for name in [header::ALLOW, header::RETRY_AFTER] {
        if let Some(value) = parts.headers.get(&name) {
            answer.headers_mut().insert(name, value.clone());
        }
    }
    answer
}
