//! The caller's devices for Web Push (« Mes appareils ») and the node's VAPID public key.

use actix_web::{HttpResponse, delete, get, post, web};
use serde::Serialize;
use utoipa::ToSchema;

use crate::domain::push::{self, Device, SubscriptionInput};
use crate::http::auth::ApiCaller;
use crate::http::error::ApiResult;
use crate::state::AppState;

/// The node's VAPID public key: a browser's `applicationServerKey`.
#[derive(Serialize, ToSchema)]
pub struct PushKeyJson {
    /// The uncompressed P-256 point, base64url without padding.
    public_key: String,
}

/// The node's VAPID public key, to subscribe a browser to its pushes.
#[utoipa::path(
    operation_id = "push_key",
    tag = "me",
    security(("api_token" = [])),
    responses(
        (status = 200, description = "The key", body = PushKeyJson),
    ),
)]
#[get("/push/key")]
pub async fn key(state: web::Data<AppState>, _caller: ApiCaller) -> ApiResult<HttpResponse> {
    let key = push::key(&state).await?;
    Ok(HttpResponse::Ok().json(PushKeyJson {
        public_key: key.public_key,
    }))
}

/// The caller's devices that receive pushes.
#[utoipa::path(
    operation_id = "me_list_devices",
    tag = "me",
    security(("api_token" = [])),
    responses(
        (status = 200, description = "The devices", body = [Device]),
    ),
)]
#[get("/me/devices")]
pub async fn list(state: web::Data<AppState>, caller: ApiCaller) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(push::devices(&state, &caller.0).await?))
}

/// Registers a device (a browser's push subscription) of the caller.
#[utoipa::path(
    operation_id = "me_add_device",
    tag = "me",
    security(("api_token" = [])),
    request_body = SubscriptionInput,
    responses(
        (status = 201, description = "The device", body = Device),
    ),
)]
#[post("/me/devices")]
pub async fn add(
    state: web::Data<AppState>,
    caller: ApiCaller,
    body: web::Json<SubscriptionInput>,
) -> ApiResult<HttpResponse> {
    let device = push::subscribe(&state, &caller.0, &body).await?;
    Ok(HttpResponse::Created().json(device))
}

/// Revokes one of the caller's devices: it receives no more pushes.
#[utoipa::path(
    operation_id = "me_revoke_device",
    tag = "me",
    security(("api_token" = [])),
    responses(
        (status = 204, description = "Revoked"),
    ),
)]
#[delete("/me/devices/{id}")]
pub async fn revoke(
    state: web::Data<AppState>,
    caller: ApiCaller,
    path: web::Path<i64>,
) -> ApiResult<HttpResponse> {
    push::revoke(&state, &caller.0, path.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}
