//! An agent leaves: they delete their account and choose what becomes of their posts.
//!
//! - **delete**: each post is deleted through its community's group (the host Announces the
//!   Delete to every member node), then `Delete{Person}` with `removeData: true` tells every
//!   node that may know the agent to drop the rest.
//! - **anonymise**: `Delete{Person}` with `removeData: false`; every node keeps the posts but
//!   hands them to the nameless id `{origin}/former-agent`, shown as "Ancien agent". The
//!   person's id (which holds their username) is then named nowhere.
//!
//! Either way each node forgets the cached profile, and with it memberships and follows.
//! `Delete{Person}` is accepted only from the person or their node's instance actor.

use super::Ctx;
use super::accounts::Account;
use super::changes::{AccountChange, Change};
use super::error::{DomainError, DomainResult, Rule};
use super::{passwords, posts};
use crate::db::ActorRow;

const FORMER_AGENT_PATH: &str = "/former-agent";

/// What becomes of the posts of an agent who leaves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PostsChoice {
    Delete,
    Anonymise,
}

impl PostsChoice {
    pub fn parse(s: &str) -> DomainResult<Self> {
        match s {
            "delete" => Ok(Self::Delete),
            "anonymise" => Ok(Self::Anonymise),
            _ => Err(DomainError::invalid(
                "posts",
                Rule::OneOf {
                    options: "delete, anonymise",
                },
            )),
        }
    }
}

/// The nameless author that the posts of a departed agent of `person`'s node are handed to.
pub fn former_agent_of(person: &str) -> Option<String> {
    let u = url::Url::parse(person).ok()?;
    Some(format!(
        "{}{FORMER_AGENT_PATH}",
        u.origin().ascii_serialization()
    ))
}

/// Whether `author` is such a nameless author.
pub fn is_former_agent(author: &str) -> bool {
    url::Url::parse(author).is_ok_and(|u| u.path() == FORMER_AGENT_PATH)
}

/// The agent deletes their account, confirming with their password. The last admin cannot:
/// the node would have no one left to run it.
pub async fn leave(
    state: &Ctx,
    account: &Account,
    password: &str,
    choice: PostsChoice,
) -> DomainResult<()> {
    let stored = state
        .store
        .account_by_id(account.id)
        .await?
        .and_then(|a| a.password_hash)
        .ok_or(DomainError::Unauthenticated)?;
    if !passwords::verify(password.to_owned(), stored).await {
        return Err(DomainError::Unauthenticated);
    }
    remove(state, account, choice).await
}

/// Deletes an account (the agent through [`leave`], or an admin of the node through the CLI).
pub async fn remove(state: &Ctx, account: &Account, choice: PostsChoice) -> DomainResult<()> {
    if account.is_admin() && state.store.count_admins().await? <= 1 {
        return Err(DomainError::Conflict(
            "the last admin cannot delete their account".into(),
        ));
    }
    let me = state
        .store
        .actor_by_id(account.actor_id)
        .await?
        .ok_or(DomainError::NotFound("actor"))?;
    // Gathered before memberships and follows go.
    let recipients = who_knows(state, &me).await?;
    if choice == PostsChoice::Delete {
        {
            for p in state.store.posts_by_author(&me.ap_id).await? {
                // One community out of reach must not keep the agent here: its host and
                // members still get Delete{Person} with removeData.
                if let Err(e) = posts::delete(state, account, &p.ap_id).await {
                    tracing::warn!(post = %p.ap_id, error = %e, "post not deleted through its group");
                }
            }
            state.store.delete_writings_of(&me.ap_id).await?;
        }
    }
    // What is left (all of it, or their reports after a deletion) names no one.
    let former = former_agent_of(&me.ap_id)
        .ok_or_else(|| DomainError::Internal("actor id is not a URL".into()))?;
    state.store.reattribute(&me.ap_id, &former).await?;
    let closed = me.clone();
    state
        .publisher
        .publish(
            state,
            Change::Account(AccountChange::Deleted {
                actor: Box::new(me),
                remove_data: choice == PostsChoice::Delete,
                known_by: recipients,
            }),
        )
        .await?;
    state.store.close_account(account.id, &closed).await?;
    tracing::info!(username = %account.username, ?choice, "account deleted");
    Ok(())
}

/// Every node that may hold something of `me`: the nodes we federate with (by the shared
/// inbox of an actor we know there), the hosts and members of their communities, their
/// followers. `outbox::send` makes it one delivery per inbox.
async fn who_knows(state: &Ctx, me: &ActorRow) -> DomainResult<Vec<ActorRow>> {
    let mut out = state.store.peer_shared_inbox_actors().await?;
    for c in state.store.communities_of(me.id, "accepted").await? {
        out.push(super::communities::group_of(state, &c).await?);
        if c.is_local == 1 {
            out.extend(state.store.member_actors(c.id).await?);
        }
    }
    out.extend(state.store.followers(me.id).await?);
    Ok(out)
}

/// A peer's agent left (their node said so): with `remove_data`, their posts in communities
/// hosted here are deleted and the group tells its members; either way what is left is
/// handed to the nameless former agent and their cached profile is forgotten.
pub async fn remote_left(state: &Ctx, person: &str, remove_data: bool) -> DomainResult<()> {
    let Some(cached) = state.store.actor_by_ap_id(person).await? else {
        return Ok(());
    };
    if cached.is_local == 1 || cached.kind != "Person" {
        return Err(DomainError::Forbidden("not a remote agent"));
    }
    if remove_data {
        // Posts in communities hosted here: deleted by the group, so that member nodes that
        // do not federate with the agent's node learn it too.
        for p in state.store.posts_by_author(person).await? {
            state.store.delete_post(&p.ap_id).await?;
            if let Some(c) = state
                .store
                .community_by_id(p.community_id)
                .await?
                .filter(|c| c.is_local == 1)
            {
                let group = super::communities::group_of(state, &c).await?;
                state
                    .publisher
                    .publish(
                        state,
                        Change::Account(AccountChange::DepartedPostDeleted {
                            community: Box::new(c),
                            group: Box::new(group),
                            post: p.ap_id,
                        }),
                    )
                    .await?;
            }
        }
        state.store.delete_writings_of(person).await?;
    }
    // What is left (all of it, or their reports after a deletion) names no one.
    let former = former_agent_of(person).ok_or_else(|| DomainError::invalid("actor", Rule::Url))?;
    state.store.reattribute(person, &former).await?;
    state.store.forget_remote_actor(person).await?;
    tracing::info!(%person, remove_data, "remote agent deleted");
    Ok(())
}
