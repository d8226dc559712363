//! The caller's language: `GET|PUT /api/v1/me/language` (French or English, or none: the
//! browser's `Accept-Language`, then the node's `locale`, decide).

use actix_web::{HttpResponse, get, put, web};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::domain::languages;
use crate::http::auth::ApiCaller;
use crate::http::error::ApiResult;
use crate::state::AppState;

/// The language the agent chose for her pages, mails and push notifications.
#[derive(Serialize, Deserialize, ToSchema)]
pub struct LanguageChoice {
    /// `fr`, `en`, or null (no choice: the browser's language, then the node's).
    pub language: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct LanguageJson {
    /// What the agent chose, or null.
    language: Option<&'static str>,
    /// What her mails and push notifications are written in.
    mails: &'static str,
}

async fn answer(state: &AppState, account_id: i64) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(LanguageJson {
        language: languages::chosen(state, account_id).await?,
        mails: languages::for_agent(state, account_id).await,
    }))
}

/// The caller's language choice.
#[utoipa::path(
    operation_id = "me_language_show",
    tag = "me",
    security(("api_token" = [])),
    responses(
        (status = 200, description = "The choice", body = LanguageJson),
    ),
)]
#[get("/me/language")]
pub async fn show(state: web::Data<AppState>, caller: ApiCaller) -> ApiResult<HttpResponse> {
    answer(&state, caller.0.id).await
}

/// Chooses the caller's language; anything but `fr`, `en` or null is refused (422, field
/// `language`) and changes nothing.
#[utoipa::path(
    operation_id = "me_language_save",
    tag = "me",
    security(("api_token" = [])),
    request_body = LanguageChoice,
    responses(
        (status = 200, description = "The saved choice", body = LanguageJson),
    ),
)]
#[put("/me/language")]
pub async fn save(
    state: web::Data<AppState>,
    caller: ApiCaller,
    body: web::Json<LanguageChoice>,
) -> ApiResult<HttpResponse> {
    let choice = languages::parse_choice(body.language.as_deref().unwrap_or_default())?;
    languages::set(&state, &caller.0, choice).await?;
    answer(&state, caller.0.id).await
}
