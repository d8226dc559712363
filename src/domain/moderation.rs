//! Moderation: a member reports (Flag) a post to the community's animateurs, wherever the
//! community is hosted; animateurs see the queue on the host and close reports. Removing and
//! locking are in `posts` (`delete`, `set_flags`).

use serde::Serialize;
use serde_json::json;

use super::accounts::Account;
use super::communities::{group_of, require_animateur, require_member, unreachable};
use super::error::{DomainError, DomainResult};
use super::names;
use super::notifications;
use super::posts;
use crate::db::{CommunityRow, ReportRow};
use crate::federation::convert::from_as::{id_of, str_field};
use crate::federation::convert::to_as::activity;
use crate::federation::inbox::Activity;
use crate::federation::{FederationError, outbox};
use crate::state::AppState;

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
    state: &AppState,
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
        return record(state, &c, &id, post_ap_id, &account.actor, &reason)
            .await
            .map_err(unreachable);
    }
    let me = state
        .store
        .actor_by_id(account.actor_id)
        .await?
        .ok_or(DomainError::NotFound("actor"))?;
    let group = group_of(state, &c).await?;
    let mut flag = activity("Flag", &id, &me.ap_id, json!([post_ap_id]), &[&c.ap_id]);
    flag["content"] = json!(reason);
    flag["audience"] = json!(c.ap_id);
    outbox::send(state, &me, &flag, std::slice::from_ref(&group))
        .await
        .map_err(unreachable)?;
    Ok(())
}

async fn record(
    state: &AppState,
    c: &CommunityRow,
    id: &str,
    post: &str,
    reporter: &str,
    reason: &str,
) -> Result<(), FederationError> {
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

/// Inbox of a local group: a member's Flag of a post of this community.
pub async fn on_flag(
    state: &AppState,
    a: &Activity,
    c: &CommunityRow,
) -> Result<(), FederationError> {
    let post = match &a.raw.get("object") {
        Some(serde_json::Value::Array(items)) => items.first().and_then(id_of),
        Some(other) => id_of(other),
        None => None,
    }
    .unwrap_or_default();
    let known = state
        .store
        .post_by_ap_id(post)
        .await?
        .is_some_and(|p| p.community_id == c.id);
    if !known {
        return Ok(());
    }
    let reason: String = str_field(&a.raw, "content")
        .unwrap_or_default()
        .chars()
        .take(1000)
        .collect();
    record(state, c, &a.id, post, &a.actor, &reason).await
}

/// The open reports of a community, for its animateurs.
pub async fn queue(
    state: &AppState,
    account: &Account,
    c: &CommunityRow,
) -> DomainResult<Vec<Report>> {
    require_animateur(state, c, account).await?;
    Ok(state
        .store
        .open_reports(c.id)
        .await?
        .into_iter()
        .map(Report::from)
        .collect())
}

pub async fn close(
    state: &AppState,
    account: &Account,
    c: &CommunityRow,
    id: i64,
) -> DomainResult<()> {
    require_animateur(state, c, account).await?;
    if state.store.close_report(c.id, id).await? {
        Ok(())
    } else {
        Err(DomainError::NotFound("report"))
    }
}
