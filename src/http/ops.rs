//! Operations endpoints: liveness and readiness for load balancers and systemd.

use actix_web::{HttpResponse, get, web};
use serde_json::json;

use crate::state::AppState;

/// The process is up and answering.
#[get("/healthz")]
pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok().json(json!({ "status": "ok" }))
}

/// The database answers and every migration is applied: the node can serve.
#[get("/readyz")]
pub async fn readyz(state: web::Data<AppState>) -> HttpResponse {
    if state.store.is_ready().await {
        HttpResponse::Ok()
            .json(json!({ "status": "ready", "database": state.store.engine().name() }))
    } else {
        HttpResponse::ServiceUnavailable().json(json!({ "status": "not ready" }))
    }
}
