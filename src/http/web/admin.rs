//! The admin home (`/admin`) and the audit log of federation decisions (`/admin/audit`).

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, get, web};
use askama::Template;

use super::format::datetime;
use super::i18n::federation::FederationStrings;
use super::{Layout, WebResult, html};
use crate::domain::{DomainError, peers};
use crate::http::auth::AdminSession;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "admin/home.html")]
struct HomePage {
    layout: Layout,
    a: &'static FederationStrings,
    pending: usize,
    /// What waits for the admin, each with the page where it is handled.
    waiting: Vec<(&'static str, i64, &'static str)>,
}

#[get("/admin")]
pub async fn home(state: web::Data<AppState>, admin: AdminSession) -> WebResult<HttpResponse> {
    let a = Layout::strings(&state).federation;
    let pending = peers::list(&state)
        .await?
        .iter()
        .filter(|p| p.state == peers::PENDING)
        .count();
    let t = Layout::strings(&state).admin;
    let store = &state.store;
    let failed_deliveries = store
        .count_deliveries("failed")
        .await
        .map_err(DomainError::from)?;
    let failed_mail = store
        .count_mail("failed")
        .await
        .map_err(DomainError::from)?;
    let waiting = [
        (t.waiting_federation, pending as i64, "/admin/federation"),
        (t.waiting_deliveries, failed_deliveries, "/admin/deliveries"),
        (t.waiting_mail, failed_mail, "/admin/mail"),
    ]
    .into_iter()
    .filter(|(_, n, _)| *n > 0)
    .collect();
    html(
        StatusCode::OK,
        HomePage {
            layout: Layout::new(&state, Some(&admin.0), a.admin_title, "admin"),
            a,
            pending,
            waiting,
        },
    )
}

struct Entry {
    at: String,
    by: String,
    /// The stable code of the decision (`approve`, …), kept in a data attribute for scripts.
    code: String,
    action: String,
    authority: String,
    detail: String,
}

#[derive(Template)]
#[template(path = "admin/audit.html")]
struct AuditPage {
    layout: Layout,
    a: &'static FederationStrings,
    entries: Vec<Entry>,
}

#[get("/admin/audit")]
pub async fn audit(state: web::Data<AppState>, admin: AdminSession) -> WebResult<HttpResponse> {
    let a = Layout::strings(&state).federation;
    let t = Layout::strings(&state);
    let u = super::i18n::ui::strings(crate::http::web::language::current(&state.config.locale));
    let entries = peers::audit::list(&state, 200)
        .await?
        .into_iter()
        .map(|e| Entry {
            at: datetime(e.at, &state.config.timezone, t.lang),
            by: if e.actor == peers::audit::BY_PEER {
                a.by_peer.to_owned()
            } else {
                e.actor
            },
            action: super::i18n::ui::audit_action(u, &e.action),
            code: e.action,
            authority: e.authority,
            detail: super::i18n::ui::audit_detail(u, t.lang, &e.detail),
        })
        .collect();
    html(
        StatusCode::OK,
        AuditPage {
            layout: Layout::new(&state, Some(&admin.0), a.audit_title, "admin"),
            a,
            entries,
        },
    )
}
