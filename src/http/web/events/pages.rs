//! The session pages: a community's sessions and the form to schedule some, one session
//! with its participants and buttons, the edit form, and "Mes séances".

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, get, post, web};
use serde::Deserialize;

use super::views::{EditPage, EventPage, EventView, ListPage, MinePage, ParticipantView, estrings};
use crate::db::{CommunityRow, EventRow};
use crate::domain::events::{self, EventInput};
use crate::domain::sessions::Session;
use crate::domain::{DomainError, calendars, communities, event_time, participation};
use crate::http::auth::{SessionForm, WebSession};
use crate::http::web::communities::community;
use crate::http::web::community_views::CommunityView;
use crate::http::web::community_views::cstrings;
use crate::http::web::{FieldErrors, Layout, WebError, WebResult, html, redirect};
use crate::state::AppState;

async fn list_page(
    state: &AppState,
    session: &Session,
    c: &CommunityRow,
    status: StatusCode,
    form: EventInput,
    errors: FieldErrors,
) -> WebResult<HttpResponse> {
    let (s, t) = (estrings(state), Layout::strings(state));
    let rows = events::upcoming(state, &session.account, c).await?;
    let past = events::past(state, &session.account, c).await?;
    let registered: std::collections::HashSet<i64> = events::mine(state, &session.account)
        .await?
        .iter()
        .map(|e| e.id)
        .collect();
    let animateur = communities::require_animateur(state, c, &session.account)
        .await
        .is_ok();
    let coanimateur = communities::require_coanimateur(state, c, &session.account)
        .await
        .is_ok();
    let view = CommunityView::new(state, c, cstrings(state));
    html(
        status,
        ListPage {
            layout: Layout::new(
                state,
                Some(session),
                &format!("{} — {}", s.sessions, view.name),
                "communities",
            ),
            s,
            u: crate::http::web::i18n::ui::strings(crate::http::web::language::current(
                &state.config.locale,
            )),
            events: rows
                .iter()
                .map(|e| EventView {
                    registered: registered.contains(&e.id),
                    ..EventView::new(state, e, s, t.lang)
                })
                .collect(),
            past: past
                .iter()
                .map(|e| EventView::new(state, e, s, t.lang))
                .collect(),
            a: crate::http::web::i18n::attendance::strings(crate::http::web::language::current(
                &state.config.locale,
            )),
            animateur,
            coanimateur,
            co: crate::http::web::i18n::coanim::strings(crate::http::web::language::current(
                &state.config.locale,
            )),
            form,
            errors,
            action: format!("/communities/{}/sessions", view.handle),
            editing: false,
            c: view,
        },
    )
}

#[get("/communities/{handle}/sessions")]
pub async fn list(
    state: web::Data<AppState>,
    session: WebSession,
    path: web::Path<String>,
) -> WebResult<HttpResponse> {
    let c = community(&state, &path).await?;
    let form = EventInput {
        kind: "seance".into(),
        ..Default::default()
    };
    list_page(
        &state,
        &session.0,
        &c,
        StatusCode::OK,
        form,
        FieldErrors::default(),
    )
    .await
}

#[post("/communities/{handle}/sessions")]
pub async fn create(
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: SessionForm<EventInput>,
) -> WebResult<HttpResponse> {
    let c = community(&state, &path).await?;
    let SessionForm { session, data } = form;
    match events::create(&state, &session.account, &c, &data).await {
        Ok(created) => match created.first() {
            Some(e) => Ok(redirect(&format!("/sessions/{}", e.id))),
            None => Ok(redirect(&format!(
                "/communities/{}/sessions#new-session-title",
                *path
            ))),
        },
        Err(e) => match FieldErrors::from_domain(Layout::strings(&state), &e) {
            Some(errors) => {
                list_page(
                    &state,
                    &session,
                    &c,
                    StatusCode::UNPROCESSABLE_ENTITY,
                    data,
                    errors,
                )
                .await
            }
            None => Err(e.into()),
        },
    }
}

async fn event_page(
    state: &AppState,
    session: &Session,
    id: i64,
    status: StatusCode,
    error: String,
    done: String,
) -> WebResult<HttpResponse> {
    let (s, t) = (estrings(state), Layout::strings(state));
    let (e, c, people) = events::with_participants(state, &session.account, id).await?;
    let me = &session.account.actor;
    let my_state = people
        .iter()
        .find(|p| p.actor_ap_id == *me)
        .map(|p| p.state.clone())
        .unwrap_or_default();
    let attended = people
        .iter()
        .any(|p| p.actor_ap_id == *me && p.attended_at.is_some());
    let waiting_rows: Vec<_> = people.iter().filter(|p| p.state == "waiting").collect();
    let position = waiting_rows
        .iter()
        .position(|p| p.actor_ap_id == *me)
        .map_or(0, |i| i + 1);
    let organizer = match state.store.actor_by_ap_id(&e.organizer).await {
        Ok(Some(a)) => a.display_name,
        _ => String::new(),
    };
    let animateur = communities::require_animateur(state, &c, &session.account)
        .await
        .is_ok();
    let coanimateur = communities::require_coanimateur(state, &c, &session.account)
        .await
        .is_ok();
    let view = EventView::new(state, &e, s, t.lang);
    let can_register = my_state.is_empty() && !view.cancelled && e.ends_at > crate::db::now_ms();
    html(
        status,
        EventPage {
            layout: Layout::new(state, Some(session), &e.title, "communities"),
            s,
            c: CommunityView::new(state, &c, cstrings(state)),
            e: view,
            organizer,
            accepted: people
                .iter()
                .filter(|p| p.state == "accepted")
                .map(ParticipantView::new)
                .collect(),
            waiting: waiting_rows.into_iter().map(ParticipantView::new).collect(),
            mine: my_state,
            position,
            animateur,
            coanimateur,
            co: crate::http::web::i18n::coanim::strings(crate::http::web::language::current(
                &state.config.locale,
            )),
            can_register,
            error,
            u: crate::http::web::i18n::ui::strings(crate::http::web::language::current(
                &state.config.locale,
            )),
            done,
            attended,
            a: crate::http::web::i18n::attendance::strings(crate::http::web::language::current(
                &state.config.locale,
            )),
        },
    )
}

#[derive(Deserialize)]
pub struct ShowQuery {
    /// The action just done, compared only (never shown as typed).
    #[serde(default)]
    done: Option<String>,
}

#[derive(Deserialize)]
pub struct LinkQuery {
    #[serde(default)]
    id: String,
}

/// `/session-link?id=…`: this node's page of a session named by its federated id.
#[get("/session-link")]
pub async fn by_ap_id(
    state: web::Data<AppState>,
    session: WebSession,
    q: web::Query<LinkQuery>,
) -> WebResult<HttpResponse> {
    let (e, _) = events::readable_by_ap_id(&state, &session.0.account, &q.id).await?;
    Ok(redirect(&format!("/sessions/{}", e.id)))
}

#[get("/sessions/{id}")]
pub async fn show(
    state: web::Data<AppState>,
    session: WebSession,
    path: web::Path<i64>,
    q: web::Query<ShowQuery>,
) -> WebResult<HttpResponse> {
    let done = q.done.clone().unwrap_or_default();
    event_page(
        &state,
        &session.0,
        *path,
        StatusCode::OK,
        String::new(),
        done,
    )
    .await
}

#[derive(Deserialize)]
pub struct Action {
    action: String,
}

/// Register, unregister, cancel: one endpoint, the button says which.
#[post("/sessions/{id}")]
pub async fn act(
    state: web::Data<AppState>,
    path: web::Path<i64>,
    form: SessionForm<Action>,
) -> WebResult<HttpResponse> {
    let SessionForm { session, data } = form;
    let account = &session.account;
    let result = match data.action.as_str() {
        "join" => participation::join(&state, account, *path).await.map(drop),
        "leave" => participation::leave(&state, account, *path).await,
        "cancel" => events::cancel(&state, account, *path).await.map(drop),
        _ => return Err(WebError::BadForm),
    };
    match result {
        // Back where the button was, the result announced there.
        Ok(()) => {
            let e = events::by_id(&state, *path).await?;
            let sent = match data.action.as_str() {
                "cancel" => sent_to_host(&state, &e).await?,
                _ => "",
            };
            let done = if sent.is_empty() {
                format!("?done={}#me-title", data.action)
            } else {
                sent.to_owned()
            };
            Ok(redirect(&format!("/sessions/{}{done}", *path)))
        }
        Err(DomainError::Conflict(m)) => {
            // The reason is English, for the logs; the agent reads a sentence.
            tracing::info!(reason = %m, "session action refused");
            let error = crate::http::web::i18n::ui::strings(crate::http::web::language::current(
                &state.config.locale,
            ))
            .session_conflict
            .to_owned();
            let status = StatusCode::CONFLICT;
            event_page(&state, &session, *path, status, error, String::new()).await
        }
        Err(e) => Err(e.into()),
    }
}

fn edit_page(
    state: &AppState,
    session: &Session,
    e: &EventRow,
    status: StatusCode,
    form: EventInput,
    errors: FieldErrors,
) -> WebResult<HttpResponse> {
    let s = estrings(state);
    html(
        status,
        EditPage {
            layout: Layout::new(state, Some(session), s.edit_title, "communities"),
            s,
            id: e.id,
            title: e.title.clone(),
            form,
            errors,
            action: format!("/sessions/{}/edit", e.id),
            editing: true,
        },
    )
}

/// The edit form, prefilled; animateurs only (others get the domain's 403 on saving too).
#[get("/sessions/{id}/edit")]
pub async fn edit(
    state: web::Data<AppState>,
    session: WebSession,
    path: web::Path<i64>,
) -> WebResult<HttpResponse> {
    let (e, c) = events::readable(&state, &session.0.account, *path).await?;
    communities::require_coanimateur(&state, &c, &session.0.account).await?;
    let tz = &state.config.timezone;
    let form = EventInput {
        title: e.title.clone(),
        description: e.source.clone(),
        kind: e.kind.clone(),
        start: event_time::local_input(e.starts_at, tz),
        end: event_time::local_input(e.ends_at, tz),
        address: e.address.clone(),
        online_url: e.online_url.clone(),
        capacity: e.capacity.map(|n| n.to_string()).unwrap_or_default(),
        ..Default::default()
    };
    edit_page(
        &state,
        &session.0,
        &e,
        StatusCode::OK,
        form,
        FieldErrors::default(),
    )
}

#[post("/sessions/{id}/edit")]
pub async fn update(
    state: web::Data<AppState>,
    path: web::Path<i64>,
    form: SessionForm<EventInput>,
) -> WebResult<HttpResponse> {
    let SessionForm { session, data } = form;
    match events::update(&state, &session.account, *path, &data).await {
        Ok(e) => Ok(redirect(&format!(
            "/sessions/{}{}",
            e.id,
            sent_to_host(&state, &e).await?
        ))),
        Err(err) => match FieldErrors::from_domain(Layout::strings(&state), &err) {
            Some(errors) => {
                let e = events::by_id(&state, *path).await?;
                edit_page(
                    &state,
                    &session,
                    &e,
                    StatusCode::UNPROCESSABLE_ENTITY,
                    data,
                    errors,
                )
            }
            None => Err(err.into()),
        },
    }
}

async fn mine_page(
    state: &AppState,
    session: &Session,
    new_url: String,
) -> WebResult<HttpResponse> {
    let (s, t) = (estrings(state), Layout::strings(state));
    let rows = events::mine(state, &session.account).await?;
    html(
        StatusCode::OK,
        MinePage {
            layout: Layout::new(state, Some(session), s.my_sessions, "sessions"),
            s,
            events: rows
                .iter()
                .map(|e| EventView::new(state, e, s, t.lang))
                .collect(),
            has_secret: calendars::has_secret(state, &session.account).await?,
            new_url,
        },
    )
}

#[get("/my/sessions")]
pub async fn mine(state: web::Data<AppState>, session: WebSession) -> WebResult<HttpResponse> {
    mine_page(&state, &session.0, String::new()).await
}

#[derive(Deserialize)]
pub struct Empty {}

#[post("/my/calendar")]
pub async fn regenerate(
    state: web::Data<AppState>,
    form: SessionForm<Empty>,
) -> WebResult<HttpResponse> {
    let secret = calendars::regenerate(&state, &form.session.account).await?;
    let url = format!("{}/calendar/{secret}.ics", state.urls.base());
    mine_page(&state, &form.session, url).await
}

/// The query that tells an animateur of another node her change was sent to the host
/// (issue 18), or nothing when the session is hosted here.
async fn sent_to_host(state: &AppState, e: &EventRow) -> WebResult<&'static str> {
    let c = events::community_of(state, e).await?;
    Ok(if c.is_local == 0 { "?done=sent" } else { "" })
}
