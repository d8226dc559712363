//! The action plan of a community: items that members propose, with an owner, a due date, a
//! status and an "escalated to management" mark, and their comments.
//!
//! Who may do what (the host checks it for every origin):
//! - any accepted member proposes an item (it starts `proposed`, never escalated) and comments;
//! - the item's owner, from any node, and the host's animateurs change its status;
//! - only animateurs, on the host, mark an item escalated (date and to whom), as they pin and
//!   lock threads: escalation speaks for the community;
//! - the author or an animateur changes title, description, owner and due date, or deletes it.
//!
//! Like posts, an item's id is minted by its author's node; the host stores the original and
//! Announces every change to members' nodes, which keep a cache.

use super::accounts::Account;
use super::accounts::actor_of as me;
use super::changes::{ActionChange, Change};
use super::communities::{require_animateur, require_member, require_member_node};
use super::error::{DomainError, DomainResult, OrNotFound, Rule};
use super::pickers::{self, Which};
use super::{markdown, names};
use crate::db::{ActionCommentRow, ActionItemData, ActionItemRow, ActorRow, CommunityRow, now_ms};
use crate::domain::Ctx;

use super::action_rules::is_member;
pub use super::action_rules::{
    Rights, Status, check_comment_author, check_delete, check_update, date, is_animateur,
};

/// What an agent types to propose an item.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
pub struct NewItem {
    pub title: String,
    #[serde(default)]
    pub description: String,
    /// `@user@node`, `user@node`, or a local `user`; empty for none.
    #[serde(default)]
    pub owner: String,
    /// `YYYY-MM-DD` or empty.
    #[serde(default)]
    pub due_on: String,
}

pub(super) fn data(i: &ActionItemRow) -> ActionItemData {
    ActionItemData {
        ap_id: i.ap_id.clone(),
        authority: i.authority.clone(),
        attributed_to: i.attributed_to.clone(),
        owner: i.owner.clone(),
        title: i.title.clone(),
        source: i.source.clone(),
        content_html: i.content_html.clone(),
        due_on: i.due_on.clone(),
        status: i.status.clone(),
        escalated_on: i.escalated_on.clone(),
        escalated_to: i.escalated_to.clone(),
        published_at: i.published_at,
        updated_at: now_ms(),
    }
}

async fn community(state: &Ctx, i: &ActionItemRow) -> DomainResult<CommunityRow> {
    state
        .store
        .community_by_id(i.community_id)
        .await
        .or_not_found("community")
}

async fn item_row(state: &Ctx, ap_id: &str) -> DomainResult<ActionItemRow> {
    state
        .store
        .action_item_by_ap_id(ap_id)
        .await
        .or_not_found("action item")
}

/// The plan of a community, for its members.
pub async fn plan(
    state: &Ctx,
    account: &Account,
    c: &CommunityRow,
) -> DomainResult<Vec<ActionItemRow>> {
    require_member(state, c, account).await?;
    Ok(state.store.action_items(c.id).await?)
}

/// One item (by local id) with its community and comments, for members.
pub async fn item(
    state: &Ctx,
    account: &Account,
    id: i64,
) -> DomainResult<(CommunityRow, ActionItemRow, Vec<ActionCommentRow>)> {
    let i = state
        .store
        .action_item_by_id(id)
        .await
        .or_not_found("action item")?;
    let c = community(state, &i).await?;
    require_member(state, &c, account).await?;
    let comments = state.store.action_comments(i.id).await?;
    Ok((c, i, comments))
}

/// What `account` may do on an item: (change its status, escalate it).
/// An item or a comment written here, with the item and its community, for the community's
/// host or a members' node.
pub async fn for_peer(
    state: &Ctx,
    ap_id: &str,
    authority: &str,
) -> DomainResult<(CommunityRow, ActionItemRow, Option<ActionCommentRow>)> {
    let (i, comment) = match state.store.action_item_by_ap_id(ap_id).await? {
        Some(i) => (i, None),
        None => {
            let m = state
                .store
                .action_comment_by_ap_id(ap_id)
                .await
                .or_not_found("comment")?;
            let i = state
                .store
                .action_item_by_id(m.item_id)
                .await
                .or_not_found("action item")?;
            (i, Some(m))
        }
    };
    let c = community(state, &i).await?;
    require_member_node(state, &c, authority).await?;
    Ok((c, i, comment))
}

pub async fn rights(
    state: &Ctx,
    account: &Account,
    c: &CommunityRow,
    i: &ActionItemRow,
) -> (bool, bool) {
    let animateur = is_animateur(state, c, account.actor_id)
        .await
        .unwrap_or(false);
    let may = Rights::of(&i.attributed_to, &i.owner, &account.actor, animateur);
    (may.status, may.escalate)
}

/// Whether `account` may edit an item: its author, or an animateur (as for deleting).
pub async fn may_edit(state: &Ctx, account: &Account, c: &CommunityRow, i: &ActionItemRow) -> bool {
    let animateur = is_animateur(state, c, account.actor_id)
        .await
        .unwrap_or(false);
    Rights::of(&i.attributed_to, &i.owner, &account.actor, animateur).edit
}

/// The owner typed in a form, as an actor id; on the host, they must be a member. A name
/// (or a username of this node) is looked up among the people this node knows, and on the
/// host among the community's members: it must designate exactly one person.
async fn owner(state: &Ctx, c: &CommunityRow, raw: &str) -> DomainResult<String> {
    let raw = raw.trim().trim_start_matches('@');
    if raw.is_empty() {
        return Ok(String::new());
    }
    let handle = if pickers::looks_like_address(raw) {
        raw.to_owned()
    } else if state
        .store
        .local_actor(&raw.to_ascii_lowercase(), "Person")
        .await?
        .is_some()
    {
        format!("{}@{}", raw.to_ascii_lowercase(), state.config.authority)
    } else {
        owner_by_name(state, c, raw).await?
    };
    let actor = state
        .remote
        .resolve(state, &handle)
        .await
        .ok()
        .filter(|a| a.kind == "Person")
        .ok_or(DomainError::invalid("owner", Rule::NotMember))?;
    if c.is_local == 1 && !is_member(state, c, &actor.ap_id).await? {
        return Err(DomainError::invalid("owner", Rule::NotMember));
    }
    Ok(actor.ap_id)
}

/// Checks an owner typed in a form as `propose` will (for a report that proposes several
/// items: all are checked before the first is written).
pub async fn check_owner(state: &Ctx, c: &CommunityRow, raw: &str) -> DomainResult<()> {
    owner(state, c, raw).await.map(drop)
}

/// The address of the one person a name designates (members only, on the host).
async fn owner_by_name(state: &Ctx, c: &CommunityRow, name: &str) -> DomainResult<String> {
    let mut found = Vec::new();
    for f in pickers::find(state, name, Which::People).await? {
        if c.is_local != 1 || is_member(state, c, &f.ap_id).await? {
            found.push(f);
        }
    }
    // A full name typed exactly wins over the others it also starts.
    if found.len() > 1 {
        let exact: Vec<_> = found
            .iter()
            .filter(|f| f.name.eq_ignore_ascii_case(name))
            .cloned()
            .collect();
        if exact.len() == 1 {
            found = exact;
        }
    }
    match found.len() {
        0 => Err(DomainError::invalid("owner", Rule::NotMember)),
        1 => Ok(found.remove(0).address),
        _ => Err(DomainError::invalid("owner", Rule::Ambiguous)),
    }
}

/// A member proposes an item.
pub async fn propose(
    state: &Ctx,
    account: &Account,
    c: &CommunityRow,
    input: &NewItem,
) -> DomainResult<ActionItemRow> {
    require_member(state, c, account).await?;
    let title = names::line("title", &input.title, 2, 200)?;
    let source = names::text("description", &input.description, 20_000)?;
    let due_on = date("due_on", &input.due_on)?;
    let owner = owner(state, c, &input.owner).await?;
    let me = me(state, account).await?;
    let d = ActionItemData {
        ap_id: format!("{}/actions/{}", state.urls.base(), uuid::Uuid::now_v7()),
        authority: state.config.authority.clone(),
        attributed_to: me.ap_id.clone(),
        owner,
        title,
        content_html: markdown::render(&source),
        source,
        due_on,
        status: Status::Proposed.as_str().into(),
        escalated_on: String::new(),
        escalated_to: String::new(),
        published_at: now_ms(),
        updated_at: now_ms(),
    };
    state.store.insert_action_item(c.id, &d).await?;
    super::search::index_action(state, &d.ap_id).await;
    let i = item_row(state, &d.ap_id).await?;
    tell_owner(state, c, &i, &me.ap_id).await;
    let change = ActionChange::Proposed {
        community: Box::new(c.clone()),
        item: Box::new(i.clone()),
        author: Box::new(me),
    };
    state
        .publisher
        .publish(state, Change::Action(change))
        .await?;
    Ok(i)
}

/// A member comments an item.
pub async fn comment(
    state: &Ctx,
    account: &Account,
    item_ap_id: &str,
    text: &str,
) -> DomainResult<ActionCommentRow> {
    let i = item_row(state, item_ap_id).await?;
    let c = community(state, &i).await?;
    require_member(state, &c, account).await?;
    let source = names::text("body", text, 20_000)?;
    if source.is_empty() {
        return Err(DomainError::invalid(
            "body",
            Rule::Length {
                min: 1,
                max: 20_000,
            },
        ));
    }
    let me = me(state, account).await?;
    let ap_id = format!("{}/actions/{}", state.urls.base(), uuid::Uuid::now_v7());
    let html = markdown::render(&source);
    let published = now_ms();
    state
        .store
        .insert_action_comment(
            &ap_id,
            i.id,
            &state.config.authority,
            &me.ap_id,
            &source,
            &html,
            published,
        )
        .await?;
    let comment = state
        .store
        .action_comment_by_ap_id(&ap_id)
        .await?
        .ok_or(DomainError::NotFound("comment"))?;
    let change = ActionChange::Commented {
        community: Box::new(c),
        item: Box::new(i),
        comment: Box::new(comment.clone()),
        author: Box::new(me),
    };
    state
        .publisher
        .publish(state, Change::Action(change))
        .await?;
    Ok(comment)
}

/// The owner or an animateur changes the status.
pub async fn set_status(
    state: &Ctx,
    account: &Account,
    item_ap_id: &str,
    status: Status,
) -> DomainResult<ActionItemRow> {
    let i = item_row(state, item_ap_id).await?;
    let c = community(state, &i).await?;
    require_member(state, &c, account).await?;
    let (may, _) = rights(state, account, &c, &i).await;
    if !may {
        return Err(DomainError::Forbidden(
            "only the owner or an animateur changes the status",
        ));
    }
    let mut d = data(&i);
    d.status = status.as_str().into();
    change(state, account, &c, &i, &d).await
}

/// An animateur marks an item escalated to management: on what date, to whom.
pub async fn escalate(
    state: &Ctx,
    account: &Account,
    item_ap_id: &str,
    on: &str,
    to: &str,
) -> DomainResult<ActionItemRow> {
    let i = item_row(state, item_ap_id).await?;
    let c = community(state, &i).await?;
    require_animateur(state, &c, account).await?;
    let mut d = data(&i);
    d.escalated_to = names::line("escalated_to", to, 2, 200)?;
    d.escalated_on = match date("escalated_on", on)? {
        e if e.is_empty() => jiff::Zoned::now().date().to_string(),
        e => e,
    };
    change(state, account, &c, &i, &d).await
}

/// The author (from any node) or an animateur changes title, description, owner and due
/// date, with the same rules as a proposal. On a member's node an animateur's edit goes to
/// the group, which checks the role again, as `action_sync::receive_update` does for any
/// Update.
pub async fn edit(
    state: &Ctx,
    account: &Account,
    item_ap_id: &str,
    input: &NewItem,
) -> DomainResult<ActionItemRow> {
    let i = item_row(state, item_ap_id).await?;
    let c = community(state, &i).await?;
    require_member(state, &c, account).await?;
    if !may_edit(state, account, &c, &i).await {
        return Err(DomainError::Forbidden(
            "only the author or an animateur edits an item",
        ));
    }
    let mut d = data(&i);
    d.title = names::line("title", &input.title, 2, 200)?;
    d.source = names::text("description", &input.description, 20_000)?;
    d.due_on = date("due_on", &input.due_on)?;
    d.owner = owner(state, &c, &input.owner).await?;
    d.content_html = markdown::render(&d.source);
    let changed = change(state, account, &c, &i, &d).await?;
    if changed.owner != i.owner {
        tell_owner(state, &c, &changed, &account.actor).await;
    }
    Ok(changed)
}

/// Tells the item's owner that it is theirs, when their account lives here: each node
/// notifies its own agents as the item reaches it.
pub(super) async fn tell_owner(state: &Ctx, c: &CommunityRow, i: &ActionItemRow, by: &str) {
    if !i.owner.is_empty() && i.owner != by {
        super::notifications::send_to_ap_id(
            state,
            &i.owner,
            super::notifications::kind::ACTION_OWNER,
            by,
            Some(c.id),
            Some(&i.ap_id),
        )
        .await;
    }
}

/// Deletes an item with its comments: its author (from any node), or an animateur on the
/// host.
pub async fn delete(state: &Ctx, account: &Account, item_ap_id: &str) -> DomainResult<()> {
    let i = item_row(state, item_ap_id).await?;
    let c = community(state, &i).await?;
    require_member(state, &c, account).await?;
    let me = me(state, account).await?;
    let by_author = i.attributed_to == me.ap_id;
    check_delete(
        &i,
        &me.ap_id,
        by_author || is_animateur(state, &c, me.id).await?,
    )?;
    state.store.delete_action_item(item_ap_id).await?;
    // The author deletes as themself, from any node; an animateur through the group.
    let change = ActionChange::Deleted {
        community: Box::new(c),
        item: item_ap_id.to_owned(),
        author: by_author.then(|| Box::new(me)),
    };
    state.publisher.publish(state, Change::Action(change)).await
}

/// Applies a local agent's change here, after the same check the host makes for a change
/// that comes from a member's node, and tells the group: on the host the group announces
/// the item at once; from a member's node the change goes to the group, which checks it.
async fn change(
    state: &Ctx,
    account: &Account,
    c: &CommunityRow,
    old: &ActionItemRow,
    d: &ActionItemData,
) -> DomainResult<ActionItemRow> {
    let me = me(state, account).await?;
    let animateur = is_animateur(state, c, me.id).await?;
    if let Some(why) = check_update(&data(old), d, &me.ap_id, animateur) {
        return Err(DomainError::Forbidden(why));
    }
    store_change(state, c, d, me).await
}

/// Stores a checked change of an item, then publishes the item as it now stands.
pub(super) async fn store_change(
    state: &Ctx,
    c: &CommunityRow,
    d: &ActionItemData,
    by: ActorRow,
) -> DomainResult<ActionItemRow> {
    state.store.update_action_item(d).await?;
    super::search::index_action(state, &d.ap_id).await;
    let i = item_row(state, &d.ap_id).await?;
    let change = ActionChange::Changed {
        community: Box::new(c.clone()),
        item: Box::new(i.clone()),
        by: Box::new(by),
    };
    state
        .publisher
        .publish(state, Change::Action(change))
        .await?;
    Ok(i)
}
