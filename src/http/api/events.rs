//! Sessions as JSON: a community's upcoming sessions, one session with its participants,
//! scheduling and editing (animateurs), registering, unregistering, cancelling. Sessions by local id.

use actix_web::{HttpResponse, get, post, put, web};
use serde::Deserialize;
use serde_json::json;

use crate::domain::communities;
use crate::domain::events::{self, EventInput};
use crate::domain::{DomainError, participation};
use crate::http::auth::ApiCaller;
use crate::http::error::ApiResult;
use crate::state::AppState;

#[get("/communities/{handle}/events")]
pub async fn list(
    state: web::Data<AppState>,
    caller: ApiCaller,
    path: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let c = communities::resolve(&state, &path).await?;
    let rows = events::upcoming(&state, &caller.0, &c).await?;
    let out: Vec<_> = rows.iter().map(events::json).collect();
    Ok(HttpResponse::Ok().json(out))
}

/// A new session; times are RFC 3339 instants or Paris wall-clock times.
#[derive(Deserialize)]
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

#[post("/communities/{handle}/events")]
pub async fn create(
    state: web::Data<AppState>,
    caller: ApiCaller,
    path: web::Path<String>,
    body: web::Json<NewEvent>,
) -> ApiResult<HttpResponse> {
    let c = communities::resolve(&state, &path).await?;
    let created = events::create(&state, &caller.0, &c, &body.into_inner().into()).await?;
    let out: Vec<_> = created.iter().map(events::json).collect();
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
#[put("/events/{id}")]
pub async fn update(
    state: web::Data<AppState>,
    caller: ApiCaller,
    path: web::Path<i64>,
    body: web::Json<NewEvent>,
) -> ApiResult<HttpResponse> {
    let e = events::update(&state, &caller.0, *path, &body.into_inner().into()).await?;
    Ok(HttpResponse::Ok().json(events::json(&e)))
}

/// The sessions the caller registered for (or waits for) that have not ended.
#[get("/me/events")]
pub async fn mine(state: web::Data<AppState>, caller: ApiCaller) -> ApiResult<HttpResponse> {
    let rows = events::mine(&state, &caller.0).await?;
    let out: Vec<_> = rows.iter().map(events::json).collect();
    Ok(HttpResponse::Ok().json(out))
}

#[get("/events/{id}")]
pub async fn show(
    state: web::Data<AppState>,
    caller: ApiCaller,
    path: web::Path<i64>,
) -> ApiResult<HttpResponse> {
    let (e, _) = events::readable(&state, &caller.0, *path).await?;
    let people: Vec<_> = state
        .store
        .participants(e.id)
        .await
        .map_err(DomainError::from)?
        .into_iter()
        .map(|p| json!({"actor": p.actor_ap_id, "state": p.state}))
        .collect();
    let mut out = events::json(&e);
    out["participants"] = json!(people);
    Ok(HttpResponse::Ok().json(out))
}

#[post("/events/{id}/join")]
pub async fn join(
    state: web::Data<AppState>,
    caller: ApiCaller,
    path: web::Path<i64>,
) -> ApiResult<HttpResponse> {
    let st = participation::join(&state, &caller.0, *path).await?;
    Ok(HttpResponse::Ok().json(json!({ "state": st })))
}

#[post("/events/{id}/leave")]
pub async fn leave(
    state: web::Data<AppState>,
    caller: ApiCaller,
    path: web::Path<i64>,
) -> ApiResult<HttpResponse> {
    participation::leave(&state, &caller.0, *path).await?;
    Ok(HttpResponse::NoContent().finish())
}

#[post("/events/{id}/cancel")]
pub async fn cancel(
    state: web::Data<AppState>,
    caller: ApiCaller,
    path: web::Path<i64>,
) -> ApiResult<HttpResponse> {
    let e = events::cancel(&state, &caller.0, *path).await?;
    Ok(HttpResponse::Ok().json(events::json(&e)))
}
