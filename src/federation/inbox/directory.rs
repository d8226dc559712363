//! Peers' directories as they arrive: an `Update` of one of their `Person`s (pushed on each
//! change), and the pull of a new peer's whole directory once our request is accepted. The
//! wire format is `convert::directory`; the cache rule is `domain::directory`.

use serde_json::Value;

use super::Activity;
use crate::domain::directory::cache_remote;
use crate::federation::convert::directory::{self as wire, circle_update, send_to_peers};
use crate::federation::convert::from_as::kind_of;
use crate::federation::fetch::{FetchBudget, fetch_json};
use crate::federation::{FederationError, authority_of_str, remote};
use crate::state::AppState;

/// An `Update` of a peer's `Person`: refresh the cached actor and its entry (or drop the
/// entry when it is no longer shown to the circle). Nothing is changed when a field is bad.
pub async fn on_update_person(state: &AppState, a: &Activity) -> Result<(), FederationError> {
    wire::check_self(&a.object, &a.actor)?;
    apply_person(state, &a.object).await
}

/// Caches a peer's `Person` (from its origin) and its directory entry.
async fn apply_person(state: &AppState, person: &Value) -> Result<(), FederationError> {
    let values = wire::read(person)?;
    let actor = remote::store_actor(state, person).await?;
    cache_remote(state, &actor, values).await?;
    Ok(())
}

/// A federation just became active both ways (our request was accepted): the peer's
/// entries are pulled from its collection and ours are pushed to it. Failures are logged:
/// the handshake itself stands, and later changes are pushed as usual.
pub async fn on_peer_approved(state: &AppState, authority: &str) {
    if let Err(e) = pull(state, authority).await {
        tracing::warn!(%authority, error = %e, "directory of the new peer not pulled");
    }
    for e in state.store.local_circle_entries().await.unwrap_or_default() {
        let actor = match state.store.actor_by_id(e.actor_id).await {
            Ok(Some(a)) => a,
            _ => continue,
        };
        let actor = match crate::domain::actor_keys::ensure(state, actor).await {
            Ok(a) => a,
            Err(err) => {
                tracing::warn!(%authority, error = %err, "directory entry not pushed");
                continue;
            }
        };
        let pushed = match circle_update(&actor, Some(&e), false, state) {
            Ok(update) => send_to_peers(state, &actor, &update, Some(authority)).await,
            Err(err) => Err(err),
        };
        if let Err(err) = pushed {
            tracing::warn!(%authority, error = %err, "directory entry not pushed");
        }
    }
}

/// Reads a peer's directory collection; every item must be one of its own persons.
async fn pull(state: &AppState, authority: &str) -> Result<usize, FederationError> {
    let url = format!(
        "{}://{authority}/federation/directory",
        state.config.scheme()
    );
    let doc = fetch_json(state, &url, &FetchBudget::new(1)).await?;
    let items = doc
        .get("orderedItems")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let mut stored = 0;
    for item in &items {
        let id = item.get("id").and_then(Value::as_str).unwrap_or_default();
        if kind_of(item) != Some("Person") || authority_of_str(id).as_deref() != Some(authority) {
            tracing::info!(%authority, "directory item skipped: not one of the peer's persons");
            continue;
        }
        match apply_person(state, item).await {
            Ok(()) => stored += 1,
            Err(e) => tracing::info!(%authority, error = %e, "directory item refused"),
        }
    }
    Ok(stored)
}
