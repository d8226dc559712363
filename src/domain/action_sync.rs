//! The action plan across nodes. On the host: members' items, comments, changes and
//! deletions that arrive from their nodes, checked by the rules of `action_plan` (the same
//! functions as for local agents). On a member's node: what the group announces, kept as a
//! cache. Reading the activities is federation's; what is allowed and stored is here.

use super::action_plan::{data, store_change, tell_owner};
use super::action_rules::{
    Status, check_comment_author, check_delete, check_update, is_animateur, is_member,
};
use super::error::{DomainError, DomainResult};
use crate::db::{ActionItemData, ActionItemRow, ActorRow, CommunityRow, now_ms};
use crate::domain::Ctx;

/// A comment of an item, as received from its author's node (HTML already sanitised).
#[derive(Debug, Clone)]
pub struct IncomingComment {
    pub ap_id: String,
    pub authority: String,
    pub attributed_to: String,
    /// The item it answers.
    pub in_reply_to: Option<String>,
    pub source: String,
    pub content_html: String,
    pub published_at: Option<i64>,
}

/// On the host: `member`'s new item, for community `c` (`audience`). It starts as a
/// proposal: status and escalation are the group's to set. `false` when it was already
/// stored (nothing to announce again).
pub async fn receive_item(
    state: &Ctx,
    c: &CommunityRow,
    mut d: ActionItemData,
    audience: &str,
) -> DomainResult<bool> {
    if audience != c.ap_id {
        return Err(DomainError::Forbidden("the item is for another community"));
    }
    if !d.owner.is_empty() && !is_member(state, c, &d.owner).await? {
        return Err(DomainError::Forbidden("the owner is not a member"));
    }
    d.status = Status::Proposed.as_str().into();
    d.escalated_on.clear();
    d.escalated_to.clear();
    if !state.store.insert_action_item(c.id, &d).await? {
        return Ok(false);
    }
    super::search::index_action(state, &d.ap_id).await;
    tell_new_owner(state, c, &d.ap_id, "", &d.attributed_to).await?;
    Ok(true)
}

/// On the host: `member` changes an item (status, escalation, content), under the rules a
/// local agent follows; the group then announces the item as it now stands, stamped with
/// the host's clock, so that members' nodes order changes by one clock.
pub async fn receive_update(
    state: &Ctx,
    c: &CommunityRow,
    member: &ActorRow,
    new: ActionItemData,
) -> DomainResult<ActionItemRow> {
    let old = state
        .store
        .action_item_by_ap_id(&new.ap_id)
        .await?
        .filter(|o| o.community_id == c.id)
        .ok_or(DomainError::Forbidden("unknown action item"))?;
    let animateur = is_animateur(state, c, member.id).await?;
    if let Some(why) = check_update(&data(&old), &new, &member.ap_id, animateur) {
        return Err(DomainError::Forbidden(why));
    }
    if new.owner != old.owner && !new.owner.is_empty() && !is_member(state, c, &new.owner).await? {
        return Err(DomainError::Forbidden("the owner is not a member"));
    }
    let new = ActionItemData {
        updated_at: now_ms(),
        ..new
    };
    let i = store_change(state, c, &new, member.clone()).await?;
    if i.owner != old.owner {
        tell_owner(state, c, &i, &member.ap_id).await;
    }
    Ok(i)
}

/// On the host: `member` deletes an item (its author, or an animateur) or a comment (its
/// author). `false` when neither is known here.
pub async fn receive_delete(
    state: &Ctx,
    c: &CommunityRow,
    member: &ActorRow,
    ap_id: &str,
) -> DomainResult<bool> {
    if let Some(i) = state.store.action_item_by_ap_id(ap_id).await? {
        if i.community_id != c.id {
            return Err(DomainError::Forbidden(
                "only the author or an animateur deletes an item",
            ));
        }
        check_delete(&i, &member.ap_id, is_animateur(state, c, member.id).await?)?;
        state.store.delete_action_item(ap_id).await?;
    } else if let Some(m) = state.store.action_comment_by_ap_id(ap_id).await? {
        check_comment_author(&m.attributed_to, &member.ap_id)?;
        state.store.delete_action_comment(ap_id).await?;
    } else {
        return Ok(false);
    }
    Ok(true)
}

/// A comment by `by` of an item of community `c`, on the host or on a member's node.
/// `false` when it answers no item of `c`.
pub async fn receive_comment(
    state: &Ctx,
    c: &CommunityRow,
    by: &str,
    m: &IncomingComment,
) -> DomainResult<bool> {
    let Some(i) = commented_item(state, c, m).await? else {
        return Ok(false);
    };
    check_comment_author(&m.attributed_to, by)?;
    if m.authority == state.config.authority
        && state
            .store
            .action_comment_by_ap_id(&m.ap_id)
            .await?
            .is_none()
    {
        // Our agents' comments are stored here before they travel: one claimed to be ours
        // that we never stored is forged (a community's host cannot write in our name).
        return Err(DomainError::Forbidden("unknown local comment"));
    }
    state
        .store
        .insert_action_comment(
            &m.ap_id,
            i.id,
            &m.authority,
            &m.attributed_to,
            &m.source,
            &m.content_html,
            m.published_at.unwrap_or_else(now_ms),
        )
        .await?;
    if state
        .store
        .actor_by_ap_id(&m.attributed_to)
        .await?
        .is_none()
        && let Err(e) = state.remote.actor(state, &m.attributed_to).await
    {
        tracing::info!(author = %m.attributed_to, error = %e, "comment author not fetched");
    }
    Ok(true)
}

/// On a member's node: an item the group announces as created by its author `d`
/// (checked by the caller against the announce). A local id we never minted is refused.
pub async fn cache_item(state: &Ctx, c: &CommunityRow, d: &ActionItemData) -> DomainResult<()> {
    if d.authority == state.config.authority
        && state.store.action_item_by_ap_id(&d.ap_id).await?.is_none()
    {
        return Err(DomainError::Forbidden("unknown local item"));
    }
    let new = state.store.insert_action_item(c.id, d).await?;
    super::search::index_action(state, &d.ap_id).await;
    if new {
        tell_new_owner(state, c, &d.ap_id, "", &d.attributed_to).await?;
    }
    if !d.owner.is_empty() && state.store.actor_by_ap_id(&d.owner).await?.is_none() {
        let _ = state.remote.actor(state, &d.owner).await;
    }
    Ok(())
}

/// On a member's node: the group's Update of an item, as it now stands. Deliveries may
/// arrive out of order: an older state never overwrites a newer one.
pub async fn cache_update(
    state: &Ctx,
    c: &CommunityRow,
    d: &ActionItemData,
    by: &str,
) -> DomainResult<()> {
    if let Some(old) = state
        .store
        .action_item_by_ap_id(&d.ap_id)
        .await?
        .filter(|o| o.community_id == c.id && o.updated_at <= d.updated_at)
    {
        state.store.update_action_item(d).await?;
        super::search::index_action(state, &d.ap_id).await;
        // The group announces who edited only as itself; the owner learns the item.
        tell_new_owner(state, c, &d.ap_id, &old.owner, by).await?;
    }
    Ok(())
}

/// On a member's node: the group announces the deletion of an item of its community (with
/// its comments), or `by`'s deletion of their own comment on an item of that community.
pub async fn cache_delete(
    state: &Ctx,
    c: &CommunityRow,
    ap_id: &str,
    by: &str,
) -> DomainResult<()> {
    if let Some(i) = state.store.action_item_by_ap_id(ap_id).await? {
        if i.community_id == c.id {
            state.store.delete_action_item(ap_id).await?;
        }
    } else if let Some(m) = state.store.action_comment_by_ap_id(ap_id).await? {
        let in_community = state
            .store
            .action_item_by_id(m.item_id)
            .await?
            .is_some_and(|i| i.community_id == c.id);
        if !in_community {
            return Err(DomainError::Forbidden(
                "the comment is not in the announcing community",
            ));
        }
        check_comment_author(&m.attributed_to, by)?;
        state.store.delete_action_comment(ap_id).await?;
    }
    Ok(())
}

/// Notifies the item's owner, when local here, if the owner is not `old_owner` any more.
async fn tell_new_owner(
    state: &Ctx,
    c: &CommunityRow,
    ap_id: &str,
    old_owner: &str,
    by: &str,
) -> DomainResult<()> {
    if let Some(i) = state.store.action_item_by_ap_id(ap_id).await?
        && i.owner != old_owner
    {
        tell_owner(state, c, &i, by).await;
    }
    Ok(())
}

/// The item of this community that a comment answers, if it answers one.
async fn commented_item(
    state: &Ctx,
    c: &CommunityRow,
    m: &IncomingComment,
) -> DomainResult<Option<ActionItemRow>> {
    let Some(target) = m.in_reply_to.as_deref() else {
        return Ok(None);
    };
    Ok(state
        .store
        .action_item_by_ap_id(target)
        .await?
        .filter(|i| i.community_id == c.id))
}
