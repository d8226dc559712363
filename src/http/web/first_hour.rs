//! `/bienvenue`: a new agent's welcome page (the checklist that ticks itself, a community of
//! their métier, a peer mentor of another institution) and the welcome kit it links to.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, get, web};
use askama::Template;

use super::{Layout, WebResult, html, redirect};
use crate::domain::first_hour::{self, FirstHour};
use crate::http::auth::WebSession;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "first_hour.html")]
struct WelcomePage {
    layout: Layout,
    first: FirstHour,
    /// (label, done, link) of each step, in order.
    steps: Vec<(&'static str, bool, String)>,
}

#[get("/bienvenue")]
pub async fn welcome(state: web::Data<AppState>, session: WebSession) -> WebResult<HttpResponse> {
    let t = Layout::strings(&state).first_hour;
    let first = first_hour::overview(&state, &session.0.account).await?;
    let steps = first
        .steps
        .iter()
        .map(|s| {
            let label = match s.key {
                "entry" => t.step_entry,
                "join" => t.step_join,
                "kit" => t.step_kit,
                "introduce" => t.step_introduce,
                _ => t.step_session,
            };
            (label, s.done, s.link.clone())
        })
        .collect();
    html(
        StatusCode::OK,
        WelcomePage {
            layout: Layout::new(&state, Some(&session.0), t.title, "home"),
            first,
            steps,
        },
    )
}

/// Opens the community's pinned welcome kit and ticks the step.
#[get("/bienvenue/kit/{community_id}")]
pub async fn kit(
    state: web::Data<AppState>,
    session: WebSession,
    path: web::Path<i64>,
) -> WebResult<HttpResponse> {
    let to = first_hour::open_kit(&state, &session.0.account, *path).await?;
    Ok(redirect(&to))
}
