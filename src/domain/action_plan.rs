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

use super::accounts::actor_of as me;
use serde_json::json;

use super::accounts::Account;
use super::communities::{group_of, require_animateur, require_member};
use super::error::{DomainError, DomainResult, Rule};
use super::{markdown, names};
use crate::db::{ActionCommentRow, ActionItemData, ActionItemRow, CommunityRow, now_ms};
use crate::federation::convert::actions::item_object;
use crate::federation::convert::to_as::activity;
use crate::state::AppState;

/// The status of an item; the code values travel in `actionStatus`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Proposed,
    InProgress,
    Done,
    Dropped,
}

impl Status {
    pub const ALL: [Status; 4] = [
        Status::Proposed,
        Status::InProgress,
        Status::Done,
        Status::Dropped,
    ];

    pub fn parse(raw: &str) -> DomainResult<Self> {
        Self::ALL
            .into_iter()
            .find(|s| s.as_str() == raw.trim())
            .ok_or(DomainError::invalid("status", Rule::Choice))
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Proposed => "proposed",
            Status::InProgress => "in_progress",
            Status::Done => "done",
            Status::Dropped => "dropped",
        }
    }
}

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

/// A calendar date as `YYYY-MM-DD`, or empty.
pub fn date(field: &'static str, raw: &str) -> DomainResult<String> {
    let d = raw.trim();
    if d.is_empty() {
        return Ok(String::new());
    }
    d.parse::<jiff::civil::Date>()
        .map(|d| d.to_string())
        .map_err(|_| DomainError::invalid(field, Rule::Date))
}

/// Which changes of an item `by` may make; `None` when allowed.
pub fn check_update(
    old: &ActionItemData,
    new: &ActionItemData,
    by: &str,
    animateur: bool,
) -> Option<&'static str> {
    if (old.escalated_on != new.escalated_on || old.escalated_to != new.escalated_to) && !animateur
    {
        return Some("only animateurs mark an item escalated");
    }
    if old.status != new.status && !animateur && old.owner != by {
        return Some("only the owner or an animateur changes the status");
    }
    let content_changed = old.title != new.title
        || old.source != new.source
        || old.content_html != new.content_html
        || old.owner != new.owner
        || old.due_on != new.due_on;
    if content_changed && !animateur && old.attributed_to != by {
        return Some("only the author or an animateur edits an item");
    }
    None
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

async fn community(state: &AppState, i: &ActionItemRow) -> DomainResult<CommunityRow> {
    state
        .store
        .community_by_id(i.community_id)
        .await?
        .ok_or(DomainError::NotFound("community"))
}

async fn item_row(state: &AppState, ap_id: &str) -> DomainResult<ActionItemRow> {
    state
        .store
        .action_item_by_ap_id(ap_id)
        .await?
        .ok_or(DomainError::NotFound("action item"))
}

/// The plan of a community, for its members.
pub async fn plan(
    state: &AppState,
    account: &Account,
    c: &CommunityRow,
) -> DomainResult<Vec<ActionItemRow>> {
    require_member(state, c, account).await?;
    Ok(state.store.action_items(c.id).await?)
}

/// One item (by local id) with its community and comments, for members.
pub async fn item(
    state: &AppState,
    account: &Account,
    id: i64,
) -> DomainResult<(CommunityRow, ActionItemRow, Vec<ActionCommentRow>)> {
    let i = state
        .store
        .action_item_by_id(id)
        .await?
        .ok_or(DomainError::NotFound("action item"))?;
    let c = community(state, &i).await?;
    require_member(state, &c, account).await?;
    let comments = state.store.action_comments(i.id).await?;
    Ok((c, i, comments))
}

/// What `account` may do on an item: (change its status, escalate it).
pub async fn rights(
    state: &AppState,
    account: &Account,
    c: &CommunityRow,
    i: &ActionItemRow,
) -> (bool, bool) {
    let animateur = require_animateur(state, c, account).await.is_ok();
    (animateur || i.owner == account.actor, animateur)
}

/// Whether `account` may edit an item: its author, or an animateur (as for deleting).
pub async fn may_edit(
    state: &AppState,
    account: &Account,
    c: &CommunityRow,
    i: &ActionItemRow,
) -> bool {
    i.attributed_to == account.actor || require_animateur(state, c, account).await.is_ok()
}

/// The owner typed in a form, as an actor id; on the host, they must be a member.
async fn owner(state: &AppState, c: &CommunityRow, raw: &str) -> DomainResult<String> {
    let raw = raw.trim().trim_start_matches('@');
    if raw.is_empty() {
        return Ok(String::new());
    }
    let handle = if raw.contains('@') || raw.starts_with("http") {
        raw.to_owned()
    } else {
        format!("{raw}@{}", state.config.authority)
    };
    let budget = crate::federation::fetch::FetchBudget::new(3);
    let actor = crate::federation::remote::resolve(state, &handle, &budget)
        .await
        .ok()
        .filter(|a| a.kind == "Person")
        .ok_or(DomainError::invalid("owner", Rule::NotMember))?;
    if c.is_local == 1 && !is_member(state, c, &actor.ap_id).await? {
        return Err(DomainError::invalid("owner", Rule::NotMember));
    }
    Ok(actor.ap_id)
}

pub(super) async fn is_member(
    state: &AppState,
    c: &CommunityRow,
    ap_id: &str,
) -> Result<bool, crate::db::DbError> {
    let Some(a) = state.store.actor_by_ap_id(ap_id).await? else {
        return Ok(false);
    };
    Ok(state
        .store
        .membership(c.id, a.id)
        .await?
        .is_some_and(|m| m.state == "accepted"))
}

/// A member proposes an item.
pub async fn propose(
    state: &AppState,
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
    let create = activity(
        "Create",
        &format!("{}#create", d.ap_id),
        &me.ap_id,
        item_object(&i, &c.ap_id),
        &[&c.ap_id],
    );
    crate::federation::publish::announce::submit(state, c, &me, &create).await?;
    Ok(i)
}

/// A member comments an item.
pub async fn comment(
    state: &AppState,
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
    let note = json!({
        "type": "Note",
        "id": ap_id,
        "attributedTo": me.ap_id,
        "audience": c.ap_id,
        "to": [c.ap_id],
        "inReplyTo": i.ap_id,
        "content": html,
        "mediaType": "text/html",
        "source": {"content": source, "mediaType": "text/markdown"},
        "published": jiff::Timestamp::from_millisecond(published).map(|t| t.to_string()).unwrap_or_default(),
    });
    let create = activity(
        "Create",
        &format!("{ap_id}#create"),
        &me.ap_id,
        note,
        &[&c.ap_id],
    );
    crate::federation::publish::announce::submit(state, &c, &me, &create).await?;
    state
        .store
        .action_comment_by_ap_id(&ap_id)
        .await?
        .ok_or(DomainError::NotFound("comment"))
}

/// The owner or an animateur changes the status.
pub async fn set_status(
    state: &AppState,
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
    change(state, account, &c, &d).await
}

/// An animateur marks an item escalated to management: on what date, to whom.
pub async fn escalate(
    state: &AppState,
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
    change(state, account, &c, &d).await
}

/// The author (from any node) or an animateur changes title, description, owner and due
/// date, with the same rules as a proposal. On a member's node an animateur's edit goes to
/// the group, which checks the role again, as `action_inbox::on_to_group` does for any Update.
pub async fn edit(
    state: &AppState,
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
    let changed = change(state, account, &c, &d).await?;
    if changed.owner != i.owner {
        tell_owner(state, &c, &changed, &account.actor).await;
    }
    Ok(changed)
}

/// Tells the item's owner that it is theirs, when their account lives here: each node
/// notifies its own agents as the item reaches it.
pub(super) async fn tell_owner(state: &AppState, c: &CommunityRow, i: &ActionItemRow, by: &str) {
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
pub async fn delete(state: &AppState, account: &Account, item_ap_id: &str) -> DomainResult<()> {
    let i = item_row(state, item_ap_id).await?;
    let c = community(state, &i).await?;
    require_member(state, &c, account).await?;
    let me = me(state, account).await?;
    let actor = if i.attributed_to == me.ap_id {
        me.ap_id.clone()
    } else {
        require_animateur(state, &c, account).await?;
        group_of(state, &c).await?.ap_id
    };
    state.store.delete_action_item(item_ap_id).await?;
    let del = activity(
        "Delete",
        &state.urls.new_activity(),
        &actor,
        json!(item_ap_id),
        &[&c.ap_id],
    );
    if actor == me.ap_id {
        crate::federation::publish::announce::submit(state, &c, &me, &del).await
    } else {
        crate::federation::publish::announce::announce(state, &c, &del).await
    }
}

/// Applies a change here and tells the group: on the host the group Announces its own
/// Update at once; from a member's node the change goes to the group, which checks it.
async fn change(
    state: &AppState,
    account: &Account,
    c: &CommunityRow,
    d: &ActionItemData,
) -> DomainResult<ActionItemRow> {
    state.store.update_action_item(d).await?;
    super::search::index_action(state, &d.ap_id).await;
    let i = item_row(state, &d.ap_id).await?;
    let doc = item_object(&i, &c.ap_id);
    if c.is_local == 1 {
        let group = group_of(state, c).await?;
        let update = activity(
            "Update",
            &state.urls.new_activity(),
            &group.ap_id,
            doc,
            &[&c.ap_id],
        );
        crate::federation::publish::announce::announce(state, c, &update).await?;
    } else {
        let me = me(state, account).await?;
        let update = activity(
            "Update",
            &state.urls.new_activity(),
            &me.ap_id,
            doc,
            &[&c.ap_id],
        );
        crate::federation::publish::announce::submit(state, c, &me, &update).await?;
    }
    Ok(i)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item() -> ActionItemData {
        ActionItemData {
            ap_id: "https://a.example/actions/1".into(),
            authority: "a.example".into(),
            attributed_to: "https://a.example/users/alice".into(),
            owner: "https://c.example/users/chloe".into(),
            title: "Badge".into(),
            source: String::new(),
            content_html: String::new(),
            due_on: String::new(),
            status: "proposed".into(),
            escalated_on: String::new(),
            escalated_to: String::new(),
            published_at: 0,
            updated_at: 0,
        }
    }

    #[test]
    fn the_owner_changes_the_status_only_animateurs_escalate_the_author_edits() {
        let old = item();
        let mut done = old.clone();
        done.status = "done".into();
        assert_eq!(check_update(&old, &done, &old.owner, false), None);
        assert!(check_update(&old, &done, &old.attributed_to, false).is_some());
        assert_eq!(
            check_update(&old, &done, "https://b.example/users/x", true),
            None
        );
        let mut up = old.clone();
        up.escalated_on = "2027-03-12".into();
        up.escalated_to = "Secrétaire général".into();
        assert!(check_update(&old, &up, &old.owner, false).is_some());
        assert_eq!(
            check_update(&old, &up, "https://b.example/users/x", true),
            None
        );
        let mut edit = old.clone();
        edit.title = "Badges".into();
        assert_eq!(check_update(&old, &edit, &old.attributed_to, false), None);
        assert!(check_update(&old, &edit, &old.owner, false).is_some());
    }

    #[test]
    fn dates_are_calendar_dates() {
        assert_eq!(date("d", " 2027-01-31 ").ok(), Some("2027-01-31".into()));
        assert_eq!(date("d", "").ok(), Some(String::new()));
        assert!(date("d", "31/01/2027").is_err());
        assert!(date("d", "2027-02-30").is_err());
    }
}
