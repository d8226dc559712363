//! The group side of FEP-1b12, inbound, on the community's host: members send their
//! `Create`, `Update`, `Delete` and `Flag` to the group; the group checks membership, hands
//! each to the handler of what it concerns, and `Announce`s what it accepted to its members'
//! nodes.

use serde_json::Value;

use super::{Activity, Concept, concept_of};
use crate::db::ActorRow;
use crate::domain::moderation;
use crate::domain::post_store::{self, Via};
use crate::federation::FederationError;
use crate::federation::convert::from_as::{id_of, str_field};
use crate::federation::convert::posts::read_post;
use crate::federation::publish::announce;
use crate::state::AppState;

/// Whether `id` is something a group keeps for its members: a post, a resource, an action
/// item or one of its comments, a vote, a session.
async fn held_here(state: &AppState, id: &str) -> Result<bool, FederationError> {
    let store = &state.store;
    Ok(store.post_by_ap_id(id).await?.is_some()
        || store.resource_by_ap_id(id).await?.is_some()
        || store.action_item_by_ap_id(id).await?.is_some()
        || store.action_comment_by_ap_id(id).await?.is_some()
        || store.poll_vote_by_ap_id(id).await?.is_some()
        || store.event_by_ap_id(id).await?.is_some())
}

/// Inbox of a local group: a member's Create, Update or Delete.
pub async fn on_to_group(
    state: &AppState,
    a: &Activity,
    group: &ActorRow,
) -> Result<(), FederationError> {
    let Some(c) = state.store.community_by_actor(group.id).await? else {
        return Ok(());
    };
    if a.kind == "Delete" && !held_here(state, id_of(&a.object).unwrap_or_default()).await? {
        // Already gone: e.g. its author's Delete{Person} was processed first.
        return Ok(());
    }
    let member = state
        .store
        .actor_by_ap_id(&a.actor)
        .await?
        .ok_or_else(|| FederationError::Refused("not a member of this community".into()))?;
    let accepted = state
        .store
        .membership(c.id, member.id)
        .await?
        .is_some_and(|m| m.state == "accepted");
    if !accepted {
        return Err(FederationError::Refused(
            "not a member of this community".into(),
        ));
    }
    if super::reactions::is_reaction(&a.kind, &a.object) {
        return super::reactions::on_to_group(state, a, &c).await;
    }
    match concept_of(&state.store, c.id, &a.kind, &a.object).await? {
        Concept::Resource => super::resources::on_proposal(state, a, &c, &member).await,
        Concept::Action => super::actions::on_to_group(state, a, &c, &member).await,
        // Issue 18: sessions are the animateurs' own, whichever node they write from.
        Concept::Event => super::events::on_animateur(state, a, &c, &member).await,
        Concept::Post => on_post(state, a, &c).await,
        Concept::Vote => super::polls::on_vote(state, a, &c).await,
    }
}

/// A member's post, its edit or removal, or a report of one; what the group accepted is
/// announced to its members' nodes as the member sent it.
async fn on_post(
    state: &AppState,
    a: &Activity,
    c: &crate::db::CommunityRow,
) -> Result<(), FederationError> {
    match a.kind.as_str() {
        "Create" => {
            let p = read_post(&a.object)?;
            if post_store::receive_created(state, c, &a.actor, &p)
                .await?
                .is_none()
            {
                return Ok(());
            }
        }
        "Update" => {
            let p = read_post(&a.object)?;
            post_store::receive_edit(state, c, &a.actor, &p, Via::Host).await?;
        }
        "Delete" => {
            let id = id_of(&a.object).unwrap_or_default();
            if !post_store::receive_delete(state, c, &a.actor, id, Via::Host).await? {
                // Already gone: nothing to announce.
                return Ok(());
            }
        }
        "Flag" => return on_flag(state, a, c).await,
        _ => return Ok(()),
    }
    announce::announce(state, c, &a.raw).await?;
    Ok(())
}

/// A member's report of a post: `object` is the post (or a list that starts with it), the
/// reason is `content`.
async fn on_flag(
    state: &AppState,
    a: &Activity,
    c: &crate::db::CommunityRow,
) -> Result<(), FederationError> {
    let post = match &a.raw.get("object") {
        Some(Value::Array(items)) => items.first().and_then(id_of),
        Some(other) => id_of(other),
        None => None,
    }
    .unwrap_or_default();
    let reason = str_field(&a.raw, "content").unwrap_or_default();
    Ok(moderation::receive_report(state, c, &a.id, post, &a.actor, reason).await?)
}
