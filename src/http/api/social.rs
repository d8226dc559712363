//! Follows and notes of the caller (the first cross-node activities).

use actix_web::{HttpResponse, delete, get, post, web};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::domain::{follows, notes};
use crate::http::auth::ApiCaller;
use crate::http::error::ApiResult;
use crate::state::AppState;

#[derive(Deserialize, ToSchema)]
pub struct Target {
    /// `user@authority` or an actor URL.
    target: String,
}

/// An actor, by its ActivityPub id.
#[derive(Serialize, ToSchema)]
pub struct ActorRef {
    actor: String,
}

/// Who follows the caller and whom the caller follows (ActivityPub ids).
#[derive(Serialize, ToSchema)]
pub struct FollowsJson {
    followers: Vec<String>,
    following: Vec<String>,
}

/// A published note.
#[derive(Serialize, ToSchema)]
pub struct NoteJson {
    /// Its ActivityPub id.
    id: String,
    content: String,
}

/// Sends a Follow; 202 because the other side answers later.
#[utoipa::path(
    operation_id = "social_follow",
    tag = "social",
    security(("api_token" = [])),
    request_body = Target,
    responses(
        (status = 202, description = "The followed actor", body = ActorRef),
    ),
)]
#[post("/follows")]
pub async fn follow(
    state: web::Data<AppState>,
    caller: ApiCaller,
    body: web::Json<Target>,
) -> ApiResult<HttpResponse> {
    let them = follows::follow(&state, &caller.0, &body.target).await?;
    Ok(HttpResponse::Accepted().json(ActorRef { actor: them.ap_id }))
}

/// Stops following an actor.
#[utoipa::path(
    operation_id = "social_unfollow",
    tag = "social",
    security(("api_token" = [])),
    request_body = Target,
    responses(
        (status = 204, description = "Unfollowed"),
    ),
)]
#[delete("/follows")]
pub async fn unfollow(
    state: web::Data<AppState>,
    caller: ApiCaller,
    body: web::Json<Target>,
) -> ApiResult<HttpResponse> {
    follows::unfollow(&state, &caller.0, &body.target).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The caller's followers and the actors they follow.
#[utoipa::path(
    operation_id = "social_list",
    tag = "social",
    security(("api_token" = [])),
    responses(
        (status = 200, description = "Both lists", body = FollowsJson),
    ),
)]
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
    Ok(HttpResponse::Ok().json(FollowsJson {
        followers,
        following,
    }))
}

#[derive(Deserialize, ToSchema)]
pub struct NewNote {
    content: String,
}

/// Publishes a note to the caller's followers.
#[utoipa::path(
    operation_id = "social_publish",
    tag = "social",
    security(("api_token" = [])),
    request_body = NewNote,
    responses(
        (status = 201, description = "The note", body = NoteJson),
    ),
)]
#[post("/notes")]
pub async fn publish(
    state: web::Data<AppState>,
    caller: ApiCaller,
    body: web::Json<NewNote>,
) -> ApiResult<HttpResponse> {
    let note = notes::publish(&state, &caller.0, &body.content).await?;
    Ok(HttpResponse::Created().json(NoteJson {
        id: note.ap_id,
        content: note.content_html,
    }))
}
