//! Federation administration (admin tokens only): peers, the handshake, the audit log.

use actix_web::{HttpResponse, get, post, web};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use crate::db::AuditRow;
use crate::domain::peers::{self, Peer};
use crate::http::auth::ApiAdmin;
use crate::http::error::ApiResult;
use crate::state::AppState;

/// Every peer node and its federation state (admins).
#[utoipa::path(
    operation_id = "peers_list",
    tag = "admin",
    security(("api_token" = [])),
    responses(
        (status = 200, description = "The peers", body = [Peer]),
    ),
)]
#[get("/admin/peers")]
pub async fn list(state: web::Data<AppState>, _admin: ApiAdmin) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(peers::list(&state).await?))
}

/// One peer node (admins).
#[utoipa::path(
    operation_id = "peers_show",
    tag = "admin",
    security(("api_token" = [])),
    responses(
        (status = 200, description = "The peer", body = Peer),
    ),
)]
#[get("/admin/peers/{authority}")]
pub async fn show(
    state: web::Data<AppState>,
    _admin: ApiAdmin,
    path: web::Path<String>,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(peers::get(&state, &path).await?))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewRequest {
    authority: String,
    #[serde(default)]
    message: String,
}

/// Asks another node to federate; 202 because the other admin decides later.
#[utoipa::path(
    operation_id = "peers_request",
    tag = "admin",
    security(("api_token" = [])),
    request_body = NewRequest,
    responses(
        (status = 202, description = "The peer, requested", body = Peer),
    ),
)]
#[post("/admin/peers")]
pub async fn request(
    state: web::Data<AppState>,
    admin: ApiAdmin,
    body: web::Json<NewRequest>,
) -> ApiResult<HttpResponse> {
    let peer = peers::request(&state, &body.authority, &body.message, &admin.0.username).await?;
    Ok(HttpResponse::Accepted().json(peer))
}

/// Approves, refuses or revokes a peer: `decision` is `approve`, `refuse` or `revoke` (admins).
#[utoipa::path(
    operation_id = "peers_decide",
    tag = "admin",
    security(("api_token" = [])),
    responses(
        (status = 200, description = "The peer", body = Peer),
    ),
)]
#[post("/admin/peers/{authority}/{decision}")]
pub async fn decide(
    state: web::Data<AppState>,
    admin: ApiAdmin,
    path: web::Path<(String, String)>,
) -> ApiResult<HttpResponse> {
    let (authority, decision) = path.into_inner();
    let by = &admin.0.username;
    let peer = match decision.as_str() {
        "approve" => peers::approve(&state, &authority, by).await?,
        "refuse" => peers::refuse(&state, &authority, by).await?,
        "revoke" => peers::revoke(&state, &authority, by).await?,
        _ => {
            return Err(crate::http::error::ApiError::NotFound("no such decision"));
        }
    };
    Ok(HttpResponse::Ok().json(peer))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    /// How many entries, newest first (100 by default).
    limit: Option<i64>,
}

/// The federation audit log, newest first (admins).
#[utoipa::path(
    operation_id = "peers_audit",
    tag = "admin",
    security(("api_token" = [])),
    params(AuditQuery),
    responses(
        (status = 200, description = "The entries", body = [AuditRow]),
    ),
)]
#[get("/admin/audit")]
pub async fn audit(
    state: web::Data<AppState>,
    _admin: ApiAdmin,
    q: web::Query<AuditQuery>,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(peers::audit::list(&state, q.limit.unwrap_or(100)).await?))
}
