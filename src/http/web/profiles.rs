//! Agents' public pages (`/profiles/{name}`), seen by logged-in agents of this node.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, get, web};
use askama::Template;

use super::{Layout, WebError, WebResult, html};
use crate::http::auth::WebSession;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "person.html")]
struct PersonPage {
    layout: Layout,
    display_name: String,
    handle: String,
    job_title: String,
    institution: String,
    summary: String,
}

#[get("/profiles/{username}")]
pub async fn page(
    state: web::Data<AppState>,
    session: WebSession,
    path: web::Path<String>,
) -> WebResult<HttpResponse> {
    let actor = state
        .store
        .local_actor(&path.to_ascii_lowercase(), "Person")
        .await
        .map_err(crate::domain::DomainError::from)?
        .ok_or(WebError::NotFound)?;
    html(
        StatusCode::OK,
        PersonPage {
            layout: Layout::new(&state, Some(&session.0), &actor.display_name, "profiles"),
            handle: format!("@{}@{}", actor.username, actor.authority),
            display_name: actor.display_name,
            job_title: actor.job_title,
            institution: actor.institution,
            summary: actor.summary,
        },
    )
}
