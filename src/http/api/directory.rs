//! The directory in the JSON API: search, one entry, its vCard, and the caller's own entry.

use actix_web::{HttpResponse, get, put, web};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::domain::directory::{self, Entry, EntryInput};
use crate::domain::vcard;
use crate::http::auth::ApiCaller;
use crate::http::error::ApiResult;
use crate::state::AppState;

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Query {
    /// Words to look for (name, service, skills…); empty lists everyone.
    #[serde(default)]
    q: String,
}

/// Searches the directory of agents of this node and its peers.
#[utoipa::path(
    operation_id = "directory_list",
    tag = "directory",
    security(("api_token" = [])),
    params(Query),
    responses(
        (status = 200, description = "The entries the caller may see", body = [Entry]),
    ),
)]
#[get("/directory")]
pub async fn list(
    state: web::Data<AppState>,
    _caller: ApiCaller,
    query: web::Query<Query>,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(directory::find(&state, &query.q).await?))
}

/// The caller's own entry, as their form shows it (with every visibility choice).
#[utoipa::path(
    operation_id = "directory_mine",
    tag = "directory",
    security(("api_token" = [])),
    responses(
        (status = 200, description = "The caller's entry form", body = EntryInput),
    ),
)]
#[get("/directory/me")]
pub async fn mine(state: web::Data<AppState>, caller: ApiCaller) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(directory::form_of(&state, &caller.0).await?))
}

/// Saves the caller's own entry and its visibility choices.
#[utoipa::path(
    operation_id = "directory_save",
    tag = "directory",
    security(("api_token" = [])),
    request_body = EntryInput,
    responses(
        (status = 200, description = "The saved entry form", body = EntryInput),
    ),
)]
#[put("/directory/me")]
pub async fn save(
    state: web::Data<AppState>,
    caller: ApiCaller,
    body: web::Json<EntryInput>,
) -> ApiResult<HttpResponse> {
    directory::save(&state, &caller.0, &body).await?;
    Ok(HttpResponse::Ok().json(directory::form_of(&state, &caller.0).await?))
}

/// One entry of the directory.
#[utoipa::path(
    operation_id = "directory_show",
    tag = "directory",
    security(("api_token" = [])),
    responses(
        (status = 200, description = "The entry", body = Entry),
    ),
)]
#[get("/directory/{id}")]
pub async fn show(
    state: web::Data<AppState>,
    _caller: ApiCaller,
    path: web::Path<i64>,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(directory::show(&state, *path).await?))
}

/// One entry as a vCard.
#[utoipa::path(
    operation_id = "directory_card",
    tag = "directory",
    security(("api_token" = [])),
    responses(
        (status = 200, description = "The vCard", body = String, content_type = "text/vcard"),
    ),
)]
#[get("/directory/{id}/vcard")]
pub async fn card(
    state: web::Data<AppState>,
    _caller: ApiCaller,
    path: web::Path<i64>,
) -> ApiResult<HttpResponse> {
    let e = directory::show(&state, *path).await?;
    Ok(HttpResponse::Ok()
        .content_type("text/vcard; charset=utf-8")
        .body(vcard::vcard(&e)))
}
