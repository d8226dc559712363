//! The agent's notifications page.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, get, post, web};
use askama::Template;
use serde::Deserialize;

use super::community_views::cstrings;
use super::format::datetime;
use super::i18n::communities::CStrings;
use super::{Layout, WebResult, html, redirect};
use crate::domain::events;
use crate::domain::notifications::{self, kind};
use crate::http::auth::{SessionForm, WebSession};
use crate::state::AppState;

struct NotificationView {
    text: String,
    actor: String,
    community: String,
    link: Option<String>,
    link_label: &'static str,
    date: String,
    unread: bool,
}

#[derive(Template)]
#[template(path = "notifications.html")]
struct NotificationsPage {
    layout: Layout,
    s: &'static CStrings,
    items: Vec<NotificationView>,
}

#[get("/notifications")]
pub async fn page(state: web::Data<AppState>, session: WebSession) -> WebResult<HttpResponse> {
    let (s, t) = (cstrings(&state), Layout::strings(&state));
    let es = super::events::estrings(&state);
    let acts = super::i18n::actions::strings(&state.config.locale);
    let mut items = Vec::new();
    for n in notifications::list(&state, &session.0.account).await? {
        let text = match n.kind.as_str() {
            kind::REPLY => s.n_reply,
            kind::MENTION => s.n_mention,
            kind::ACCEPTED => s.n_accepted,
            kind::REJECTED => s.n_rejected,
            kind::REQUEST => s.n_request,
            kind::INVITED => s.n_invited,
            kind::RESOURCE_REFUSED => {
                super::i18n::resources::strings(&state.config.locale).n_refused
            }
            kind::ACTION_OWNER => acts.n_owner,
            events::kind::CANCELLED => es.n_cancelled,
            events::kind::SEAT => es.n_seat,
            events::kind::CHANGED => es.n_changed,
            kind::PEER_REQUEST => {
                super::i18n::notify::strings(&state.config.locale).kind_label(kind::PEER_REQUEST)
            }
            _ => s.n_report,
        };
        let link = match &n.post {
            Some(ap) if n.kind == kind::ACTION_OWNER => state
                .store
                .action_item_by_ap_id(ap)
                .await
                .ok()
                .flatten()
                .map(|i| format!("/plan/items/{}", i.id)),
            Some(ap) if n.kind.starts_with("event_") => state
                .store
                .event_by_ap_id(ap)
                .await
                .ok()
                .flatten()
                .map(|e| format!("/sessions/{}", e.id)),
            Some(ap) => state
                .store
                .post_by_ap_id(ap)
                .await
                .ok()
                .flatten()
                .map(|p| format!("/discussions/{}", p.id)),
            None => None,
        };
        let actor = match state.store.actor_by_ap_id(&n.actor).await.ok().flatten() {
            Some(a) if a.kind == "Person" => {
                format!("{} (@{}@{})", a.display_name, a.username, a.authority)
            }
            _ => String::new(),
        };
        items.push(NotificationView {
            text: text.to_owned(),
            actor,
            community: n.community.unwrap_or_default(),
            link,
            link_label: if n.kind == kind::ACTION_OWNER {
                acts.plan_title
            } else {
                s.threads_title
            },
            date: datetime(n.created_at, &state.config.timezone, t.lang),
            unread: !n.read,
        });
    }
    html(
        StatusCode::OK,
        NotificationsPage {
            layout: Layout::new(
                &state,
                Some(&session.0),
                s.notifications_title,
                "notifications",
            ),
            s,
            items,
        },
    )
}

#[derive(Deserialize)]
pub struct Empty {}

#[post("/notifications/read")]
pub async fn mark_read(
    state: web::Data<AppState>,
    form: SessionForm<Empty>,
) -> WebResult<HttpResponse> {
    notifications::mark_read(&state, &form.session.account).await?;
    Ok(redirect("/notifications"))
}
