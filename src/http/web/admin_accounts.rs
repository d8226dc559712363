//! `/admin/accounts`: the node's accounts, invitations, disabling.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, get, post, web};
use askama::Template;
use serde::Deserialize;

use super::format::datetime;
use super::{FieldErrors, Layout, WebError, WebResult, html, redirect};
use crate::domain::accounts::{self, Account, NewAccountInput};
use crate::domain::invitations;
use crate::domain::sessions::Session;
use crate::http::auth::{AdminSession, SessionForm};
use crate::state::AppState;

#[derive(Template)]
#[template(path = "admin_accounts.html")]
struct AccountsPage {
    layout: Layout,
    rows: Vec<Row>,
    form: InviteForm,
    errors: FieldErrors,
    link: Option<String>,
    error: Option<String>,
    /// Whether the invitation link was mailed, and to whom; said beside the link.
    mail_notice: Option<String>,
}

struct Row {
    username: String,
    display_name: String,
    job_title: String,
    is_admin: bool,
    disabled: bool,
    last_login: Option<String>,
    is_self: bool,
}

#[derive(Deserialize, Default)]
pub struct InviteForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    display_name: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    job_title: String,
    #[serde(default)]
    admin: Option<String>,
}

async fn render(
    state: &AppState,
    session: &Session,
    status: StatusCode,
    form: InviteForm,
    errors: FieldErrors,
    link: Option<String>,
    error: Option<String>,
) -> WebResult<HttpResponse> {
    render_with(state, session, status, form, errors, link, error, None).await
}

#[allow(clippy::too_many_arguments)]
async fn render_with(
    state: &AppState,
    session: &Session,
    status: StatusCode,
    form: InviteForm,
    errors: FieldErrors,
    link: Option<String>,
    error: Option<String>,
    mail_notice: Option<String>,
) -> WebResult<HttpResponse> {
    let t = Layout::strings(state);
    let tz = &state.config.timezone;
    let rows = accounts::list(state)
        .await?
        .into_iter()
        .map(|a: Account| Row {
            is_self: a.id == session.account.id,
            username: a.username,
            display_name: a.display_name,
            job_title: a.job_title,
            is_admin: a.role == accounts::Role::Admin,
            disabled: a.disabled,
            last_login: a.last_login_at.map(|ms| datetime(ms, tz, t.lang)),
        })
        .collect();
    html(
        status,
        AccountsPage {
            layout: Layout::new(state, Some(session), t.admin.accounts_title, "admin"),
            rows,
            form,
            errors,
            link,
            error,
            mail_notice,
        },
    )
}

#[get("/admin/accounts")]
pub async fn page(state: web::Data<AppState>, admin: AdminSession) -> WebResult<HttpResponse> {
    render(
        &state,
        &admin.0,
        StatusCode::OK,
        InviteForm::default(),
        FieldErrors::default(),
        None,
        None,
    )
    .await
}

#[post("/admin/accounts")]
pub async fn invite(
    state: web::Data<AppState>,
    form: SessionForm<InviteForm>,
) -> WebResult<HttpResponse> {
    let SessionForm { session, data } = form;
    if !session.account.is_admin() {
        return Err(WebError::Forbidden);
    }
    let t = Layout::strings(&state);
    let input = NewAccountInput {
        username: data.username.clone(),
        display_name: data.display_name.clone(),
        email: data.email.clone(),
        job_title: data.job_title.clone(),
        admin: data.admin.is_some(),
        password: None,
    };
    match invitations::invite(&state, &session.account, input).await {
        Ok((account, link)) => {
            let notice = mail_invitation(&state, &account, &link).await?;
            render_with(
                &state,
                &session,
                StatusCode::CREATED,
                InviteForm::default(),
                FieldErrors::default(),
                Some(link),
                None,
                notice,
            )
            .await
        }
        Err(e) => match FieldErrors::from_domain(t, &e) {
            Some(errors) => {
                render(
                    &state,
                    &session,
                    StatusCode::UNPROCESSABLE_ENTITY,
                    data,
                    errors,
                    None,
                    None,
                )
                .await
            }
            None => match e {
                crate::domain::DomainError::Conflict(m) => {
                    render(
                        &state,
                        &session,
                        StatusCode::CONFLICT,
                        data,
                        FieldErrors::default(),
                        None,
                        Some(m),
                    )
                    .await
                }
                other => Err(other.into()),
            },
        },
    }
}

/// Mails the invitation link to the address the admin typed, and says what became of it:
/// queued for the relay, or not sent at all when the node has none.
async fn mail_invitation(
    state: &AppState,
    account: &Account,
    link: &str,
) -> WebResult<Option<String>> {
    let m = super::i18n::mail::strings(crate::http::web::language::current(&state.config.locale));
    let Some(to) = crate::mail::message::recipient(&account.display_name, &account.email) else {
        return Ok(None);
    };
    if !state.mail.sends() && !state.config.mail.demo {
        return Ok(Some(m.invite_not_mailed.to_owned()));
    }
    // The invited agent's language (the node's until she chooses), not the admin's.
    let lang = crate::domain::languages::for_agent(state, account.id).await;
    let mail = crate::mail::messages::invitation(state, lang, to, &account.username, link)
        .map_err(|e| crate::domain::DomainError::Internal(e.to_string()))?;
    crate::mail::queue(state, mail)
        .await
        .map_err(crate::domain::DomainError::from)?;
    Ok(Some(format!("{} {}.", m.invite_mailed, account.email)))
}

#[derive(Deserialize)]
pub struct Empty {}

#[post("/admin/accounts/{username}/{action}")]
pub async fn act(
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
    form: SessionForm<Empty>,
) -> WebResult<HttpResponse> {
    let session = form.session;
    if !session.account.is_admin() {
        return Err(WebError::Forbidden);
    }
    let (username, action) = path.into_inner();
    let result = match action.as_str() {
        "disable" => accounts::set_disabled(&state, &username, true)
            .await
            .map(|_| None),
        "enable" => accounts::set_disabled(&state, &username, false)
            .await
            .map(|_| None),
        "invitation" => {
            let account = accounts::by_username(&state, &username).await?;
            invitations::new_link(&state, &session.account, &account)
                .await
                .map(Some)
        }
        _ => return Err(WebError::NotFound),
    };
    match result {
        Ok(None) => Ok(redirect("/admin/accounts")),
        Ok(Some(link)) => {
            render(
                &state,
                &session,
                StatusCode::OK,
                InviteForm::default(),
                FieldErrors::default(),
                Some(link),
                None,
            )
            .await
        }
        Err(crate::domain::DomainError::Conflict(m)) => {
            render(
                &state,
                &session,
                StatusCode::CONFLICT,
                InviteForm::default(),
                FieldErrors::default(),
                None,
                Some(m),
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}
