//! `/admin/mail`: the mail outbox (queued and failed, with the relay's reason, « Réessayer
//! maintenant »), and in the demo `/admin/mail/demo`, what would have been sent.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, get, post, web};
use askama::Template;
use serde::Deserialize;

use super::format::datetime;
use super::i18n::mail::{MailStrings, strings};
use super::{Layout, WebError, WebResult, html};
use crate::db::MailRow;
use crate::domain::DomainError;
use crate::domain::sessions::Session;
use crate::http::auth::{AdminSession, SessionForm};
use crate::state::AppState;

#[derive(Template)]
#[template(path = "admin_mail.html")]
struct MailPage {
    layout: Layout,
    m: &'static MailStrings,
    sends: bool,
    demo: bool,
    counts: Vec<(&'static str, i64)>,
    rows: Vec<Row>,
    retried: bool,
}

#[derive(Template)]
#[template(path = "admin_mail_demo.html")]
struct DemoPage {
    layout: Layout,
    m: &'static MailStrings,
    rows: Vec<Row>,
}

struct Row {
    to: String,
    subject: String,
    kind: String,
    state: &'static str,
    attempts: i64,
    error: String,
    at: String,
    text: String,
}

fn row(state: &AppState, m: &MailStrings, r: MailRow) -> Row {
    let t = Layout::strings(state);
    Row {
        state: match r.state.as_str() {
            "sent" => m.sent,
            "failed" => m.failed,
            _ => m.queued,
        },
        at: datetime(r.created_at, &state.config.timezone, t.lang),
        to: r.to_address,
        subject: r.subject,
        kind: r.kind,
        attempts: r.attempts,
        error: r.last_error.unwrap_or_default(),
        text: r.body_text,
    }
}

async fn render(state: &AppState, session: &Session, retried: bool) -> WebResult<HttpResponse> {
    let m = strings(crate::http::web::language::current(&state.config.locale));
    let store = &state.store;
    let mut counts = Vec::new();
    for (key, label) in [("queued", m.queued), ("failed", m.failed), ("sent", m.sent)] {
        counts.push((
            label,
            store.count_mail(key).await.map_err(DomainError::from)?,
        ));
    }
    let mut rows = Vec::new();
    for key in ["failed", "queued"] {
        for r in store
            .mail_in_state(key, 100)
            .await
            .map_err(DomainError::from)?
        {
            rows.push(row(state, m, r));
        }
    }
    html(
        StatusCode::OK,
        MailPage {
            layout: Layout::new(state, Some(session), m.title, "admin"),
            m,
            sends: state.mail.sends(),
            demo: state.config.mail.demo,
            counts,
            rows,
            retried,
        },
    )
}

#[get("/admin/mail")]
pub async fn page(state: web::Data<AppState>, admin: AdminSession) -> WebResult<HttpResponse> {
    render(&state, &admin.0, false).await
}

#[derive(Deserialize)]
pub struct Empty {}

#[post("/admin/mail/retry")]
pub async fn retry(
    state: web::Data<AppState>,
    form: SessionForm<Empty>,
) -> WebResult<HttpResponse> {
    if !form.session.account.is_admin() {
        return Err(WebError::Forbidden);
    }
    state
        .store
        .retry_mail_now()
        .await
        .map_err(DomainError::from)?;
    state.mail.wakeup.notify_one();
    render(&state, &form.session, true).await
}

/// Only in the demo: the messages' text, links included, so a newcomer can follow them.
#[get("/admin/mail/demo")]
pub async fn demo(state: web::Data<AppState>, admin: AdminSession) -> WebResult<HttpResponse> {
    if !state.config.mail.demo {
        return Err(WebError::NotFound);
    }
    let m = strings(crate::http::web::language::current(&state.config.locale));
    let rows = state
        .store
        .recent_mail(100)
        .await
        .map_err(DomainError::from)?
        .into_iter()
        .map(|r| row(&state, m, r))
        .collect();
    html(
        StatusCode::OK,
        DemoPage {
            layout: Layout::new(&state, Some(&admin.0), m.demo_title, "admin"),
            m,
            rows,
        },
    )
}
