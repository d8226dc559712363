//! Federation errors as HTTP answers, the table of `docs/federation.md`: 401 only when a
//! signature cannot be verified (so that peers that try two schemes retry), 403 for policy
//! (unapproved peers, origin violations, rules, an origin that denies what was announced),
//! 400 only for what cannot be read, 413 for oversized bodies, 5xx for passing failures (ours,
//! or another node's silence) so that the sender retries.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use serde_json::json;

use crate::domain::DomainError;
use crate::federation::FederationError;

#[derive(Debug, thiserror::Error)]
pub enum ApError {
    #[error(transparent)]
    Federation(#[from] FederationError),
    #[error("not found")]
    NotFound,
    #[error("request body too large")]
    TooLarge,
    #[error("{0}")]
    BadRequest(String),
}

/// What the domain refuses: a missing object is 404, the rest as federation errors (a
/// `Forbidden` access rule is 403).
impl From<DomainError> for ApError {
    fn from(e: DomainError) -> Self {
        match e {
            DomainError::NotFound(_) => ApError::NotFound,
            other => ApError::Federation(other.into()),
        }
    }
}

/// What an activity that overtook the one it depends on is told: the other is usually a
/// second or two behind, and our own sender honours a short Retry-After.
pub const NOT_YET_RETRY_SECS: u64 = 10;

impl ApError {
    fn parts(&self) -> (StatusCode, &'static str) {
        match self {
            ApError::NotFound => (StatusCode::NOT_FOUND, "not_found"),
            ApError::TooLarge => (StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large"),
            ApError::BadRequest(_) => (StatusCode::BAD_REQUEST, "bad_request"),
            ApError::Federation(f) => match f {
                FederationError::Signature(_) | FederationError::Key(_) => {
                    (StatusCode::UNAUTHORIZED, "bad_signature")
                }
                FederationError::NotApproved(_) => (StatusCode::FORBIDDEN, "peer_not_approved"),
                FederationError::OriginMismatch(_) => (StatusCode::FORBIDDEN, "origin_mismatch"),
                FederationError::Refused(_) | FederationError::PrivateAddress(_) => {
                    (StatusCode::FORBIDDEN, "refused")
                }
                FederationError::Malformed(_) => (StatusCode::BAD_REQUEST, "malformed_activity"),
                FederationError::RateLimited(_) => (StatusCode::TOO_MANY_REQUESTS, "rate_limited"),
                FederationError::TooLarge => (StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large"),
                // Never reached by an inbox, which acknowledges these (202).
                FederationError::NotHeld(_) => (StatusCode::NOT_FOUND, "not_found"),
                // The same activity would need as many fetches again: retrying cannot help.
                FederationError::FetchBudget => (StatusCode::FORBIDDEN, "fetch_budget"),
                // Another node denies a document the activity relies on: final.
                FederationError::Status(s) if (400..500).contains(s) && *s != 408 && *s != 429 => {
                    (StatusCode::FORBIDDEN, "not_confirmed")
                }
                FederationError::NotYet(_) => (StatusCode::SERVICE_UNAVAILABLE, "not_yet"),
                FederationError::Remote(_) | FederationError::Status(_) => {
                    (StatusCode::BAD_GATEWAY, "remote_error")
                }
                FederationError::Db(_) | FederationError::Internal(_) => {
                    (StatusCode::INTERNAL_SERVER_ERROR, "internal")
                }
            },
        }
    }
}

impl ResponseError for ApError {
    fn status_code(&self) -> StatusCode {
        self.parts().0
    }

    fn error_response(&self) -> HttpResponse {
        let (status, code) = self.parts();
        let message = if let ApError::Federation(FederationError::NotYet(_)) = self {
            // Expected between two nodes that deliver in parallel: not an error of ours.
            tracing::info!(error = %self, "activity arrived before the one it depends on");
            self.to_string()
        } else if status.is_server_error() {
            tracing::error!(error = %crate::http::error::error_chain(self), "federation request failed");
            "internal error".to_owned()
        } else {
            tracing::info!(%status, error = %self, "federation request refused");
            self.to_string()
        };
        let mut res = HttpResponse::build(status);
        match self {
            ApError::Federation(FederationError::RateLimited(secs)) => {
                res.insert_header(("Retry-After", secs.to_string()));
            }
            ApError::Federation(FederationError::NotYet(_)) => {
                res.insert_header(("Retry-After", NOT_YET_RETRY_SECS.to_string()));
            }
            _ => {}
        }
        res.json(json!({ "error": { "code": code, "message": message } }))
    }
}
