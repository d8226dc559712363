//! What the action plan pages show: items and comments as views, and the page templates.

use askama::Template;

use crate::db::{ActionCommentRow, ActionItemRow, CommunityRow};
use crate::domain::action_plan::{self, NewItem, Status};
use crate::domain::sessions::Session;
use crate::http::web::community_views::CommunityView;
use crate::http::web::format::datetime;
use crate::http::web::i18n::{self, actions::AStrings};
use crate::http::web::{FieldErrors, Layout, WebResult};
use crate::state::AppState;

pub(super) fn astrings(state: &AppState) -> &'static AStrings {
    i18n::actions::strings(crate::http::web::language::current(&state.config.locale))
}

/// `31/01/2027` in French, the ISO date otherwise.
pub(super) fn day(d: &str, lang: &str) -> String {
    match d.parse::<jiff::civil::Date>() {
        Ok(date) if lang == "fr" => date.strftime("%d/%m/%Y").to_string(),
        _ => d.to_owned(),
    }
}

pub(super) fn handle(
    name: &Option<String>,
    user: &Option<String>,
    authority: &Option<String>,
    id: &str,
) -> (String, String) {
    let h = match (user, authority) {
        (Some(u), Some(a)) => format!("@{u}@{a}"),
        _ => id.to_owned(),
    };
    let n = name
        .clone()
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| h.clone());
    (n, h)
}

#[derive(Clone)]
pub struct ItemView {
    pub id: i64,
    pub title: String,
    /// Sanitised when stored.
    pub html: String,
    pub source: String,
    pub status: String,
    pub status_label: &'static str,
    pub owner: String,
    pub owner_handle: String,
    pub owner_page: String,
    pub mine: bool,
    pub due: String,
    pub escalated: bool,
    pub escalated_on: String,
    pub escalated_to: String,
}

impl ItemView {
    pub(super) fn new(i: &ActionItemRow, s: &AStrings, me: &str, lang: &str) -> Self {
        let (owner, owner_handle) = if i.owner.is_empty() {
            (s.no_owner.to_owned(), String::new())
        } else {
            handle(
                &i.owner_name,
                &i.owner_username,
                &i.owner_authority,
                &i.owner,
            )
        };
        ItemView {
            id: i.id,
            title: i.title.clone(),
            html: i.content_html.clone(),
            source: i.source.clone(),
            status: i.status.clone(),
            status_label: s.status(&i.status),
            owner,
            owner_page: crate::http::web::community_views::profile_path(&owner_handle),
            owner_handle,
            mine: i.owner == me,
            due: day(&i.due_on, lang),
            escalated: !i.escalated_on.is_empty(),
            escalated_on: day(&i.escalated_on, lang),
            escalated_to: i.escalated_to.clone(),
        }
    }
}

pub struct CommentView {
    pub author: String,
    pub author_handle: String,
    pub author_page: String,
    pub date: String,
    pub html: String,
}

impl CommentView {
    pub(super) fn new(state: &AppState, m: &ActionCommentRow, lang: &str) -> Self {
        let (author, author_handle) = handle(
            &m.author_name,
            &m.author_username,
            &m.author_authority,
            &m.attributed_to,
        );
        CommentView {
            author,
            author_page: crate::http::web::community_views::profile_path(&author_handle),
            author_handle,
            date: datetime(m.published_at, &state.config.timezone, lang),
            html: crate::http::web::community_views::local_profile_links(
                &m.content_html,
                &state.config.authority,
            ),
        }
    }
}

pub struct Group {
    pub status: &'static str,
    pub label: &'static str,
    pub items: Vec<ItemView>,
}

#[derive(Template)]
#[template(path = "action_plan.html")]
pub(super) struct PlanPage {
    pub(super) layout: Layout,
    pub(super) a: &'static AStrings,
    pub(super) c: CommunityView,
    pub(super) groups: Vec<Group>,
    pub(super) statuses: Vec<(&'static str, &'static str)>,
    pub(super) status: String,
    pub(super) mine: bool,
    pub(super) form: NewItem,
    pub(super) errors: FieldErrors,
}

pub(super) fn statuses(a: &AStrings) -> Vec<(&'static str, &'static str)> {
    Status::ALL
        .iter()
        .map(|s| (s.as_str(), a.status(s.as_str())))
        .collect()
}

pub(super) async fn views(
    state: &AppState,
    session: &Session,
    c: &CommunityRow,
) -> WebResult<Vec<ItemView>> {
    let a = astrings(state);
    let lang = Layout::strings(state).lang;
    Ok(action_plan::plan(state, &session.account, c)
        .await?
        .iter()
        .map(|i| ItemView::new(i, a, &session.account.actor, lang))
        .collect())
}

#[derive(Template)]
#[template(path = "action_item.html")]
pub(super) struct ItemPage {
    pub(super) layout: Layout,
    pub(super) a: &'static AStrings,
    pub(super) c: CommunityView,
    pub(super) item: ItemView,
    pub(super) author: String,
    pub(super) published: String,
    pub(super) comments: Vec<CommentView>,
    pub(super) statuses: Vec<(&'static str, &'static str)>,
    pub(super) may_status: bool,
    pub(super) may_escalate: bool,
    pub(super) may_edit: bool,
    /// The edit form: the item as it stands, or what was typed when refused.
    pub(super) form: NewItem,
    pub(super) errors: FieldErrors,
}

#[derive(Template)]
#[template(path = "action_plan_print.html")]
pub(super) struct PrintPage {
    pub(super) a: &'static AStrings,
    pub(super) lang: &'static str,
    pub(super) community: String,
    pub(super) institution: String,
    pub(super) date: String,
    pub(super) items: Vec<ItemView>,
}
