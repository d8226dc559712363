//! Resources of a community as JSON: list, show, history, create, edit (409 with the current
//! revision when the edit was written on an older one), restore. Communities are addressed
//! as on the web (`slug` or `slug@authority`), resources by their short name.

use actix_multipart::Multipart;
use actix_web::{HttpResponse, get, post, web};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::db::{CommunityRow, ResourceRow};
use crate::domain::resources::{self, ResourceInput, Saved};
use crate::domain::{DomainError, Rule, attachments, communities, revisions};
use crate::http::auth::ApiCaller;
use crate::http::error::{ApiError, ApiResult};
use crate::http::upload::read_upload;
use crate::state::AppState;

fn resource_json(r: &ResourceRow) -> Value {
    json!({
        "id": r.ap_id, "slug": r.slug, "kind": r.kind, "title": r.title,
        "source": r.source, "content_html": r.content_html, "revision": r.revision,
        "created_by": r.attributed_to, "updated_at": r.updated_at,
    })
}

fn saved(s: Saved, created: bool) -> HttpResponse {
    match s {
        Saved::Done(r) if created => HttpResponse::Created().json(resource_json(&r)),
        Saved::Done(r) => HttpResponse::Ok().json(resource_json(&r)),
        // A remote host records it, then announces it: nothing to show yet.
        Saved::Submitted => HttpResponse::Accepted().json(json!({ "status": "submitted" })),
    }
}

async fn find(
    state: &AppState,
    caller: &ApiCaller,
    handle: &str,
    slug: &str,
) -> ApiResult<(CommunityRow, ResourceRow)> {
    let c = communities::resolve(state, handle).await?;
    let r = resources::find(state, &caller.0, &c, slug).await?;
    Ok((c, r))
}

#[get("/communities/{handle}/resources")]
pub async fn list(
    state: web::Data<AppState>,
    caller: ApiCaller,
    path: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let c = communities::resolve(&state, &path).await?;
    let items: Vec<Value> = resources::list(&state, &caller.0, &c)
        .await?
        .iter()
        .map(resource_json)
        .collect();
    Ok(HttpResponse::Ok().json(items))
}

#[post("/communities/{handle}/resources")]
pub async fn create(
    state: web::Data<AppState>,
    caller: ApiCaller,
    path: web::Path<String>,
    body: web::Json<ResourceInput>,
) -> ApiResult<HttpResponse> {
    let c = communities::resolve(&state, &path).await?;
    let s = resources::create(&state, &caller.0, &c, &body).await?;
    Ok(saved(s, true))
}

fn file_json(a: &crate::db::AttachmentRow) -> Value {
    json!({"id": a.id, "name": a.name, "media_type": a.media_type, "size_bytes": a.size_bytes})
}

/// The resource with its files.
#[get("/communities/{handle}/resources/{slug}")]
pub async fn show(
    state: web::Data<AppState>,
    caller: ApiCaller,
    path: web::Path<(String, String)>,
) -> ApiResult<HttpResponse> {
    let (_, r) = find(&state, &caller, &path.0, &path.1).await?;
    let mut doc = resource_json(&r);
    doc["attachments"] = attachments::list(&state, &caller.0, &r)
        .await?
        .iter()
        .map(file_json)
        .collect();
    Ok(HttpResponse::Ok().json(doc))
}

/// Attaches a file (`multipart/form-data`, field `file`), on the community's host: 201, or
/// 422 over the size limit, 403 for a type that is not allowed.
#[post("/communities/{handle}/resources/{slug}/attachments")]
pub async fn upload(
    state: web::Data<AppState>,
    caller: ApiCaller,
    path: web::Path<(String, String)>,
    form: Multipart,
) -> ApiResult<HttpResponse> {
    let max = attachments::max_bytes(&state);
    let up = read_upload(form, max)
        .await
        .ok_or_else(|| ApiError::BadRequest("malformed multipart body".into()))?;
    let (_, r) = find(&state, &caller, &path.0, &path.1).await?;
    let bytes = up
        .bytes
        .ok_or(DomainError::invalid("file", Rule::TooLong))?;
    let a = attachments::add(&state, &caller.0, &r, &up.name, &bytes).await?;
    Ok(HttpResponse::Created().json(file_json(&a)))
}

#[get("/communities/{handle}/resources/{slug}/revisions")]
pub async fn history(
    state: web::Data<AppState>,
    caller: ApiCaller,
    path: web::Path<(String, String)>,
) -> ApiResult<HttpResponse> {
    let (_, r) = find(&state, &caller, &path.0, &path.1).await?;
    let items: Vec<Value> = revisions::history(&state, &caller.0, &r)
        .await?
        .iter()
        .map(|v| {
            json!({
                "number": v.number, "author": v.author, "title": v.title,
                "source": v.source, "summary": v.summary, "created_at": v.created_at,
            })
        })
        .collect();
    Ok(HttpResponse::Ok().json(items))
}

#[derive(Deserialize)]
pub struct EditBody {
    title: String,
    body: String,
    #[serde(default)]
    summary: String,
    /// The revision the edit was written on.
    base: i64,
}

/// 409 names the current revision, so the client can show it and merge.
fn conflict(r: &ResourceRow, why: &str) -> HttpResponse {
    HttpResponse::Conflict().json(json!({
        "error": { "code": "conflict", "message": why },
        "current": resource_json(r),
    }))
}

#[post("/communities/{handle}/resources/{slug}/edit")]
pub async fn edit(
    state: web::Data<AppState>,
    caller: ApiCaller,
    path: web::Path<(String, String)>,
    body: web::Json<EditBody>,
) -> ApiResult<HttpResponse> {
    let (_, r) = find(&state, &caller, &path.0, &path.1).await?;
    let input = ResourceInput {
        title: body.title.clone(),
        body: body.body.clone(),
        summary: body.summary.clone(),
        ..ResourceInput::default()
    };
    match resources::edit(&state, &caller.0, &r, &input, body.base).await {
        Ok(s) => Ok(saved(s, false)),
        Err(DomainError::Conflict(why)) => Ok(conflict(&r, &why)),
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub struct RestoreBody {
    number: i64,
    base: i64,
}

#[post("/communities/{handle}/resources/{slug}/restore")]
pub async fn restore(
    state: web::Data<AppState>,
    caller: ApiCaller,
    path: web::Path<(String, String)>,
    body: web::Json<RestoreBody>,
) -> ApiResult<HttpResponse> {
    let (_, r) = find(&state, &caller, &path.0, &path.1).await?;
    match resources::restore(&state, &caller.0, &r, body.number, body.base).await {
        Ok(s) => Ok(saved(s, false)),
        Err(DomainError::Conflict(why)) => Ok(conflict(&r, &why)),
        Err(e) => Err(e.into()),
    }
}
