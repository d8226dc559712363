//! Attendance as JSON: the animateur's roster of a session (registered agents and members
//! who may have walked in, with their marks), marking who came, and the caller's attended
//! sessions with the address of each attestation.

use actix_web::{HttpResponse, get, put, web};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::events::EventJson;
use crate::domain::accounts::Account;
use crate::domain::attendance;
use crate::http::auth::ApiCaller;
use crate::http::error::ApiResult;
use crate::state::AppState;

/// One agent of a session's roster.
#[derive(Serialize, ToSchema)]
pub struct RosterEntry {
    actor: String,
    name: String,
    institution: String,
    /// `accepted` or `waiting` for a registered agent, `member` for a possible walk-in.
    state: String,
    present: bool,
}

/// A session's roster, for its animateurs.
#[derive(Serialize, ToSchema)]
pub struct RosterJson {
    event: EventJson,
    people: Vec<RosterEntry>,
}

async fn roster_json(state: &AppState, account: &Account, id: i64) -> ApiResult<RosterJson> {
    let r = attendance::roster(state, account, id).await?;
    let mut people: Vec<RosterEntry> = r
        .participants
        .iter()
        .map(|p| RosterEntry {
            actor: p.actor_ap_id.clone(),
            name: p
                .display_name
                .clone()
                .unwrap_or_else(|| p.actor_ap_id.clone()),
            institution: p.institution.clone().unwrap_or_default(),
            state: p.state.clone(),
            present: p.attended_at.is_some(),
        })
        .collect();
    people.extend(r.walk_in_candidates.iter().map(|m| RosterEntry {
        actor: m.ap_id.clone(),
        name: m.display_name.clone(),
        institution: m.institution.clone(),
        state: "member".into(),
        present: false,
    }));
    Ok(RosterJson {
        event: EventJson::from(&r.event),
        people,
    })
}

/// The roster of a session: who registered, who else may come, who was marked present
/// (animateurs, on the community's host).
#[utoipa::path(
    operation_id = "attendance_show",
    tag = "attendance",
    security(("api_token" = [])),
    responses(
        (status = 200, description = "The roster", body = RosterJson),
        (status = 403, description = "The caller is not an animateur of the community"),
    ),
)]
#[get("/events/{id}/attendance")]
pub async fn show(
    state: web::Data<AppState>,
    caller: ApiCaller,
    path: web::Path<i64>,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(roster_json(&state, &caller.0, *path).await?))
}

/// Who came: the complete list of actor ids marked present.
#[derive(Deserialize, ToSchema)]
pub struct Presence {
    present: Vec<String>,
}

/// Records who came, replacing the previous marks (animateurs, once the session has
/// begun). Each actor must be registered or an accepted member; one unknown actor
/// refuses the whole list and nothing is written.
#[utoipa::path(
    operation_id = "attendance_mark",
    tag = "attendance",
    security(("api_token" = [])),
    request_body = Presence,
    responses(
        (status = 200, description = "The roster with the marks", body = RosterJson),
        (status = 403, description = "The caller is not an animateur of the community"),
        (status = 409, description = "The session has not begun, or is cancelled"),
        (status = 422, description = "Someone listed is neither registered nor a member"),
    ),
)]
#[put("/events/{id}/attendance")]
pub async fn mark(
    state: web::Data<AppState>,
    caller: ApiCaller,
    path: web::Path<i64>,
    body: web::Json<Presence>,
) -> ApiResult<HttpResponse> {
    attendance::mark(&state, &caller.0, *path, &body.present).await?;
    Ok(HttpResponse::Ok().json(roster_json(&state, &caller.0, *path).await?))
}

/// A session the caller was marked present at.
#[derive(Serialize, ToSchema)]
pub struct TrainingJson {
    event: EventJson,
    community: String,
    /// The institution hosting the community.
    host_institution: String,
    /// The printable attestation de participation (a web page of the caller's node).
    attestation_url: String,
}

/// The caller's attended sessions, most recent first (« mes formations inter-institutions »).
#[utoipa::path(
    operation_id = "attendance_trainings",
    tag = "attendance",
    security(("api_token" = [])),
    responses(
        (status = 200, description = "The sessions attended", body = [TrainingJson]),
    ),
)]
#[get("/me/trainings")]
pub async fn trainings(state: web::Data<AppState>, caller: ApiCaller) -> ApiResult<HttpResponse> {
    let base = state.urls.base();
    let out: Vec<TrainingJson> = attendance::attended(&state, &caller.0)
        .await?
        .iter()
        .map(|a| TrainingJson {
            event: EventJson::from(&a.event),
            community: a.community.name.clone(),
            host_institution: a.host_institution.clone(),
            attestation_url: format!("{base}/sessions/{}/attestation", a.event.id),
        })
        .collect();
    Ok(HttpResponse::Ok().json(out))
}
