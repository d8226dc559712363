//! Checking who signed an incoming request: parse the signature, find the key (cache,
//! database, then the signer's origin), verify, and re-fetch the key once when verification
//! fails, in case the peer rotated it.

use std::time::SystemTime;

use super::fetch::FetchBudget;
use super::keycache::KnownKey;
use super::signatures::{self, SignatureError, SignatureParams, VerifyPolicy};
use super::{FederationError, authority_of_str, remote, rfc9421};
use crate::state::AppState;

/// An incoming request, in the terms the verifier needs.
pub struct IncomingRequest<'a> {
    pub method: &'a str,
    pub path_and_query: &'a str,
    /// Lower-case header names with their values (repeated headers appear several times).
    pub headers: &'a [(String, String)],
    pub body: Option<&'a [u8]>,
}

impl IncomingRequest<'_> {
    fn header(&self, name: &str) -> Option<String> {
        let values: Vec<&str> = self
            .headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
            .collect();
        (!values.is_empty()).then(|| values.join(", "))
    }
}

/// Verifies the request's signature and returns the signer's key. The signer's authority must
/// be an approved peer: we never fetch a key from anyone else.
pub async fn verify(
    state: &AppState,
    req: &IncomingRequest<'_>,
    budget: &FetchBudget,
) -> Result<KnownKey, FederationError> {
    // RFC 9421 (Fedify's first knock) names its signature in `Signature-Input`; its
    // `Signature` header is not draft-cavage's, so it must not be read as one.
    if let Some(input) = req.header("signature-input") {
        let header = req.header("signature").ok_or(SignatureError::Missing)?;
        let params = rfc9421::parse(&input, &header)?;
        let authority = authority_of_str(&params.key_id)
            .ok_or_else(|| SignatureError::Malformed("keyid is not a URL".into()))?;
        if req.header("host").as_deref() != Some(state.config.authority.as_str()) {
            return Err(SignatureError::InvalidHeader("host is not this node".into()).into());
        }
        if !state.fed.policy.allows(&state.store, &authority).await? {
            return Err(FederationError::NotApproved(authority));
        }
        return verify_rfc9421(state, req, &params, budget).await;
    }
    let header = req.header("signature").ok_or(SignatureError::Missing)?;
    if req.method == "POST"
        && state
            .fed
            .refuse_cavage
            .load(std::sync::atomic::Ordering::Relaxed)
    {
        return Err(SignatureError::UnsupportedAlgorithm("draft-cavage".into()).into());
    }
    let params = signatures::parse_signature_header(&header)?;
    let authority = authority_of_str(&params.key_id)
        .ok_or_else(|| SignatureError::Malformed("keyId is not a URL".into()))?;
    // The Host the peer signed must be ours, or a captured request could be replayed here.
    if req.header("host").as_deref() != Some(state.config.authority.as_str()) {
        return Err(SignatureError::InvalidHeader("host is not this node".into()).into());
    }
    if !state.fed.policy.allows(&state.store, &authority).await? {
        return Err(FederationError::NotApproved(authority));
    }
    verify_with_params(state, req, &params, budget).await
}

/// The verification step once the signature header is parsed and its authority allowed.
pub async fn verify_with_params(
    state: &AppState,
    req: &IncomingRequest<'_>,
    params: &SignatureParams,
    budget: &FetchBudget,
) -> Result<KnownKey, FederationError> {
    let (known, fresh) = key_for(state, &params.key_id, budget).await?;
    match check(req, params, &known) {
        Err(FederationError::Signature(SignatureError::BadSignature)) if !fresh => {
            // Maybe the key rotated: fetch it once more and retry.
            state.fed.keys.forget(&params.key_id);
            let refreshed = remote::refresh(state, &known.actor_ap_id, budget).await?;
            let known = state.fed.keys.remember(&refreshed)?;
            check(req, params, &known)?;
            Ok(known)
        }
        other => other.map(|_| known),
    }
}

/// The RFC 9421 verification once its headers are parsed and its authority allowed; a
/// cached key that does not verify is fetched again once, as for draft-cavage.
async fn verify_rfc9421(
    state: &AppState,
    req: &IncomingRequest<'_>,
    params: &rfc9421::Params,
    budget: &FetchBudget,
) -> Result<KnownKey, FederationError> {
    let target = format!("{}{}", state.urls.base(), req.path_and_query);
    let request = rfc9421::Request {
        method: req.method,
        target_uri: &target,
        body: req.body,
    };
    let lookup = |name: &str| req.header(name);
    let check = |k: &KnownKey| {
        rfc9421::verify(
            &request,
            &lookup,
            params,
            &k.key,
            SystemTime::now(),
            &VerifyPolicy::default(),
        )
    };
    let (known, fresh) = key_for(state, &params.key_id, budget).await?;
    match check(&known) {
        Err(SignatureError::BadSignature) if !fresh => {
            state.fed.keys.forget(&params.key_id);
            let refreshed = remote::refresh(state, &known.actor_ap_id, budget).await?;
            let known = state.fed.keys.remember(&refreshed)?;
            check(&known)?;
            Ok(known)
        }
        Err(e) => Err(e.into()),
        Ok(()) => Ok(known),
    }
}

/// Verifies the request with a key already in hand (digest, date window, signature).
pub fn check(
    req: &IncomingRequest<'_>,
    params: &SignatureParams,
    known: &KnownKey,
) -> Result<(), FederationError> {
    signatures::verify_request(
        req.method,
        req.path_and_query,
        |name| req.header(name),
        req.body,
        params,
        &known.key,
        SystemTime::now(),
        &VerifyPolicy::default(),
    )?;
    Ok(())
}

/// The key, and whether it was fetched just now (then a retry would fetch the same).
async fn key_for(
    state: &AppState,
    key_id: &str,
    budget: &FetchBudget,
) -> Result<(KnownKey, bool), FederationError> {
    // A key is fetched again after `remote_key_max_age`, so that a key the peer replaced
    // (or revoked) is not trusted for ever because it still verifies.
    let max_age = state.config.remote_key_max_age;
    let cached = match state.fed.keys.public_key(key_id) {
        Some(k) => Some(k),
        None => match state.store.actor_by_key_id(key_id).await? {
            // A local actor without its key pair yet has signed nothing.
            Some(row) if crate::domain::actor_keys::is_pending(&row) => None,
            Some(row) => Some(state.fed.keys.remember(&row)?),
            None => None,
        },
    };
    let stale = match cached {
        Some(k) if !k.is_stale(max_age, crate::db::now_ms()) => return Ok((k, false)),
        other => other,
    };
    // Key ids are `actor#fragment` on every implementation we meet; the actor document
    // carries the key.
    let actor_url = key_id.split('#').next().unwrap_or(key_id);
    let row = match remote::refresh(state, actor_url, budget).await {
        Ok(row) => row,
        Err(e) => match stale {
            // The origin is silent: the key we hold still speaks for it until it answers.
            Some(k) => {
                tracing::info!(key = %key_id, error = %e, "stale key not refreshed");
                return Ok((k, false));
            }
            None => {
                // What the keyId pointed to stays in our logs: the sender may not be who the
                // keyId names, and the document may be one only we may read.
                tracing::info!(key = %key_id, error = %e, "key not fetched");
                return Err(FederationError::Signature(SignatureError::Malformed(
                    "cannot fetch the key".into(),
                )));
            }
        },
    };
    if row.public_key_id != key_id {
        tracing::info!(key = %key_id, "the keyId's document does not publish it");
        return Err(SignatureError::Malformed("cannot fetch the key".into()).into());
    }
    Ok((state.fed.keys.remember(&row)?, true))
}
