//! The watch (veille) and mobility views of a community: its threads of that category,
//! newest first, filtered by hashtag with `?tag=`.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, get, web};
use askama::Template;
use serde::Deserialize;

use super::community_views::cstrings;
use super::community_views::{CommunityView, PostView};
use super::i18n::{self, post_kinds::KStrings};
use super::{Layout, WebResult, html};
use crate::domain::post_kinds::{Category, tag, tags_of};
use crate::domain::posts;
use crate::http::extract::{MemberOf, Web};
use crate::state::AppState;

pub struct KindView {
    pub post: PostView,
    pub tags: Vec<String>,
    pub deadline: String,
}

#[derive(Template)]
#[template(path = "community_kind.html")]
struct KindPage {
    layout: Layout,
    k: &'static KStrings,
    c: CommunityView,
    kind: &'static str,
    title: &'static str,
    intro: &'static str,
    tag: String,
    threads: Vec<KindView>,
}

#[derive(Deserialize)]
pub struct TagFilter {
    #[serde(default)]
    tag: String,
}

#[get("/communities/{handle}/{kind:veille|mobilite}")]
pub async fn list(
    state: web::Data<AppState>,
    member: MemberOf<Web>,
    path: web::Path<(String, String)>,
    filter: web::Query<TagFilter>,
) -> WebResult<HttpResponse> {
    let (session, c) = (&member.caller, &member.community);
    let kind = &path.1;
    let category = Category::parse(kind)?;
    let wanted = tag(&filter.tag);
    let k = i18n::post_kinds::strings(crate::http::web::language::current(&state.config.locale));
    let lang = Layout::strings(&state).lang;
    let threads = posts::threads_of_category(&state, &session.account, c, category.as_str())
        .await?
        .iter()
        .map(|p| KindView {
            post: PostView::new(&state, p, &session.account.actor, lang),
            tags: tags_of(&p.tags),
            deadline: p
                .deadline
                .parse::<jiff::civil::Date>()
                .map(|d| d.strftime("%d/%m/%Y").to_string())
                .unwrap_or_default(),
        })
        .filter(|v| wanted.as_ref().is_none_or(|t| v.tags.contains(t)))
        .collect();
    let (title, intro) = match category {
        Category::Mobilite => (k.mobilite_title, k.mobilite_intro),
        _ => (k.veille_title, k.veille_intro),
    };
    html(
        StatusCode::OK,
        KindPage {
            layout: Layout::new(&state, Some(session), title, "communities"),
            k,
            c: CommunityView::new(&state, c, cstrings(&state)),
            kind: category.as_str(),
            title,
            intro,
            tag: wanted.unwrap_or_default(),
            threads,
        },
    )
}
