//! The printable pages: the sign-in sheet (émargement) and the participants list for the
//! animateur, and the agent's attestation de participation.
//!
//! The attestation is an HTML page with a print stylesheet, which the browser prints or saves
//! as PDF (« Enregistrer au format PDF »), rather than a PDF built here: every agent's browser
//! already does it, the text stays selectable and readable by screen readers, the page is the
//! same in the interface and on paper, and no PDF crate (fonts, layout, upkeep) enters the
//! binary. A manager gets a one-page A4 document with everything they check, and the
//! session's address to verify it.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, get, web};

use super::pages::head;
use super::views::{AttestationPage, ListPage, Person, RefusedPage, SheetPage, astrings, duration};
use crate::domain::{DomainError, attendance};
use crate::http::auth::WebSession;
use crate::http::web::format::datetime;
use crate::http::web::{Layout, WebResult, excel_csv, html};
use crate::state::AppState;

/// Lines left blank on the sign-in sheet for walk-ins.
const BLANK_LINES: usize = 5;

#[get("/sessions/{id}/sign-in-sheet")]
pub async fn sign_in_sheet(
    state: web::Data<AppState>,
    session: WebSession,
    path: web::Path<i64>,
) -> WebResult<HttpResponse> {
    let r = attendance::roster(&state, &session.0.account, *path).await?;
    html(
        StatusCode::OK,
        SheetPage {
            a: astrings(&state),
            lang: Layout::strings(&state).lang,
            e: head(&state, &r.event, &r.community).await?,
            people: r
                .participants
                .iter()
                .filter(|p| p.state == "accepted")
                .map(Person::of)
                .collect(),
            blanks: (0..BLANK_LINES).collect(),
        },
    )
}

#[get("/sessions/{id}/participants")]
pub async fn participants(
    state: web::Data<AppState>,
    session: WebSession,
    path: web::Path<i64>,
) -> WebResult<HttpResponse> {
    let r = attendance::roster(&state, &session.0.account, *path).await?;
    html(
        StatusCode::OK,
        ListPage {
            a: astrings(&state),
            lang: Layout::strings(&state).lang,
            e: head(&state, &r.event, &r.community).await?,
            people: r.participants.iter().map(Person::of).collect(),
        },
    )
}

/// The participants as CSV for French Excel (the action plan's export function), with each
/// one's institution, registration and attendance.
#[get("/sessions/{id}/participants.csv")]
pub async fn participants_csv(
    state: web::Data<AppState>,
    session: WebSession,
    path: web::Path<i64>,
) -> WebResult<HttpResponse> {
    let a = astrings(&state);
    let r = attendance::roster(&state, &session.0.account, *path).await?;
    let rows: Vec<Vec<String>> = r
        .participants
        .iter()
        .map(Person::of)
        .map(|p| {
            vec![
                p.name,
                p.institution,
                (if p.waiting {
                    a.state_waiting
                } else {
                    a.state_accepted
                })
                .to_owned(),
                (if p.present { a.yes } else { a.no }).to_owned(),
            ]
        })
        .collect();
    excel_csv::download(
        &format!("participants-seance-{}.csv", r.event.id),
        &[a.name, a.institution, a.state, a.came],
        &rows,
    )
}

/// The agent's attestation, from their own node's copy of the session; a clear page (403)
/// when they were not marked present.
#[get("/sessions/{id}/attestation")]
pub async fn attestation(
    state: web::Data<AppState>,
    session: WebSession,
    path: web::Path<i64>,
) -> WebResult<HttpResponse> {
    let a = astrings(&state);
    let t = Layout::strings(&state);
    let at = match attendance::attestation(&state, &session.0.account, *path).await {
        Ok(at) => at,
        Err(DomainError::Forbidden(_)) => {
            return html(
                StatusCode::FORBIDDEN,
                RefusedPage {
                    layout: Layout::new(&state, Some(&session.0), a.refused_title, "profile"),
                    a,
                    id: *path,
                },
            );
        }
        Err(e) => return Err(e.into()),
    };
    let s = &at.session;
    let today = datetime(crate::db::now_ms(), &state.config.timezone, t.lang);
    html(
        StatusCode::OK,
        AttestationPage {
            a,
            lang: t.lang,
            e: head(&state, &s.event, &s.community).await?,
            agent: at.agent_name.clone(),
            job: at.agent_job.clone(),
            institution: at.agent_institution.clone(),
            duration: duration(at.minutes),
            issued_by: state.config.institution_name.clone(),
            issued_on: today.get(..10).unwrap_or(&today).to_owned(),
            reference: s.event.ap_id.clone(),
        },
    )
}
