//! Resources of a community as JSON: list, show, history, create, edit (409 with the current
//! revision when the edit was written on an older one), restore. Communities are addressed
//! as on the web (`slug` or `slug@authority`), resources by their short name.

use actix_multipart::Multipart;
use actix_web::{HttpResponse, get, post, web};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::db::{CommunityRow, ResourceRow};
use crate::domain::resources::{self, ResourceInput, Saved};
use crate::domain::{DomainError, Rule, attachments, communities, revisions};
use crate::http::auth::ApiCaller;
use crate::http::error::{ApiError, ApiResult};
use crate::http::upload::read_upload;
use crate::state::AppState;

/// A resource (a shared page: guide, kit, practices…) at its current revision.
#[derive(Serialize, ToSchema)]
pub struct ResourceJson {
    /// Its ActivityPub id.
    id: String,
    slug: String,
    kind: String,
    title: String,
    /// Markdown.
    source: String,
    content_html: String,
    revision: i64,
    created_by: String,
    updated_at: i64,
}

impl From<&ResourceRow> for ResourceJson {
    fn from(r: &ResourceRow) -> Self {
        ResourceJson {
            id: r.ap_id.clone(),
            slug: r.slug.clone(),
            kind: r.kind.clone(),
            title: r.title.clone(),
            source: r.source.clone(),
            content_html: r.content_html.clone(),
            revision: r.revision,
            created_by: r.attributed_to.clone(),
            updated_at: r.updated_at,
        }
    }
}

/// A resource with its files.
#[derive(Serialize, ToSchema)]
pub struct ResourceWithFiles {
    #[serde(flatten)]
    resource: ResourceJson,
    attachments: Vec<FileJson>,
}

/// A file attached to a resource.
#[derive(Serialize, ToSchema)]
pub struct FileJson {
    id: i64,
    name: String,
    media_type: String,
    size_bytes: i64,
}

impl From<&crate::db::AttachmentRow> for FileJson {
    fn from(a: &crate::db::AttachmentRow) -> Self {
        FileJson {
            id: a.id,
            name: a.name.clone(),
            media_type: a.media_type.clone(),
            size_bytes: a.size_bytes,
        }
    }
}

/// One revision of a resource.
#[derive(Serialize, ToSchema)]
pub struct RevisionJson {
    number: i64,
    author: String,
    title: String,
    source: String,
    /// What the author said they changed.
    summary: String,
    created_at: i64,
}

/// A change sent to the community's remote host, which records it and announces it later.
#[derive(Serialize, ToSchema)]
pub struct SubmittedJson {
    /// Always `submitted`.
    status: &'static str,
}

/// The answer to an edit written on an older revision.
#[derive(Serialize, ToSchema)]
pub struct ConflictJson {
    error: ConflictError,
    current: ResourceJson,
}

#[derive(Serialize, ToSchema)]
pub struct ConflictError {
    /// Always `conflict`.
    code: &'static str,
    message: String,
}

fn saved(s: Saved, created: bool) -> HttpResponse {
    match s {
        Saved::Done(r) if created => HttpResponse::Created().json(ResourceJson::from(&*r)),
        Saved::Done(r) => HttpResponse::Ok().json(ResourceJson::from(&*r)),
        // A remote host records it, then announces it: nothing to show yet.
        Saved::Submitted => HttpResponse::Accepted().json(SubmittedJson {
            status: "submitted",
        }),
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

/// The resources of a community.
#[utoipa::path(
    operation_id = "resources_list",
    tag = "resources",
    security(("api_token" = [])),
    responses(
        (status = 200, description = "The resources", body = [ResourceJson]),
    ),
)]
#[get("/communities/{handle}/resources")]
pub async fn list(
    state: web::Data<AppState>,
    caller: ApiCaller,
    path: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let c = communities::resolve(&state, &path).await?;
    let items: Vec<_> = resources::list(&state, &caller.0, &c)
        .await?
        .iter()
        .map(ResourceJson::from)
        .collect();
    Ok(HttpResponse::Ok().json(items))
}

/// Creates a resource in a community.
#[utoipa::path(
    operation_id = "resources_create",
    tag = "resources",
    security(("api_token" = [])),
    request_body = ResourceInput,
    responses(
        (status = 201, description = "The resource", body = ResourceJson),
        (status = 202, description = "Sent to the community's remote host", body = SubmittedJson),
    ),
)]
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

/// The resource with its files.
#[utoipa::path(
    operation_id = "resources_show",
    tag = "resources",
    security(("api_token" = [])),
    responses(
        (status = 200, description = "The resource", body = ResourceWithFiles),
    ),
)]
#[get("/communities/{handle}/resources/{slug}")]
pub async fn show(
    state: web::Data<AppState>,
    caller: ApiCaller,
    path: web::Path<(String, String)>,
) -> ApiResult<HttpResponse> {
    let (_, r) = find(&state, &caller, &path.0, &path.1).await?;
    let files = attachments::list(&state, &caller.0, &r).await?;
    Ok(HttpResponse::Ok().json(ResourceWithFiles {
        resource: ResourceJson::from(&r),
        attachments: files.iter().map(FileJson::from).collect(),
    }))
}

/// Attaches a file (`multipart/form-data`, field `file`), on the community's host: 201, or
/// 422 over the size limit, 403 for a type that is not allowed.
#[utoipa::path(
    operation_id = "resources_upload",
    tag = "resources",
    security(("api_token" = [])),
    request_body(content_type = "multipart/form-data", description = "A form with one field `file`"),
    responses(
        (status = 201, description = "The file", body = FileJson),
    ),
)]
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
    Ok(HttpResponse::Created().json(FileJson::from(&a)))
}

/// Every revision of a resource.
#[utoipa::path(
    operation_id = "resources_history",
    tag = "resources",
    security(("api_token" = [])),
    responses(
        (status = 200, description = "The revisions", body = [RevisionJson]),
    ),
)]
#[get("/communities/{handle}/resources/{slug}/revisions")]
pub async fn history(
    state: web::Data<AppState>,
    caller: ApiCaller,
    path: web::Path<(String, String)>,
) -> ApiResult<HttpResponse> {
    let (_, r) = find(&state, &caller, &path.0, &path.1).await?;
    let items: Vec<_> = revisions::history(&state, &caller.0, &r)
        .await?
        .iter()
        .map(|v| RevisionJson {
            number: v.number,
            author: v.author.clone(),
            title: v.title.clone(),
            source: v.source.clone(),
            summary: v.summary.clone(),
            created_at: v.created_at,
        })
        .collect();
    Ok(HttpResponse::Ok().json(items))
}

#[derive(Deserialize, ToSchema)]
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
    HttpResponse::Conflict().json(ConflictJson {
        error: ConflictError {
            code: "conflict",
            message: why.to_owned(),
        },
        current: ResourceJson::from(r),
    })
}

/// Edits a resource; 409 names the current revision when the edit was written on an older one.
#[utoipa::path(
    operation_id = "resources_edit",
    tag = "resources",
    security(("api_token" = [])),
    request_body = EditBody,
    responses(
        (status = 200, description = "The resource", body = ResourceJson),
        (status = 202, description = "Sent to the community's remote host", body = SubmittedJson),
        (status = 409, description = "Written on an older revision: the current one", body = ConflictJson),
    ),
)]
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

#[derive(Deserialize, ToSchema)]
pub struct RestoreBody {
    number: i64,
    base: i64,
}

/// Restores an older revision as a new one.
#[utoipa::path(
    operation_id = "resources_restore",
    tag = "resources",
    security(("api_token" = [])),
    request_body = RestoreBody,
    responses(
        (status = 200, description = "The resource", body = ResourceJson),
        (status = 202, description = "Sent to the community's remote host", body = SubmittedJson),
        (status = 409, description = "Written on an older revision: the current one", body = ConflictJson),
    ),
)]
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
