//! The instance actor: the node itself as an ActivityPub `Application`.

use super::Ctx;
use super::accounts::new_key_pair;
use super::error::{DomainResult, OrNotFound};
use crate::db::{ActorRow, DbError};

pub const KIND: &str = "Application";

/// Returns the instance actor, creating it (and its key pair) on the node's first start.
/// Its username is the authority, as Mastodon does for its instance actor.
pub async fn ensure(state: &Ctx) -> DomainResult<ActorRow> {
    let authority = &state.config.authority;
    if let Some(actor) = state.store.local_actor(authority, KIND).await? {
        return Ok(actor);
    }
    let (private_pem, public_pem) = new_key_pair().await?;
    let new = super::local_actor::new_row(
        state,
        super::local_actor::Identity {
            kind: KIND,
            username: authority,
            ap_id: state.urls.instance_actor(),
            display_name: state.config.institution_name.clone(),
            summary: String::new(),
            job_title: String::new(),
        },
        Some((private_pem, public_pem)),
    );
    match state.store.insert_actor(state.store.pool(), &new).await {
        Ok(actor) => Ok(actor),
        // Another process of the same node created it first.
        Err(DbError::Duplicate(_)) => Ok(state
            .store
            .local_actor(authority, KIND)
            .await?
            .ok_or(DbError::Duplicate("instance actor"))?),
        Err(e) => Err(e.into()),
    }
}

/// The local actor an `acct:name@` handle names: the instance actor (its name is the
/// authority), an agent, or a community (agents and communities share the name space).
pub async fn by_handle(state: &Ctx, name: &str) -> DomainResult<ActorRow> {
    let name = name.to_ascii_lowercase();
    if name == state.config.authority {
        return ensure(state).await;
    }
    match state.store.local_actor(&name, "Person").await? {
        Some(person) => Ok(person),
        None => state
            .store
            .local_actor(&name, "Group")
            .await
            .or_not_found("actor"),
    }
}

/// A local actor by its id.
pub async fn local_by_ap_id(state: &Ctx, ap_id: &str) -> DomainResult<ActorRow> {
    state
        .store
        .actor_by_ap_id(ap_id)
        .await?
        .filter(|a| a.is_local == 1)
        .or_not_found("actor")
}

/// How many agents this node has (NodeInfo's `users`).
pub async fn agent_count(state: &Ctx) -> DomainResult<i64> {
    Ok(state.store.count_local_persons().await?)
}
