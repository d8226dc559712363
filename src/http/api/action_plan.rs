//! The action plan as JSON: list and propose items of a community, show one with its
//! comments, edit it, change its status, escalate it, comment it. Items are addressed by local id.

use actix_web::{HttpResponse, delete, get, post, put, web};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::db::{ActionCommentRow, ActionItemRow};
use crate::domain::action_plan::{self, NewItem, Status};
use crate::domain::communities;
use crate::http::auth::ApiCaller;
use crate::http::error::ApiResult;
use crate::state::AppState;

/// An action item.
#[derive(Serialize, ToSchema)]
pub struct ItemJson {
    id: i64,
    ap_id: String,
    title: String,
    content_html: String,
    /// The ActivityPub id of its author.
    author: String,
    /// Who carries it (`user@node`), null for nobody.
    owner: Option<String>,
    /// `YYYY-MM-DD`, null for none.
    due_on: Option<String>,
    status: String,
    /// Where and when it was escalated, null if it was not.
    escalated: Option<Escalation>,
    /// Milliseconds since the epoch.
    published_at: i64,
    updated_at: i64,
}

#[derive(Serialize, ToSchema)]
pub struct Escalation {
    on: String,
    to: String,
}

fn non_empty(s: &str) -> Option<String> {
    (!s.is_empty()).then(|| s.to_owned())
}

impl From<&ActionItemRow> for ItemJson {
    fn from(i: &ActionItemRow) -> Self {
        ItemJson {
            id: i.id,
            ap_id: i.ap_id.clone(),
            title: i.title.clone(),
            content_html: i.content_html.clone(),
            author: i.attributed_to.clone(),
            owner: non_empty(&i.owner),
            due_on: non_empty(&i.due_on),
            status: i.status.clone(),
            escalated: (!i.escalated_on.is_empty()).then(|| Escalation {
                on: i.escalated_on.clone(),
                to: i.escalated_to.clone(),
            }),
            published_at: i.published_at,
            updated_at: i.updated_at,
        }
    }
}

/// A comment on an action item.
#[derive(Serialize, ToSchema)]
pub struct ItemCommentJson {
    id: i64,
    ap_id: String,
    author: String,
    content_html: String,
    published_at: i64,
}

impl From<&ActionCommentRow> for ItemCommentJson {
    fn from(m: &ActionCommentRow) -> Self {
        ItemCommentJson {
            id: m.id,
            ap_id: m.ap_id.clone(),
            author: m.attributed_to.clone(),
            content_html: m.content_html.clone(),
            published_at: m.published_at,
        }
    }
}

/// An item with its comments, oldest first.
#[derive(Serialize, ToSchema)]
pub struct ItemWithComments {
    item: ItemJson,
    comments: Vec<ItemCommentJson>,
}

/// The action plan of a community.
#[utoipa::path(
    operation_id = "action_plan_list",
    tag = "action plan",
    security(("api_token" = [])),
    responses(
        (status = 200, description = "Its items", body = [ItemJson]),
    ),
)]
#[get("/communities/{handle}/actions")]
pub async fn list(
    state: web::Data<AppState>,
    caller: ApiCaller,
    path: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let c = communities::resolve(&state, &path).await?;
    let items: Vec<_> = action_plan::plan(&state, &caller.0, &c)
        .await?
        .iter()
        .map(ItemJson::from)
        .collect();
    Ok(HttpResponse::Ok().json(items))
}

/// Proposes an item to a community's action plan.
#[utoipa::path(
    operation_id = "action_plan_create",
    tag = "action plan",
    security(("api_token" = [])),
    request_body = NewItem,
    responses(
        (status = 201, description = "The item", body = ItemJson),
    ),
)]
#[post("/communities/{handle}/actions")]
pub async fn create(
    state: web::Data<AppState>,
    caller: ApiCaller,
    path: web::Path<String>,
    body: web::Json<NewItem>,
) -> ApiResult<HttpResponse> {
    let c = communities::resolve(&state, &path).await?;
    let i = action_plan::propose(&state, &caller.0, &c, &body).await?;
    Ok(HttpResponse::Created().json(ItemJson::from(&i)))
}

/// One item with its comments.
#[utoipa::path(
    operation_id = "action_plan_show",
    tag = "action plan",
    security(("api_token" = [])),
    responses(
        (status = 200, description = "The item and its comments", body = ItemWithComments),
    ),
)]
#[get("/actions/{id}")]
pub async fn show(
    state: web::Data<AppState>,
    caller: ApiCaller,
    path: web::Path<i64>,
) -> ApiResult<HttpResponse> {
    let (_, i, comments) = action_plan::item(&state, &caller.0, *path).await?;
    Ok(HttpResponse::Ok().json(ItemWithComments {
        item: ItemJson::from(&i),
        comments: comments.iter().map(ItemCommentJson::from).collect(),
    }))
}

/// The author or an animateur edits title, description, owner and due date (the body of a
/// proposal; every field is replaced).
#[utoipa::path(
    operation_id = "action_plan_edit",
    tag = "action plan",
    security(("api_token" = [])),
    request_body = NewItem,
    responses(
        (status = 200, description = "The edited item", body = ItemJson),
    ),
)]
#[put("/actions/{id}")]
pub async fn edit(
    state: web::Data<AppState>,
    caller: ApiCaller,
    path: web::Path<i64>,
    body: web::Json<NewItem>,
) -> ApiResult<HttpResponse> {
    let (_, i, _) = action_plan::item(&state, &caller.0, *path).await?;
    let i = action_plan::edit(&state, &caller.0, &i.ap_id, &body).await?;
    Ok(HttpResponse::Ok().json(ItemJson::from(&i)))
}

#[derive(Deserialize, ToSchema)]
pub struct StatusBody {
    status: String,
}

/// Changes the status of an item.
#[utoipa::path(
    operation_id = "action_plan_status",
    tag = "action plan",
    security(("api_token" = [])),
    request_body = StatusBody,
    responses(
        (status = 200, description = "The item", body = ItemJson),
    ),
)]
#[post("/actions/{id}/status")]
pub async fn status(
    state: web::Data<AppState>,
    caller: ApiCaller,
    path: web::Path<i64>,
    body: web::Json<StatusBody>,
) -> ApiResult<HttpResponse> {
    let (_, i, _) = action_plan::item(&state, &caller.0, *path).await?;
    let s = Status::parse(&body.status)?;
    let i = action_plan::set_status(&state, &caller.0, &i.ap_id, s).await?;
    Ok(HttpResponse::Ok().json(ItemJson::from(&i)))
}

#[derive(Deserialize, ToSchema)]
pub struct EscalateBody {
    to: String,
    #[serde(default)]
    on: String,
}

/// Escalates an item (to a hierarchy, a committee…), on a date.
#[utoipa::path(
    operation_id = "action_plan_escalate",
    tag = "action plan",
    security(("api_token" = [])),
    request_body = EscalateBody,
    responses(
        (status = 200, description = "The item", body = ItemJson),
    ),
)]
#[post("/actions/{id}/escalate")]
pub async fn escalate(
    state: web::Data<AppState>,
    caller: ApiCaller,
    path: web::Path<i64>,
    body: web::Json<EscalateBody>,
) -> ApiResult<HttpResponse> {
    let (_, i, _) = action_plan::item(&state, &caller.0, *path).await?;
    let i = action_plan::escalate(&state, &caller.0, &i.ap_id, &body.on, &body.to).await?;
    Ok(HttpResponse::Ok().json(ItemJson::from(&i)))
}

#[derive(Deserialize, ToSchema)]
pub struct CommentBody {
    body: String,
}

/// Comments an item.
#[utoipa::path(
    operation_id = "action_plan_comment",
    tag = "action plan",
    security(("api_token" = [])),
    request_body = CommentBody,
    responses(
        (status = 201, description = "The comment", body = ItemCommentJson),
    ),
)]
#[post("/actions/{id}/comments")]
pub async fn comment(
    state: web::Data<AppState>,
    caller: ApiCaller,
    path: web::Path<i64>,
    body: web::Json<CommentBody>,
) -> ApiResult<HttpResponse> {
    let (_, i, _) = action_plan::item(&state, &caller.0, *path).await?;
    let m = action_plan::comment(&state, &caller.0, &i.ap_id, &body.body).await?;
    Ok(HttpResponse::Created().json(ItemCommentJson::from(&m)))
}

/// Deletes an item (its author or an animateur).
#[utoipa::path(
    operation_id = "action_plan_remove",
    tag = "action plan",
    security(("api_token" = [])),
    responses(
        (status = 204, description = "Deleted"),
    ),
)]
#[delete("/actions/{id}")]
pub async fn remove(
    state: web::Data<AppState>,
    caller: ApiCaller,
    path: web::Path<i64>,
) -> ApiResult<HttpResponse> {
    let (_, i, _) = action_plan::item(&state, &caller.0, *path).await?;
    action_plan::delete(&state, &caller.0, &i.ap_id).await?;
    Ok(HttpResponse::NoContent().finish())
}
