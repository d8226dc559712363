//! Follows and notes of the caller (the first cross-node activities).

use actix_web::{HttpResponse, delete, get, post, web};
use serde::Deserialize;
use serde_json::json;

use crate::domain::{follows, notes};
use crate::http::auth::ApiCaller;
use crate::http::error::ApiResult;
use crate::state::AppState;

#[derive(Deserialize)]
pub struct Target {
    /// `user@authority` or an actor URL.
    target: String,
}

/// Sends a Follow; 202 because the other side answers later.
#[post("/follows")]
pub async fn follow(
    state: web::Data<AppState>,
    caller: ApiCaller,
    body: web::Json<Target>,
) -> ApiResult<HttpResponse> {
    let them = follows::follow(&state, &caller.0, &body.target).await?;
    Ok(HttpResponse::Accepted().json(json!({ "actor": them.ap_id })))
}

#[delete("/follows")]
pub async fn unfollow(
    state: web::Data<AppState>,
    caller: ApiCaller,
    body: web::Json<Target>,
) -> ApiResult<HttpResponse> {
    follows::unfollow(&state, &caller.0, &body.target).await?;
    Ok(HttpResponse::NoContent().finish())
}

#[get("/follows")]
pub async fn list(state: web::Data<AppState>, caller: ApiCaller) -> ApiResult<HttpResponse> {
    let me = state
        .store
        .actor_by_id(caller.0.actor_id)
        .await
        .map_err(crate::domain::DomainError::from)?
        .ok_or(crate::domain::DomainError::NotFound("actor"))?;
    let followers = follows::followers_of(&state, &me).await?;
    let following = follows::following_of(&state, &me).await?;
    Ok(HttpResponse::Ok().json(json!({ "followers": followers, "following": following })))
}

#[derive(Deserialize)]
pub struct NewNote {
    content: String,
}

/// Publishes a note to the caller's followers.
#[post("/notes")]
pub async fn publish(
    state: web::Data<AppState>,
    caller: ApiCaller,
    body: web::Json<NewNote>,
) -> ApiResult<HttpResponse> {
    let note = notes::publish(&state, &caller.0, &body.content).await?;
    Ok(HttpResponse::Created().json(json!({ "id": note.ap_id, "content": note.content_html })))
}
