//! Joining and leaving communities per FEP-1b12: joining is a `Follow` of the group, which
//! the host `Accept`s at once (open), after an animateur's approval (on request), or only for
//! invited agents (by invitation). Leaving is an `Undo`; a ban removes and refuses.

use super::accounts::actor_of as me;
use serde_json::json;

use super::accounts::Account;
use super::communities::{group_of, unreachable};
use super::error::{DomainError, DomainResult};
use super::names;
use super::notifications::{self, kind};
use crate::db::{ActorRow, CommunityRow, MembershipRow};

pub use super::membership_decisions::{ban, decide, invite, set_role};
pub use super::membership_inbox::{on_answer, on_follow, on_invite, on_undo_follow};
use crate::federation::convert::to_as::activity;
use crate::federation::outbox;
use crate::state::AppState;

/// Asks to join. Returns the membership as this node knows it: `accepted` at once for a
/// local open community, `pending` while a remote host has not answered.
pub async fn join(
    state: &AppState,
    account: &Account,
    c: &CommunityRow,
    answer: &str,
) -> DomainResult<MembershipRow> {
    let answer = names::text("answer", answer, 1000)?;
    let me = me(state, account).await?;
    if let Some(m) = state.store.membership(c.id, me.id).await? {
        match m.state.as_str() {
            "banned" => {
                return Err(DomainError::Forbidden(
                    "you were banned from this community",
                ));
            }
            "accepted" => return Ok(m),
            _ => {}
        }
    }
    let follow_id = state.urls.new_activity();
    if c.is_local == 1 {
        let state_now = admit(state, c, &me, &follow_id, &answer).await?;
        return state
            .store
            .membership(c.id, me.id)
            .await?
            .ok_or(DomainError::Forbidden(match state_now {
                Admission::Refused => "this community is joined by invitation only",
                _ => "membership refused",
            }));
    }
    let m = state
        .store
        .upsert_membership(c.id, me.id, "member", "pending", Some(&follow_id), &answer)
        .await?;
    let group = group_of(state, c).await?;
    let mut follow = activity(
        "Follow",
        &follow_id,
        &me.ap_id,
        json!(group.ap_id),
        &[&group.ap_id],
    );
    if !answer.is_empty() {
        follow["answer"] = json!(answer);
    }
    outbox::send(state, &me, &follow, std::slice::from_ref(&group))
        .await
        .map_err(unreachable)?;
    Ok(m)
}

/// What the host decided on a Follow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Admission {
    Accepted,
    Pending,
    Refused,
}

/// The host's rule for a Follow of its group by `who` (local or remote): records the
/// membership and answers a remote follower.
pub(crate) async fn admit(
    state: &AppState,
    c: &CommunityRow,
    who: &ActorRow,
    follow_id: &str,
    answer: &str,
) -> DomainResult<Admission> {
    let existing = state.store.membership(c.id, who.id).await?;
    let role = existing
        .as_ref()
        .map_or("member", |m| m.role.as_str())
        .to_owned();
    let decision = match existing.as_ref().map(|m| m.state.as_str()) {
        Some("banned") => Admission::Refused,
        Some("accepted") | Some("invited") => Admission::Accepted,
        _ => match c.join_mode.as_str() {
            "open" => Admission::Accepted,
            "request" => Admission::Pending,
            _ => Admission::Refused,
        },
    };
    let group = group_of(state, c).await?;
    match decision {
        Admission::Accepted => {
            state
                .store
                .upsert_membership(c.id, who.id, &role, "accepted", Some(follow_id), answer)
                .await?;
            answer_follow(state, &group, who, follow_id, "Accept").await?;
        }
        Admission::Pending => {
            state
                .store
                .upsert_membership(c.id, who.id, "member", "pending", Some(follow_id), answer)
                .await?;
            for a in state.store.members(c.id, "accepted").await? {
                if matches!(a.role.as_str(), "owner" | "animateur") {
                    notifications::send(
                        state,
                        a.actor_id,
                        kind::REQUEST,
                        &who.ap_id,
                        Some(c.id),
                        None,
                    )
                    .await;
                }
            }
        }
        Admission::Refused => answer_follow(state, &group, who, follow_id, "Reject").await?,
    }
    Ok(decision)
}

/// Sends the group's Accept or Reject of a Follow to a remote follower.
pub(crate) async fn answer_follow(
    state: &AppState,
    group: &ActorRow,
    who: &ActorRow,
    follow_id: &str,
    answer: &str,
) -> DomainResult<()> {
    if who.is_local == 1 {
        return Ok(());
    }
    let doc = activity(
        answer,
        &state.urls.new_activity(),
        &group.ap_id,
        json!({"type": "Follow", "id": follow_id, "actor": who.ap_id, "object": group.ap_id}),
        &[&who.ap_id],
    );
    outbox::send(state, group, &doc, std::slice::from_ref(who))
        .await
        .map_err(unreachable)?;
    Ok(())
}

/// Leaves a community (an owner cannot: the community would have no one to run it).
pub async fn leave(state: &AppState, account: &Account, c: &CommunityRow) -> DomainResult<()> {
    let me = me(state, account).await?;
    let m = state
        .store
        .membership(c.id, me.id)
        .await?
        .ok_or(DomainError::NotFound("membership"))?;
    if m.role == "owner" && c.is_local == 1 {
        return Err(DomainError::Conflict(
            "the owner cannot leave the community".into(),
        ));
    }
    if m.state == "banned" {
        return Err(DomainError::Forbidden(
            "you were banned from this community",
        ));
    }
    state.store.delete_membership(m.id).await?;
    if c.is_local == 0 {
        let group = group_of(state, c).await?;
        let undo = activity(
            "Undo",
            &state.urls.new_activity(),
            &me.ap_id,
            json!({"type": "Follow", "id": m.follow_ap_id, "actor": me.ap_id, "object": group.ap_id}),
            &[&group.ap_id],
        );
        outbox::send(state, &me, &undo, std::slice::from_ref(&group))
            .await
            .map_err(unreachable)?;
    }
    Ok(())
}
