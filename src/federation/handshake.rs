//! The narrow exceptions that let two instance actors talk before (or after) their
//! federation is active: fetching the other side's instance actor, delivering the handshake
//! activities, and admitting an incoming handshake activity from an unapproved authority.
//! Everything else goes through [`super::policy`], and these paths accept nothing but
//! `scheme://AUTHORITY/actor`.

use std::sync::Arc;

use serde_json::Value;
use url::Url;

use super::convert::from_as::{self, id_of, kind_of, str_field};
use super::fetch::{check_address, read_capped, signed_get};
use super::keycache::KnownKey;
use super::keys::PublicKey;
use super::outbox::inbox_for;
use super::signatures::{self, SignatureError};
use super::verify::{IncomingRequest, check};
use super::{FederationError, remote};
use crate::db::ActorRow;
use crate::domain::{instance, peers};
use crate::state::AppState;

/// Largest handshake activity accepted from an unapproved authority: a request is a few
/// hundred bytes plus a message of at most 2000 characters.
pub const MAX_HANDSHAKE_BYTES: usize = 16 * 1024;

/// Activity types that may come from an authority that is not approved.
const HANDSHAKE_KINDS: [&str; 5] = ["Follow", "Accept", "Reject", "Undo", "Block"];

/// The instance actor id of a peer running entrepairs (the same path as ours).
pub fn instance_actor_url(state: &AppState, authority: &str) -> String {
    format!("{}://{authority}/actor", state.config.scheme())
}

/// Fetches the instance actor of `authority`, approved or not: the requester needs the
/// target's inbox, and the target needs the requester's key to verify the request. Only
/// that exact URL, no redirect, and the document must be an `Application` with that id.
pub async fn fetch_instance_actor_for_handshake(
    state: &AppState,
    authority: &str,
) -> Result<ActorRow, FederationError> {
    let doc = fetch_instance_actor_doc(state, authority).await?;
    remote::store_actor(state, &doc).await
}

/// The document behind [`fetch_instance_actor_for_handshake`], not stored.
pub async fn fetch_instance_actor_doc(
    state: &AppState,
    authority: &str,
) -> Result<Value, FederationError> {
    let ap_id = instance_actor_url(state, authority);
    let url = Url::parse(&ap_id).map_err(|e| FederationError::Refused(format!("bad URL: {e}")))?;
    check_address(state, &url)?;
    let res = signed_get(state, &url).await?;
    if !res.status().is_success() {
        return Err(FederationError::Status(res.status().as_u16()));
    }
    let doc: Value = serde_json::from_slice(&read_capped(res).await?)
        .map_err(|e| FederationError::Remote(format!("not JSON: {e}")))?;
    if str_field(&doc, "id") != Some(ap_id.as_str()) || kind_of(&doc) != Some("Application") {
        return Err(FederationError::OriginMismatch(format!(
            "{ap_id} is not an instance actor"
        )));
    }
    Ok(doc)
}

/// Queues a handshake activity from our instance actor to the peer's instance actor; it is
/// delivered even though the peer is not (or no longer) approved.
pub async fn send(
    state: &AppState,
    activity: &Value,
    to: &ActorRow,
) -> Result<(), FederationError> {
    let me = instance::ensure(state).await?;
    let id = str_field(activity, "id")
        .ok_or_else(|| FederationError::Internal("activity without id".into()))?;
    let inbox = inbox_for(to).to_owned();
    let body =
        serde_json::to_string(activity).map_err(|e| FederationError::Internal(e.to_string()))?;
    state
        .store
        .enqueue_deliveries(id, me.id, &body, &[(inbox, to.authority.clone())], true)
        .await?;
    crate::metrics::deliveries_queued(&to.authority);
    state.fed.wakeup.notify_one();
    Ok(())
}

/// Admits a signed request from an authority that the policy refused (after `verify` checked
/// its Host header), when it is a
/// handshake activity between instance actors that the peer's state expects. Checks
/// everything that costs nothing before fetching the signer's key.
pub async fn verify_unapproved(
    state: &AppState,
    req: &IncomingRequest<'_>,
    authority: &str,
    body: &[u8],
) -> Result<KnownKey, FederationError> {
    let refused = || FederationError::NotApproved(authority.to_owned());
    if body.len() > MAX_HANDSHAKE_BYTES {
        return Err(FederationError::TooLarge);
    }
    let doc: Value = serde_json::from_slice(body).map_err(|_| refused())?;
    let kind = kind_of(&doc).unwrap_or_default();
    if !HANDSHAKE_KINDS.contains(&kind) {
        return Err(refused());
    }
    let theirs = instance_actor_url(state, authority);
    let ours = state.urls.instance_actor();
    if doc.get("actor").and_then(id_of) != Some(theirs.as_str()) {
        return Err(refused());
    }
    let header = req
        .headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("signature"))
        .map(|(_, v)| v.as_str())
        .ok_or(SignatureError::Missing)?;
    let params = signatures::parse_signature_header(header)?;
    // Only the instance actor's own key may speak for the institution.
    if params.key_id.split('#').next() != Some(theirs.as_str()) {
        return Err(FederationError::Refused(
            "a federation request must be signed by the instance actor".into(),
        ));
    }
    let addressed_to_us = match kind {
        "Follow" | "Block" => doc.get("object").and_then(id_of) == Some(ours.as_str()),
        "Undo" => doc.get("object").is_some_and(|o| {
            o.get("object").and_then(id_of) == Some(ours.as_str()) || o.is_string()
        }),
        _ => true,
    };
    if !addressed_to_us {
        return Err(refused());
    }
    // The peer's state decides (denied: never; Accept only to our request…) and the limits
    // on requests are looked at, all before any fetch; the limits are charged and the actor
    // stored only once the signature holds, so that requests in the name of invented
    // authorities neither block genuine ones nor leave rows.
    peers::incoming::admit(state, authority, kind, |a| state.fed.requests.peek(a)).await?;
    // Always the current key: a peer that reinstalled has a new one, and the usual re-fetch
    // on failure goes through the policy, which refuses this authority.
    state.fed.keys.forget(&params.key_id);
    let doc = fetch_instance_actor_doc(state, authority).await?;
    let claimed = from_as::remote_actor(&doc)?;
    if claimed.public_key_id != params.key_id {
        return Err(SignatureError::Malformed(format!(
            "{theirs} does not publish key {}",
            params.key_id
        ))
        .into());
    }
    let known = KnownKey {
        key: Arc::new(PublicKey::from_pem(&claimed.public_key_pem)?),
        actor_ap_id: claimed.ap_id.clone(),
        authority: claimed.authority.clone(),
        fetched_at: crate::db::now_ms(),
    };
    check(req, &params, &known)?;
    peers::incoming::admit(state, authority, kind, |a| state.fed.requests.check(a)).await?;
    remote::store_actor(state, &doc).await?;
    Ok(known)
}
