//! Keeping peers' directory caches right: the origin pushes the agent's `Person` (circle
//! fields only) to every approved peer on each change, serves its circle entries to an
//! approved peer as a collection, and pulls a peer's when a federation becomes active; the
//! receiving side of those documents.

use serde_json::Value;

use super::directory::{reindex, search_text};
use super::search;
use crate::db::{ActorRow, DirectoryRow};
use crate::federation::convert::directory as wire;
use crate::federation::convert::from_as::kind_of;
use crate::federation::convert::to_as;
use crate::federation::fetch::{FetchBudget, fetch_json};
use crate::federation::inbox::Activity;
use crate::federation::{FederationError, authority_of_str, remote};
use crate::state::AppState;

/// Sends the agent's `Person`, with only the circle's fields, to every approved peer (or
/// to `only` that one).
pub(super) async fn push(
    state: &AppState,
    actor: &ActorRow,
    entry: Option<&DirectoryRow>,
    disabled: bool,
    only: Option<&str>,
) -> Result<(), FederationError> {
    let mut person = crate::federation::convert::to_as::actor_document(actor, &state.config)?;
    wire::decorate(&mut person, entry, disabled);
    person.as_object_mut().map(|m| m.remove("@context"));
    let id = state.urls.new_activity();
    let update =
        crate::federation::convert::to_as::activity("Update", &id, &actor.ap_id, person, &[]);
    wire::send_to_peers(state, actor, &update, only).await
}

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
    match values {
        Some(mut v) => {
            v.search_text = search_text(&actor, &v);
            state.store.upsert_directory_entry(actor.id, &v).await?;
            let entry = state.store.directory_entry(actor.id).await?;
            reindex(state, &actor.ap_id, entry.as_ref()).await?;
        }
        None => {
            state.store.delete_directory_entry(actor.id).await?;
            search::remove(state, &actor.ap_id).await?;
        }
    }
    Ok(())
}

/// The collection a peer pulls: every local entry shown to the circle, as its `Person`.
pub async fn circle_collection(state: &AppState, id: &str) -> Result<Value, FederationError> {
    let mut items = Vec::new();
    for e in state.store.local_circle_entries().await? {
        if let Some(actor) = state.store.actor_by_id(e.actor_id).await? {
            let mut person = to_as::actor_document(&actor, &state.config)?;
            wire::decorate(&mut person, Some(&e), false);
            person.as_object_mut().map(|m| m.remove("@context"));
            items.push(person);
        }
    }
    let mut doc = to_as::collection(id, None, items.len());
    doc["orderedItems"] = Value::Array(items);
    Ok(doc)
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
        if let Err(err) = push(state, &actor, Some(&e), false, Some(authority)).await {
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
