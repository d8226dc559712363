//! A discussion thread: its replies, and the author's, members' and animateurs' actions on
//! posts (reply, edit, delete, report, pin, lock). Posts are addressed by their local id.

use actix_multipart::Multipart;
use actix_web::http::{StatusCode, header};
use actix_web::{FromRequest, HttpRequest, HttpResponse, get, post, web};
use askama::Template;
use serde::Deserialize;

use super::community_views::cstrings;
use super::community_views::{CommunityView, PostView};
use super::i18n::communities::CStrings;
use super::images::read_post_form;
use super::{FieldErrors, Layout, WebError, WebResult, html, redirect};
use crate::db::PostRow;
use crate::domain::communities;
use crate::domain::sessions::Session;
use crate::domain::{DomainError, moderation, posts, unread};
use crate::http::auth::{SessionForm, WebSession, check_upload_form, session_before_upload};
use crate::http::extract::{AnimateurOf, Web};
use crate::state::AppState;

#[derive(Template)]
#[template(path = "thread.html")]
struct ThreadPage {
    layout: Layout,
    s: &'static CStrings,
    c: CommunityView,
    thread: PostView,
    replies: Vec<PostView>,
    animateur: bool,
    errors: FieldErrors,
    reported: bool,
    u: &'static crate::http::web::i18n::ui::UiStrings,
    /// The reply just published: the page lands on it and says so.
    published: Option<i64>,
    /// What the agent typed in a refused reply, given back in the field.
    typed: String,
    /// The reaction buttons of the thread and of each reply, by ap id.
    reactions: std::collections::HashMap<String, super::reactions::ReactionBar>,
    /// The photos of the thread and of each reply, by ap id.
    images: std::collections::HashMap<String, Vec<super::images::ImageView>>,
    /// The reply form's photo slots.
    photos: super::images::PhotoFields,
    /// Replies that arrived since her last visit (none on a first visit: all is new then).
    new_ids: std::collections::HashSet<i64>,
    un: &'static super::i18n::unread::UnreadStrings,
}

/// What the page says after an action, where the action was.
#[derive(Default)]
struct Feedback {
    published: Option<i64>,
    typed: String,
    /// The alt texts typed in a refused reply.
    alts: Vec<String>,
}

async fn post_row(state: &AppState, id: i64) -> WebResult<PostRow> {
    state
        .store
        .post_by_id(id)
        .await
        .map_err(DomainError::from)?
        .ok_or(WebError::NotFound)
}

async fn render(
    state: &AppState,
    session: &Session,
    id: i64,
    status: StatusCode,
    errors: FieldErrors,
    reported: bool,
) -> WebResult<HttpResponse> {
    let feedback = Feedback::default();
    render_with(state, session, id, status, errors, reported, feedback).await
}

async fn render_with(
    state: &AppState,
    session: &Session,
    id: i64,
    status: StatusCode,
    errors: FieldErrors,
    reported: bool,
    feedback: Feedback,
) -> WebResult<HttpResponse> {
    let p = post_row(state, id).await?;
    let root = if p.thread_ap_id == p.ap_id {
        p
    } else {
        posts::post(state, &p.thread_ap_id).await?
    };
    let (c, replies) = posts::replies(state, &session.account, &root).await?;
    let animateur = communities::require_animateur(state, &c, &session.account)
        .await
        .is_ok();
    let (s, t) = (cstrings(state), Layout::strings(state));
    let me = &session.account.actor;
    let mut objects: Vec<&str> = vec![root.ap_id.as_str()];
    objects.extend(replies.iter().map(|r| r.ap_id.as_str()));
    let reactions = super::reactions::bars(state, &c, me, &objects).await?;
    let mut shown: Vec<&PostRow> = vec![&root];
    shown.extend(replies.iter());
    let images = super::images::views_of(state, &shown).await?;
    let photos = super::images::PhotoFields::new(state, &feedback.alts);
    let agent = &session.account;
    let seen = unread::seen(state, agent, &root.ap_id).await?;
    let new_ids = replies
        .iter()
        .filter(|r| seen.is_some() && unread::is_new(r, seen, agent))
        .map(|r| r.id)
        .collect();
    let up_to = replies.iter().map(|r| r.id).fold(root.id, i64::max);
    unread::mark_seen(state, agent, &root.ap_id, up_to).await?;
    let replies = replies
        .iter()
        .map(|r| PostView::new(state, r, me, t.lang))
        .collect();
    html(
        status,
        ThreadPage {
            layout: Layout::new(state, Some(session), &root.title, "communities"),
            s,
            c: CommunityView::new(state, &c, s),
            thread: PostView::new(state, &root, me, t.lang),
            replies,
            animateur,
            errors,
            reported,
            u: crate::http::web::i18n::ui::strings(crate::http::web::language::current(
                &state.config.locale,
            )),
            published: feedback.published,
            typed: feedback.typed,
            reactions,
            images,
            photos,
            new_ids,
            un: super::i18n::unread::strings(t.lang),
        },
    )
}

#[derive(Deserialize)]
pub struct ShowQuery {
    /// Set after a reply is published: its id.
    #[serde(default)]
    published: Option<i64>,
}

#[get("/discussions/{id}")]
pub async fn show(
    state: web::Data<AppState>,
    session: WebSession,
    path: web::Path<i64>,
    q: web::Query<ShowQuery>,
) -> WebResult<HttpResponse> {
    let feedback = Feedback {
        published: q.published,
        typed: String::new(),
        alts: Vec::new(),
    };
    let (id, ok) = (*path, StatusCode::OK);
    render_with(
        &state,
        &session.0,
        id,
        ok,
        FieldErrors::default(),
        false,
        feedback,
    )
    .await
}

#[derive(Deserialize)]
pub struct ReplyForm {
    body: String,
}

/// A reply: a plain form, or a multipart one with photos (the page's form, which works
/// without JavaScript); the session is checked before a byte of a photo is read.
#[post("/discussions/{id}/reply")]
pub async fn reply(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<i64>,
    payload: web::Payload,
) -> WebResult<HttpResponse> {
    let multipart = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data"));
    let (session, body, photos, alts) = if multipart {
        let session = session_before_upload(&req).await?;
        let max = crate::domain::images::max_bytes(&state);
        let form = read_post_form(Multipart::new(req.headers(), payload), max)
            .await
            .ok_or(WebError::BadForm)?;
        check_upload_form(&req, &session, &form.csrf)?;
        let (photos, alts) = (form.photos(), form.alts());
        (session, form.body, photos, alts)
    } else {
        let mut payload = payload.into_inner();
        let SessionForm { session, data } =
            SessionForm::<ReplyForm>::from_request(&req, &mut payload).await?;
        (session, data.body, Vec::new(), Vec::new())
    };
    let thread = post_row(&state, *path).await?;
    let data = ReplyForm { body };
    let outcome =
        posts::reply_with_photos(&state, &session.account, &thread.ap_id, &data.body, photos).await;
    match outcome {
        // The page lands on the new reply, which says it is published.
        Ok(r) => Ok(redirect(&format!(
            "/discussions/{}?published={}#post-{}",
            *path, r.id, r.id
        ))),
        Err(e) => match super::images::field_errors(&state, &e)
            .or_else(|| FieldErrors::from_domain(Layout::strings(&state), &e))
        {
            Some(errors) => {
                let feedback = Feedback {
                    published: None,
                    typed: data.body,
                    alts,
                };
                let status = StatusCode::UNPROCESSABLE_ENTITY;
                render_with(&state, &session, *path, status, errors, false, feedback).await
            }
            None => Err(e.into()),
        },
    }
}

#[derive(Deserialize)]
pub struct PostAction {
    /// The local id of the post acted on (the thread or one of its replies).
    post: i64,
    action: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    body: String,
    #[serde(default)]
    reason: String,
}

/// Edit, delete, report, pin, lock: one endpoint, the button says which.
#[post("/discussions/{id}/actions")]
pub async fn action(
    state: web::Data<AppState>,
    path: web::Path<i64>,
    form: SessionForm<PostAction>,
) -> WebResult<HttpResponse> {
    let SessionForm { session, data } = form;
    let target = post_row(&state, data.post).await?;
    let account = &session.account;
    let back = format!("/discussions/{}", *path);
    let result = match data.action.as_str() {
        "edit" => posts::edit(&state, account, &target.ap_id, &data.title, &data.body)
            .await
            .map(drop),
        "delete" => {
            posts::delete(&state, account, &target.ap_id).await?;
            if target.kind == "Page" {
                let c = posts::community(&state, &target).await?;
                let s = cstrings(&state);
                return Ok(redirect(&format!(
                    "/communities/{}",
                    CommunityView::new(&state, &c, s).handle
                )));
            }
            Ok(())
        }
        "report" => {
            moderation::report(&state, account, &target.ap_id, &data.reason).await?;
            return render(
                &state,
                &session,
                *path,
                StatusCode::OK,
                FieldErrors::default(),
                true,
            )
            .await;
        }
        "pin" | "unpin" | "lock" | "unlock" => {
            let pinned = match data.action.as_str() {
                "pin" => true,
                "unpin" => false,
                _ => target.pinned == 1,
            };
            let locked = match data.action.as_str() {
                "lock" => true,
                "unlock" => false,
                _ => target.locked == 1,
            };
            posts::set_flags(&state, account, &target.ap_id, pinned, locked)
                .await
                .map(drop)
        }
        _ => return Err(WebError::BadForm),
    };
    match result {
        Ok(()) => Ok(redirect(&back)),
        Err(e) => match FieldErrors::from_domain(Layout::strings(&state), &e) {
            Some(errors) => {
                render(
                    &state,
                    &session,
                    *path,
                    StatusCode::UNPROCESSABLE_ENTITY,
                    errors,
                    false,
                )
                .await
            }
            None => Err(e.into()),
        },
    }
}

#[derive(Template)]
#[template(path = "moderation.html")]
struct ModerationPage {
    layout: Layout,
    s: &'static CStrings,
    c: CommunityView,
    reports: Vec<(moderation::Report, Option<i64>)>,
}

#[get("/communities/{handle}/moderation")]
pub async fn queue(
    state: web::Data<AppState>,
    animateur: AnimateurOf<Web>,
) -> WebResult<HttpResponse> {
    let (session, c) = (&animateur.caller, &animateur.community);
    let mut reports = Vec::new();
    for r in moderation::queue(&state, &session.account, c).await? {
        let local = state
            .store
            .post_by_ap_id(&r.post)
            .await
            .map_err(DomainError::from)?
            .map(|p| p.id);
        reports.push((r, local));
    }
    let s = cstrings(&state);
    html(
        StatusCode::OK,
        ModerationPage {
            layout: Layout::new(&state, Some(session), s.moderation_title, "communities"),
            s,
            c: CommunityView::new(&state, c, s),
            reports,
        },
    )
}

#[derive(Deserialize)]
pub struct CloseForm {
    report: i64,
}

#[post("/communities/{handle}/moderation")]
pub async fn close(
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: SessionForm<CloseForm>,
) -> WebResult<HttpResponse> {
    let c = super::communities::community(&state, &path).await?;
    moderation::close(&state, &form.session.account, &c, form.data.report).await?;
    Ok(redirect(&format!("/communities/{path}/moderation")))
}
