//! Account administration (admin tokens only).

use actix_web::{HttpResponse, get, post, web};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::domain::accounts::{self, Account, NewAccountInput};
use crate::http::auth::ApiAdmin;
use crate::http::error::ApiResult;
use crate::state::AppState;

/// Every account of this node (admins).
#[utoipa::path(
    operation_id = "users_list",
    tag = "admin",
    security(("api_token" = [])),
    responses(
        (status = 200, description = "The accounts", body = [Account]),
    ),
)]
#[get("/users")]
pub async fn list(state: web::Data<AppState>, _admin: ApiAdmin) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(accounts::list(&state).await?))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewUser {
    username: String,
    #[serde(default)]
    display_name: String,
    email: String,
    #[serde(default)]
    job_title: String,
    #[serde(default)]
    admin: bool,
    password: Option<String>,
}

/// A created account, with its generated password when none was given (shown this once).
#[derive(Serialize, ToSchema)]
pub struct NewUserJson {
    user: Account,
    generated_password: Option<String>,
}

/// Creates an account; when no password is given, the generated one is answered once.
#[utoipa::path(
    operation_id = "users_create",
    tag = "admin",
    security(("api_token" = [])),
    request_body = NewUser,
    responses(
        (status = 201, description = "The account", body = NewUserJson),
    ),
)]
#[post("/users")]
pub async fn create(
    state: web::Data<AppState>,
    _admin: ApiAdmin,
    body: web::Json<NewUser>,
) -> ApiResult<HttpResponse> {
    let b = body.into_inner();
    let (account, generated) = accounts::create(
        &state,
        NewAccountInput {
            username: b.username,
            display_name: b.display_name,
            email: b.email,
            job_title: b.job_title,
            admin: b.admin,
            password: b.password,
        },
    )
    .await?;
    Ok(HttpResponse::Created().json(NewUserJson {
        user: account,
        generated_password: generated,
    }))
}

/// Disables an account (admins).
#[utoipa::path(
    operation_id = "users_disable",
    tag = "admin",
    security(("api_token" = [])),
    responses(
        (status = 200, description = "The account", body = Account),
    ),
)]
#[post("/users/{username}/disable")]
pub async fn disable(
    state: web::Data<AppState>,
    _admin: ApiAdmin,
    path: web::Path<String>,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(accounts::set_disabled(&state, &path, true).await?))
}

/// Enables a disabled account again (admins).
#[utoipa::path(
    operation_id = "users_enable",
    tag = "admin",
    security(("api_token" = [])),
    responses(
        (status = 200, description = "The account", body = Account),
    ),
)]
#[post("/users/{username}/enable")]
pub async fn enable(
    state: web::Data<AppState>,
    _admin: ApiAdmin,
    path: web::Path<String>,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(accounts::set_disabled(&state, &path, false).await?))
}
