//! Agents' pages (`/profiles/{name}` here, `/profiles/{name}@{authority}` for a colleague of
//! another institution, rendered from what this node knows), seen by logged-in agents, so
//! that no click on a name leads to another node's login page.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, get, web};
use askama::Template;

use super::i18n::pickers::{PStrings, strings as pickers_strings};
use super::{Layout, WebError, WebResult, html};
use crate::db::ActorRow;
use crate::domain::{DomainError, pickers};
use crate::http::auth::WebSession;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "person.html")]
struct PersonPage {
    layout: Layout,
    p: &'static PStrings,
    display_name: String,
    address: String,
    job_title: String,
    institution: String,
    summary: String,
    /// This node's directory entry of the person, when it shows one.
    directory: Option<String>,
}

/// The person a page address names: a local agent, or a cached person of another node.
async fn person(state: &AppState, name: &str) -> WebResult<ActorRow> {
    let name = name.trim().trim_start_matches('@').to_ascii_lowercase();
    let found = match name.split_once('@') {
        Some((user, authority)) if authority != state.config.authority => {
            state.store.cached_person(user, authority).await
        }
        Some((user, _)) => state.store.local_actor(user, "Person").await,
        None => state.store.local_actor(&name, "Person").await,
    };
    found.map_err(DomainError::from)?.ok_or(WebError::NotFound)
}

#[get("/profiles/{username}")]
pub async fn page(
    state: web::Data<AppState>,
    session: WebSession,
    path: web::Path<String>,
) -> WebResult<HttpResponse> {
    let actor = person(&state, &path).await?;
    let names = pickers::institution_names(&state).await?;
    let found = pickers::person(&state, &actor, &names);
    let directory = crate::domain::directory::show(&state, actor.id)
        .await
        .ok()
        .map(|e| format!("/directory/{}", e.id));
    html(
        StatusCode::OK,
        PersonPage {
            layout: Layout::new(&state, Some(&session.0), &found.name, "profiles"),
            p: pickers_strings(crate::http::web::language::current(&state.config.locale)),
            display_name: found.name,
            address: format!("@{}", found.address),
            job_title: actor.job_title,
            institution: found.institution,
            summary: actor.summary,
            directory,
        },
    )
}
