//! Full-text search in the JSON API: what the caller may read, best first.

use actix_web::{HttpResponse, get, web};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::domain::search::{self as find, Hit};
use crate::http::auth::ApiCaller;
use crate::http::error::ApiResult;
use crate::state::AppState;

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Query {
    /// The words to look for.
    #[serde(default)]
    q: String,
}

/// Full-text search in what the caller may read, best first.
#[utoipa::path(
    operation_id = "search_search",
    tag = "search",
    security(("api_token" = [])),
    params(Query),
    responses(
        (status = 200, description = "The matches", body = [Hit]),
    ),
)]
#[get("/search")]
pub async fn search(
    state: web::Data<AppState>,
    caller: ApiCaller,
    query: web::Query<Query>,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(find::search(&state, &caller.0, &query.q).await?))
}
