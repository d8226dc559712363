//! The caller's notification preferences: `GET|PUT /api/v1/me/notifications`.

use actix_web::{HttpResponse, get, put, web};

use crate::domain::notification_prefs::{self, NotificationPrefs};
use crate::http::auth::ApiCaller;
use crate::http::error::ApiResult;
use crate::state::AppState;

/// What the caller hears outside the app: per kind, the digest, quiet hours, muted communities.
#[utoipa::path(
    operation_id = "me_notifications_show",
    tag = "me",
    security(("api_token" = [])),
    responses(
        (status = 200, description = "The preferences, every kind listed", body = NotificationPrefs),
    ),
)]
#[get("/me/notifications")]
pub async fn show(state: web::Data<AppState>, caller: ApiCaller) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(notification_prefs::show(&state, &caller.0).await?))
}

/// Replaces the caller's preferences; a bad value refuses the whole and changes nothing.
#[utoipa::path(
    operation_id = "me_notifications_save",
    tag = "me",
    security(("api_token" = [])),
    request_body = NotificationPrefs,
    responses(
        (status = 200, description = "The saved preferences", body = NotificationPrefs),
    ),
)]
#[put("/me/notifications")]
pub async fn save(
    state: web::Data<AppState>,
    caller: ApiCaller,
    body: web::Json<NotificationPrefs>,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(notification_prefs::save(&state, &caller.0, &body).await?))
}
