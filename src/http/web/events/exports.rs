//! The `.ics` feeds: one session, a community's sessions, and the personal calendar.

use actix_web::http::header;
use actix_web::{HttpResponse, get, web};

use crate::domain::{DomainError, calendars};
use crate::http::auth::WebSession;
use crate::http::web::communities::community;
use crate::http::web::{WebError, WebResult};
use crate::state::AppState;

fn ics(body: String, name: &str) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/calendar; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "private, no-store"))
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("inline; filename=\"{name}.ics\""),
        ))
        .body(body)
}

#[get("/sessions/{id}/session.ics")]
pub async fn session_ics(
    state: web::Data<AppState>,
    session: WebSession,
    path: web::Path<i64>,
) -> WebResult<HttpResponse> {
    let body = calendars::session(&state, &session.0.account, *path).await?;
    Ok(ics(body, "seance"))
}

#[get("/communities/{handle}/sessions.ics")]
pub async fn community_ics(
    state: web::Data<AppState>,
    session: WebSession,
    path: web::Path<String>,
) -> WebResult<HttpResponse> {
    let c = community(&state, &path).await?;
    let body = calendars::community(&state, &session.0.account, &c).await?;
    Ok(ics(body, &c.slug))
}

/// The personal feed: no login (calendar clients cannot), the secret is the credential.
#[get("/calendar/{secret}.ics")]
pub async fn personal_ics(
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> WebResult<HttpResponse> {
    match calendars::personal(&state, &path).await {
        Ok(body) => Ok(ics(body, "agenda")),
        Err(DomainError::NotFound(_)) => Err(WebError::NotFound),
        Err(e) => Err(e.into()),
    }
}
