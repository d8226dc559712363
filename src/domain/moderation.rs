//! Moderation: a member reports (Flag) a post to the community's animateurs, wherever the
//! community is hosted; animateurs see the queue on the host and close reports. Removing and
//! locking are in `posts` (`delete`, `set_flags`).

use serde::Serialize;

use super::accounts::Account;
use super::changes::{Change, PostChange};
use super::communities::{require_animateur, require_member};
use super::error::{DomainError, DomainResult};
use super::names;
use super::notifications;
use super::posts;
use crate::db::{CommunityRow, ReportRow};
use crate::domain::Ctx;

#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub id: i64,
    pub post: String,
    pub reporter: String,
    pub reason: String,
    pub created_at: i64,
}

impl From<ReportRow> for Report {
    fn from(r: ReportRow) -> Self {
        Report {
            id: r.id,
            post: r.post_ap_id,
            reporter: r.reporter,
            reason: r.reason,
            created_at: r.created_at,
        }
    }
}

/// Reports a post to its community's animateurs.
pub async fn report(
    state: &Ctx,
    account: &Account,
    post_ap_id: &str,
    reason: &str,
) -> DomainResult<()> {
    let reason = names::text("reason", reason, 1000)?;
    let p = posts::post(state, post_ap_id).await?;
    let c = posts::community(state, &p).await?;
    require_member(state, &c, account).await?;
    let id = state.urls.new_activity();
    if c.is_local == 1 {
        return record(state, &c, &id, post_ap_id, &account.actor, &reason).await;
    }
    let reporter = state
        .store
        .actor_by_id(account.actor_id)
        .await?
        .ok_or(DomainError::NotFound("actor"))?;
    let change = PostChange::Reported {
        id,
        post_ap_id: post_ap_id.to_owned(),
        reason,
        community: c,
        reporter,
    };
    state.publisher.publish(state, Change::Post(change)).await
}

async fn record(
    state: &Ctx,
    c: &CommunityRow,
    id: &str,
    post: &str,
    reporter: &str,
    reason: &str,
) -> DomainResult<()> {
    state
        .store
        .insert_report(id, c.id, post, reporter, reason)
        .await?;
    for m in state.store.members(c.id, "accepted").await? {
        if matches!(m.role.as_str(), "owner" | "animateur") {
            notifications::send(
                state,
                m.actor_id,
                "report",
                reporter,
                Some(c.id),
                Some(post),
            )
            .await;
        }
    }
    Ok(())
}

/// A member's report (`id`) of `post`, received by the community's host (the member was
/// checked): kept for the animateurs when the post is one of this community's, the reason
/// cut to 1000 characters.
pub async fn receive_report(
    state: &Ctx,
    c: &CommunityRow,
    id: &str,
    post: &str,
    reporter: &str,
    reason: &str,
) -> DomainResult<()> {
    let known = state
        .store
        .post_by_ap_id(post)
        .await?
        .is_some_and(|p| p.community_id == c.id);
    if !known {
        return Ok(());
    }
    let reason: String = reason.chars().take(1000).collect();
    record(state, c, id, post, reporter, &reason).await
}

/// The open reports of a community, for its animateurs.
pub async fn queue(state: &Ctx, account: &Account, c: &CommunityRow) -> DomainResult<Vec<Report>> {
    require_animateur(state, c, account).await?;
    Ok(state
        .store
        .open_reports(c.id)
        .await?
        .into_iter()
        .map(Report::from)
        .collect())
}

pub async fn close(state: &Ctx, account: &Account, c: &CommunityRow, id: i64) -> DomainResult<()> {
    require_animateur(state, c, account).await?;
    if state.store.close_report(c.id, id).await? {
        Ok(())
    } else {
        Err(DomainError::NotFound("report"))
    }
}
