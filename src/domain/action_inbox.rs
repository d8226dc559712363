//! The federation side of the action plan: on the host, a member's Create, Update or Delete
//! of an item or a comment, checked against the rules of `action_plan`; on a member's node,
//! what the group Announces about them.

use serde_json::Value;

use super::action_plan::{Status, check_update, data, is_member, tell_owner};
use super::communities::group_of;
use crate::db::{ActionItemData, ActionItemRow, ActorRow, CommunityRow, now_ms};
use crate::federation::FederationError;
use crate::federation::convert::actions::{is_action_item, item_object, read_item};
use crate::federation::convert::from_as::{id_of, kind_of};
use crate::federation::convert::posts::read_post;
use crate::federation::convert::to_as::activity;
use crate::federation::fetch::FetchBudget;
use crate::federation::inbox::Activity;
use crate::federation::remote;
use crate::state::AppState;

fn refused(m: &str) -> FederationError {
    FederationError::Refused(m.into())
}

/// The group's side: a member's Create, Update or Delete of an item or a comment. `false`
/// when the activity is about something else (a post).
pub async fn on_to_group(
    state: &AppState,
    a: &Activity,
    c: &CommunityRow,
    member: &ActorRow,
) -> Result<bool, FederationError> {
    match a.kind.as_str() {
        "Create" if is_action_item(&a.object) => {
            let (mut d, audience) = read_item(&a.object)?;
            if d.attributed_to != a.actor {
                return Err(FederationError::OriginMismatch(
                    "an item is created by its author".into(),
                ));
            }
            if audience != c.ap_id {
                return Err(refused("the item is for another community"));
            }
            if !d.owner.is_empty() && !is_member(state, c, &d.owner).await? {
                return Err(refused("the owner is not a member"));
            }
            // A new item is a proposal: its status and escalation are the group's to set.
            d.status = Status::Proposed.as_str().into();
            d.escalated_on.clear();
            d.escalated_to.clear();
            if !state.store.insert_action_item(c.id, &d).await? {
                return Ok(true);
            }
            super::search::index_action(state, &d.ap_id).await;
            tell_new_owner(state, c, &d.ap_id, "", &a.actor).await?;
        }
        "Create" if kind_of(&a.object) == Some("Note") => {
            let Some(i) = commented_item(state, &a.object, c).await? else {
                return Ok(false);
            };
            let p = read_post(&a.object)?;
            if p.attributed_to != a.actor {
                return Err(FederationError::OriginMismatch(
                    "a comment is created by its author".into(),
                ));
            }
            store_comment(state, &i, &p).await?;
        }
        "Update" if is_action_item(&a.object) => {
            let (new, _) = read_item(&a.object)?;
            let old = state
                .store
                .action_item_by_ap_id(&new.ap_id)
                .await?
                .filter(|o| o.community_id == c.id)
                .ok_or_else(|| refused("unknown action item"))?;
            let animateur = state
                .store
                .membership(c.id, member.id)
                .await?
                .is_some_and(|m| matches!(m.role.as_str(), "owner" | "animateur"));
            let old = data(&old);
            if let Some(why) = check_update(&old, &new, &a.actor, animateur) {
                return Err(refused(why));
            }
            if new.owner != old.owner
                && !new.owner.is_empty()
                && !is_member(state, c, &new.owner).await?
            {
                return Err(refused("the owner is not a member"));
            }
            state
                .store
                .update_action_item(&ActionItemData {
                    updated_at: now_ms(),
                    ..new
                })
                .await?;
            super::search::index_action(state, &old.ap_id).await;
            // The group announces the item as it now stands, stamped with the host's clock,
            // so that members' nodes order changes by one clock.
            let group = group_of(state, c).await?;
            let i = state
                .store
                .action_item_by_ap_id(&old.ap_id)
                .await?
                .ok_or_else(|| refused("unknown action item"))?;
            if i.owner != old.owner {
                tell_owner(state, c, &i, &a.actor).await;
            }
            let update = activity(
                "Update",
                &state.urls.new_activity(),
                &group.ap_id,
                item_object(&i, &c.ap_id),
                &[&c.ap_id],
            );
            crate::federation::publish::announce::announce(state, c, &update).await?;
            return Ok(true);
        }
        "Delete" => {
            let id = id_of(&a.object).unwrap_or_default();
            if let Some(i) = state.store.action_item_by_ap_id(id).await? {
                let animateur = state
                    .store
                    .membership(c.id, member.id)
                    .await?
                    .is_some_and(|m| matches!(m.role.as_str(), "owner" | "animateur"));
                if i.community_id != c.id || (i.attributed_to != a.actor && !animateur) {
                    return Err(refused("only the author or an animateur deletes an item"));
                }
                state.store.delete_action_item(id).await?;
            } else if let Some(m) = state.store.action_comment_by_ap_id(id).await? {
                if m.attributed_to != a.actor {
                    return Err(refused("only the author deletes a comment"));
                }
                state.store.delete_action_comment(id).await?;
            } else {
                return Ok(false);
            }
        }
        _ => return Ok(false),
    }
    crate::federation::publish::announce::announce(state, c, &a.raw).await?;
    Ok(true)
}

/// Notifies the item's owner, when local here, if the owner is not `old_owner` any more.
async fn tell_new_owner(
    state: &AppState,
    c: &CommunityRow,
    ap_id: &str,
    old_owner: &str,
    by: &str,
) -> Result<(), FederationError> {
    if let Some(i) = state.store.action_item_by_ap_id(ap_id).await?
        && i.owner != old_owner
    {
        tell_owner(state, c, &i, by).await;
    }
    Ok(())
}

/// The item of this community that a Note answers, if it answers one.
async fn commented_item(
    state: &AppState,
    note: &Value,
    c: &CommunityRow,
) -> Result<Option<ActionItemRow>, FederationError> {
    let Some(target) = note.get("inReplyTo").and_then(id_of) else {
        return Ok(None);
    };
    Ok(state
        .store
        .action_item_by_ap_id(target)
        .await?
        .filter(|i| i.community_id == c.id))
}

async fn store_comment(
    state: &AppState,
    i: &ActionItemRow,
    p: &crate::federation::convert::posts::IncomingPost,
) -> Result<(), FederationError> {
    state
        .store
        .insert_action_comment(
            &p.id,
            i.id,
            &p.authority,
            &p.attributed_to,
            &p.source,
            &p.content_html,
            p.published_at.unwrap_or_else(now_ms),
        )
        .await?;
    remote::remember(state, &p.attributed_to, &FetchBudget::new(2)).await?;
    Ok(())
}

/// A member's node: what the group Announces about items and comments. The group checked
/// membership and rights before announcing; here we check that the change stays in its
/// community and that a creation comes from its author. `false` when about something else.
pub async fn on_announced(
    state: &AppState,
    c: &CommunityRow,
    kind: &str,
    inner_actor: &str,
    object: &Value,
) -> Result<bool, FederationError> {
    match kind {
        "Create" if is_action_item(object) => {
            let (d, audience) = read_item(object)?;
            if d.attributed_to != inner_actor || audience != c.ap_id {
                return Err(FederationError::OriginMismatch(
                    "an item is created by its author, in its community".into(),
                ));
            }
            if d.authority == state.config.authority
                && state.store.action_item_by_ap_id(&d.ap_id).await?.is_none()
            {
                return Err(FederationError::OriginMismatch("unknown local item".into()));
            }
            let new = state.store.insert_action_item(c.id, &d).await?;
            super::search::index_action(state, &d.ap_id).await;
            if new {
                tell_new_owner(state, c, &d.ap_id, "", inner_actor).await?;
            }
            if !d.owner.is_empty() {
                remote::remember(state, &d.owner, &FetchBudget::new(2)).await?;
            }
        }
        "Create" if kind_of(object) == Some("Note") => {
            let Some(i) = commented_item(state, object, c).await? else {
                return Ok(false);
            };
            let p = read_post(object)?;
            if p.attributed_to != inner_actor {
                return Err(FederationError::OriginMismatch(
                    "a comment is created by its author".into(),
                ));
            }
            store_comment(state, &i, &p).await?;
        }
        // The host announces every change of an item as the group's own Update.
        "Update" if is_action_item(object) && inner_actor != c.ap_id => {}
        "Update" if is_action_item(object) => {
            let (d, _) = read_item(object)?;
            // Deliveries may arrive out of order: an older state never overwrites a newer one.
            if let Some(old) = state
                .store
                .action_item_by_ap_id(&d.ap_id)
                .await?
                .filter(|o| o.community_id == c.id && o.updated_at <= d.updated_at)
            {
                state.store.update_action_item(&d).await?;
                super::search::index_action(state, &d.ap_id).await;
                // The group announces who edited only as itself; the owner learns the item.
                tell_new_owner(state, c, &d.ap_id, &old.owner, inner_actor).await?;
            }
        }
        "Delete" => {
            let id = id_of(object).unwrap_or_default();
            if let Some(i) = state.store.action_item_by_ap_id(id).await? {
                if i.community_id == c.id {
                    state.store.delete_action_item(id).await?;
                }
            } else if state.store.action_comment_by_ap_id(id).await?.is_some() {
                state.store.delete_action_comment(id).await?;
            } else {
                return Ok(false);
            }
        }
        _ => return Ok(false),
    }
    Ok(true)
}
