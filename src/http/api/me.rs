//! The caller's own account and API tokens.

use actix_web::{HttpResponse, delete, get, post, web};
use serde::Deserialize;
use serde_json::json;

use crate::domain::{departures, tokens};
use crate::http::auth::ApiCaller;
use crate::http::error::ApiResult;
use crate::state::AppState;

#[get("/me")]
pub async fn show(caller: ApiCaller) -> HttpResponse {
    HttpResponse::Ok().json(caller.0)
}

#[get("/tokens")]
pub async fn list_tokens(state: web::Data<AppState>, caller: ApiCaller) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(tokens::list(&state, &caller.0).await?))
}

#[derive(Deserialize)]
pub struct NewToken {
    name: String,
}

/// Answers the secret once, with 201.
#[post("/tokens")]
pub async fn create_token(
    state: web::Data<AppState>,
    caller: ApiCaller,
    body: web::Json<NewToken>,
) -> ApiResult<HttpResponse> {
    let (token, secret) = tokens::create(&state, &caller.0, &body.name).await?;
    Ok(HttpResponse::Created().json(json!({ "token": token, "secret": secret })))
}

#[delete("/tokens/{id}")]
pub async fn revoke_token(
    state: web::Data<AppState>,
    caller: ApiCaller,
    path: web::Path<i64>,
) -> ApiResult<HttpResponse> {
    tokens::revoke(&state, &caller.0, path.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}

#[derive(Deserialize)]
pub struct LeaveInput {
    password: String,
    /// `delete` or `anonymise`.
    posts: String,
}

/// The agent deletes their account (see `domain::departures`).
#[delete("/me")]
pub async fn leave(
    state: web::Data<AppState>,
    caller: ApiCaller,
    body: web::Json<LeaveInput>,
) -> ApiResult<HttpResponse> {
    let choice = departures::PostsChoice::parse(&body.posts)?;
    departures::leave(&state, &caller.0, &body.password, choice).await?;
    Ok(HttpResponse::NoContent().finish())
}
