//! `GET /api/v1/instance`: what this node says about itself (public).

use actix_web::{HttpResponse, get, web};
use serde_json::json;

use crate::state::AppState;

#[get("/instance")]
pub async fn show(state: web::Data<AppState>) -> HttpResponse {
    let c = &state.config;
    HttpResponse::Ok().json(json!({
        "authority": c.authority,
        "name": c.institution_name,
        "kind": c.institution_kind.as_str(),
        "branch": c.branch.map(|b| b.as_str()),
        "contact_email": c.contact_email,
        "accent_color": c.accent_color,
        "software": { "name": "entrepairs", "version": env!("CARGO_PKG_VERSION") },
    }))
}
