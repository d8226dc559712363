//! "Rechercher": full-text search over what the agent may read, narrowed by kind,
//! community, institution and dates, paged, the matched words highlighted. Whatever is typed
//! gets a page with a sentence saying what to change, never an error page.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, get, web};
use askama::Template;

use super::i18n::directory::DStrings;
use super::i18n::search::{SStrings, strings as search_strings};
use super::{Layout, WebResult, html};
use crate::domain::DomainError;
use crate::domain::search::Hit;
use crate::domain::search_query::{self, Asked, Choices, Kind, Notice};
use crate::http::auth::WebSession;
use crate::state::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(search_page);
}

/// One result as shown: its kind's label and its snippet cut into highlighted runs.
struct Shown {
    label: &'static str,
    hit: Hit,
    parts: Vec<(String, bool)>,
}

#[derive(Template)]
#[template(path = "search.html")]
struct SearchPage {
    layout: Layout,
    s: &'static SStrings,
    asked: Asked,
    kinds: Vec<(&'static str, &'static str)>,
    choices: Choices,
    results: Vec<Shown>,
    /// Sentences about what was typed (words left out, a filter refused).
    notices: Vec<&'static str>,
    /// A filter was refused: nothing was searched.
    refused: bool,
    page: i64,
    previous: String,
    next: String,
    filtered: bool,
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

fn kind_label(s: &SStrings, k: Kind) -> &'static str {
    match k {
        Kind::Discussion => s.kind_discussion,
        Kind::Resource => s.kind_resource,
        Kind::Session => s.kind_session,
        Kind::Action => s.kind_action,
        Kind::Directory => s.kind_directory,
        Kind::Veille => s.kind_veille,
        Kind::Mobilite => s.kind_mobilite,
    }
}

/// The sentence for a filter value the domain refused.
fn refusal(s: &SStrings, field: &str, rule: &crate::domain::Rule) -> &'static str {
    use crate::domain::Rule;
    match (field, rule) {
        ("kind", _) => s.bad_kind,
        ("community", _) => s.bad_community,
        ("institution", _) => s.bad_institution,
        ("from", _) => s.bad_from,
        ("to", Rule::EndBeforeStart) => s.reversed,
        ("to", _) => s.bad_to,
        _ => s.bad_page,
    }
}

/// The query string of `asked` at another page.
fn page_link(asked: &Asked, page: i64) -> String {
    let pairs = [
        ("q", asked.q.as_str()),
        ("kind", asked.kind.as_str()),
        ("community", asked.community.as_str()),
        ("institution", asked.institution.as_str()),
        ("from", asked.from.as_str()),
        ("to", asked.to.as_str()),
    ];
    let mut query: Vec<(&str, String)> = pairs
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| (*k, (*v).to_owned()))
        .collect();
    if page > 1 {
        query.push(("page", page.to_string()));
    }
    format!(
        "/search?{}",
        serde_urlencoded::to_string(&query).unwrap_or_default()
    )
}

#[get("/search")]
pub async fn search_page(
    state: web::Data<AppState>,
    session: WebSession,
    query: web::Query<Asked>,
) -> WebResult<HttpResponse> {
    let t = Layout::strings(&state).directory;
    let s = search_strings(crate::http::web::language::current(&state.config.locale));
    let mut asked = query.into_inner();
    asked.q = asked.q.trim().to_owned();
    let account = &session.0.account;
    let choices = search_query::choices(&state, account).await?;
    let mut notices = Vec::new();
    let mut refused = false;
    let mut results = Vec::new();
    let mut page = 1;
    let mut has_next = false;
    if !asked.q.is_empty() {
        match search_query::run(&state, account, &asked).await {
            Ok(found) => {
                page = found.page;
                has_next = found.has_next;
                for n in &found.notices {
                    notices.push(match n {
                        Notice::NoWords => s.no_words,
                        Notice::Shortened => s.shortened,
                    });
                }
                results = found
                    .hits
                    .into_iter()
                    .map(|hit| Shown {
                        label: label(t, &hit.kind),
                        parts: search_query::highlighted(&hit.snippet, &found.words),
                        hit,
                    })
                    .collect();
            }
            Err(DomainError::Invalid { field, rule }) => {
                refused = true;
                notices.push(refusal(s, field, &rule));
            }
            Err(e) => return Err(e.into()),
        }
    }
    let filtered = [
        &asked.kind,
        &asked.community,
        &asked.institution,
        &asked.from,
        &asked.to,
    ]
    .iter()
    .any(|v| !v.trim().is_empty());
    html(
        StatusCode::OK,
        SearchPage {
            layout: Layout::new(&state, Some(&session.0), t.search_title, "search"),
            s,
            kinds: Kind::ALL
                .into_iter()
                .map(|k| (k.as_str(), kind_label(s, k)))
                .collect(),
            choices,
            results,
            notices,
            refused,
            page,
            previous: page_link(&asked, page - 1),
            next: if has_next {
                page_link(&asked, page + 1)
            } else {
                String::new()
            },
            filtered,
            asked,
        },
    )
}
