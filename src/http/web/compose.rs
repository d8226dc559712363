//! Writing aids over the text areas: the « Aperçu » of what a text will look like once
//! published (the same renderer and sanitiser as publishing), the agents proposed when one
//! types `@`, and the script that adds the toolbar (pages work without it).

use actix_web::http::header;
use actix_web::{HttpResponse, get, post, web};
use serde::{Deserialize, Serialize};

use super::WebResult;
use crate::domain::{markdown, pickers};
use crate::http::auth::{SessionForm, WebSession};
use crate::state::AppState;

const SCRIPT: &str = include_str!("../../../static/compose.js");

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(script).service(preview).service(mentions);
}

/// The toolbar, preview tab and mention completion (static, so the CSP needs no exception).
#[get("/static/compose.js")]
pub async fn script() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/javascript; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "public, max-age=3600"))
        .body(SCRIPT)
}

#[derive(Deserialize)]
pub struct PreviewForm {
    #[serde(default)]
    body: String,
}

/// The text as it will be published: an HTML fragment, rendered by the same function as a
/// post, a reply or a resource (raw HTML through the same sanitiser). Nothing is stored.
#[post("/compose/preview")]
pub async fn preview(form: SessionForm<PreviewForm>) -> WebResult<HttpResponse> {
    Ok(HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(markdown::render(&form.data.body)))
}

#[derive(Deserialize)]
pub struct MentionQuery {
    #[serde(default)]
    q: String,
    /// The community the text is written in: its members are proposed too.
    #[serde(default)]
    community: Option<i64>,
}

/// One agent proposed for a mention.
#[derive(Serialize)]
pub struct Mention {
    pub name: String,
    pub detail: String,
    pub institution: String,
    /// The federated form written in the text: `@user@authority`.
    pub handle: String,
}

/// Agents matching what follows the `@`: JSON for the completion list.
#[get("/compose/mentions")]
pub async fn mentions(
    state: web::Data<AppState>,
    session: WebSession,
    query: web::Query<MentionQuery>,
) -> WebResult<HttpResponse> {
    let found = pickers::mentionable(&state, &session.0.account, query.community, &query.q).await?;
    let list: Vec<Mention> = found
        .into_iter()
        .map(|f| Mention {
            handle: format!("@{}", f.address),
            name: f.name,
            detail: f.detail,
            institution: f.institution,
        })
        .collect();
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(list))
}
