//! Full-text search in the JSON API: what the caller may read, best first, narrowed by the
//! same filters as the page and paged by 20.

use actix_web::{HttpResponse, get, web};

use crate::domain::search::Hit;
use crate::domain::search_query::{self, Asked};
use crate::http::auth::ApiCaller;
use crate::http::error::ApiResult;
use crate::state::AppState;

/// Full-text search in what the caller may read, best first, 20 per page. Quotes and
/// operators are read as plain words; an unknown kind, community or institution, an
/// unreadable or reversed date or a page out of 1..=50 is refused (422, with the field).
#[utoipa::path(
    operation_id = "search_search",
    tag = "search",
    security(("api_token" = [])),
    params(Asked),
    responses(
        (status = 200, description = "The matches of the page", body = [Hit]),
        (status = 422, description = "A filter cannot be used"),
    ),
)]
#[get("/search")]
pub async fn search(
    state: web::Data<AppState>,
    caller: ApiCaller,
    query: web::Query<Asked>,
) -> ApiResult<HttpResponse> {
    let found = search_query::run(&state, &caller.0, &query).await?;
    Ok(HttpResponse::Ok().json(found.hits))
}
