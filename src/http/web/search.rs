//! "Rechercher": full-text search over what the agent may read, grouped by kind.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, get, web};
use askama::Template;
use serde::Deserialize;

use super::i18n::directory::DStrings;
use super::{Layout, WebResult, html};
use crate::domain::search::{self, Hit};
use crate::http::auth::WebSession;
use crate::state::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(page);
}

#[derive(Deserialize)]
pub struct Query {
    #[serde(default)]
    q: String,
}

/// Results of one kind, in the order of the best match among them.
struct Group {
    label: &'static str,
    hits: Vec<Hit>,
}

#[derive(Template)]
#[template(path = "search.html")]
struct SearchPage {
    layout: Layout,
    q: String,
    groups: Vec<Group>,
}

fn label(t: &DStrings, kind: &str) -> &'static str {
    match kind {
        "thread" => t.kind_thread,
        "reply" => t.kind_reply,
        "directory" => t.kind_directory,
        "resource" => t.kind_resource,
        "event" => t.kind_event,
        "action" => t.kind_action,
        _ => t.kind_other,
    }
}

#[get("/search")]
pub async fn page(
    state: web::Data<AppState>,
    session: WebSession,
    query: web::Query<Query>,
) -> WebResult<HttpResponse> {
    let t = Layout::strings(&state).directory;
    let q = query.q.trim().to_owned();
    let hits = if q.is_empty() {
        Vec::new()
    } else {
        search::search(&state, &session.0.account, &q).await?
    };
    let mut groups: Vec<Group> = Vec::new();
    for hit in hits {
        let l = label(t, &hit.kind);
        match groups.iter_mut().find(|g| g.label == l) {
            Some(g) => g.hits.push(hit),
            None => groups.push(Group {
                label: l,
                hits: vec![hit],
            }),
        }
    }
    html(
        StatusCode::OK,
        SearchPage {
            layout: Layout::new(&state, Some(&session.0), t.search_title, "search"),
            q,
            groups,
        },
    )
}
