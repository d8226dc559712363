//! The one place where errors become HTTP statuses: JSON `{"error":{"code","message"}}` for the
//! API and the fediverse, an HTML page for browsers. Internal causes are logged, never sent.

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;

use crate::domain::DomainError;

/// An error answered as JSON.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error(transparent)]
    Domain(#[from] DomainError),
    #[error("{0}")]
    BadRequest(String),
    #[error("{0}")]
    Unauthorized(&'static str),
    #[error("{0}")]
    Forbidden(&'static str),
    #[error("{0}")]
    NotFound(&'static str),
    #[error("request body too large")]
    PayloadTooLarge,
}

/// The body of every error of the API (described in its OpenAPI document).
#[derive(Serialize, utoipa::ToSchema)]
pub struct ErrorBody<'a> {
    error: ErrorDetail<'a>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ErrorDetail<'a> {
    /// Stable: `invalid`, `not_found`, `conflict`, `unauthenticated`, `forbidden`, …
    code: &'a str,
    /// For people, in English.
    message: String,
    /// The request field that is not valid, for `invalid`.
    #[serde(skip_serializing_if = "Option::is_none")]
    field: Option<&'a str>,
}

/// Status, stable code and the text a client may see for a domain error.
pub fn classify(e: &DomainError) -> (StatusCode, &'static str, String) {
    match e {
        DomainError::Invalid { .. } => (StatusCode::UNPROCESSABLE_ENTITY, "invalid", e.to_string()),
        DomainError::NotFound(_) => (StatusCode::NOT_FOUND, "not_found", e.to_string()),
        DomainError::Conflict(_) => (StatusCode::CONFLICT, "conflict", e.to_string()),
        DomainError::Unauthenticated => (
            StatusCode::UNAUTHORIZED,
            "unauthenticated",
            "missing or invalid credentials".into(),
        ),
        DomainError::Disabled => (
            StatusCode::FORBIDDEN,
            "account_disabled",
            "this account is disabled".into(),
        ),
        DomainError::Forbidden(_) => (StatusCode::FORBIDDEN, "forbidden", e.to_string()),
        DomainError::RateLimited { .. } => {
            (StatusCode::TOO_MANY_REQUESTS, "rate_limited", e.to_string())
        }
        DomainError::Unreachable(_) | DomainError::NotYet(_) => (
            StatusCode::BAD_GATEWAY,
            "unreachable",
            "the other institution's node did not answer; try again later".into(),
        ),
        DomainError::Db(crate::db::DbError::Unavailable(_)) => (
            StatusCode::SERVICE_UNAVAILABLE,
            "storage_unavailable",
            "the node cannot store anything now (disk full or read-only); nothing was written, \
             try again in a few minutes"
                .into(),
        ),
        DomainError::Db(_) | DomainError::Internal(_) => (
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "internal error; the administrator can find details in the logs".into(),
        ),
    }
}

impl ApiError {
    fn parts(&self) -> (StatusCode, &'static str, String, Option<&'static str>) {
        match self {
            ApiError::Domain(d) => {
                let (s, c, m) = classify(d);
                let field = match d {
                    DomainError::Invalid { field, .. } => Some(*field),
                    _ => None,
                };
                (s, c, m, field)
            }
            ApiError::BadRequest(m) => (StatusCode::BAD_REQUEST, "bad_request", m.clone(), None),
            ApiError::Unauthorized(m) => (
                StatusCode::UNAUTHORIZED,
                "unauthenticated",
                (*m).into(),
                None,
            ),
            ApiError::Forbidden(m) => (StatusCode::FORBIDDEN, "forbidden", (*m).into(), None),
            ApiError::NotFound(m) => (StatusCode::NOT_FOUND, "not_found", (*m).into(), None),
            ApiError::PayloadTooLarge => (
                StatusCode::PAYLOAD_TOO_LARGE,
                "payload_too_large",
                self.to_string(),
                None,
            ),
        }
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        self.parts().0
    }

    fn error_response(&self) -> HttpResponse {
        let (status, code, message, field) = self.parts();
        if status.is_server_error() {
            tracing::error!(error = %error_chain(self), "request failed");
        }
        let mut res = HttpResponse::build(status);
        if let ApiError::Domain(DomainError::RateLimited { retry_after_secs }) = self
            && let Ok(v) = HeaderValue::from_str(&retry_after_secs.to_string())
        {
            res.insert_header((header::RETRY_AFTER, v));
        }
        res.json(ErrorBody {
            error: ErrorDetail {
                code,
                message,
                field,
            },
        })
    }
}

/// Body errors of actix's JSON extractor, answered in our error shape.
pub fn json_config(limit: usize) -> actix_web::web::JsonConfig {
    actix_web::web::JsonConfig::default()
        .limit(limit)
        .content_type_required(false)
        .error_handler(|err, _req| {
            use actix_web::error::JsonPayloadError;
            let api = match &err {
                JsonPayloadError::OverflowKnownLength { .. }
                | JsonPayloadError::Overflow { .. } => ApiError::PayloadTooLarge,
                other => ApiError::BadRequest(format!("malformed JSON body: {other}")),
            };
            actix_web::error::InternalError::from_response(err, api.error_response()).into()
        })
}

/// An error and its causes on one line, for logs.
pub fn error_chain(e: &dyn std::error::Error) -> String {
    let mut out = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        out.push_str(": ");
        out.push_str(&c.to_string());
        cause = c.source();
    }
    out
}

pub type ApiResult<T> = Result<T, ApiError>;
