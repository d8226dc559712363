//! Communities, discussions, feed and notifications of the caller, as JSON. Communities are
//! addressed as on the web: `slug` (hosted here) or `slug@authority`; posts by local id.

use actix_web::{HttpResponse, delete, get, post, web};
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::db::{CommunityRow, PostRow};
use crate::domain::accounts::Account;
use crate::domain::communities::{self, NewCommunityInput};
use crate::domain::post_kinds::PostKind;
use crate::domain::{DomainError, feed, memberships, notifications, posts};
use crate::http::auth::ApiCaller;
use crate::http::error::ApiResult;
use crate::state::AppState;

#[derive(Serialize)]
struct CommunityJson {
    id: String,
    handle: String,
    name: String,
    description: String,
    tags: String,
    join_mode: String,
    question: String,
    hosted_here: bool,
    membership: Option<String>,
}

async fn community_json(
    state: &AppState,
    c: &CommunityRow,
    me: &Account,
) -> ApiResult<CommunityJson> {
    let m = communities::membership_of(state, c, me).await?;
    Ok(CommunityJson {
        id: c.ap_id.clone(),
        handle: format!("{}@{}", c.slug, c.authority),
        name: c.name.clone(),
        description: c.description.clone(),
        tags: c.tags.clone(),
        join_mode: c.join_mode.clone(),
        question: c.question.clone(),
        hosted_here: c.is_local == 1,
        membership: m.map(|m| m.state),
    })
}

fn post_json(p: &PostRow) -> serde_json::Value {
    json!({
        "id": p.id, "ap_id": p.ap_id, "kind": if p.kind == "Page" { "thread" } else { "reply" },
        "title": p.title, "content_html": p.content_html, "author": p.attributed_to,
        "thread": p.thread_ap_id, "pinned": p.pinned == 1, "locked": p.locked == 1,
        "published_at": p.published_at, "category": p.category,
        "tags": crate::domain::post_kinds::tags_of(&p.tags),
        "deadline": if p.deadline.is_empty() { None } else { Some(&p.deadline) },
    })
}

async fn find(state: &AppState, handle: &str) -> ApiResult<CommunityRow> {
    Ok(communities::resolve(state, handle).await?)
}

async fn local_post(state: &AppState, id: i64) -> ApiResult<PostRow> {
    Ok(state
        .store
        .post_by_id(id)
        .await
        .map_err(DomainError::from)?
        .ok_or(DomainError::NotFound("post"))?)
}

#[get("/communities")]
pub async fn list(state: web::Data<AppState>, caller: ApiCaller) -> ApiResult<HttpResponse> {
    let mut out = Vec::new();
    for c in state
        .store
        .list_communities()
        .await
        .map_err(DomainError::from)?
    {
        out.push(community_json(&state, &c, &caller.0).await?);
    }
    Ok(HttpResponse::Ok().json(out))
}

#[post("/communities")]
pub async fn create(
    state: web::Data<AppState>,
    caller: ApiCaller,
    body: web::Json<NewCommunityInput>,
) -> ApiResult<HttpResponse> {
    let c = communities::create(&state, &caller.0, &body).await?;
    Ok(HttpResponse::Created().json(community_json(&state, &c, &caller.0).await?))
}

#[get("/communities/{handle}")]
pub async fn show(
    state: web::Data<AppState>,
    caller: ApiCaller,
    path: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let c = find(&state, &path).await?;
    Ok(HttpResponse::Ok().json(community_json(&state, &c, &caller.0).await?))
}

#[derive(Deserialize)]
pub struct JoinBody {
    #[serde(default)]
    answer: String,
}

/// 202: a remote host answers later.
#[post("/communities/{handle}/join")]
pub async fn join(
    state: web::Data<AppState>,
    caller: ApiCaller,
    path: web::Path<String>,
    body: web::Json<JoinBody>,
) -> ApiResult<HttpResponse> {
    let c = find(&state, &path).await?;
    let m = memberships::join(&state, &caller.0, &c, &body.answer).await?;
    Ok(HttpResponse::Accepted().json(json!({ "membership": m.state })))
}

#[post("/communities/{handle}/leave")]
pub async fn leave(
    state: web::Data<AppState>,
    caller: ApiCaller,
    path: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let c = find(&state, &path).await?;
    memberships::leave(&state, &caller.0, &c).await?;
    Ok(HttpResponse::NoContent().finish())
}

#[get("/communities/{handle}/members")]
pub async fn members(
    state: web::Data<AppState>,
    caller: ApiCaller,
    path: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let c = find(&state, &path).await?;
    communities::require_member(&state, &c, &caller.0).await?;
    let animateur = communities::require_animateur(&state, &c, &caller.0)
        .await
        .is_ok();
    let rows_json = |rows: Vec<crate::db::MemberRow>| -> Vec<serde_json::Value> {
        rows.into_iter()
            .map(|m| json!({"actor": m.ap_id, "name": m.display_name, "role": m.role, "answer": m.answer}))
            .collect()
    };
    let accepted = rows_json(
        state
            .store
            .members(c.id, "accepted")
            .await
            .map_err(DomainError::from)?,
    );
    let pending = if animateur {
        rows_json(
            state
                .store
                .members(c.id, "pending")
                .await
                .map_err(DomainError::from)?,
        )
    } else {
        vec![]
    };
    Ok(HttpResponse::Ok().json(json!({ "members": accepted, "requests": pending })))
}

#[derive(Deserialize)]
pub struct Decision {
    actor: String,
    approve: bool,
}

#[post("/communities/{handle}/requests")]
pub async fn decide(
    state: web::Data<AppState>,
    caller: ApiCaller,
    path: web::Path<String>,
    body: web::Json<Decision>,
) -> ApiResult<HttpResponse> {
    let c = find(&state, &path).await?;
    memberships::decide(&state, &caller.0, &c, &body.actor, body.approve).await?;
    Ok(HttpResponse::NoContent().finish())
}

#[get("/communities/{handle}/threads")]
pub async fn threads(
    state: web::Data<AppState>,
    caller: ApiCaller,
    path: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let c = find(&state, &path).await?;
    communities::require_member(&state, &c, &caller.0).await?;
    let threads: Vec<_> = state
        .store
        .threads(c.id)
        .await
        .map_err(DomainError::from)?
        .iter()
        .map(post_json)
        .collect();
    Ok(HttpResponse::Ok().json(threads))
}

#[derive(Deserialize)]
pub struct NewThread {
    title: String,
    body: String,
    /// `discussion` (default), `veille` or `mobilite`.
    #[serde(default)]
    category: String,
    /// Hashtags: `["rh", "paie"]`.
    #[serde(default)]
    tags: Vec<String>,
    #[serde(default)]
    deadline: String,
}

#[post("/communities/{handle}/threads")]
pub async fn new_thread(
    state: web::Data<AppState>,
    caller: ApiCaller,
    path: web::Path<String>,
    body: web::Json<NewThread>,
) -> ApiResult<HttpResponse> {
    let c = find(&state, &path).await?;
    let kind = PostKind::parse(&body.category, &body.tags.join(" "), &body.deadline)?;
    let p =
        posts::create_thread_of_kind(&state, &caller.0, &c, &body.title, &body.body, &kind).await?;
    Ok(HttpResponse::Created().json(post_json(&p)))
}

#[get("/posts/{id}")]
pub async fn thread(
    state: web::Data<AppState>,
    caller: ApiCaller,
    path: web::Path<i64>,
) -> ApiResult<HttpResponse> {
    let p = local_post(&state, *path).await?;
    let c = posts::community(&state, &p).await?;
    communities::require_member(&state, &c, &caller.0).await?;
    let replies: Vec<_> = state
        .store
        .replies(&p.thread_ap_id)
        .await
        .map_err(DomainError::from)?
        .iter()
        .map(post_json)
        .collect();
    Ok(HttpResponse::Ok().json(json!({ "post": post_json(&p), "replies": replies })))
}

#[derive(Deserialize)]
pub struct NewReply {
    body: String,
}

#[post("/posts/{id}/replies")]
pub async fn reply(
    state: web::Data<AppState>,
    caller: ApiCaller,
    path: web::Path<i64>,
    body: web::Json<NewReply>,
) -> ApiResult<HttpResponse> {
    let p = local_post(&state, *path).await?;
    let r = posts::reply(&state, &caller.0, &p.thread_ap_id, &body.body).await?;
    Ok(HttpResponse::Created().json(post_json(&r)))
}

#[delete("/posts/{id}")]
pub async fn remove(
    state: web::Data<AppState>,
    caller: ApiCaller,
    path: web::Path<i64>,
) -> ApiResult<HttpResponse> {
    let p = local_post(&state, *path).await?;
    posts::delete(&state, &caller.0, &p.ap_id).await?;
    Ok(HttpResponse::NoContent().finish())
}

#[derive(Deserialize)]
pub struct FeedQuery {
    before: Option<String>,
}

#[get("/feed")]
pub async fn home_feed(
    state: web::Data<AppState>,
    caller: ApiCaller,
    q: web::Query<FeedQuery>,
) -> ApiResult<HttpResponse> {
    let before = q.before.as_deref().map(feed::Cursor::parse).transpose()?;
    let page = feed::page(&state, &caller.0, before).await?;
    let next = page.next.map(|c| c.to_string());
    let items: Vec<_> = page.posts.iter().map(post_json).collect();
    Ok(HttpResponse::Ok().json(json!({ "items": items, "next_before": next })))
}

#[get("/notifications")]
pub async fn notifications_list(
    state: web::Data<AppState>,
    caller: ApiCaller,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(notifications::list(&state, &caller.0).await?))
}
