//! The session's report (« compte rendu »): the animateur's form from the template and its
//! publication as a resource with its actions proposed in the plan.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, get, post, web};
use askama::Template;
use serde::Deserialize;

use super::pages::head;
use super::views::SessionHead;
use crate::domain::DomainError;
use crate::domain::session_reports::{self, ReportInput};
use crate::domain::sessions::Session;
use crate::http::auth::{SessionForm, WebSession};
use crate::http::web::i18n::attendance::{RStrings, report_strings};
use crate::http::web::{Layout, WebResult, html, redirect};
use crate::state::AppState;

#[derive(Template)]
#[template(path = "session_report.html")]
struct ReportPage {
    layout: Layout,
    r: &'static RStrings,
    e: SessionHead,
    present: Vec<String>,
    form: ReportInput,
    exists: bool,
    resource_url: String,
    plan_url: String,
    published: bool,
    error: String,
}

async fn page(
    state: &AppState,
    session: &Session,
    id: i64,
    status: StatusCode,
    form: ReportInput,
    published: bool,
    error: String,
) -> WebResult<HttpResponse> {
    let r = report_strings(crate::http::web::language::current(&state.config.locale));
    let (e, c, existing) = session_reports::of(state, &session.account, id).await?;
    let present = state
        .store
        .participants(e.id)
        .await
        .map_err(DomainError::from)?
        .into_iter()
        .filter(|p| p.attended_at.is_some())
        .map(|p| match p.institution.filter(|i| !i.is_empty()) {
            Some(i) => format!("{} ({i})", p.display_name.unwrap_or(p.actor_ap_id)),
            None => p.display_name.unwrap_or(p.actor_ap_id),
        })
        .collect();
    html(
        status,
        ReportPage {
            layout: Layout::new(
                state,
                Some(session),
                &format!("{} — {}", r.report, e.title),
                "communities",
            ),
            r,
            present,
            form,
            exists: existing.is_some(),
            resource_url: format!(
                "/communities/{}/resources/{}",
                c.handle(),
                session_reports::slug(&e)
            ),
            plan_url: format!("/communities/{}/plan", c.handle()),
            published,
            error,
            e: head(state, &e, &c).await?,
        },
    )
}

#[derive(Deserialize)]
pub struct Published {
    #[serde(default)]
    published: Option<String>,
}

#[get("/sessions/{id}/report")]
pub async fn report_form(
    state: web::Data<AppState>,
    session: WebSession,
    path: web::Path<i64>,
    query: web::Query<Published>,
) -> WebResult<HttpResponse> {
    let published = query.published.is_some();
    page(
        &state,
        &session.0,
        *path,
        StatusCode::OK,
        ReportInput::default(),
        published,
        String::new(),
    )
    .await
}

/// Publishes the report; a refusal shows the form again, as typed, with a sentence, and
/// nothing is written.
#[post("/sessions/{id}/report")]
pub async fn publish_report(
    state: web::Data<AppState>,
    path: web::Path<i64>,
    form: SessionForm<ReportInput>,
) -> WebResult<HttpResponse> {
    let SessionForm { session, data } = form;
    let r = report_strings(crate::http::web::language::current(&state.config.locale));
    let message = match session_reports::publish(&state, &session.account, *path, &data).await {
        Ok(_) => return Ok(redirect(&format!("/sessions/{}/report?published=1", *path))),
        Err(DomainError::Invalid { field: "owner", .. }) => r.bad_owner,
        Err(DomainError::Invalid {
            field: "actions", ..
        }) => r.bad_actions,
        Err(DomainError::Invalid { .. }) => r.bad_text,
        Err(DomainError::Conflict(m)) if m.contains("taken place") => r.too_early,
        Err(e) => return Err(e.into()),
    };
    let status = if message == r.too_early {
        StatusCode::CONFLICT
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    page(
        &state,
        &session,
        *path,
        status,
        data,
        false,
        message.to_owned(),
    )
    .await
}
