//! Following between persons: a local agent follows a remote one, incoming follows are
//! accepted at once, and either side can undo.

use super::Ctx;
use super::accounts::{Account, actor_of as local_actor};
use super::changes::{Change, FollowChange};
use super::error::{DomainError, DomainResult};
use crate::db::{ActorRow, FollowRow};

/// Follows `target` (`user@authority` or an actor URL): the follow counts once the other
/// side accepts (at once for an agent of this node).
pub async fn follow(state: &Ctx, account: &Account, target: &str) -> DomainResult<ActorRow> {
    let me = local_actor(state, account).await?;
    let them = state.remote.resolve(state, target).await?;
    if them.id == me.id {
        return Err(DomainError::Conflict("one cannot follow oneself".into()));
    }
    let id = state.urls.new_activity();
    if them.is_local == 1 {
        state
            .store
            .upsert_follow(me.id, them.id, &id, "accepted")
            .await?;
        return Ok(them);
    }
    state
        .store
        .upsert_follow(me.id, them.id, &id, "pending")
        .await?;
    let change = FollowChange::Requested {
        follower: me,
        followee: them.clone(),
        follow_id: id,
    };
    state
        .publisher
        .publish(state, Change::Follow(change))
        .await?;
    Ok(them)
}

/// Stops following `target`, telling the other side.
pub async fn unfollow(state: &Ctx, account: &Account, target: &str) -> DomainResult<()> {
    let me = local_actor(state, account).await?;
    let them = state.remote.resolve(state, target).await?;
    let follow = state
        .store
        .follow_between(me.id, them.id)
        .await?
        .ok_or(DomainError::NotFound("follow"))?;
    state.store.delete_follow(follow.id).await?;
    if them.is_local == 0 {
        let change = FollowChange::Withdrawn {
            follower: me,
            followee: them,
            follow_id: follow.ap_id,
        };
        state
            .publisher
            .publish(state, Change::Follow(change))
            .await?;
    }
    Ok(())
}

/// A remote actor follows `followee_ap_id`: when that is one of our agents, the follow is
/// accepted at once (agents' profiles are open to the approved circle).
pub async fn accept_incoming(
    state: &Ctx,
    follower: &ActorRow,
    followee_ap_id: &str,
    follow_id: &str,
) -> DomainResult<()> {
    let Some(followee) = state
        .store
        .actor_by_ap_id(followee_ap_id)
        .await?
        .filter(|r| r.is_local == 1 && r.kind == "Person")
    else {
        return Ok(());
    };
    state
        .store
        .upsert_follow(follower.id, followee.id, follow_id, "accepted")
        .await?;
    let change = FollowChange::Accepted {
        follower: follower.clone(),
        followee,
        follow_id: follow_id.to_owned(),
    };
    state.publisher.publish(state, Change::Follow(change)).await
}

/// The followed actor answers one of our agents' follows: accepted, or dropped. Only the
/// followed actor may answer; an answer to an unknown follow is ignored.
pub async fn answered(
    state: &Ctx,
    follow_id: &str,
    answerer_ap_id: &str,
    accepted: bool,
) -> DomainResult<()> {
    let Some(follow) = state.store.follow_by_ap_id(follow_id).await? else {
        return Ok(());
    };
    let followee = state.store.actor_by_id(follow.followee_id).await?;
    if followee.map(|f| f.ap_id).as_deref() != Some(answerer_ap_id) {
        return Err(DomainError::Forbidden(
            "only the followed actor may answer a Follow",
        ));
    }
    if accepted {
        state.store.set_follow_state(follow.id, "accepted").await?;
    } else {
        state.store.delete_follow(follow.id).await?;
    }
    Ok(())
}

/// A remote follower withdraws its follow, named by the follow's id or, as some
/// implementations send a new id in the Undo, by the pair. Only the follower may withdraw.
pub async fn withdrawn(
    state: &Ctx,
    follower_ap_id: &str,
    follow_id: &str,
    followee_ap_id: &str,
) -> DomainResult<()> {
    let Some(follow) = find(state, follower_ap_id, follow_id, followee_ap_id).await? else {
        return Ok(());
    };
    let follower = state.store.actor_by_id(follow.follower_id).await?;
    if follower.map(|f| f.ap_id).as_deref() != Some(follower_ap_id) {
        return Err(DomainError::Forbidden(
            "only the follower may undo a Follow",
        ));
    }
    state.store.delete_follow(follow.id).await?;
    Ok(())
}

async fn find(
    state: &Ctx,
    follower_ap_id: &str,
    follow_id: &str,
    followee_ap_id: &str,
) -> DomainResult<Option<FollowRow>> {
    if let Some(f) = state.store.follow_by_ap_id(follow_id).await? {
        return Ok(Some(f));
    }
    Ok(
        match (
            state.store.actor_by_ap_id(follower_ap_id).await?,
            state.store.actor_by_ap_id(followee_ap_id).await?,
        ) {
            (Some(f), Some(t)) => state.store.follow_between(f.id, t.id).await?,
            _ => None,
        },
    )
}

/// Accepted followers of an actor, as actor ids.
pub async fn followers_of(state: &Ctx, actor: &ActorRow) -> DomainResult<Vec<String>> {
    Ok(state
        .store
        .followers(actor.id)
        .await?
        .into_iter()
        .map(|a| a.ap_id)
        .collect())
}

/// Actors an actor follows (accepted), as actor ids.
pub async fn following_of(state: &Ctx, actor: &ActorRow) -> DomainResult<Vec<String>> {
    Ok(state
        .store
        .following(actor.id)
        .await?
        .into_iter()
        .map(|a| a.ap_id)
        .collect())
}
