//! `/admin/deliveries`: what is queued for or failed with each neighbouring institution.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, get, post, web};
use askama::Template;
use serde::Deserialize;

use super::format::datetime;
use super::{Layout, WebError, WebResult, html};
use crate::domain::DomainError;
use crate::http::auth::{AdminSession, SessionForm};
use crate::state::AppState;

#[derive(Template)]
#[template(path = "admin_deliveries.html")]
struct DeliveriesPage {
    layout: Layout,
    counts: Vec<(&'static str, i64)>,
    rows: Vec<Row>,
    retried: bool,
}

struct Row {
    peer: String,
    activity: String,
    state: &'static str,
    attempts: i64,
    error: String,
    next: String,
}

async fn render(
    state: &AppState,
    session: &crate::domain::sessions::Session,
    retried: bool,
) -> WebResult<HttpResponse> {
    let t = Layout::strings(state);
    let a = t.admin;
    let store = &state.store;
    let mut counts = Vec::new();
    for (key, label) in [
        ("pending", a.state_pending),
        ("failed", a.state_failed),
        ("delivered", a.state_delivered),
        ("cancelled", a.state_cancelled),
    ] {
        counts.push((
            label,
            store
                .count_deliveries(key)
                .await
                .map_err(DomainError::from)?,
        ));
    }
    let tz = &state.config.timezone;
    let mut rows = Vec::new();
    for (key, label) in [("failed", a.state_failed), ("pending", a.state_pending)] {
        for d in store
            .deliveries_in_state(key, 100)
            .await
            .map_err(DomainError::from)?
        {
            let kind = serde_json::from_str::<serde_json::Value>(&d.body)
                .ok()
                .and_then(|v| v.get("type").and_then(|k| k.as_str()).map(str::to_owned))
                .unwrap_or_default();
            rows.push(Row {
                peer: d.authority,
                activity: kind,
                state: label,
                attempts: d.attempts,
                error: d.last_error.unwrap_or_default(),
                next: if key == "pending" {
                    datetime(d.next_attempt_at, tz, t.lang)
                } else {
                    String::new()
                },
            });
        }
    }
    html(
        StatusCode::OK,
        DeliveriesPage {
            layout: Layout::new(state, Some(session), a.deliveries_title, "admin"),
            counts,
            rows,
            retried,
        },
    )
}

#[get("/admin/deliveries")]
pub async fn page(state: web::Data<AppState>, admin: AdminSession) -> WebResult<HttpResponse> {
    render(&state, &admin.0, false).await
}

#[derive(Deserialize)]
pub struct RetryForm {
    authority: String,
}

#[post("/admin/deliveries/retry")]
pub async fn retry(
    state: web::Data<AppState>,
    form: SessionForm<RetryForm>,
) -> WebResult<HttpResponse> {
    if !form.session.account.is_admin() {
        return Err(WebError::Forbidden);
    }
    state
        .store
        .retry_deliveries_now(Some(form.data.authority.trim()))
        .await
        .map_err(DomainError::from)?;
    state.fed.wakeup.notify_one();
    render(&state, &form.session, true).await
}
