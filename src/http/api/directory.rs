//! The directory in the JSON API: search, one entry, its vCard, and the caller's own entry.

use actix_web::{HttpResponse, get, put, web};
use serde::Deserialize;

use crate::domain::directory::{self, EntryInput};
use crate::domain::vcard;
use crate::http::auth::ApiCaller;
use crate::http::error::ApiResult;
use crate::state::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(list)
        .service(mine)
        .service(save)
        .service(card)
        .service(show);
}

#[derive(Deserialize)]
pub struct Query {
    #[serde(default)]
    q: String,
}

#[get("/directory")]
pub async fn list(
    state: web::Data<AppState>,
    _caller: ApiCaller,
    query: web::Query<Query>,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(directory::find(&state, &query.q).await?))
}

/// The caller's own entry, as their form shows it (with every visibility choice).
#[get("/directory/me")]
pub async fn mine(state: web::Data<AppState>, caller: ApiCaller) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(directory::form_of(&state, &caller.0).await?))
}

#[put("/directory/me")]
pub async fn save(
    state: web::Data<AppState>,
    caller: ApiCaller,
    body: web::Json<EntryInput>,
) -> ApiResult<HttpResponse> {
    directory::save(&state, &caller.0, &body).await?;
    Ok(HttpResponse::Ok().json(directory::form_of(&state, &caller.0).await?))
}

#[get("/directory/{id}")]
pub async fn show(
    state: web::Data<AppState>,
    _caller: ApiCaller,
    path: web::Path<i64>,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(directory::show(&state, *path).await?))
}

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
