//! Community pages: the list (with creating one and finding a partner's), one community
//! (joining, leaving, threads, requests and invitations for animateurs), and its members.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, get, post, web};
use askama::Template;
use serde::Deserialize;

use super::community_views::{CommunityView, PostView, cstrings};
use super::i18n::communities::CStrings;
use super::i18n::pickers::{PStrings, strings as pickers_strings};
use super::{FieldErrors, Layout, WebError, WebResult, html, redirect};
use crate::db::{CommunityRow, MemberRow};
use crate::domain::communities::{self, NewCommunityInput};
use crate::domain::pickers::{self, Found, Which};
use crate::domain::post_kinds::PostKind;
use crate::domain::sessions::Session;
use crate::domain::{DomainError, memberships, posts};
use crate::http::auth::{SessionForm, WebSession};
use crate::http::extract::{Audience, Web};
use crate::state::AppState;

/// The community of a page address (`slug` or `slug@authority`), as this node knows it.
pub async fn community(state: &AppState, handle: &str) -> WebResult<CommunityRow> {
    communities::resolve(state, handle)
        .await
        .map_err(<Web as Audience>::no_community)
}

fn url_of(c: &CommunityView) -> String {
    format!("/communities/{}", c.handle)
}

#[derive(Template)]
#[template(path = "communities.html")]
struct ListPage {
    layout: Layout,
    s: &'static CStrings,
    p: &'static PStrings,
    communities: Vec<CommunityView>,
    form: NewCommunityInput,
    errors: FieldErrors,
    finding: Finding,
}

/// What the search by name was asked and found.
#[derive(Default)]
pub struct Finding {
    pub q: String,
    pub results: Vec<Found>,
    /// "3 communautés trouvées", once a search ran.
    pub count: String,
    /// Why nothing was found, in words, next to the field.
    pub error: Option<&'static str>,
}

async fn list(
    state: &AppState,
    session: &Session,
    status: StatusCode,
    form: NewCommunityInput,
    errors: FieldErrors,
    finding: Finding,
) -> WebResult<HttpResponse> {
    let s = cstrings(state);
    let names = pickers::institution_names(state).await?;
    let communities = state
        .store
        .list_communities()
        .await
        .map_err(DomainError::from)?
        .iter()
        .map(|c| CommunityView::new(state, c, s).hosted_by(&names, c))
        .collect();
    html(
        status,
        ListPage {
            layout: Layout::new(state, Some(session), s.communities_title, "communities"),
            s,
            p: pickers_strings(crate::http::web::language::current(&state.config.locale)),
            communities,
            form,
            errors,
            finding,
        },
    )
}

fn new_form() -> NewCommunityInput {
    NewCommunityInput {
        join_mode: "request".into(),
        ..Default::default()
    }
}

#[derive(Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    q: String,
}

/// The list, and with `q` the communities found by name (an address opens its page).
#[get("/communities")]
pub async fn index(
    state: web::Data<AppState>,
    session: WebSession,
    query: web::Query<ListQuery>,
) -> WebResult<HttpResponse> {
    let q = query.q.trim();
    if q.is_empty() {
        return list(
            &state,
            &session.0,
            StatusCode::OK,
            new_form(),
            FieldErrors::default(),
            Finding::default(),
        )
        .await;
    }
    find_by_name_or_address(&state, &session.0, q).await
}

/// An address opens the community's page; a name lists the communities it matches.
async fn find_by_name_or_address(
    state: &AppState,
    session: &Session,
    q: &str,
) -> WebResult<HttpResponse> {
    let p = pickers_strings(crate::http::web::language::current(&state.config.locale));
    let (status, finding) = if pickers::looks_like_address(q) {
        match communities::resolve(state, q).await {
            Ok(c) => {
                return Ok(redirect(&url_of(&CommunityView::new(
                    state,
                    &c,
                    cstrings(state),
                ))));
            }
            Err(DomainError::Db(d)) => return Err(WebError::Domain(d.into())),
            Err(e) => {
                tracing::info!(query = %q, error = %e, "community address not resolved");
                let finding = Finding {
                    q: q.to_owned(),
                    error: Some(p.unknown_address),
                    ..Default::default()
                };
                (StatusCode::NOT_FOUND, finding)
            }
        }
    } else {
        let results = pickers::find(state, q, Which::Communities).await?;
        let finding = Finding {
            q: q.to_owned(),
            count: p.count(results.len(), true),
            error: results.is_empty().then_some(p.no_community),
            results,
        };
        (StatusCode::OK, finding)
    };
    list(
        state,
        session,
        status,
        new_form(),
        FieldErrors::default(),
        finding,
    )
    .await
}

#[post("/communities")]
pub async fn create(
    state: web::Data<AppState>,
    form: SessionForm<NewCommunityInput>,
) -> WebResult<HttpResponse> {
    let SessionForm { session, data } = form;
    match communities::create(&state, &session.account, &data).await {
        Ok(c) => Ok(redirect(&format!("/communities/{}", c.slug))),
        Err(e) => {
            let t = Layout::strings(&state);
            let errors = match FieldErrors::from_domain(t, &e) {
                Some(errors) => errors,
                None if matches!(e, DomainError::Conflict(_)) => {
                    FieldErrors::single("slug", e.to_string())
                }
                None => return Err(e.into()),
            };
            list(
                &state,
                &session,
                StatusCode::UNPROCESSABLE_ENTITY,
                data,
                errors,
                Finding::default(),
            )
            .await
        }
    }
}

#[derive(Deserialize)]
pub struct FindForm {
    handle: String,
}

/// The form of older pages (and of the API's users): an address or a name, as `?q=`.
#[post("/communities/find")]
pub async fn find(
    state: web::Data<AppState>,
    form: SessionForm<FindForm>,
) -> WebResult<HttpResponse> {
    let SessionForm { session, data } = form;
    find_by_name_or_address(&state, &session, data.handle.trim()).await
}

#[derive(Template)]
#[template(path = "community.html")]
struct CommunityPage {
    layout: Layout,
    s: &'static CStrings,
    k: &'static super::i18n::post_kinds::KStrings,
    c: CommunityView,
    state: String,
    animateur: bool,
    threads: Vec<PostView>,
    /// « 3 nouvelles réponses » per thread id, since her last visit (issue 19).
    thread_news: std::collections::HashMap<i64, String>,
    requests: Vec<MemberRow>,
    errors: FieldErrors,
    p: &'static PStrings,
    picking: Picking,
    /// Issue 18: an animateur of this community hosted elsewhere answers its requests here,
    /// read from the host (`None`: the host did not answer).
    remote_requests: Option<Vec<communities::RemoteRequest>>,
    coanimateur: bool,
    co: &'static super::i18n::coanim::CoStrings,
}

/// What an animateur typed to invite someone, who it may be, and what the last
/// decision or invitation did (shown next to the form it came from).
#[derive(Default)]
pub struct Picking {
    pub typed: String,
    pub candidates: Vec<Found>,
    pub error: Option<String>,
    pub notice: &'static str,
}

/// `?fait=…` after a redirect: which confirmation to show. Only these values are read, so
/// a crafted link cannot make the page say anything else.
#[derive(Deserialize)]
pub struct DoneQuery {
    #[serde(default)]
    fait: String,
}

impl DoneQuery {
    fn notice(&self) -> &'static str {
        match self.fait.as_str() {
            "invitation" => "invited",
            "acceptee" => "approved",
            "refusee" => "rejected",
            _ => "",
        }
    }
}

pub async fn show_community(
    state: &AppState,
    session: &Session,
    c: &CommunityRow,
    status: StatusCode,
    errors: FieldErrors,
) -> WebResult<HttpResponse> {
    show_community_with(state, session, c, status, errors, Picking::default()).await
}

/// The community page, with what the invitation form was given.
pub async fn show_community_with(
    state: &AppState,
    session: &Session,
    c: &CommunityRow,
    status: StatusCode,
    errors: FieldErrors,
    picking: Picking,
) -> WebResult<HttpResponse> {
    let s = cstrings(state);
    let t = Layout::strings(state);
    let membership = communities::membership_of(state, c, &session.account).await?;
    let member_state = membership
        .as_ref()
        .map(|m| m.state.clone())
        .unwrap_or_default();
    let animateur = communities::require_animateur(state, c, &session.account)
        .await
        .is_ok();
    // Non-members see the community without its threads: the domain's rule decides.
    let rows = match posts::threads(state, &session.account, c).await {
        Ok(rows) => rows,
        Err(DomainError::Forbidden(_)) => Vec::new(),
        Err(e) => return Err(e.into()),
    };
    let un = super::i18n::unread::strings(t.lang);
    let mut thread_news = std::collections::HashMap::new();
    for p in &rows {
        let seen = crate::domain::unread::seen(state, &session.account, &p.ap_id).await?;
        let n = crate::domain::unread::new_replies(state, &session.account, &p.ap_id, seen).await?;
        if let Some(text) = super::i18n::unread::new_replies(un, n) {
            thread_news.insert(p.id, text);
        }
    }
    let threads = rows
        .iter()
        .map(|p| PostView::new(state, p, &session.account.actor, t.lang))
        .collect();
    let requests = if animateur {
        communities::requests(state, c, &session.account).await?
    } else {
        Vec::new()
    };
    let coanimateur = !animateur
        && c.is_local == 0
        && communities::require_coanimateur(state, c, &session.account)
            .await
            .is_ok();
    let remote_requests = if coanimateur {
        match communities::remote_requests(state, c, &session.account).await {
            Ok(rows) => Some(rows),
            Err(DomainError::Unreachable(why)) => {
                tracing::info!(%why, "the host did not list its requests");
                None
            }
            Err(e) => return Err(e.into()),
        }
    } else {
        Some(Vec::new())
    };
    let names = pickers::institution_names(state).await?;
    let view = CommunityView::new(state, c, s).hosted_by(&names, c);
    html(
        status,
        CommunityPage {
            layout: Layout::new(state, Some(session), &view.name, "communities"),
            s,
            k: super::i18n::post_kinds::strings(crate::http::web::language::current(
                &state.config.locale,
            )),
            c: view,
            state: member_state,
            animateur,
            threads,
            thread_news,
            requests,
            errors,
            p: pickers_strings(crate::http::web::language::current(&state.config.locale)),
            picking,
            remote_requests,
            coanimateur,
            co: super::i18n::coanim::strings(crate::http::web::language::current(
                &state.config.locale,
            )),
        },
    )
}

#[get("/communities/{handle}")]
pub async fn show(
    state: web::Data<AppState>,
    session: WebSession,
    path: web::Path<String>,
    done: web::Query<DoneQuery>,
) -> WebResult<HttpResponse> {
    let c = community(&state, &path).await?;
    let picking = Picking {
        notice: done.notice(),
        ..Default::default()
    };
    show_community_with(
        &state,
        &session.0,
        &c,
        StatusCode::OK,
        FieldErrors::default(),
        picking,
    )
    .await
}

#[derive(Deserialize)]
pub struct JoinForm {
    #[serde(default)]
    answer: String,
}

#[post("/communities/{handle}/join")]
pub async fn join(
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: SessionForm<JoinForm>,
) -> WebResult<HttpResponse> {
    let c = community(&state, &path).await?;
    memberships::join(&state, &form.session.account, &c, &form.data.answer).await?;
    Ok(redirect(&format!("/communities/{path}")))
}

#[derive(Deserialize)]
pub struct Empty {}

#[post("/communities/{handle}/leave")]
pub async fn leave(
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: SessionForm<Empty>,
) -> WebResult<HttpResponse> {
    let c = community(&state, &path).await?;
    memberships::leave(&state, &form.session.account, &c).await?;
    Ok(redirect(&format!("/communities/{path}")))
}

#[derive(Deserialize)]
pub struct ThreadForm {
    title: String,
    body: String,
    #[serde(default)]
    category: String,
    #[serde(default)]
    tags: String,
    #[serde(default)]
    deadline: String,
}

#[post("/communities/{handle}/threads")]
pub async fn new_thread(
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: SessionForm<ThreadForm>,
) -> WebResult<HttpResponse> {
    let c = community(&state, &path).await?;
    let SessionForm { session, data } = form;
    let made = match PostKind::parse(&data.category, &data.tags, &data.deadline) {
        Ok(kind) => {
            posts::create_thread_of_kind(
                &state,
                &session.account,
                &c,
                &data.title,
                &data.body,
                &kind,
            )
            .await
        }
        Err(e) => Err(e),
    };
    match made {
        Ok(p) => Ok(redirect(&format!("/discussions/{}", p.id))),
        Err(e) => match FieldErrors::from_domain(Layout::strings(&state), &e) {
            Some(errors) => {
                show_community(
                    &state,
                    &session,
                    &c,
                    StatusCode::UNPROCESSABLE_ENTITY,
                    errors,
                )
                .await
            }
            None => Err(e.into()),
        },
    }
}
