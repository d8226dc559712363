//! Community pages: the list (with creating one and finding a partner's), one community
//! (joining, leaving, threads, requests and invitations for animateurs), and its members.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, get, post, web};
use askama::Template;
use serde::Deserialize;

use super::community_views::{CommunityView, PostView, cstrings};
use super::i18n::communities::CStrings;
use super::{FieldErrors, Layout, WebError, WebResult, html, redirect};
use crate::db::{CommunityRow, MemberRow};
use crate::domain::communities::{self, NewCommunityInput};
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
    communities: Vec<CommunityView>,
    form: NewCommunityInput,
    errors: FieldErrors,
    find_error: bool,
}

async fn list(
    state: &AppState,
    session: &Session,
    status: StatusCode,
    form: NewCommunityInput,
    errors: FieldErrors,
    find_error: bool,
) -> WebResult<HttpResponse> {
    let s = cstrings(state);
    let communities = state
        .store
        .list_communities()
        .await
        .map_err(DomainError::from)?
        .iter()
        .map(|c| CommunityView::new(state, c, s))
        .collect();
    html(
        status,
        ListPage {
            layout: Layout::new(state, Some(session), s.communities_title, "communities"),
            s,
            communities,
            form,
            errors,
            find_error,
        },
    )
}

#[get("/communities")]
pub async fn index(state: web::Data<AppState>, session: WebSession) -> WebResult<HttpResponse> {
    let form = NewCommunityInput {
        join_mode: "request".into(),
        ..Default::default()
    };
    list(
        &state,
        &session.0,
        StatusCode::OK,
        form,
        FieldErrors::default(),
        false,
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
                false,
            )
            .await
        }
    }
}

#[derive(Deserialize)]
pub struct FindForm {
    handle: String,
}

#[post("/communities/find")]
pub async fn find(
    state: web::Data<AppState>,
    form: SessionForm<FindForm>,
) -> WebResult<HttpResponse> {
    let SessionForm { session, data } = form;
    match communities::resolve(&state, &data.handle).await {
        Ok(c) => Ok(redirect(&url_of(&CommunityView::new(
            &state,
            &c,
            cstrings(&state),
        )))),
        Err(DomainError::Db(d)) => Err(WebError::Domain(d.into())),
        Err(_) => {
            let form = NewCommunityInput {
                join_mode: "request".into(),
                ..Default::default()
            };
            list(
                &state,
                &session,
                StatusCode::NOT_FOUND,
                form,
                FieldErrors::default(),
                true,
            )
            .await
        }
    }
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
    requests: Vec<MemberRow>,
    errors: FieldErrors,
}

pub async fn show_community(
    state: &AppState,
    session: &Session,
    c: &CommunityRow,
    status: StatusCode,
    errors: FieldErrors,
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
    let threads = match posts::threads(state, &session.account, c).await {
        Ok(rows) => rows
            .iter()
            .map(|p| PostView::new(state, p, &session.account.actor, t.lang))
            .collect(),
        Err(DomainError::Forbidden(_)) => Vec::new(),
        Err(e) => return Err(e.into()),
    };
    let requests = if animateur {
        communities::requests(state, c, &session.account).await?
    } else {
        Vec::new()
    };
    let view = CommunityView::new(state, c, s);
    html(
        status,
        CommunityPage {
            layout: Layout::new(state, Some(session), &view.name, "communities"),
            s,
            k: super::i18n::post_kinds::strings(&state.config.locale),
            c: view,
            state: member_state,
            animateur,
            threads,
            requests,
            errors,
        },
    )
}

#[get("/communities/{handle}")]
pub async fn show(
    state: web::Data<AppState>,
    session: WebSession,
    path: web::Path<String>,
) -> WebResult<HttpResponse> {
    let c = community(&state, &path).await?;
    show_community(
        &state,
        &session.0,
        &c,
        StatusCode::OK,
        FieldErrors::default(),
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
