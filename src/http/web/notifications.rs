//! The agent's notifications: each a sentence naming who did what on which thing, with a link
//! to where one acts, read when opened (`/notifications/{id}`), or all at once.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, get, post, web};
use askama::Template;
use serde::Deserialize;

use super::community_views::cstrings;
use super::format::datetime;
use super::i18n::communities::CStrings;
use super::i18n::ui::{self, UiStrings};
use super::{Layout, WebError, WebResult, html, redirect};
use crate::domain::events;
use crate::domain::notifications::{self, Notification, kind};
use crate::http::auth::{SessionForm, WebSession};
use crate::state::AppState;

struct NotificationView {
    id: i64,
    sentence: String,
    /// Where one acts, when the thing still exists here.
    action: Option<&'static str>,
    date: String,
    unread: bool,
}

#[derive(Template)]
#[template(path = "notifications.html")]
struct NotificationsPage {
    layout: Layout,
    s: &'static CStrings,
    u: &'static UiStrings,
    items: Vec<NotificationView>,
    all_read: bool,
    unread: i64,
}

/// What a notification says and where it leads.
struct Told {
    sentence: String,
    target: Option<(String, &'static str)>,
}

/// Puts a notification in words, reading what it is about from this node's store.
async fn tell(state: &AppState, u: &'static UiStrings, n: &Notification, reader: &str) -> Told {
    let who = match state.store.actor_by_ap_id(&n.actor).await.ok().flatten() {
        // A person, or a community speaking through its group (a session's changes).
        Some(a) if !a.display_name.is_empty() => a.display_name,
        Some(a) if a.kind == "Person" => a.username,
        _ => u.someone.to_owned(),
    };
    let community = match n.community_id {
        Some(id) => state.store.community_by_id(id).await.ok().flatten(),
        None => None,
    };
    let community_name = n
        .community
        .clone()
        .unwrap_or_else(|| u.a_community.to_owned());
    let home = community
        .as_ref()
        .map(|c| format!("/communities/{}", c.handle()));
    let post = n.post.as_deref().unwrap_or_default();
    let (template, what, target): (&str, String, Option<(String, &'static str)>) = match n
        .kind
        .as_str()
    {
        kind::REPLY | kind::MENTION => {
            let found = state.store.post_by_ap_id(post).await.ok().flatten();
            let thread = match &found {
                Some(p) if p.in_reply_to.is_some() => state
                    .store
                    .post_by_ap_id(&p.thread_ap_id)
                    .await
                    .ok()
                    .flatten(),
                other => other.clone(),
            };
            let title = thread
                .as_ref()
                .map(|t| t.title.clone())
                .filter(|t| !t.is_empty())
                .unwrap_or_else(|| community_name.clone());
            let target = match (&thread, &found) {
                (Some(t), Some(p)) if t.id != p.id => {
                    Some((format!("/discussions/{}#post-{}", t.id, p.id), u.go_reply))
                }
                (Some(t), _) => Some((format!("/discussions/{}", t.id), u.go_reply)),
                _ => None,
            };
            let template = if n.kind == kind::REPLY {
                u.n_reply
            } else {
                u.n_mention
            };
            (template, title, target)
        }
        kind::ACCEPTED => (
            u.n_accepted,
            community_name,
            home.map(|h| (h, u.go_community)),
        ),
        kind::REJECTED => (
            u.n_rejected,
            community_name,
            Some(("/communities".to_owned(), u.go_find)),
        ),
        kind::REQUEST => (
            u.n_request,
            community_name,
            home.map(|h| (format!("{h}#requests-title"), u.go_requests)),
        ),
        kind::INVITED => (
            u.n_invited,
            community_name,
            home.map(|h| (h, u.go_invitation)),
        ),
        kind::RESOURCE_REFUSED => {
            let r = state.store.resource_by_ap_id(post).await.ok().flatten();
            let title = r.as_ref().map_or(community_name, |r| r.title.clone());
            let target = match (&home, &r) {
                (Some(h), Some(r)) => Some((format!("{h}/resources/{}", r.slug), u.go_resources)),
                (Some(h), None) => Some((format!("{h}/resources"), u.go_resources)),
                _ => None,
            };
            (u.n_resource_refused, title, target)
        }
        kind::ACTION_OWNER => {
            let item = state.store.action_item_by_ap_id(post).await.ok().flatten();
            let title = item.as_ref().map_or(community_name, |i| i.title.clone());
            let target = item.map(|i| (format!("/plan/items/{}", i.id), u.go_item));
            (u.n_action_owner, title, target)
        }
        k if k.starts_with("event_") => {
            let e = state.store.event_by_ap_id(post).await.ok().flatten();
            let title = e.as_ref().map_or(community_name, |e| e.title.clone());
            let target = e.map(|e| (format!("/sessions/{}", e.id), u.go_session));
            let template = match k {
                events::kind::CANCELLED => u.n_event_cancelled,
                events::kind::SEAT => u.n_event_seat,
                _ => u.n_event_changed,
            };
            (template, title, target)
        }
        kind::PEER_REQUEST => (
            "{what}",
            super::i18n::notify::strings(crate::http::web::language::current(&state.config.locale))
                .kind_label(kind::PEER_REQUEST)
                .to_owned(),
            Some(("/admin/federation".to_owned(), u.go_requests)),
        ),
        kind::MESSAGE => {
            let m = super::i18n::messages::strings(crate::http::web::language::current(
                &state.config.locale,
            ));
            let target = state
                .store
                .message_for(post, reader)
                .await
                .ok()
                .flatten()
                .map(|x| (format!("/messages/{}", x.conversation), m.go_message));
            ("{who} {what}", m.n_message.to_owned(), target)
        }
        "report" => (
            u.n_report,
            community_name,
            home.map(|h| (format!("{h}/moderation"), u.go_moderation)),
        ),
        _ => (u.n_other, community_name, home.map(|h| (h, u.go_community))),
    };
    Told {
        sentence: template.replace("{who}", &who).replace("{what}", &what),
        target,
    }
}

#[derive(Deserialize)]
pub struct ListQuery {
    /// Set after « Tout marquer comme lu », to say it was done.
    #[serde(default)]
    done: Option<String>,
}

#[get("/notifications")]
pub async fn page(
    state: web::Data<AppState>,
    session: WebSession,
    q: web::Query<ListQuery>,
) -> WebResult<HttpResponse> {
    let (s, t) = (cstrings(&state), Layout::strings(&state));
    let u = ui::strings(crate::http::web::language::current(&state.config.locale));
    let mut items = Vec::new();
    for n in notifications::list(&state, &session.0.account).await? {
        let told = tell(&state, u, &n, &session.0.account.actor).await;
        items.push(NotificationView {
            id: n.id,
            sentence: told.sentence,
            action: told.target.map(|(_, label)| label),
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
            u,
            all_read: q.done.is_some(),
            unread: session.0.unread,
            items,
        },
    )
}

/// Opens a notification: it is read from now on, and the agent lands where one acts.
#[get("/notifications/{id}")]
pub async fn open(
    state: web::Data<AppState>,
    session: WebSession,
    path: web::Path<i64>,
) -> WebResult<HttpResponse> {
    let n = notifications::open(&state, &session.0.account, *path)
        .await
        .map_err(|_| WebError::NotFound)?;
    let u = ui::strings(crate::http::web::language::current(&state.config.locale));
    let told = tell(&state, u, &n, &session.0.account.actor).await;
    Ok(redirect(
        &told
            .target
            .map_or_else(|| "/notifications".to_owned(), |(to, _)| to),
    ))
}

#[derive(Deserialize)]
pub struct Empty {}

#[post("/notifications/read")]
pub async fn mark_read(
    state: web::Data<AppState>,
    form: SessionForm<Empty>,
) -> WebResult<HttpResponse> {
    notifications::mark_read(&state, &form.session.account).await?;
    Ok(redirect("/notifications?done=read#notifications-status"))
}
