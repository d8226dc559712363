//! "Mon profil": what the agent shows of themselves, and their API tokens.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, get, post, web};
use askama::Template;
use serde::Deserialize;

use super::format::datetime;
use super::{FieldErrors, Layout, WebError, WebResult, html, redirect};
use crate::domain::accounts::{self, ProfileInput};
use crate::domain::sessions::Session;
use crate::domain::tokens;
use crate::domain::{DomainError, departures};
use crate::http::auth::{SessionForm, WebSession};
use crate::state::AppState;

#[derive(Template)]
#[template(path = "profile.html")]
struct ProfilePage {
    layout: Layout,
    p: &'static super::i18n::pickers::PStrings,
    handle: String,
    email: String,
    role: &'static str,
    form: ProfileInput,
    errors: FieldErrors,
    saved: bool,
    tokens: Vec<TokenView>,
    new_token: Option<String>,
    token_name: String,
    token_errors: FieldErrors,
    leave_error: Option<&'static str>,
    /// « Mes notifications » (issue 15).
    notify_link: &'static str,
    /// Texts of « Mes formations inter-institutions » (issue 18).
    a: &'static crate::http::web::i18n::attendance::AStrings,
    /// « Mes appareils » (issue 15).
    devices_link: &'static str,
    /// The language choice (issue 19): her choice, or none (the browser decides).
    l: &'static crate::http::web::i18n::language::LangStrings,
    language: Option<&'static str>,
    language_saved: bool,
}

struct TokenView {
    id: i64,
    name: String,
    prefix: String,
    created: String,
    last_used: Option<String>,
    revoked: bool,
}

/// What the page shows besides the profile form.
#[derive(Default)]
struct Extra {
    form: Option<ProfileInput>,
    errors: FieldErrors,
    saved: bool,
    new_token: Option<String>,
    token_name: String,
    token_errors: FieldErrors,
    leave_error: Option<&'static str>,
    language_saved: bool,
}

async fn render(
    state: &AppState,
    session: &Session,
    status: StatusCode,
    extra: Extra,
) -> WebResult<HttpResponse> {
    let t = Layout::strings(state);
    let account = &session.account;
    let tz = &state.config.timezone;
    let tokens = tokens::list(state, account)
        .await?
        .into_iter()
        .map(|tok| TokenView {
            id: tok.id,
            name: tok.name,
            prefix: tok.prefix,
            created: datetime(tok.created_at, tz, t.lang),
            last_used: tok.last_used_at.map(|ms| datetime(ms, tz, t.lang)),
            revoked: tok.revoked,
        })
        .collect();
    let form = extra.form.unwrap_or_else(|| ProfileInput {
        display_name: account.display_name.clone(),
        job_title: account.job_title.clone(),
        summary: account.summary.clone(),
    });
    html(
        status,
        ProfilePage {
            layout: Layout::new(state, Some(session), t.profile_title, "profile"),
            p: super::i18n::pickers::strings(crate::http::web::language::current(
                &state.config.locale,
            )),
            handle: format!("@{}@{}", account.username, state.config.authority),
            email: account.email.clone(),
            role: if account.is_admin() {
                t.role_admin
            } else {
                t.role_agent
            },
            form,
            errors: extra.errors,
            saved: extra.saved,
            tokens,
            new_token: extra.new_token,
            token_name: extra.token_name,
            token_errors: extra.token_errors,
            a: crate::http::web::i18n::attendance::strings(crate::http::web::language::current(
                &state.config.locale,
            )),
            leave_error: extra.leave_error,
            notify_link: super::i18n::notify::strings(crate::http::web::language::current(
                &state.config.locale,
            ))
            .link_from_profile,
            devices_link: super::i18n::push::strings(crate::http::web::language::current(
                &state.config.locale,
            ))
            .profile_link,
            l: super::i18n::language::strings(t.lang),
            language: crate::domain::languages::chosen(state, account.id).await?,
            language_saved: extra.language_saved,
        },
    )
}

#[derive(Deserialize)]
pub struct ProfileQuery {
    /// `saved` after a language change (the page is then already in the new language).
    language: Option<String>,
}

#[get("/profile")]
pub async fn page(
    state: web::Data<AppState>,
    session: WebSession,
    query: web::Query<ProfileQuery>,
) -> WebResult<HttpResponse> {
    let extra = Extra {
        language_saved: query.language.as_deref() == Some("saved"),
        ..Extra::default()
    };
    render(&state, &session.0, StatusCode::OK, extra).await
}

#[derive(Deserialize)]
pub struct LanguageForm {
    language: String,
}

/// The agent chooses her language; the page is shown again, redirected, so that it is
/// written in the new one. A value other than fr, en or empty is refused, nothing stored.
#[post("/profile/language")]
pub async fn choose_language(
    state: web::Data<AppState>,
    form: SessionForm<LanguageForm>,
) -> WebResult<HttpResponse> {
    let SessionForm { session, data } = form;
    let choice = crate::domain::languages::parse_choice(&data.language)?;
    crate::domain::languages::set(&state, &session.account, choice).await?;
    Ok(redirect("/profile?language=saved#language-title"))
}

#[post("/profile")]
pub async fn update(
    state: web::Data<AppState>,
    form: SessionForm<ProfileInput>,
) -> WebResult<HttpResponse> {
    let SessionForm { mut session, data } = form;
    let t = Layout::strings(&state);
    match accounts::update_profile(&state, &session.account, &data).await {
        Ok(account) => {
            session.account = account;
            render(
                &state,
                &session,
                StatusCode::OK,
                Extra {
                    saved: true,
                    ..Extra::default()
                },
            )
            .await
        }
        Err(e) => match FieldErrors::from_domain(t, &e) {
            Some(errors) => {
                let extra = Extra {
                    form: Some(data),
                    errors,
                    ..Extra::default()
                };
                render(&state, &session, StatusCode::UNPROCESSABLE_ENTITY, extra).await
            }
            None => Err(e.into()),
        },
    }
}

#[derive(Deserialize)]
pub struct TokenForm {
    name: String,
}

#[post("/profile/tokens")]
pub async fn create_token(
    state: web::Data<AppState>,
    form: SessionForm<TokenForm>,
) -> WebResult<HttpResponse> {
    let SessionForm { session, data } = form;
    let t = Layout::strings(&state);
    match tokens::create(&state, &session.account, &data.name).await {
        Ok((_, secret)) => {
            let extra = Extra {
                new_token: Some(secret),
                ..Extra::default()
            };
            render(&state, &session, StatusCode::OK, extra).await
        }
        Err(e) => match FieldErrors::from_domain(t, &e) {
            Some(token_errors) => {
                let extra = Extra {
                    token_name: data.name,
                    token_errors,
                    ..Extra::default()
                };
                render(&state, &session, StatusCode::UNPROCESSABLE_ENTITY, extra).await
            }
            None => Err(e.into()),
        },
    }
}

#[derive(Deserialize)]
pub struct Empty {}

#[post("/profile/tokens/{id}/revoke")]
pub async fn revoke_token(
    state: web::Data<AppState>,
    path: web::Path<i64>,
    form: SessionForm<Empty>,
) -> WebResult<HttpResponse> {
    tokens::revoke(&state, &form.session.account, path.into_inner())
        .await
        .map_err(|e| match e {
            crate::domain::DomainError::NotFound(_) => WebError::NotFound,
            other => other.into(),
        })?;
    Ok(redirect("/profile"))
}

#[derive(Deserialize)]
pub struct LeaveForm {
    password: String,
    posts: String,
}

/// "Supprimer mon compte": the agent confirms with their password and chooses what becomes
/// of their posts; their session ends with the account.
#[post("/profile/delete")]
pub async fn leave(
    state: web::Data<AppState>,
    form: SessionForm<LeaveForm>,
) -> WebResult<HttpResponse> {
    let SessionForm { session, data } = form;
    let t = Layout::strings(&state);
    let choice = departures::PostsChoice::parse(&data.posts)?;
    let refused = match departures::leave(&state, &session.account, &data.password, choice).await {
        Ok(()) => return Ok(redirect("/login")),
        Err(DomainError::Unauthenticated) => t.leave_wrong_password,
        Err(DomainError::Conflict(_)) if session.account.is_admin() => t.leave_last_admin,
        Err(e) => return Err(e.into()),
    };
    let extra = Extra {
        leave_error: Some(refused),
        ..Extra::default()
    };
    render(&state, &session, StatusCode::UNPROCESSABLE_ENTITY, extra).await
}
