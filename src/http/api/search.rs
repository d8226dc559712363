//! Full-text search in the JSON API: what the caller may read, best first.

use actix_web::{HttpResponse, get, web};
use serde::Deserialize;

use crate::domain::search as find;
use crate::http::auth::ApiCaller;
use crate::http::error::ApiResult;
use crate::state::AppState;

#[derive(Deserialize)]
pub struct Query {
    #[serde(default)]
    q: String,
}

#[get("/search")]
pub async fn search(
    state: web::Data<AppState>,
    caller: ApiCaller,
    query: web::Query<Query>,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(find::search(&state, &caller.0, &query.q).await?))
}
