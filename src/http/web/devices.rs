//! « Mes appareils »: the agent's devices that receive pushes, listed and revoked without
//! JavaScript; with it, `static/push.js` subscribes this browser after a click and posts the
//! subscription here as an ordinary form.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, get, post, web};
use askama::Template;
use serde::Deserialize;

use super::format::datetime;
use super::i18n::push::{PushStrings, strings};
use super::{Layout, WebResult, html, redirect};
use crate::domain::DomainError;
use crate::domain::push::{self, SubscriptionInput};
use crate::domain::sessions::Session;
use crate::http::auth::{SessionForm, WebSession};
use crate::state::AppState;

struct DeviceView {
    id: i64,
    label: String,
    service: String,
    added: String,
    last_push: Option<String>,
}

#[derive(Template)]
#[template(path = "profile_devices.html")]
struct DevicesPage {
    layout: Layout,
    s: &'static PushStrings,
    devices: Vec<DeviceView>,
    public_key: String,
    notice: Option<&'static str>,
    error: Option<&'static str>,
}

async fn render(
    state: &AppState,
    session: &Session,
    status: StatusCode,
    notice: Option<&'static str>,
    error: Option<&'static str>,
) -> WebResult<HttpResponse> {
    let s = strings(crate::http::web::language::current(&state.config.locale));
    let t = Layout::strings(state);
    let tz = &state.config.timezone;
    let devices = push::devices(state, &session.account)
        .await?
        .into_iter()
        .map(|d| DeviceView {
            id: d.id,
            label: d.label,
            service: d.service,
            added: datetime(d.created_at, tz, t.lang),
            last_push: d.last_push_at.map(|ms| datetime(ms, tz, t.lang)),
        })
        .collect();
    html(
        status,
        DevicesPage {
            layout: Layout::new(state, Some(session), s.title, "profile"),
            s,
            devices,
            public_key: push::key(state).await?.public_key,
            notice,
            error,
        },
    )
}

#[derive(Deserialize)]
pub struct Done {
    done: Option<String>,
}

#[get("/profile/devices")]
pub async fn page(
    state: web::Data<AppState>,
    session: WebSession,
    query: web::Query<Done>,
) -> WebResult<HttpResponse> {
    let s = strings(crate::http::web::language::current(&state.config.locale));
    let notice = match query.done.as_deref() {
        Some("added") => Some(s.added),
        Some("revoked") => Some(s.revoked),
        _ => None,
    };
    render(&state, &session.0, StatusCode::OK, notice, None).await
}

/// This browser's subscription, posted by `static/push.js` as a form.
#[post("/profile/devices")]
pub async fn add(
    state: web::Data<AppState>,
    form: SessionForm<SubscriptionInput>,
) -> WebResult<HttpResponse> {
    let SessionForm { session, data } = form;
    let s = strings(crate::http::web::language::current(&state.config.locale));
    match push::subscribe(&state, &session.account, &data).await {
        Ok(_) => Ok(redirect("/profile/devices?done=added")),
        Err(DomainError::Invalid { .. }) => {
            render(
                &state,
                &session,
                StatusCode::UNPROCESSABLE_ENTITY,
                None,
                Some(s.failed),
            )
            .await
        }
        Err(DomainError::Conflict(_)) => {
            render(
                &state,
                &session,
                StatusCode::CONFLICT,
                None,
                Some(s.too_many),
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub struct Empty {}

#[post("/profile/devices/{id}/revoke")]
pub async fn revoke(
    state: web::Data<AppState>,
    path: web::Path<i64>,
    form: SessionForm<Empty>,
) -> WebResult<HttpResponse> {
    push::revoke(&state, &form.session.account, path.into_inner()).await?;
    Ok(redirect("/profile/devices?done=revoked"))
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(page).service(add).service(revoke);
}
