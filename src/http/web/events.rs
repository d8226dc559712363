//! Session pages: a community's upcoming sessions (and the animateurs' form to schedule one
//! or a monthly series), a session with its participants and the register / unregister /
//! cancel buttons, the animateurs' edit form, "Mes séances" with the personal calendar address, and the `.ics` feeds.

use actix_web::http::StatusCode;
use actix_web::http::header;
use actix_web::{HttpResponse, get, post, web};
use askama::Template;
use serde::Deserialize;

use super::communities::{community, cstrings};
use super::community_views::CommunityView;
use super::format::datetime;
use super::i18n_events::{self, EStrings};
use super::{FieldErrors, Layout, WebError, WebResult, html, redirect};
use crate::db::{CommunityRow, EventRow, ParticipantRow};
use crate::domain::events::{self, EventInput};
use crate::domain::sessions::Session;
use crate::domain::{DomainError, calendars, communities, event_time, participation};
use crate::http::auth::{SessionForm, WebSession};
use crate::state::AppState;

pub fn estrings(state: &AppState) -> &'static EStrings {
    i18n_events::strings(&state.config.locale)
}

/// A session as pages show it.
pub struct EventView {
    pub id: i64,
    pub title: String,
    pub kind: &'static str,
    pub when: String,
    pub address: String,
    pub online_url: String,
    pub capacity: Option<i64>,
    pub accepted: i64,
    pub full: bool,
    pub cancelled: bool,
    pub series: bool,
    pub description_html: String,
}

impl EventView {
    pub fn new(state: &AppState, e: &EventRow, s: &EStrings, lang: &str) -> Self {
        let tz = &state.config.timezone;
        let start = datetime(e.starts_at, tz, lang);
        let end = datetime(e.ends_at, tz, lang);
        // Same day: "01/12/2026 à 09:30 – 12:00".
        let when = match (start.get(..10), end.get(..10)) {
            (Some(a), Some(b)) if a == b => {
                let hour = end.rsplit(' ').next().unwrap_or_default();
                format!("{start} – {hour}")
            }
            _ => format!("{start} – {end}"),
        };
        EventView {
            id: e.id,
            title: e.title.clone(),
            kind: match e.kind.as_str() {
                "atelier" => s.kind_atelier,
                "formation" => s.kind_formation,
                _ => s.kind_seance,
            },
            when,
            address: e.address.clone(),
            online_url: e.online_url.clone(),
            capacity: e.capacity,
            accepted: e.accepted,
            full: e.capacity.is_some_and(|c| e.accepted >= c),
            cancelled: e.status == "cancelled",
            series: e.series.is_some(),
            description_html: e.content_html.clone(),
        }
    }
}

pub struct ParticipantView {
    pub name: String,
    pub handle: String,
    pub institution: String,
}

impl ParticipantView {
    fn new(p: &ParticipantRow) -> Self {
        match (&p.display_name, &p.username, &p.authority) {
            (Some(n), Some(u), Some(a)) => ParticipantView {
                name: n.clone(),
                handle: format!("@{u}@{a}"),
                institution: p.institution.clone().unwrap_or_default(),
            },
            _ => ParticipantView {
                name: p.actor_ap_id.clone(),
                handle: String::new(),
                institution: String::new(),
            },
        }
    }
}

#[derive(Template)]
#[template(path = "events.html")]
struct ListPage {
    layout: Layout,
    s: &'static EStrings,
    c: CommunityView,
    events: Vec<EventView>,
    animateur: bool,
    form: EventInput,
    errors: FieldErrors,
    action: String,
    editing: bool,
}

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
    let animateur = communities::require_animateur(state, c, &session.account)
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
            events: rows
                .iter()
                .map(|e| EventView::new(state, e, s, t.lang))
                .collect(),
            animateur,
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
            None => Ok(redirect(&format!("/communities/{}/sessions", *path))),
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

#[derive(Template)]
#[template(path = "event.html")]
struct EventPage {
    layout: Layout,
    s: &'static EStrings,
    c: CommunityView,
    e: EventView,
    organizer: String,
    accepted: Vec<ParticipantView>,
    waiting: Vec<ParticipantView>,
    /// The agent's participation: accepted, waiting, pending or empty.
    mine: String,
    /// Position on the waiting list, from 1.
    position: usize,
    animateur: bool,
    can_register: bool,
    error: String,
}

async fn event_page(
    state: &AppState,
    session: &Session,
    id: i64,
    status: StatusCode,
    error: String,
) -> WebResult<HttpResponse> {
    let (s, t) = (estrings(state), Layout::strings(state));
    let (e, c) = events::readable(state, &session.account, id).await?;
    let people = state
        .store
        .participants(e.id)
        .await
        .map_err(DomainError::from)?;
    let me = &session.account.actor;
    let my_state = people
        .iter()
        .find(|p| p.actor_ap_id == *me)
        .map(|p| p.state.clone())
        .unwrap_or_default();
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
            can_register,
            error,
        },
    )
}

#[get("/sessions/{id}")]
pub async fn show(
    state: web::Data<AppState>,
    session: WebSession,
    path: web::Path<i64>,
) -> WebResult<HttpResponse> {
    event_page(&state, &session.0, *path, StatusCode::OK, String::new()).await
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
        Ok(()) => Ok(redirect(&format!("/sessions/{}", *path))),
        Err(DomainError::Conflict(m)) => {
            event_page(&state, &session, *path, StatusCode::CONFLICT, m).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "event_edit.html")]
struct EditPage {
    layout: Layout,
    s: &'static EStrings,
    id: i64,
    title: String,
    form: EventInput,
    errors: FieldErrors,
    action: String,
    editing: bool,
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
    communities::require_animateur(&state, &c, &session.0.account).await?;
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
        Ok(e) => Ok(redirect(&format!("/sessions/{}", e.id))),
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

#[derive(Template)]
#[template(path = "events_mine.html")]
struct MinePage {
    layout: Layout,
    s: &'static EStrings,
    events: Vec<EventView>,
    has_secret: bool,
    new_url: String,
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
