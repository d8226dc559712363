//! Account administration (admin tokens only).

use actix_web::{HttpResponse, get, post, web};
use serde::Deserialize;
use serde_json::json;

use crate::domain::accounts::{self, NewAccountInput};
use crate::http::auth::ApiAdmin;
use crate::http::error::ApiResult;
use crate::state::AppState;

#[get("/users")]
pub async fn list(state: web::Data<AppState>, _admin: ApiAdmin) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(accounts::list(&state).await?))
}

#[derive(Deserialize)]
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

/// Creates an account; when no password is given, the generated one is answered once.
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
    Ok(HttpResponse::Created().json(json!({ "user": account, "generated_password": generated })))
}

#[post("/users/{username}/disable")]
pub async fn disable(
    state: web::Data<AppState>,
    _admin: ApiAdmin,
    path: web::Path<String>,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(accounts::set_disabled(&state, &path, true).await?))
}

#[post("/users/{username}/enable")]
pub async fn enable(
    state: web::Data<AppState>,
    _admin: ApiAdmin,
    path: web::Path<String>,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(accounts::set_disabled(&state, &path, false).await?))
}
