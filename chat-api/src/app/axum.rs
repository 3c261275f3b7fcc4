//! The endpoint in axum (feature `axum`): a `POST` route that reads at most the
//! endpoint's body limit, verifies, types the event, runs the handler and writes its
//! answer, with [`Endpoint::handle`]'s statuses.
//!
//! ```no_run
//! use chat_api::app::{Answer, ChatAuth, Endpoint, Event};
//!
//! async fn answer(event: Event) -> Answer {
//!     match event {
//!         Event::Message(m) => Answer::text(format!("You said: {}", m.text())),
//!         _ => Answer::empty(),
//!     }
//! }
//!
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let endpoint = Endpoint::new(ChatAuth::project_number("1234567890"))?;
//! let app = axum::Router::new().route("/", chat_api::app::axum::post(endpoint, answer));
//! let listener = tokio::net::TcpListener::bind("0.0.0.0:8080").await?;
//! axum::serve(listener, app).await?;
//! # Ok(())
//! # }
//! ```

use std::future::Future;

use axum::body::Body;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::MethodRouter;

use super::answer::Answer;
use super::endpoint::{Endpoint, Rejection, Reply};
use super::event::Event;

/// A `POST` route serving Chat's requests with `handler`.
pub fn post<H, Fut, S>(endpoint: Endpoint, handler: H) -> MethodRouter<S>
where
    H: Fn(Event) -> Fut + Clone + Send + Sync + 'static,
    Fut: Future<Output = Answer> + Send + 'static,
    S: Clone + Send + Sync + 'static,
{
    axum::routing::post(move |headers: HeaderMap, body: Body| {
        let endpoint = endpoint.clone();
        let handler = handler.clone();
        async move { serve(&endpoint, &headers, body, handler).await }
    })
}

/// Serves one request: for a hand-made axum handler that does more around it.
pub async fn serve<H, Fut>(
    endpoint: &Endpoint,
    headers: &HeaderMap,
    body: Body,
    handler: H,
) -> Response
where
    H: FnOnce(Event) -> Fut,
    Fut: Future<Output = Answer>,
{
    let limit = endpoint.max_body_bytes();
    let bytes = match axum::body::to_bytes(body, limit).await {
        Ok(bytes) => bytes,
        Err(e) => {
            let over = e
                .into_inner()
                .downcast_ref::<http_body_util::LengthLimitError>()
                .is_some();
            let rejection = if over {
                Rejection::BodyTooLarge { limit }
            } else {
                Rejection::BadBody {
                    reason: "the body could not be read".into(),
                }
            };
            tracing::warn!(status = rejection.status(), reason = %rejection, "Chat request refused");
            return into_response(rejection.reply());
        }
    };
    let authorization = headers.get(header::AUTHORIZATION).map(|v| v.as_bytes());
    into_response(endpoint.handle(authorization, &bytes, handler).await)
}

fn into_response(reply: Reply) -> Response {
    let status = StatusCode::from_u16(reply.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (
        status,
        [(header::CONTENT_TYPE, "application/json")],
        reply.body,
    )
        .into_response()
}
