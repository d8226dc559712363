//! The resource pages: list and creation, a resource, its edit form (with the conflict view
//! when the edit was written on a revision that is no longer current), its history, the
//! diff between two revisions, restore and delete.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, get, post, web};
use serde::Deserialize;

use super::views::{
    ConflictView, DiffPage, EditPage, FileView, HistoryPage, ListPage, ResourceView, RevisionView,
    ShowPage, base_url, rstrings, size_words,
};
use crate::db::{CommunityRow, ResourceRow};
use crate::domain::attachments;
use crate::domain::resources::{self, ResourceInput, Saved};
use crate::domain::sessions::Session;
use crate::domain::{DomainError, communities, revisions};
use crate::http::auth::{SessionForm, WebSession};
use crate::http::web::communities::community;
use crate::http::web::community_views::CommunityView;
use crate::http::web::community_views::cstrings;
use crate::http::web::{FieldErrors, Layout, WebResult, html, redirect};
use crate::state::AppState;

async fn resource(
    state: &AppState,
    session: &Session,
    handle: &str,
    slug: &str,
) -> WebResult<(CommunityRow, ResourceRow)> {
    let c = community(state, handle).await?;
    let r = resources::find(state, &session.account, &c, slug).await?;
    Ok((c, r))
}

#[derive(Deserialize)]
pub struct Notice {
    #[serde(default)]
    envoye: Option<String>,
}

async fn render_list(
    state: &AppState,
    session: &Session,
    c: &CommunityRow,
    status: StatusCode,
    form: ResourceInput,
    errors: FieldErrors,
    submitted: bool,
) -> WebResult<HttpResponse> {
    let items = resources::list(state, &session.account, c)
        .await?
        .iter()
        .map(|r| ResourceView::new(state, r))
        .collect();
    let s = rstrings(state);
    html(
        status,
        ListPage {
            layout: Layout::new(state, Some(session), s.resources_title, "communities"),
            s,
            c: CommunityView::new(state, c, cstrings(state)),
            items,
            form,
            errors,
            submitted,
        },
    )
}

#[get("/communities/{handle}/resources")]
pub async fn index(
    state: web::Data<AppState>,
    session: WebSession,
    path: web::Path<String>,
    q: web::Query<Notice>,
) -> WebResult<HttpResponse> {
    let c = community(&state, &path).await?;
    let form = ResourceInput {
        kind: "guide".into(),
        ..ResourceInput::default()
    };
    let sent = q.envoye.is_some();
    render_list(
        &state,
        &session.0,
        &c,
        StatusCode::OK,
        form,
        FieldErrors::default(),
        sent,
    )
    .await
}

#[post("/communities/{handle}/resources")]
pub async fn create(
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: SessionForm<ResourceInput>,
) -> WebResult<HttpResponse> {
    let SessionForm { session, data } = form;
    let c = community(&state, &path).await?;
    let cv = CommunityView::new(&state, &c, cstrings(&state));
    match resources::create(&state, &session.account, &c, &data).await {
        Ok(Saved::Done(r)) => Ok(redirect(&format!("{}/{}", base_url(&cv), r.slug))),
        Ok(Saved::Submitted) => Ok(redirect(&format!("{}?envoye=1", base_url(&cv)))),
        Err(e) => {
            let errors = match &e {
                DomainError::Conflict(_) => FieldErrors::single("slug", rstrings(&state).exists),
                _ => FieldErrors::from_domain(Layout::strings(&state), &e).ok_or(e)?,
            };
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            render_list(&state, &session, &c, status, data, errors, false).await
        }
    }
}

/// The resource page, with the upload form's error when there is one.
pub async fn render_show(
    state: &AppState,
    session: &Session,
    handle: &str,
    slug: &str,
    status: StatusCode,
    submitted: bool,
    upload_error: Option<String>,
) -> WebResult<HttpResponse> {
    let (c, r) = resource(state, session, handle, slug).await?;
    let animateur = communities::require_animateur(state, &c, &session.account)
        .await
        .is_ok();
    let files = attachments::list(state, &session.account, &r)
        .await?
        .into_iter()
        .map(|a| FileView {
            id: a.id,
            kind: a
                .media_type
                .rsplit('/')
                .next()
                .unwrap_or_default()
                .to_owned(),
            size: size_words(a.size_bytes),
            name: a.name,
        })
        .collect();
    let s = rstrings(state);
    let reactions =
        crate::http::web::reactions::bars(state, &c, &session.account.actor, &[r.ap_id.as_str()])
            .await?
            .remove(r.ap_id.as_str());
    html(
        status,
        ShowPage {
            layout: Layout::new(state, Some(session), &r.title, "communities"),
            s,
            c: CommunityView::new(state, &c, cstrings(state)),
            r: ResourceView::new(state, &r),
            animateur,
            submitted,
            files,
            can_attach: c.is_local == 1,
            max_size: size_words(i64::try_from(state.config.attachments_max_bytes).unwrap_or(0)),
            upload_error,
            reactions,
            back: format!("/communities/{}/resources/{}", c.handle(), r.slug),
        },
    )
}

#[get("/communities/{handle}/resources/{slug}")]
pub async fn show(
    state: web::Data<AppState>,
    session: WebSession,
    path: web::Path<(String, String)>,
    q: web::Query<Notice>,
) -> WebResult<HttpResponse> {
    render_show(
        &state,
        &session.0,
        &path.0,
        &path.1,
        StatusCode::OK,
        q.envoye.is_some(),
        None,
    )
    .await
}

#[get("/communities/{handle}/resources/{slug}/edit")]
pub async fn edit_form(
    state: web::Data<AppState>,
    session: WebSession,
    path: web::Path<(String, String)>,
) -> WebResult<HttpResponse> {
    let (c, r) = resource(&state, &session.0, &path.0, &path.1).await?;
    let s = rstrings(&state);
    html(
        StatusCode::OK,
        EditPage {
            layout: Layout::new(&state, Some(&session.0), &r.title, "communities"),
            s,
            c: CommunityView::new(&state, &c, cstrings(&state)),
            title: r.title.clone(),
            body: r.source.clone(),
            summary: String::new(),
            base: r.revision,
            r: ResourceView::new(&state, &r),
            errors: FieldErrors::default(),
            conflict: None,
        },
    )
}

#[derive(Deserialize)]
pub struct EditForm {
    title: String,
    body: String,
    #[serde(default)]
    summary: String,
    base: i64,
}

#[post("/communities/{handle}/resources/{slug}/edit")]
pub async fn edit(
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
    form: SessionForm<EditForm>,
) -> WebResult<HttpResponse> {
    let SessionForm { session, data } = form;
    let (c, r) = resource(&state, &session, &path.0, &path.1).await?;
    let input = ResourceInput {
        title: data.title.clone(),
        body: data.body.clone(),
        summary: data.summary.clone(),
        ..ResourceInput::default()
    };
    let cv = CommunityView::new(&state, &c, cstrings(&state));
    let here = format!("{}/{}", base_url(&cv), r.slug);
    let (status, errors, conflict) =
        match resources::edit(&state, &session.account, &r, &input, data.base).await {
            Ok(Saved::Done(_)) => return Ok(redirect(&here)),
            Ok(Saved::Submitted) => return Ok(redirect(&format!("{here}?envoye=1"))),
            Err(DomainError::Conflict(_)) => {
                // Never overwrite: show the member's text beside the current one.
                let changes = revisions::diff_html(
                    &format!("# {}\n\n{}", r.title, r.source),
                    &format!("# {}\n\n{}", data.title.trim(), data.body.trim()),
                );
                let current = ResourceView::new(&state, &r);
                (
                    StatusCode::CONFLICT,
                    FieldErrors::default(),
                    Some(ConflictView {
                        current,
                        diff: changes,
                    }),
                )
            }
            Err(e) => {
                let errors = FieldErrors::from_domain(Layout::strings(&state), &e).ok_or(e)?;
                (StatusCode::UNPROCESSABLE_ENTITY, errors, None)
            }
        };
    let s = rstrings(&state);
    html(
        status,
        EditPage {
            layout: Layout::new(&state, Some(&session), &r.title, "communities"),
            s,
            c: cv,
            r: ResourceView::new(&state, &r),
            title: data.title,
            body: data.body,
            summary: data.summary,
            // After a conflict the next save is written knowing the current revision.
            base: if conflict.is_some() {
                r.revision
            } else {
                data.base
            },
            errors,
            conflict,
        },
    )
}

#[get("/communities/{handle}/resources/{slug}/history")]
pub async fn history(
    state: web::Data<AppState>,
    session: WebSession,
    path: web::Path<(String, String)>,
) -> WebResult<HttpResponse> {
    let (c, r) = resource(&state, &session.0, &path.0, &path.1).await?;
    let revisions = revisions::history(&state, &session.0.account, &r)
        .await?
        .iter()
        .map(|x| RevisionView::new(&state, x))
        .collect();
    let s = rstrings(&state);
    html(
        StatusCode::OK,
        HistoryPage {
            layout: Layout::new(&state, Some(&session.0), s.history, "communities"),
            s,
            c: CommunityView::new(&state, &c, cstrings(&state)),
            r: ResourceView::new(&state, &r),
            revisions,
        },
    )
}

#[derive(Deserialize)]
pub struct DiffQuery {
    from: i64,
    to: i64,
}

#[get("/communities/{handle}/resources/{slug}/diff")]
pub async fn diff(
    state: web::Data<AppState>,
    session: WebSession,
    path: web::Path<(String, String)>,
    q: web::Query<DiffQuery>,
) -> WebResult<HttpResponse> {
    let (c, r) = resource(&state, &session.0, &path.0, &path.1).await?;
    let changes = revisions::diff(&state, &session.0.account, &r, q.from, q.to).await?;
    let s = rstrings(&state);
    html(
        StatusCode::OK,
        DiffPage {
            layout: Layout::new(&state, Some(&session.0), s.diff_title, "communities"),
            s,
            c: CommunityView::new(&state, &c, cstrings(&state)),
            r: ResourceView::new(&state, &r),
            from: q.from,
            to: q.to,
            diff: changes,
        },
    )
}

#[derive(Deserialize)]
pub struct RestoreForm {
    number: i64,
    base: i64,
}

#[post("/communities/{handle}/resources/{slug}/restore")]
pub async fn restore(
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
    form: SessionForm<RestoreForm>,
) -> WebResult<HttpResponse> {
    let SessionForm { session, data } = form;
    let (c, r) = resource(&state, &session, &path.0, &path.1).await?;
    let here = format!(
        "{}/{}",
        base_url(&CommunityView::new(&state, &c, cstrings(&state))),
        r.slug
    );
    match resources::restore(&state, &session.account, &r, data.number, data.base).await? {
        Saved::Done(_) => Ok(redirect(&format!("{here}/history"))),
        Saved::Submitted => Ok(redirect(&format!("{here}?envoye=1"))),
    }
}

#[derive(Deserialize)]
pub struct DeleteForm {}

#[post("/communities/{handle}/resources/{slug}/delete")]
pub async fn delete(
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
    form: SessionForm<DeleteForm>,
) -> WebResult<HttpResponse> {
    let (c, r) = resource(&state, &form.session, &path.0, &path.1).await?;
    resources::delete(&state, &form.session.account, &r).await?;
    let cv = CommunityView::new(&state, &c, cstrings(&state));
    Ok(redirect(&base_url(&cv)))
}
