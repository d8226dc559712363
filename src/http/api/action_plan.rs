//! The action plan as JSON: list and propose items of a community, show one with its
//! comments, edit it, change its status, escalate it, comment it. Items are addressed by local id.

use actix_web::{HttpResponse, delete, get, post, put, web};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::db::{ActionCommentRow, ActionItemRow};
use crate::domain::action_plan::{self, NewItem, Status};
use crate::domain::communities;
use crate::http::auth::ApiCaller;
use crate::http::error::ApiResult;
use crate::state::AppState;

fn item_json(i: &ActionItemRow) -> Value {
    json!({
        "id": i.id, "ap_id": i.ap_id, "title": i.title, "content_html": i.content_html,
        "author": i.attributed_to,
        "owner": if i.owner.is_empty() { Value::Null } else { json!(i.owner) },
        "due_on": if i.due_on.is_empty() { Value::Null } else { json!(i.due_on) },
        "status": i.status,
        "escalated": if i.escalated_on.is_empty() { Value::Null } else {
            json!({"on": i.escalated_on, "to": i.escalated_to})
        },
        "published_at": i.published_at, "updated_at": i.updated_at,
    })
}

fn comment_json(m: &ActionCommentRow) -> Value {
    json!({
        "id": m.id, "ap_id": m.ap_id, "author": m.attributed_to,
        "content_html": m.content_html, "published_at": m.published_at,
    })
}

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
        .map(item_json)
        .collect();
    Ok(HttpResponse::Ok().json(items))
}

#[post("/communities/{handle}/actions")]
pub async fn create(
    state: web::Data<AppState>,
    caller: ApiCaller,
    path: web::Path<String>,
    body: web::Json<NewItem>,
) -> ApiResult<HttpResponse> {
    let c = communities::resolve(&state, &path).await?;
    let i = action_plan::propose(&state, &caller.0, &c, &body).await?;
    Ok(HttpResponse::Created().json(item_json(&i)))
}

#[get("/actions/{id}")]
pub async fn show(
    state: web::Data<AppState>,
    caller: ApiCaller,
    path: web::Path<i64>,
) -> ApiResult<HttpResponse> {
    let (_, i, comments) = action_plan::item(&state, &caller.0, *path).await?;
    let comments: Vec<_> = comments.iter().map(comment_json).collect();
    Ok(HttpResponse::Ok().json(json!({ "item": item_json(&i), "comments": comments })))
}

/// The author or an animateur edits title, description, owner and due date (the body of a
/// proposal; every field is replaced).
#[put("/actions/{id}")]
pub async fn edit(
    state: web::Data<AppState>,
    caller: ApiCaller,
    path: web::Path<i64>,
    body: web::Json<NewItem>,
) -> ApiResult<HttpResponse> {
    let (_, i, _) = action_plan::item(&state, &caller.0, *path).await?;
    let i = action_plan::edit(&state, &caller.0, &i.ap_id, &body).await?;
    Ok(HttpResponse::Ok().json(item_json(&i)))
}

#[derive(Deserialize)]
pub struct StatusBody {
    status: String,
}

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
    Ok(HttpResponse::Ok().json(item_json(&i)))
}

#[derive(Deserialize)]
pub struct EscalateBody {
    to: String,
    #[serde(default)]
    on: String,
}

#[post("/actions/{id}/escalate")]
pub async fn escalate(
    state: web::Data<AppState>,
    caller: ApiCaller,
    path: web::Path<i64>,
    body: web::Json<EscalateBody>,
) -> ApiResult<HttpResponse> {
    let (_, i, _) = action_plan::item(&state, &caller.0, *path).await?;
    let i = action_plan::escalate(&state, &caller.0, &i.ap_id, &body.on, &body.to).await?;
    Ok(HttpResponse::Ok().json(item_json(&i)))
}

#[derive(Deserialize)]
pub struct CommentBody {
    body: String,
}

#[post("/actions/{id}/comments")]
pub async fn comment(
    state: web::Data<AppState>,
    caller: ApiCaller,
    path: web::Path<i64>,
    body: web::Json<CommentBody>,
) -> ApiResult<HttpResponse> {
    let (_, i, _) = action_plan::item(&state, &caller.0, *path).await?;
    let m = action_plan::comment(&state, &caller.0, &i.ap_id, &body.body).await?;
    Ok(HttpResponse::Created().json(comment_json(&m)))
}

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
