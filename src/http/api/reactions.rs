//! Reactions through the API: « Merci » (`merci`), « +1 » (`plus1`), « Bravo » (`bravo`)
//! on a thread, a reply or a resource of a community the caller is a member of.

use actix_web::{HttpResponse, delete, post, web};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use crate::domain::reactions::{self, Reaction};
use crate::http::auth::ApiCaller;
use crate::http::error::{ApiError, ApiResult};
use crate::state::AppState;

/// A reaction to an object.
#[derive(Deserialize, ToSchema, IntoParams)]
pub struct ReactionInput {
    /// The ActivityPub id of the post or resource.
    object: String,
    /// `merci`, `plus1` or `bravo`.
    reaction: String,
}

fn kind(input: &ReactionInput) -> ApiResult<Reaction> {
    Reaction::parse(&input.reaction)
        .ok_or_else(|| ApiError::BadRequest("reaction: one of merci, plus1, bravo".into()))
}

/// Reacts to a post or a resource (once per kind; members only).
#[utoipa::path(
    operation_id = "add_reaction",
    tag = "communities",
    security(("api_token" = [])),
    request_body = ReactionInput,
    responses(
        (status = 204, description = "Counted"),
        (status = 403, description = "Not a member of the community"),
        (status = 409, description = "Already reacted so"),
    ),
)]
#[post("/reactions")]
pub async fn add(
    state: web::Data<AppState>,
    caller: ApiCaller,
    body: web::Json<ReactionInput>,
) -> ApiResult<HttpResponse> {
    reactions::react(&state, &caller.0, &body.object, kind(&body)?).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Takes a reaction back.
#[utoipa::path(
    operation_id = "remove_reaction",
    tag = "communities",
    security(("api_token" = [])),
    params(ReactionInput),
    responses(
        (status = 204, description = "Removed"),
        (status = 409, description = "No such reaction of the caller"),
    ),
)]
#[delete("/reactions")]
pub async fn remove(
    state: web::Data<AppState>,
    caller: ApiCaller,
    query: web::Query<ReactionInput>,
) -> ApiResult<HttpResponse> {
    reactions::unreact(&state, &caller.0, &query.object, kind(&query)?).await?;
    Ok(HttpResponse::NoContent().finish())
}
