//! The group side of FEP-1b12, on the community's host: members send their Create, Update
//! and Delete to the group; the group checks membership, applies them, and Announces each to
//! its members' nodes (one delivery per node, by shared inbox).

use serde_json::Value;

use super::error::DomainResult;
use super::posts::store_incoming;
use crate::db::{ActorRow, CommunityRow};
use crate::federation::convert::from_as::id_of;
use crate::federation::convert::posts::read_post;
use crate::federation::convert::to_as::activity;
use crate::federation::inbox::Activity;
use crate::federation::{FederationError, outbox};
use crate::state::AppState;
use crate::urls::Urls;

/// The group Announces `inner` to every member's node.
pub async fn announce(state: &AppState, c: &CommunityRow, inner: &Value) -> DomainResult<()> {
    let group = super::communities::group_of(state, c).await?;
    let followers = Urls::followers(&group.ap_id);
    let mut inner = inner.clone();
    if let Value::Object(m) = &mut inner {
        // The inner activity travels embedded; its context is the outer one.
        m.remove("@context");
    }
    let doc = activity(
        "Announce",
        &state.urls.new_activity(),
        &group.ap_id,
        inner,
        &[&followers],
    );
    let members = state.store.member_actors(c.id).await?;
    outbox::send(state, &group, &doc, &members)
        .await
        .map_err(super::communities::unreachable)?;
    Ok(())
}

/// The local group an incoming activity is addressed to, if any (`to`, `cc`, `audience` of
/// the activity or its object).
pub async fn addressed_group(
    state: &AppState,
    a: &Activity,
) -> Result<Option<ActorRow>, FederationError> {
    let prefix = format!("{}/c/", state.urls.base());
    let mut targets = super::follows::addressees(&a.raw);
    targets.extend(super::follows::addressees(&a.object));
    for t in targets {
        if let Some(slug) = t.strip_prefix(&prefix)
            && !slug.contains('/')
            && let Some(g) = state.store.local_actor(slug, "Group").await?
        {
            return Ok(Some(g));
        }
    }
    Ok(None)
}

/// Whether `id` is something a group keeps for its members: a post, a resource, an action
/// item or one of its comments.
async fn held_here(state: &AppState, id: &str) -> Result<bool, FederationError> {
    let store = &state.store;
    Ok(store.post_by_ap_id(id).await?.is_some()
        || store.resource_by_ap_id(id).await?.is_some()
        || store.action_item_by_ap_id(id).await?.is_some()
        || store.action_comment_by_ap_id(id).await?.is_some())
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
    if super::resource_inbox::concerns_resource(state, a).await? {
        return super::resource_inbox::on_proposal(state, a, &c, &member).await;
    }
    if super::action_inbox::on_to_group(state, a, &c, &member).await? {
        return Ok(());
    }
    match a.kind.as_str() {
        "Create" => {
            let p = read_post(&a.object)?;
            if p.attributed_to != a.actor {
                return Err(FederationError::OriginMismatch(
                    "a post is created by its author".into(),
                ));
            }
            if store_incoming(state, &c, &p).await?.is_none() {
                return Ok(());
            }
        }
        "Update" => {
            let p = read_post(&a.object)?;
            let old = state.store.post_by_ap_id(&p.id).await?;
            match old {
                Some(old) if old.attributed_to == a.actor && old.community_id == c.id => {
                    state
                        .store
                        .update_post(&p.id, &p.title, &p.source, &p.content_html)
                        .await?;
                    super::search::index_post(state, &p.id).await;
                }
                _ => {
                    return Err(FederationError::Refused(
                        "only the author may edit a post".into(),
                    ));
                }
            }
        }
        "Delete" => {
            let id = id_of(&a.object).unwrap_or_default();
            match state.store.post_by_ap_id(id).await? {
                Some(old) if old.attributed_to == a.actor && old.community_id == c.id => {
                    state.store.delete_post(id).await?;
                }
                Some(_) => {
                    return Err(FederationError::Refused(
                        "only the author may delete a post".into(),
                    ));
                }
                None => return Ok(()),
            }
        }
        "Flag" => return super::moderation::on_flag(state, a, &c).await,
        _ => return Ok(()),
    }
    announce(state, &c, &a.raw).await?;
    Ok(())
}
