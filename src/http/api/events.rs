//! Sessions as JSON: a community's upcoming sessions, one session with its participants,
//! scheduling and editing (animateurs), registering, unregistering, cancelling. Sessions by local id.

use actix_web::{HttpResponse, get, post, put, web};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::db::EventRow;
use crate::domain::communities;
use crate::domain::event_time;
use crate::domain::events::{self, EventInput};
use crate::domain::participation;
use crate::http::auth::ApiCaller;
use crate::http::error::ApiResult;
use crate::state::AppState;

/// A session (a meeting of a community), as the API shows it.
#[derive(Serialize, ToSchema)]
pub struct EventJson {
    id: i64,
    ap_id: String,
    kind: String,
    title: String,
    description_html: String,
    /// RFC 3339.
    start: String,
    end: String,
    address: String,
    online_url: String,
    /// Null: no limit.
    capacity: Option<i64>,
    participant_count: i64,
    status: String,
    /// The series it belongs to, null for a single session.
    series: Option<String>,
    organizer: String,
}

impl From<&EventRow> for EventJson {
    fn from(e: &EventRow) -> Self {
        EventJson {
            id: e.id,
            ap_id: e.ap_id.clone(),
            kind: e.kind.clone(),
            title: e.title.clone(),
            description_html: e.content_html.clone(),
            start: event_time::rfc3339(e.starts_at),
            end: event_time::rfc3339(e.ends_at),
            address: e.address.clone(),
            online_url: e.online_url.clone(),
            capacity: e.capacity,
            participant_count: e.accepted,
            status: e.status.clone(),
            series: e.series.clone(),
            organizer: e.organizer.clone(),
        }
    }
}

/// A session with its participants.
#[derive(Serialize, ToSchema)]
pub struct EventWithParticipants {
    #[serde(flatten)]
    event: EventJson,
    participants: Vec<ParticipantJson>,
}

#[derive(Serialize, ToSchema)]
pub struct ParticipantJson {
    actor: String,
    /// `accepted` or `waiting`.
    state: String,
}

/// The caller's participation after registering.
#[derive(Serialize, ToSchema)]
pub struct ParticipationJson {
    /// `accepted` or `waiting`.
    state: String,
}

/// The upcoming sessions of a community.
#[utoipa::path(
    operation_id = "events_list",
    tag = "events",
    security(("api_token" = [])),
    responses(
        (status = 200, description = "The sessions", body = [EventJson]),
    ),
)]
#[get("/communities/{handle}/events")]
pub async fn list(
    state: web::Data<AppState>,
    caller: ApiCaller,
    path: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let c = communities::resolve(&state, &path).await?;
    let rows = events::upcoming(&state, &caller.0, &c).await?;
    let out: Vec<_> = rows.iter().map(EventJson::from).collect();
    Ok(HttpResponse::Ok().json(out))
}

/// A new session; times are RFC 3339 instants or Paris wall-clock times.
#[derive(Deserialize, ToSchema)]
pub struct NewEvent {
    title: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    kind: String,
    start: String,
    end: String,
    #[serde(default)]
    address: String,
    #[serde(default)]
    online_url: String,
    capacity: Option<i64>,
    #[serde(default)]
    repeat: String,
    count: Option<i64>,
}

/// Schedules a session, or a monthly series (animateurs).
#[utoipa::path(
    operation_id = "events_create",
    tag = "events",
    security(("api_token" = [])),
    request_body = NewEvent,
    responses(
        (status = 201, description = "The sessions created", body = [EventJson]),
        (status = 202, description = "Sent to the community's host (an animateur of another node); listed once the host announces it", body = [EventJson]),
    ),
)]
#[post("/communities/{handle}/events")]
pub async fn create(
    state: web::Data<AppState>,
    caller: ApiCaller,
    path: web::Path<String>,
    body: web::Json<NewEvent>,
) -> ApiResult<HttpResponse> {
    let c = communities::resolve(&state, &path).await?;
    let created = events::create(&state, &caller.0, &c, &body.into_inner().into()).await?;
    let out: Vec<_> = created.iter().map(EventJson::from).collect();
    if c.is_local == 0 {
        // Issue 18: sent to the community's host, which creates and announces it.
        return Ok(HttpResponse::Accepted().json(out));
    }
    Ok(HttpResponse::Created().json(out))
}

impl From<NewEvent> for EventInput {
    fn from(b: NewEvent) -> Self {
        EventInput {
            title: b.title,
            description: b.description,
            kind: b.kind,
            start: b.start,
            end: b.end,
            address: b.address,
            online_url: b.online_url,
            capacity: b.capacity.map(|n| n.to_string()).unwrap_or_default(),
            repeat: b.repeat,
            count: b.count.map(|n| n.to_string()).unwrap_or_default(),
        }
    }
}

/// Edits a session (animateurs of its host): the body of a creation; kind and series stay.
#[utoipa::path(
    operation_id = "events_update",
    tag = "events",
    security(("api_token" = [])),
    request_body = NewEvent,
    responses(
        (status = 200, description = "The session", body = EventJson),
    ),
)]
#[put("/events/{id}")]
pub async fn update(
    state: web::Data<AppState>,
    caller: ApiCaller,
    path: web::Path<i64>,
    body: web::Json<NewEvent>,
) -> ApiResult<HttpResponse> {
    let e = events::update(&state, &caller.0, *path, &body.into_inner().into()).await?;
    Ok(HttpResponse::Ok().json(EventJson::from(&e)))
}

/// The sessions the caller registered for (or waits for) that have not ended.
#[utoipa::path(
    operation_id = "events_mine",
    tag = "events",
    security(("api_token" = [])),
    responses(
        (status = 200, description = "The sessions", body = [EventJson]),
    ),
)]
#[get("/me/events")]
pub async fn mine(state: web::Data<AppState>, caller: ApiCaller) -> ApiResult<HttpResponse> {
    let rows = events::mine(&state, &caller.0).await?;
    let out: Vec<_> = rows.iter().map(EventJson::from).collect();
    Ok(HttpResponse::Ok().json(out))
}

/// One session with its participants.
#[utoipa::path(
    operation_id = "events_show",
    tag = "events",
    security(("api_token" = [])),
    responses(
        (status = 200, description = "The session", body = EventWithParticipants),
    ),
)]
#[get("/events/{id}")]
pub async fn show(
    state: web::Data<AppState>,
    caller: ApiCaller,
    path: web::Path<i64>,
) -> ApiResult<HttpResponse> {
    let (e, _, people) = events::with_participants(&state, &caller.0, *path).await?;
    let people: Vec<_> = people
        .into_iter()
        .map(|p| ParticipantJson {
            actor: p.actor_ap_id,
            state: p.state,
        })
        .collect();
    Ok(HttpResponse::Ok().json(EventWithParticipants {
        event: EventJson::from(&e),
        participants: people,
    }))
}

/// Registers the caller to a session (or puts them on its waiting list).
#[utoipa::path(
    operation_id = "events_join",
    tag = "events",
    security(("api_token" = [])),
    responses(
        (status = 200, description = "The caller's participation", body = ParticipationJson),
    ),
)]
#[post("/events/{id}/join")]
pub async fn join(
    state: web::Data<AppState>,
    caller: ApiCaller,
    path: web::Path<i64>,
) -> ApiResult<HttpResponse> {
    let st = participation::join(&state, &caller.0, *path).await?;
    Ok(HttpResponse::Ok().json(ParticipationJson { state: st }))
}

/// Unregisters the caller from a session.
#[utoipa::path(
    operation_id = "events_leave",
    tag = "events",
    security(("api_token" = [])),
    responses(
        (status = 204, description = "Unregistered"),
    ),
)]
#[post("/events/{id}/leave")]
pub async fn leave(
    state: web::Data<AppState>,
    caller: ApiCaller,
    path: web::Path<i64>,
) -> ApiResult<HttpResponse> {
    participation::leave(&state, &caller.0, *path).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Cancels a session (animateurs).
#[utoipa::path(
    operation_id = "events_cancel",
    tag = "events",
    security(("api_token" = [])),
    responses(
        (status = 200, description = "The cancelled session", body = EventJson),
    ),
)]
#[post("/events/{id}/cancel")]
pub async fn cancel(
    state: web::Data<AppState>,
    caller: ApiCaller,
    path: web::Path<i64>,
) -> ApiResult<HttpResponse> {
    let e = events::cancel(&state, &caller.0, *path).await?;
    Ok(HttpResponse::Ok().json(EventJson::from(&e)))
}
