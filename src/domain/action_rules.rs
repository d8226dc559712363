//! The rules of the action plan, wherever a request comes from (a local agent, a member's
//! node through the host's inbox, the pages that show what one may do): the statuses, who
//! may change, escalate, edit or delete an item, who writes a comment.

use super::error::{DomainError, DomainResult, Rule};
use crate::db::{ActionItemData, ActionItemRow, CommunityRow};
use crate::domain::Ctx;

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

    /// What an agent chose, spaces around allowed.
    pub fn parse(raw: &str) -> DomainResult<Self> {
        Self::from_code(raw.trim()).ok_or(DomainError::invalid("status", Rule::Choice))
    }

    /// The status whose code value is exactly `code` (as it travels between nodes).
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == code)
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

/// What an agent may do on an item: the one statement of who may do what, whatever the
/// node the request comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rights {
    /// Change its status: its owner, or an animateur.
    pub status: bool,
    /// Mark it escalated: animateurs only.
    pub escalate: bool,
    /// Change title, description, owner and due date, or delete it: its author, or an
    /// animateur.
    pub edit: bool,
}

impl Rights {
    /// The rights of `by` (an actor id) on an item by `author` owned by `owner`; `animateur`
    /// is [`is_animateur`]'s answer for `by`.
    pub fn of(author: &str, owner: &str, by: &str, animateur: bool) -> Rights {
        Rights {
            status: animateur || owner == by,
            escalate: animateur,
            edit: animateur || author == by,
        }
    }
}

/// Which changes of an item `by` may make; `None` when allowed.
pub fn check_update(
    old: &ActionItemData,
    new: &ActionItemData,
    by: &str,
    animateur: bool,
) -> Option<&'static str> {
    let may = Rights::of(&old.attributed_to, &old.owner, by, animateur);
    if (old.escalated_on != new.escalated_on || old.escalated_to != new.escalated_to)
        && !may.escalate
    {
        return Some("only animateurs mark an item escalated");
    }
    if old.status != new.status && !may.status {
        return Some("only the owner or an animateur changes the status");
    }
    let content_changed = old.title != new.title
        || old.source != new.source
        || old.content_html != new.content_html
        || old.owner != new.owner
        || old.due_on != new.due_on;
    if content_changed && !may.edit {
        return Some("only the author or an animateur edits an item");
    }
    None
}

/// Whether `by` may delete item `i`: its author (from any node), or an animateur.
pub fn check_delete(i: &ActionItemRow, by: &str, animateur: bool) -> DomainResult<()> {
    if Rights::of(&i.attributed_to, &i.owner, by, animateur).edit {
        Ok(())
    } else {
        Err(DomainError::Forbidden(
            "only the author or an animateur deletes an item",
        ))
    }
}

/// A comment is written, and deleted, by its author only: `by` must be `author`.
pub fn check_comment_author(author: &str, by: &str) -> DomainResult<()> {
    if author == by {
        Ok(())
    } else {
        Err(DomainError::Forbidden(
            "only its author writes or deletes a comment",
        ))
    }
}

/// Whether actor `actor_id` has animateur powers in `c`: an accepted owner or animateur of
/// a community hosted here (the host decides).
pub async fn is_animateur(state: &Ctx, c: &CommunityRow, actor_id: i64) -> DomainResult<bool> {
    Ok(c.is_local == 1
        && state
            .store
            .membership(c.id, actor_id)
            .await?
            .is_some_and(|m| {
                m.state == "accepted" && matches!(m.role.as_str(), "owner" | "animateur")
            }))
}

pub async fn is_member(
    state: &Ctx,
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
