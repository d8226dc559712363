//! The action plan pages of a community: the plan (grouped by status, filtered), proposing
//! an item, one item with its comments and the status and escalation forms, a printable page
//! to hand to management, and a CSV export.

use actix_web::http::{StatusCode, header};
use actix_web::{HttpResponse, get, post, web};
use askama::Template;
use serde::Deserialize;

use super::communities::{community, cstrings};
use super::community_views::CommunityView;
use super::format::datetime;
use super::i18n_actions::{self, AStrings};
use super::{FieldErrors, Layout, WebResult, html, redirect};
use crate::db::{ActionCommentRow, ActionItemRow, CommunityRow};
use crate::domain::action_plan::{self, NewItem, Status};
use crate::domain::sessions::Session;
use crate::http::auth::{SessionForm, WebSession};
use crate::state::AppState;

fn astrings(state: &AppState) -> &'static AStrings {
    i18n_actions::strings(&state.config.locale)
}

/// `31/01/2027` in French, the ISO date otherwise.
fn day(d: &str, lang: &str) -> String {
    match d.parse::<jiff::civil::Date>() {
        Ok(date) if lang == "fr" => date.strftime("%d/%m/%Y").to_string(),
        _ => d.to_owned(),
    }
}

fn handle(
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
    pub mine: bool,
    pub due: String,
    pub escalated: bool,
    pub escalated_on: String,
    pub escalated_to: String,
}

impl ItemView {
    fn new(i: &ActionItemRow, s: &AStrings, me: &str, lang: &str) -> Self {
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
    pub date: String,
    pub html: String,
}

impl CommentView {
    fn new(state: &AppState, m: &ActionCommentRow, lang: &str) -> Self {
        let (author, author_handle) = handle(
            &m.author_name,
            &m.author_username,
            &m.author_authority,
            &m.attributed_to,
        );
        CommentView {
            author,
            author_handle,
            date: datetime(m.published_at, &state.config.timezone, lang),
            html: m.content_html.clone(),
        }
    }
}

pub struct Group {
    pub status: &'static str,
    pub label: &'static str,
    pub items: Vec<ItemView>,
}

#[derive(Deserialize, Default)]
pub struct Filter {
    #[serde(default)]
    status: String,
    #[serde(default)]
    mine: String,
}

#[derive(Template)]
#[template(path = "action_plan.html")]
struct PlanPage {
    layout: Layout,
    a: &'static AStrings,
    c: CommunityView,
    groups: Vec<Group>,
    statuses: Vec<(&'static str, &'static str)>,
    status: String,
    mine: bool,
    form: NewItem,
    errors: FieldErrors,
}

fn statuses(a: &AStrings) -> Vec<(&'static str, &'static str)> {
    Status::ALL
        .iter()
        .map(|s| (s.as_str(), a.status(s.as_str())))
        .collect()
}

async fn views(state: &AppState, session: &Session, c: &CommunityRow) -> WebResult<Vec<ItemView>> {
    let a = astrings(state);
    let lang = Layout::strings(state).lang;
    Ok(action_plan::plan(state, &session.account, c)
        .await?
        .iter()
        .map(|i| ItemView::new(i, a, &session.account.actor, lang))
        .collect())
}

async fn render_plan(
    state: &AppState,
    session: &Session,
    c: &CommunityRow,
    filter: &Filter,
    status: StatusCode,
    form: NewItem,
    errors: FieldErrors,
) -> WebResult<HttpResponse> {
    let a = astrings(state);
    let items = views(state, session, c).await?;
    let mine = !filter.mine.is_empty();
    let groups = Status::ALL
        .iter()
        .filter(|s| filter.status.is_empty() || filter.status == s.as_str())
        .map(|s| Group {
            status: s.as_str(),
            label: a.status(s.as_str()),
            items: items
                .iter()
                .filter(|i| i.status == s.as_str() && (!mine || i.mine))
                .cloned()
                .collect(),
        })
        .collect();
    let view = CommunityView::new(state, c, cstrings(state));
    html(
        status,
        PlanPage {
            layout: Layout::new(state, Some(session), a.plan_title, "communities"),
            a,
            c: view,
            groups,
            statuses: statuses(a),
            status: filter.status.clone(),
            mine,
            form,
            errors,
        },
    )
}

#[get("/communities/{handle}/plan")]
pub async fn plan(
    state: web::Data<AppState>,
    session: WebSession,
    path: web::Path<String>,
    filter: web::Query<Filter>,
) -> WebResult<HttpResponse> {
    let c = community(&state, &path).await?;
    render_plan(
        &state,
        &session.0,
        &c,
        &filter,
        StatusCode::OK,
        NewItem::default(),
        FieldErrors::default(),
    )
    .await
}

#[post("/communities/{handle}/plan")]
pub async fn propose(
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: SessionForm<NewItem>,
) -> WebResult<HttpResponse> {
    let c = community(&state, &path).await?;
    let SessionForm { session, data } = form;
    match action_plan::propose(&state, &session.account, &c, &data).await {
        Ok(i) => Ok(redirect(&format!("/plan/items/{}", i.id))),
        Err(e) => match FieldErrors::from_domain(Layout::strings(&state), &e) {
            Some(errors) => {
                render_plan(
                    &state,
                    &session,
                    &c,
                    &Filter::default(),
                    StatusCode::UNPROCESSABLE_ENTITY,
                    data,
                    errors,
                )
                .await
            }
            None => Err(e.into()),
        },
    }
}

#[derive(Template)]
#[template(path = "action_item.html")]
struct ItemPage {
    layout: Layout,
    a: &'static AStrings,
    c: CommunityView,
    item: ItemView,
    author: String,
    published: String,
    comments: Vec<CommentView>,
    statuses: Vec<(&'static str, &'static str)>,
    may_status: bool,
    may_escalate: bool,
    may_edit: bool,
    /// The edit form: the item as it stands, or what was typed when refused.
    form: NewItem,
    errors: FieldErrors,
}

async fn render_item(
    state: &AppState,
    session: &Session,
    id: i64,
    status: StatusCode,
    form: Option<NewItem>,
    errors: FieldErrors,
) -> WebResult<HttpResponse> {
    let a = astrings(state);
    let lang = Layout::strings(state).lang;
    let (c, i, comments) = action_plan::item(state, &session.account, id).await?;
    let (may_status, may_escalate) = action_plan::rights(state, &session.account, &c, &i).await;
    let may_edit = action_plan::may_edit(state, &session.account, &c, &i).await;
    let view = ItemView::new(&i, a, &session.account.actor, lang);
    let form = form.unwrap_or_else(|| NewItem {
        title: i.title.clone(),
        description: i.source.clone(),
        owner: view.owner_handle.clone(),
        due_on: i.due_on.clone(),
    });
    let author = state
        .store
        .actor_by_ap_id(&i.attributed_to)
        .await
        .map_err(crate::domain::DomainError::from)?
        .map(|x| {
            handle(
                &Some(x.display_name),
                &Some(x.username),
                &Some(x.authority),
                &x.ap_id,
            )
            .0
        })
        .unwrap_or_else(|| i.attributed_to.clone());
    html(
        status,
        ItemPage {
            layout: Layout::new(state, Some(session), &i.title, "communities"),
            a,
            c: CommunityView::new(state, &c, cstrings(state)),
            published: datetime(i.published_at, &state.config.timezone, lang),
            item: view,
            author,
            comments: comments
                .iter()
                .map(|m| CommentView::new(state, m, lang))
                .collect(),
            statuses: statuses(a),
            may_status,
            may_escalate,
            may_edit,
            form,
            errors,
        },
    )
}

#[get("/plan/items/{id}")]
pub async fn item(
    state: web::Data<AppState>,
    session: WebSession,
    path: web::Path<i64>,
) -> WebResult<HttpResponse> {
    render_item(
        &state,
        &session.0,
        *path,
        StatusCode::OK,
        None,
        FieldErrors::default(),
    )
    .await
}

#[derive(Deserialize)]
pub struct ItemForm {
    #[serde(default)]
    body: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    escalated_to: String,
    #[serde(default)]
    escalated_on: String,
}

/// Comment, status, escalate: one endpoint each, the same shape of answer.
async fn act(
    state: &AppState,
    id: i64,
    form: SessionForm<ItemForm>,
    what: &str,
) -> WebResult<HttpResponse> {
    let SessionForm { session, data } = form;
    let (_, i, _) = action_plan::item(state, &session.account, id).await?;
    let done = match what {
        "comment" => action_plan::comment(state, &session.account, &i.ap_id, &data.body)
            .await
            .map(|_| ()),
        "status" => match Status::parse(&data.status) {
            Ok(s) => action_plan::set_status(state, &session.account, &i.ap_id, s)
                .await
                .map(|_| ()),
            Err(e) => Err(e),
        },
        _ => action_plan::escalate(
            state,
            &session.account,
            &i.ap_id,
            &data.escalated_on,
            &data.escalated_to,
        )
        .await
        .map(|_| ()),
    };
    match done {
        Ok(()) => Ok(redirect(&format!("/plan/items/{id}"))),
        Err(e) => match FieldErrors::from_domain(Layout::strings(state), &e) {
            Some(errors) => {
                render_item(
                    state,
                    &session,
                    id,
                    StatusCode::UNPROCESSABLE_ENTITY,
                    None,
                    errors,
                )
                .await
            }
            None => Err(e.into()),
        },
    }
}

#[post("/plan/items/{id}/comment")]
pub async fn comment(
    state: web::Data<AppState>,
    path: web::Path<i64>,
    form: SessionForm<ItemForm>,
) -> WebResult<HttpResponse> {
    act(&state, *path, form, "comment").await
}

#[post("/plan/items/{id}/status")]
pub async fn set_status(
    state: web::Data<AppState>,
    path: web::Path<i64>,
    form: SessionForm<ItemForm>,
) -> WebResult<HttpResponse> {
    act(&state, *path, form, "status").await
}

#[post("/plan/items/{id}/escalate")]
pub async fn escalate(
    state: web::Data<AppState>,
    path: web::Path<i64>,
    form: SessionForm<ItemForm>,
) -> WebResult<HttpResponse> {
    act(&state, *path, form, "escalate").await
}

/// The author or an animateur edits title, description, owner and due date.
#[post("/plan/items/{id}/edit")]
pub async fn edit(
    state: web::Data<AppState>,
    path: web::Path<i64>,
    form: SessionForm<NewItem>,
) -> WebResult<HttpResponse> {
    let SessionForm { session, data } = form;
    let id = *path;
    let (_, i, _) = action_plan::item(&state, &session.account, id).await?;
    match action_plan::edit(&state, &session.account, &i.ap_id, &data).await {
        Ok(_) => Ok(redirect(&format!("/plan/items/{id}"))),
        Err(e) => match FieldErrors::from_domain(Layout::strings(&state), &e) {
            Some(errors) => {
                render_item(
                    &state,
                    &session,
                    id,
                    StatusCode::UNPROCESSABLE_ENTITY,
                    Some(data),
                    errors,
                )
                .await
            }
            None => Err(e.into()),
        },
    }
}

#[derive(Template)]
#[template(path = "action_plan_print.html")]
struct PrintPage {
    a: &'static AStrings,
    lang: &'static str,
    community: String,
    institution: String,
    date: String,
    items: Vec<ItemView>,
}

/// A page to print and hand to management: no navigation, every item with its status,
/// owner, due date and escalation.
#[get("/communities/{handle}/plan/print")]
pub async fn print(
    state: web::Data<AppState>,
    session: WebSession,
    path: web::Path<String>,
) -> WebResult<HttpResponse> {
    let c = community(&state, &path).await?;
    let items = views(&state, &session.0, &c).await?;
    let lang = Layout::strings(&state).lang;
    let today = jiff::Zoned::now().date().to_string();
    html(
        StatusCode::OK,
        PrintPage {
            a: astrings(&state),
            lang,
            community: c.name.clone(),
            institution: state.config.institution_name.clone(),
            date: day(&today, lang),
            items,
        },
    )
}

/// A cell as a spreadsheet will read it: text that starts like a formula (`=`, `+`, `-`,
/// `@`, tab, carriage return) gets a leading `'`, so that an item titled `=HYPERLINK(…)`
/// stays text on the management's computer (OWASP "CSV injection").
fn cell(s: &str) -> String {
    match s.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{s}"),
        _ => s.to_owned(),
    }
}

/// The plan as CSV for a spreadsheet. French Excel expects `;` between fields (the comma is
/// its decimal separator) and reads a file as UTF-8 only when it starts with a BOM; without
/// both, accents and columns come out wrong. LibreOffice and the `csv` crate read it as well.
#[get("/communities/{handle}/plan.csv")]
pub async fn csv(
    state: web::Data<AppState>,
    session: WebSession,
    path: web::Path<String>,
) -> WebResult<HttpResponse> {
    let c = community(&state, &path).await?;
    let a = astrings(&state);
    let items = views(&state, &session.0, &c).await?;
    let mut w = ::csv::WriterBuilder::new()
        .delimiter(b';')
        .from_writer(Vec::from("\u{feff}".as_bytes()));
    let internal = |e: ::csv::Error| crate::domain::DomainError::Internal(e.to_string());
    w.write_record([
        a.title,
        a.status,
        a.owner,
        a.due_on,
        a.escalated_on,
        a.escalate_to,
        a.description,
    ])
    .map_err(internal)?;
    for i in &items {
        w.write_record([
            cell(&i.title),
            cell(i.status_label),
            cell(&i.owner),
            cell(&i.due),
            cell(&i.escalated_on),
            cell(&i.escalated_to),
            cell(&i.source),
        ])
        .map_err(internal)?;
    }
    let body = w
        .into_inner()
        .map_err(|e| crate::domain::DomainError::Internal(e.to_string()))?;
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"plan-action-{}.csv\"", c.slug),
        ))
        .body(body))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_cells_that_look_like_formulas_stay_text() {
        assert_eq!(cell("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(cell("-1"), "'-1");
        assert_eq!(cell("Badges"), "Badges");
        assert_eq!(day("2027-01-31", "fr"), "31/01/2027");
    }
}
