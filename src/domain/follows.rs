//! Following between persons: a local agent follows a remote one, incoming follows are
//! accepted at once, and either side can undo.

use serde_json::{Value, json};

use super::accounts::{Account, actor_of as local_actor};
use super::error::{DomainError, DomainResult};
use crate::db::ActorRow;
use crate::federation::convert::from_as::{id_of, str_field};
use crate::federation::convert::to_as::activity;
use crate::federation::fetch::FetchBudget;
use crate::federation::inbox::Activity;
use crate::federation::{FederationError, outbox, remote};
use crate::state::AppState;

fn federation(e: FederationError) -> DomainError {
    match e {
        FederationError::Db(d) => DomainError::Db(d),
        FederationError::NotApproved(_) => {
            DomainError::Forbidden("that institution is not an approved peer")
        }
        other => DomainError::Conflict(format!("cannot reach that agent: {other}")),
    }
}

/// Follows `target` (`user@authority` or an actor URL): sends a Follow; the follow counts once
/// the other side accepts.
pub async fn follow(state: &AppState, account: &Account, target: &str) -> DomainResult<ActorRow> {
    let me = local_actor(state, account).await?;
    let them = remote::resolve(state, target, &FetchBudget::default())
        .await
        .map_err(federation)?;
    if them.id == me.id {
        return Err(DomainError::Conflict("one cannot follow oneself".into()));
    }
    if them.is_local == 1 {
        let id = state.urls.new_activity();
        state
            .store
            .upsert_follow(me.id, them.id, &id, "accepted")
            .await?;
        return Ok(them);
    }
    let id = state.urls.new_activity();
    state
        .store
        .upsert_follow(me.id, them.id, &id, "pending")
        .await?;
    let doc = activity("Follow", &id, &me.ap_id, json!(them.ap_id), &[&them.ap_id]);
    outbox::send(state, &me, &doc, std::slice::from_ref(&them))
        .await
        .map_err(federation)?;
    Ok(them)
}

/// Stops following `target`, telling the other side.
pub async fn unfollow(state: &AppState, account: &Account, target: &str) -> DomainResult<()> {
    let me = local_actor(state, account).await?;
    let them = remote::resolve(state, target, &FetchBudget::default())
        .await
        .map_err(federation)?;
    let follow = state
        .store
        .follow_between(me.id, them.id)
        .await?
        .ok_or(DomainError::NotFound("follow"))?;
    state.store.delete_follow(follow.id).await?;
    if them.is_local == 0 {
        let undo = activity(
            "Undo",
            &state.urls.new_activity(),
            &me.ap_id,
            json!({"type": "Follow", "id": follow.ap_id, "actor": me.ap_id, "object": them.ap_id}),
            &[&them.ap_id],
        );
        outbox::send(state, &me, &undo, std::slice::from_ref(&them))
            .await
            .map_err(federation)?;
    }
    Ok(())
}

/// A remote actor follows one of our agents: accepted at once (agents' profiles are open to
/// the approved circle), answered with an Accept.
pub async fn on_follow(
    state: &AppState,
    a: &Activity,
    budget: &FetchBudget,
) -> Result<(), FederationError> {
    let target = id_of(&a.object)
        .ok_or_else(|| FederationError::Malformed("Follow without object".into()))?;
    let Some(followee) = state
        .store
        .actor_by_ap_id(target)
        .await?
        .filter(|r| r.is_local == 1 && r.kind == "Person")
    else {
        return Ok(());
    };
    let follower = remote::actor(state, &a.actor, budget).await?;
    state
        .store
        .upsert_follow(follower.id, followee.id, &a.id, "accepted")
        .await?;
    let accept = activity(
        "Accept",
        &state.urls.new_activity(),
        &followee.ap_id,
        json!({"type": "Follow", "id": a.id, "actor": follower.ap_id, "object": followee.ap_id}),
        &[&follower.ap_id],
    );
    outbox::send(state, &followee, &accept, std::slice::from_ref(&follower)).await?;
    Ok(())
}

/// The id of the Follow an Accept or Reject answers, and that it was addressed to the signer.
async fn answered_follow(
    state: &AppState,
    a: &Activity,
) -> Result<Option<crate::db::FollowRow>, FederationError> {
    let follow_id =
        id_of(&a.object).ok_or_else(|| FederationError::Malformed("no object".into()))?;
    let Some(follow) = state.store.follow_by_ap_id(follow_id).await? else {
        return Ok(None);
    };
    let followee = state.store.actor_by_id(follow.followee_id).await?;
    if followee.map(|f| f.ap_id) != Some(a.actor.clone()) {
        return Err(FederationError::OriginMismatch(
            "only the followed actor may answer a Follow".into(),
        ));
    }
    Ok(Some(follow))
}

pub async fn on_accept(state: &AppState, a: &Activity) -> Result<(), FederationError> {
    if let Some(follow) = answered_follow(state, a).await? {
        state.store.set_follow_state(follow.id, "accepted").await?;
    }
    Ok(())
}

pub async fn on_reject(state: &AppState, a: &Activity) -> Result<(), FederationError> {
    if let Some(follow) = answered_follow(state, a).await? {
        state.store.delete_follow(follow.id).await?;
    }
    Ok(())
}

/// The follower withdraws its follow.
pub async fn on_undo_follow(state: &AppState, a: &Activity) -> Result<(), FederationError> {
    let follow_id = id_of(&a.object).unwrap_or_default();
    let by_id = state.store.follow_by_ap_id(follow_id).await?;
    let follow = match by_id {
        Some(f) => Some(f),
        // Some implementations send a new id in the Undo's embedded Follow: match by pair.
        None => {
            let target = a.object.get("object").and_then(id_of).unwrap_or_default();
            match (
                state.store.actor_by_ap_id(&a.actor).await?,
                state.store.actor_by_ap_id(target).await?,
            ) {
                (Some(f), Some(t)) => state.store.follow_between(f.id, t.id).await?,
                _ => None,
            }
        }
    };
    if let Some(follow) = follow {
        let follower = state.store.actor_by_id(follow.follower_id).await?;
        if follower.map(|f| f.ap_id) != Some(a.actor.clone()) {
            return Err(FederationError::OriginMismatch(
                "only the follower may undo a Follow".into(),
            ));
        }
        state.store.delete_follow(follow.id).await?;
    }
    Ok(())
}

/// Accepted followers of an actor, as actor ids.
pub async fn followers_of(state: &AppState, actor: &ActorRow) -> DomainResult<Vec<String>> {
    Ok(state
        .store
        .followers(actor.id)
        .await?
        .into_iter()
        .map(|a| a.ap_id)
        .collect())
}

/// Actors an actor follows (accepted), as actor ids.
pub async fn following_of(state: &AppState, actor: &ActorRow) -> DomainResult<Vec<String>> {
    Ok(state
        .store
        .following(actor.id)
        .await?
        .into_iter()
        .map(|a| a.ap_id)
        .collect())
}

/// The `to` of an activity, as strings (used by notes).
pub fn addressees(doc: &Value) -> Vec<String> {
    ["to", "cc"]
        .iter()
        .filter_map(|k| doc.get(*k))
        .flat_map(|v| match v {
            Value::Array(a) => a
                .iter()
                .filter_map(|x| x.as_str().map(str::to_owned))
                .collect(),
            Value::String(s) => vec![s.clone()],
            _ => vec![],
        })
        .chain(str_field(doc, "audience").map(str::to_owned))
        .collect()
}
