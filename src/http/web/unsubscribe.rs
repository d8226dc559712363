//! One-click unsubscribe (RFC 8058), no login: `GET /unsubscribe/{token}` asks to confirm
//! (mail scanners follow links: a GET changes nothing); `POST` (the page's button, or the mail
//! client's `List-Unsubscribe=One-Click`) turns off the one preference the link names.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, get, post, web};
use askama::Template;

use super::i18n::notify::{NotifyStrings, strings};
use super::{Layout, WebResult, html};
use crate::domain::unsubscribe::{self, DIGEST, Link};
use crate::state::AppState;

#[derive(Template)]
#[template(path = "unsubscribe.html")]
struct Page {
    layout: Layout,
    n: &'static NotifyStrings,
    token: String,
    /// What the link turns off, in words; `None` when it does nothing any more.
    what: Option<&'static str>,
    /// The outcome, when there is one.
    notice: Option<&'static str>,
    refused: bool,
}

fn label(n: &'static NotifyStrings, target: &str) -> &'static str {
    if target == DIGEST {
        n.unsub_digest
    } else {
        n.kind_label(target)
    }
}

fn page(
    state: &AppState,
    status: StatusCode,
    token: String,
    what: Option<&'static str>,
    notice: Option<&'static str>,
    refused: bool,
) -> WebResult<HttpResponse> {
    let n = strings(crate::http::web::language::current(&state.config.locale));
    html(
        status,
        Page {
            layout: Layout::new(state, None, n.unsub_title, ""),
            n,
            token,
            what,
            notice,
            refused,
        },
    )
}

#[get("/unsubscribe/{token}")]
pub async fn confirm(
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> WebResult<HttpResponse> {
    let n = strings(crate::http::web::language::current(&state.config.locale));
    let token = path.into_inner();
    match unsubscribe::check(&state, &token).await? {
        Link::Live { target } => page(
            &state,
            StatusCode::OK,
            token,
            Some(label(n, &target)),
            None,
            false,
        ),
        Link::Spent => page(
            &state,
            StatusCode::GONE,
            String::new(),
            None,
            Some(n.unsub_spent),
            true,
        ),
        Link::Unknown => page(
            &state,
            StatusCode::NOT_FOUND,
            String::new(),
            None,
            Some(n.unsub_unknown),
            true,
        ),
    }
}

#[post("/unsubscribe/{token}")]
pub async fn apply(state: web::Data<AppState>, path: web::Path<String>) -> WebResult<HttpResponse> {
    let n = strings(crate::http::web::language::current(&state.config.locale));
    match unsubscribe::apply(&state, &path.into_inner()).await? {
        Link::Live { target } => page(
            &state,
            StatusCode::OK,
            String::new(),
            Some(label(n, &target)),
            Some(n.unsub_done),
            false,
        ),
        Link::Spent => page(
            &state,
            StatusCode::GONE,
            String::new(),
            None,
            Some(n.unsub_spent),
            true,
        ),
        Link::Unknown => page(
            &state,
            StatusCode::NOT_FOUND,
            String::new(),
            None,
            Some(n.unsub_unknown),
            true,
        ),
    }
}
