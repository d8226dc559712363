//! `POST /inbox`, `/actor/inbox`, `/users/{name}/inbox`: verify, check, process, 202. An
//! authority that is not approved gets 403, unless it is a federation handshake; a peer past
//! its inbox budget gets 429 with `Retry-After`.

use actix_web::web::{Bytes, Data};
use actix_web::{HttpRequest, HttpResponse};

use super::ApError;
use super::signed::{headers_of, path_and_query, verify_request};
use crate::federation::FederationError;
use crate::federation::handshake::verify_unapproved;
use crate::federation::inbox::receive;
use crate::federation::verify::IncomingRequest;
use crate::metrics;
use crate::state::AppState;

pub async fn post(
    state: Data<AppState>,
    req: HttpRequest,
    body: Bytes,
) -> Result<HttpResponse, ApError> {
    let kind = activity_type(&body);
    let verified = match verify_request(&state, &req, Some(&body)).await {
        // Not approved: only a federation handshake between instance actors may pass.
        Err(FederationError::NotApproved(authority)) => {
            let headers = headers_of(&req);
            let path = path_and_query(&req);
            let incoming = IncomingRequest {
                method: req.method().as_str(),
                path_and_query: &path,
                headers: &headers,
                body: Some(&body),
            };
            verify_unapproved(&state, &incoming, &authority, &body).await
        }
        other => other,
    };
    let signer = match verified {
        Ok(s) => s,
        Err(e) => {
            match &e {
                FederationError::Signature(s) => metrics::signature_failure(s.reason()),
                FederationError::Key(_) => metrics::signature_failure("bad_key"),
                FederationError::NotApproved(_) => metrics::signature_failure("unapproved_peer"),
                _ => {}
            }
            metrics::inbox_activity(&kind, outcome(&e));
            return Err(e.into());
        }
    };
    // Charged once the signature holds: requests forged in a peer's name cost it nothing.
    if let Err(secs) = state.fed.inbox_limits.charge(&signer.authority) {
        tracing::info!(peer = %signer.authority, "inbox budget spent: 429");
        metrics::inbox_activity(&kind, "rate_limited");
        return Err(FederationError::RateLimited(secs).into());
    }
    match receive(&state, &signer, &body).await {
        Ok(()) => {
            metrics::inbox_activity(&kind, "accepted");
            Ok(HttpResponse::Accepted().finish())
        }
        Err(e) => {
            metrics::inbox_activity(&kind, outcome(&e));
            Err(e.into())
        }
    }
}

/// The `type` of a body, for metrics only (the body is parsed again, and checked, later).
fn activity_type(body: &[u8]) -> String {
    #[derive(serde::Deserialize)]
    struct Typed {
        #[serde(rename = "type")]
        kind: Option<serde_json::Value>,
    }
    serde_json::from_slice::<Typed>(body)
        .ok()
        .and_then(|t| t.kind)
        .and_then(|k| k.as_str().map(str::to_owned))
        .unwrap_or_else(|| "other".to_owned())
}

/// The outcome label of a refused activity.
fn outcome(e: &FederationError) -> &'static str {
    match e {
        FederationError::Signature(_) | FederationError::Key(_) => "unauthorized",
        FederationError::NotApproved(_) => "unapproved_peer",
        FederationError::OriginMismatch(_)
        | FederationError::Refused(_)
        | FederationError::PrivateAddress(_) => "refused",
        FederationError::Malformed(_) => "invalid",
        FederationError::RateLimited(_) => "rate_limited",
        _ => "error",
    }
}
