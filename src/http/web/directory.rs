//! "Annuaire": searching the directory, an entry and its vCard, and "Ma fiche annuaire".

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, get, post, web};
use askama::Template;
use serde::Deserialize;

use super::{FieldErrors, Layout, WebError, WebResult, html};
use crate::domain::directory::{self, Entry, EntryInput};
use crate::domain::sessions::Session;
use crate::domain::{DomainError, vcard};
use crate::http::auth::{SessionForm, WebSession};
use crate::state::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(index)
        .service(mine)
        .service(save)
        .service(card)
        .service(show);
}

#[derive(Deserialize)]
pub struct Query {
    #[serde(default)]
    q: String,
}

#[derive(Template)]
#[template(path = "directory.html")]
struct ListPage {
    layout: Layout,
    q: String,
    entries: Vec<Entry>,
}

#[get("/directory")]
pub async fn index(
    state: web::Data<AppState>,
    session: WebSession,
    query: web::Query<Query>,
) -> WebResult<HttpResponse> {
    let t = Layout::strings(&state).directory;
    let entries = directory::find(&state, &query.q).await?;
    html(
        StatusCode::OK,
        ListPage {
            layout: Layout::new(&state, Some(&session.0), t.directory_title, "directory"),
            q: query.q.clone(),
            entries,
        },
    )
}

fn not_found(e: DomainError) -> WebError {
    match e {
        DomainError::NotFound(_) => WebError::NotFound,
        other => other.into(),
    }
}

#[derive(Template)]
#[template(path = "directory_entry.html")]
struct EntryPage {
    layout: Layout,
    p: &'static super::i18n::pickers::PStrings,
    e: Entry,
}

#[get("/directory/{id}")]
pub async fn show(
    state: web::Data<AppState>,
    session: WebSession,
    path: web::Path<i64>,
) -> WebResult<HttpResponse> {
    let e = directory::show(&state, *path).await.map_err(not_found)?;
    html(
        StatusCode::OK,
        EntryPage {
            layout: Layout::new(&state, Some(&session.0), &e.name, "directory"),
            p: super::i18n::pickers::strings(crate::http::web::language::current(
                &state.config.locale,
            )),
            e,
        },
    )
}

#[get("/directory/{id}/vcard")]
pub async fn card(
    state: web::Data<AppState>,
    _session: WebSession,
    path: web::Path<i64>,
) -> WebResult<HttpResponse> {
    let e = directory::show(&state, *path).await.map_err(not_found)?;
    Ok(HttpResponse::Ok()
        .content_type("text/vcard; charset=utf-8")
        .insert_header((
            "Content-Disposition",
            format!("attachment; filename=\"{}.vcf\"", e.id),
        ))
        .insert_header(("Cache-Control", "no-store"))
        .body(vcard::vcard(&e)))
}

#[derive(Template)]
#[template(path = "directory_edit.html")]
struct EditPage {
    layout: Layout,
    form: EntryInput,
    job_title: String,
    institution: String,
    errors: FieldErrors,
    saved: bool,
    branches: [&'static str; 3],
    /// The three visibilities and their labels.
    choices: [(&'static str, &'static str); 3],
}

async fn edit_page(
    state: &AppState,
    session: &Session,
    status: StatusCode,
    form: Option<EntryInput>,
    errors: FieldErrors,
    saved: bool,
) -> WebResult<HttpResponse> {
    let t = Layout::strings(state).directory;
    let form = match form {
        Some(f) => f,
        None => directory::form_of(state, &session.account).await?,
    };
    html(
        status,
        EditPage {
            layout: Layout::new(state, Some(session), t.my_entry, "directory"),
            form,
            job_title: session.account.job_title.clone(),
            institution: state.config.institution_name.clone(),
            errors,
            saved,
            branches: ["fpe", "fpt", "fph"],
            choices: [
                ("hidden", t.vis_hidden),
                ("node", t.vis_node),
                ("circle", t.vis_circle),
            ],
        },
    )
}

#[get("/directory/me")]
pub async fn mine(state: web::Data<AppState>, session: WebSession) -> WebResult<HttpResponse> {
    edit_page(
        &state,
        &session.0,
        StatusCode::OK,
        None,
        FieldErrors::default(),
        false,
    )
    .await
}

#[post("/directory/me")]
pub async fn save(
    state: web::Data<AppState>,
    form: SessionForm<EntryInput>,
) -> WebResult<HttpResponse> {
    let SessionForm { session, data } = form;
    let t = Layout::strings(&state);
    match directory::save(&state, &session.account, &data).await {
        Ok(()) => {
            edit_page(
                &state,
                &session,
                StatusCode::OK,
                None,
                FieldErrors::default(),
                true,
            )
            .await
        }
        Err(e) => match FieldErrors::from_domain(t, &e) {
            Some(errors) => {
                edit_page(
                    &state,
                    &session,
                    StatusCode::UNPROCESSABLE_ENTITY,
                    Some(data),
                    errors,
                    false,
                )
                .await
            }
            None => Err(e.into()),
        },
    }
}
