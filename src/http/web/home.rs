//! The agent's home page: the feed of their communities, newest first, page by page.

use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, get, web};
use askama::Template;
use serde::Deserialize;

use super::community_views::PostView;
use super::community_views::cstrings;
use super::i18n::communities::CStrings;
use super::{Layout, WebResult, html};
use crate::domain::accounts::Account;
use crate::domain::{feed, first_hour, unread};
use crate::http::auth::WebSession;
use crate::state::AppState;

struct FeedItem {
    post: PostView,
    link: i64,
    community: String,
    is_reply: bool,
    /// Arrived since her last visit of the thread (issue 19).
    new: bool,
    /// « 3 nouvelles réponses » on a thread.
    new_replies: Option<String>,
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    layout: Layout,
    s: &'static CStrings,
    display_name: String,
    items: Vec<FeedItem>,
    next: Option<String>,
    /// « Non lus » (issue 19).
    un: &'static super::i18n::unread::UnreadStrings,
    only_unread: bool,
    /// Until the newcomer's checklist is done, a card that leads to it (issue 16).
    first_steps: Option<FirstSteps>,
}

struct FirstSteps {
    title: &'static str,
    progress: String,
    link: &'static str,
    community: Option<(String, String, &'static str)>,
    mentor: Option<(String, String, &'static str)>,
}

/// The newcomer's card: how far the checklist is, the suggested community and peer.
async fn first_steps(state: &AppState, account: &Account) -> Option<FirstSteps> {
    let f = match first_hour::overview(state, account).await {
        Ok(f) if !f.all_done() => f,
        Ok(_) => return None,
        Err(e) => {
            tracing::warn!(error = %e, "first steps not shown");
            return None;
        }
    };
    let s = Layout::strings(state).first_hour;
    let done = f.steps.iter().filter(|x| x.done).count();
    Some(FirstSteps {
        title: s.checklist,
        progress: s
            .home_progress
            .replace("{done}", &done.to_string())
            .replace("{total}", &f.steps.len().to_string()),
        link: s.home_link,
        community: f
            .community
            .filter(|c| !c.is_member)
            .map(|c| (c.name, c.page, s.suggested)),
        mentor: f.mentor.map(|m| (m.name, m.page, s.mentor)),
    })
}

#[derive(Deserialize)]
pub struct FeedQuery {
    before: Option<String>,
    /// `unread`: only what arrived since her last visit of each thread (« Non lus »).
    #[serde(default)]
    show: Option<String>,
}

#[get("/")]
pub async fn page(
    state: web::Data<AppState>,
    session: WebSession,
    q: web::Query<FeedQuery>,
) -> WebResult<HttpResponse> {
    let WebSession(session) = session;
    let (t, s) = (Layout::strings(&state), cstrings(&state));
    let before = q.before.as_deref().map(feed::Cursor::parse).transpose()?;
    let page = feed::page(&state, &session.account, before).await?;
    let next = page.next.map(|c| c.to_string());
    // A page holds a few communities and threads: their names and local ids are read in
    // one statement each, not one per post.
    let mut community_ids: Vec<i64> = page.posts.iter().map(|p| p.community_id).collect();
    community_ids.sort_unstable();
    community_ids.dedup();
    let names = state
        .store
        .community_names(&community_ids)
        .await
        .unwrap_or_default();
    let mut threads: HashMap<&str, i64> = page
        .posts
        .iter()
        .filter(|p| p.kind == "Page")
        .map(|p| (p.ap_id.as_str(), p.id))
        .collect();
    let mut elsewhere: Vec<&str> = page
        .posts
        .iter()
        .map(|p| p.thread_ap_id.as_str())
        .filter(|t| !threads.contains_key(t))
        .collect();
    elsewhere.sort_unstable();
    elsewhere.dedup();
    let found = state
        .store
        .post_ids_by_ap_id(&elsewhere)
        .await
        .unwrap_or_default();
    for t in elsewhere {
        if let Some(id) = found.get(t) {
            threads.insert(t, *id);
        }
    }
    let un = super::i18n::unread::strings(t.lang);
    let only_unread = q.show.as_deref() == Some("unread");
    let mut seen_of: HashMap<&str, Option<i64>> = HashMap::new();
    let mut items = Vec::new();
    for p in &page.posts {
        let seen = match seen_of.get(p.thread_ap_id.as_str()) {
            Some(s) => *s,
            None => {
                let s = unread::seen(&state, &session.account, &p.thread_ap_id).await?;
                seen_of.insert(p.thread_ap_id.as_str(), s);
                s
            }
        };
        let is_reply = p.kind == "Note";
        let new_replies = if is_reply {
            None
        } else {
            let n = unread::new_replies(&state, &session.account, &p.ap_id, seen).await?;
            super::i18n::unread::new_replies(un, n)
        };
        let new = unread::is_new(p, seen, &session.account);
        if only_unread && !new && new_replies.is_none() {
            continue;
        }
        items.push(FeedItem {
            post: PostView::new(&state, p, &session.account.actor, t.lang),
            // A reply whose thread is not stored here leads to the reply itself.
            link: threads
                .get(p.thread_ap_id.as_str())
                .copied()
                .unwrap_or(p.id),
            community: names.get(&p.community_id).cloned().unwrap_or_default(),
            is_reply,
            new,
            new_replies,
        });
    }
    html(
        StatusCode::OK,
        HomePage {
            layout: Layout::new(&state, Some(&session), t.home_title, "home"),
            s,
            display_name: session.account.display_name.clone(),
            items,
            next,
            un,
            only_unread,
            first_steps: first_steps(&state, &session.account).await,
        },
    )
}
