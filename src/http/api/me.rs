//! The caller's own account and API tokens.

use actix_web::{HttpResponse, delete, get, post, web};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::domain::accounts::Account;
use crate::domain::tokens::ApiToken;
use crate::domain::{departures, tokens};
use crate::http::auth::ApiCaller;
use crate::http::error::ApiResult;
use crate::state::AppState;

/// The caller's own account.
#[utoipa::path(
    operation_id = "me_show",
    tag = "me",
    security(("api_token" = [])),
    responses(
        (status = 200, description = "The account", body = Account),
    ),
)]
#[get("/me")]
pub async fn show(caller: ApiCaller) -> HttpResponse {
    HttpResponse::Ok().json(caller.0)
}

/// The caller's API tokens (never their secrets).
#[utoipa::path(
    operation_id = "me_list_tokens",
    tag = "me",
    security(("api_token" = [])),
    responses(
        (status = 200, description = "The tokens", body = [ApiToken]),
    ),
)]
#[get("/tokens")]
pub async fn list_tokens(state: web::Data<AppState>, caller: ApiCaller) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(tokens::list(&state, &caller.0).await?))
}

#[derive(Deserialize, ToSchema)]
pub struct NewToken {
    name: String,
}

/// A new token and its secret, shown this once.
#[derive(Serialize, ToSchema)]
pub struct NewTokenJson {
    token: ApiToken,
    secret: String,
}

/// Creates an API token for the caller; its secret is answered this once.
#[utoipa::path(
    operation_id = "me_create_token",
    tag = "me",
    security(("api_token" = [])),
    request_body = NewToken,
    responses(
        (status = 201, description = "The token and its secret", body = NewTokenJson),
    ),
)]
#[post("/tokens")]
pub async fn create_token(
    state: web::Data<AppState>,
    caller: ApiCaller,
    body: web::Json<NewToken>,
) -> ApiResult<HttpResponse> {
    let (token, secret) = tokens::create(&state, &caller.0, &body.name).await?;
    Ok(HttpResponse::Created().json(NewTokenJson { token, secret }))
}

/// Revokes one of the caller's tokens.
#[utoipa::path(
    operation_id = "me_revoke_token",
    tag = "me",
    security(("api_token" = [])),
    responses(
        (status = 204, description = "Revoked"),
    ),
)]
#[delete("/tokens/{id}")]
pub async fn revoke_token(
    state: web::Data<AppState>,
    caller: ApiCaller,
    path: web::Path<i64>,
) -> ApiResult<HttpResponse> {
    tokens::revoke(&state, &caller.0, path.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}

#[derive(Deserialize, ToSchema)]
pub struct LeaveInput {
    password: String,
    /// `delete` or `anonymise`.
    posts: String,
}

/// The agent deletes their account (see `domain::departures`).
#[utoipa::path(
    operation_id = "me_leave",
    tag = "me",
    security(("api_token" = [])),
    request_body = LeaveInput,
    responses(
        (status = 204, description = "The account is deleted"),
    ),
)]
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
