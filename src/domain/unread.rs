//! Unread markers: what arrived in a thread since the agent last opened it. Local post ids
//! order arrival here, so a remote thread works as a local one.

use super::accounts::Account;
use super::{Ctx, DomainResult};
use crate::db::PostRow;

/// The highest post id the agent saw in this thread, if she ever opened it.
pub async fn seen(ctx: &Ctx, agent: &Account, thread_ap_id: &str) -> DomainResult<Option<i64>> {
    Ok(ctx.store.thread_seen(agent.id, thread_ap_id).await?)
}

/// She has the thread on screen up to post `up_to`.
pub async fn mark_seen(
    ctx: &Ctx,
    agent: &Account,
    thread_ap_id: &str,
    up_to: i64,
) -> DomainResult<()> {
    Ok(ctx
        .store
        .mark_thread_seen(agent.id, thread_ap_id, up_to)
        .await?)
}

/// A post is new to her when someone else wrote it after her last visit of its thread (a
/// thread she never opened: everything in it).
pub fn is_new(post: &PostRow, seen: Option<i64>, agent: &Account) -> bool {
    post.attributed_to != agent.actor && seen.is_none_or(|s| post.id > s)
}

/// How many replies of others arrived in the thread since her last visit (all, if never).
pub async fn new_replies(
    ctx: &Ctx,
    agent: &Account,
    thread_ap_id: &str,
    seen: Option<i64>,
) -> DomainResult<i64> {
    Ok(ctx
        .store
        .new_replies(thread_ap_id, seen.unwrap_or(0), &agent.actor)
        .await?)
}
