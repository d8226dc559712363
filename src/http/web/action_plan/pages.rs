//! The action plan pages: the plan (grouped by status, filtered), proposing an item, and
//! one item with its comments and the status, escalation and edit forms.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, get, post, web};
use serde::Deserialize;

use super::views::{
    CommentView, Group, ItemPage, ItemView, PlanPage, astrings, handle, statuses, views,
};
use crate::db::CommunityRow;
use crate::domain::action_plan::{self, NewItem, Status};
use crate::domain::sessions::Session;
use crate::http::auth::{SessionForm, WebSession};
use crate::http::web::communities::community;
use crate::http::web::community_views::CommunityView;
use crate::http::web::community_views::cstrings;
use crate::http::web::format::datetime;
use crate::http::web::{FieldErrors, Layout, WebResult, html, redirect};
use crate::state::AppState;

#[derive(Deserialize, Default)]
pub struct Filter {
    #[serde(default)]
    status: String,
    #[serde(default)]
    mine: String,
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
