//! What the fake answers over HTTP: a handler's [`Reply`] and the JSON body every JSON
//! answer (API results, errors, OAuth and key endpoints) is sent with.

use axum::body::Body;
use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::Value;

/// A JSON body with Chat's content type.
pub(crate) fn json_body(value: &Value) -> Response {
    let mut response = Response::new(Body::from(value.to_string()));
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json; charset=UTF-8"),
    );
    response
}

/// What a handler answers.
#[derive(Debug)]
pub(crate) enum Reply {
    /// 200 with a JSON body.
    Json(Value),
    /// 200 with media.
    Media { content_type: String, data: Vec<u8> },
    /// A status with headers and no body (resumable sessions: 200 + `Location`, 308 +
    /// `Range`).
    Empty {
        status: u16,
        headers: Vec<(HeaderName, String)>,
    },
}

impl IntoResponse for Reply {
    fn into_response(self) -> Response {
        match self {
            Self::Json(value) => json_body(&value),
            Self::Media { content_type, data } => {
                let mut response = Response::new(Body::from(data));
                if let Ok(v) = HeaderValue::from_str(&content_type) {
                    response.headers_mut().insert(header::CONTENT_TYPE, v);
                }
                response
            }
            Self::Empty { status, headers } => {
                let mut response = Response::new(Body::empty());
                *response.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::OK);
                for (name, value) in headers {
                    if let Ok(v) = HeaderValue::from_str(&value) {
                        response.headers_mut().insert(name, v);
                    }
                }
                response
            }
        }
    }
}
