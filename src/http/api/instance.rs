//! `GET /api/v1/instance`: what this node says about itself (public).

use actix_web::{HttpResponse, get, web};
use serde::Serialize;
use utoipa::ToSchema;

use crate::state::AppState;

/// What a node says about itself.
#[derive(Serialize, ToSchema)]
pub struct InstanceJson {
    authority: String,
    /// The institution's name.
    name: String,
    kind: &'static str,
    /// Branch of the civil service (`fpe`, `fpt`, `fph`), null when not set.
    branch: Option<&'static str>,
    contact_email: Option<String>,
    accent_color: String,
    software: Software,
}

#[derive(Serialize, ToSchema)]
pub struct Software {
    name: &'static str,
    version: &'static str,
}

/// What this node says about itself (public).
#[utoipa::path(
    operation_id = "instance_show",
    tag = "instance",
    responses(
        (status = 200, description = "The node", body = InstanceJson),
    ),
)]
#[get("/instance")]
pub async fn show(state: web::Data<AppState>) -> HttpResponse {
    let c = &state.config;
    HttpResponse::Ok().json(InstanceJson {
        authority: c.authority.clone(),
        name: c.institution_name.clone(),
        kind: c.institution_kind.as_str(),
        branch: c.branch.map(|b| b.as_str()),
        contact_email: c.contact_email.clone(),
        accent_color: c.accent_color.clone(),
        software: Software {
            name: "entrepairs",
            version: env!("CARGO_PKG_VERSION"),
        },
    })
}
