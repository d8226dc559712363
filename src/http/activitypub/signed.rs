//! Reading the parts of an actix request that a signature covers.

use actix_web::HttpRequest;

use crate::federation::FederationError;
use crate::federation::fetch::FetchBudget;
use crate::federation::keycache::KnownKey;
use crate::federation::verify::{IncomingRequest, verify};
use crate::state::AppState;

/// Header names (lower case) and values; values that are not UTF-8 cannot be signed and are
/// left out.
pub fn headers_of(req: &HttpRequest) -> Vec<(String, String)> {
    req.headers()
        .iter()
        .filter_map(|(n, v)| Some((n.as_str().to_owned(), v.to_str().ok()?.to_owned())))
        .collect()
}

pub fn path_and_query(req: &HttpRequest) -> String {
    req.uri()
        .path_and_query()
        .map(|p| p.as_str().to_owned())
        .unwrap_or_else(|| req.path().to_owned())
}

/// Verifies a request's signature; `body` for requests that carry one.
pub async fn verify_request(
    state: &AppState,
    req: &HttpRequest,
    body: Option<&[u8]>,
) -> Result<KnownKey, FederationError> {
    let headers = headers_of(req);
    let path = path_and_query(req);
    let incoming = IncomingRequest {
        method: req.method().as_str(),
        path_and_query: &path,
        headers: &headers,
        body,
    };
    verify(state, &incoming, &FetchBudget::default()).await
}

/// Authorized fetch: a GET of anything but the instance actor and discovery documents must
/// be signed by an approved peer.
pub async fn require_signed_get(
    state: &AppState,
    req: &HttpRequest,
) -> Result<KnownKey, FederationError> {
    verify_request(state, req, None).await
}

/// Whether a request carries a signature at all (draft-cavage `Signature`, RFC 9421
/// `Signature-Input`, or a signature in `Authorization`): an unsigned GET of an actor gets its
/// public key document; a signed one is verified like any authorized fetch.
pub fn is_signed(req: &HttpRequest) -> bool {
    let h = req.headers();
    h.contains_key("signature")
        || h.contains_key("signature-input")
        || h.get("authorization")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.trim_start().starts_with("Signature"))
}
