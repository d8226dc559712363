//! The animateur's attendance page and its form, and the agent's « Mes formations
//! inter-institutions ».

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, get, post, web};
use serde::Deserialize;

use super::views::{
    AttendancePage, Person, SessionHead, Training, TrainingsPage, astrings, duration,
};
use crate::db::{CommunityRow, EventRow, now_ms};
use crate::domain::sessions::Session;
use crate::domain::{DomainError, attendance, pickers};
use crate::http::auth::{SessionForm, WebSession};
use crate::http::web::events::{EventView, estrings};
use crate::http::web::{Layout, WebResult, html, redirect};
use crate::state::AppState;

/// The session's heading on every attendance page.
pub(super) async fn head(
    state: &AppState,
    e: &EventRow,
    c: &CommunityRow,
) -> WebResult<SessionHead> {
    let lang = Layout::strings(state).lang;
    let view = EventView::new(state, e, estrings(state), lang);
    let place = match (e.address.is_empty(), e.online_url.is_empty()) {
        (false, _) => e.address.clone(),
        (true, false) => "visio".to_owned(),
        (true, true) => String::new(),
    };
    Ok(SessionHead {
        id: e.id,
        title: e.title.clone(),
        community: c.name.clone(),
        when: view.when,
        place,
        host: pickers::institution_of(state, &c.authority).await?,
    })
}

async fn page(
    state: &AppState,
    session: &Session,
    id: i64,
    status: StatusCode,
    saved: bool,
    error: String,
) -> WebResult<HttpResponse> {
    let a = astrings(state);
    let r = attendance::roster(state, &session.account, id).await?;
    let e = head(state, &r.event, &r.community).await?;
    html(
        status,
        AttendancePage {
            layout: Layout::new(
                state,
                Some(session),
                &format!("{} — {}", a.attendance, r.event.title),
                "communities",
            ),
            a,
            registered: r.participants.iter().map(Person::of).collect(),
            walk_ins: r
                .walk_in_candidates
                .iter()
                .map(|m| Person {
                    ap_id: m.ap_id.clone(),
                    name: m.display_name.clone(),
                    institution: m.institution.clone(),
                    waiting: false,
                    present: false,
                })
                .collect(),
            started: r.event.starts_at <= now_ms() && r.event.status != "cancelled",
            saved,
            error,
            e,
        },
    )
}

#[derive(Deserialize)]
pub struct Saved {
    #[serde(default)]
    saved: Option<String>,
}

/// The attendance page: animateurs of the community, on its host.
#[get("/sessions/{id}/attendance")]
pub async fn show(
    state: web::Data<AppState>,
    session: WebSession,
    path: web::Path<i64>,
    query: web::Query<Saved>,
) -> WebResult<HttpResponse> {
    let saved = query.saved.is_some();
    page(
        &state,
        &session.0,
        *path,
        StatusCode::OK,
        saved,
        String::new(),
    )
    .await
}

/// Saves the attendance: every `present` field is an agent's id; the list replaces the
/// previous one. A refusal writes nothing and shows the form again with a sentence.
#[post("/sessions/{id}/attendance")]
pub async fn mark(
    state: web::Data<AppState>,
    path: web::Path<i64>,
    form: SessionForm<Vec<(String, String)>>,
) -> WebResult<HttpResponse> {
    let SessionForm { session, data } = form;
    let present: Vec<String> = data
        .into_iter()
        .filter(|(k, _)| k == "present")
        .map(|(_, v)| v)
        .collect();
    let a = astrings(&state);
    let (status, message) = match attendance::mark(&state, &session.account, *path, &present).await
    {
        Ok(()) => return Ok(redirect(&format!("/sessions/{}/attendance?saved=1", *path))),
        Err(DomainError::Invalid { .. }) => (StatusCode::UNPROCESSABLE_ENTITY, a.errors_unknown),
        Err(DomainError::Conflict(m)) if m.contains("cancelled") => {
            (StatusCode::CONFLICT, a.errors_cancelled)
        }
        Err(DomainError::Conflict(_)) => (StatusCode::CONFLICT, a.errors_too_early),
        Err(e) => return Err(e.into()),
    };
    page(&state, &session, *path, status, false, message.to_owned()).await
}

/// « Mes formations inter-institutions »: the sessions this agent was marked present at,
/// each with its attestation.
#[get("/my/trainings")]
pub async fn trainings(state: web::Data<AppState>, session: WebSession) -> WebResult<HttpResponse> {
    let a = astrings(&state);
    let lang = Layout::strings(&state).lang;
    let rows = attendance::attended(&state, &session.0.account).await?;
    html(
        StatusCode::OK,
        TrainingsPage {
            layout: Layout::new(&state, Some(&session.0), a.my_trainings, "profile"),
            a,
            trainings: rows
                .iter()
                .map(|t| Training {
                    id: t.event.id,
                    title: t.event.title.clone(),
                    community: t.community.name.clone(),
                    when: EventView::new(&state, &t.event, estrings(&state), lang).when,
                    host: t.host_institution.clone(),
                    duration: duration((t.event.ends_at - t.event.starts_at) / 60_000),
                })
                .collect(),
        },
    )
}
