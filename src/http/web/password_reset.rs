//! « Mot de passe oublié ? »: `/password-reset` asks for the address and mails a link (the
//! same answer whether the address is known or not); `/password-reset/{token}` sets the new
//! password. A spent, expired or forged link changes nothing and says so.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use askama::Template;
use serde::Deserialize;

use super::i18n::mail::{MailStrings, strings};
use super::{FieldErrors, Layout, WebResult, html};
use crate::domain::{DomainError, password_resets};
use crate::http::auth::client_addr;
use crate::mail::{message, messages, queue};
use crate::state::AppState;

#[derive(Template)]
#[template(path = "password_forgot.html")]
struct ForgotPage {
    layout: Layout,
    m: &'static MailStrings,
    sends: bool,
    notice: Option<&'static str>,
    error: Option<&'static str>,
}

#[derive(Template)]
#[template(path = "password_reset.html")]
struct ResetPage {
    layout: Layout,
    m: &'static MailStrings,
    token: String,
    username: Option<String>,
    errors: FieldErrors,
    done: bool,
}

fn forgot(
    state: &AppState,
    status: StatusCode,
    notice: Option<&'static str>,
    error: Option<&'static str>,
) -> WebResult<HttpResponse> {
    let m = strings(crate::http::web::language::current(&state.config.locale));
    html(
        status,
        ForgotPage {
            layout: Layout::new(state, None, m.forgot_title, "login"),
            m,
            // The demo keeps its mail to show it: the form is there.
            sends: state.mail.sends() || state.config.mail.demo,
            notice,
            error,
        },
    )
}

#[get("/password-reset")]
pub async fn forgot_page(state: web::Data<AppState>) -> WebResult<HttpResponse> {
    forgot(&state, StatusCode::OK, None, None)
}

#[derive(Deserialize)]
pub struct ForgotForm {
    email: String,
}

#[post("/password-reset")]
pub async fn ask_link(
    state: web::Data<AppState>,
    req: HttpRequest,
    form: web::Form<ForgotForm>,
) -> WebResult<HttpResponse> {
    let m = strings(crate::http::web::language::current(&state.config.locale));
    match password_resets::request(&state, &form.email, &client_addr(&req)).await {
        // Without a relay nothing is queued: mail written now would leave, stale, the day a
        // relay is set (the demo keeps it to show it).
        Ok(Some(_)) if !state.mail.sends() && !state.config.mail.demo => {}
        Ok(Some(reset)) => {
            // An address the account holds but that is not one (old data) is skipped silently:
            // the answer must not differ.
            if let Some(to) = message::recipient(&reset.account.display_name, &reset.account.email)
            {
                // Her language, not the browser's that asked (anyone may ask).
                let lang = crate::domain::languages::for_agent(&state, reset.account.id).await;
                let mail = messages::password_reset(&state, lang, to, &reset.link)
                    .map_err(|e| DomainError::Internal(e.to_string()))?;
                queue(&state, mail).await.map_err(DomainError::from)?;
            }
        }
        Ok(None) => {}
        Err(DomainError::RateLimited { .. }) => {
            return forgot(
                &state,
                StatusCode::TOO_MANY_REQUESTS,
                None,
                Some(m.forgot_rate_limited),
            );
        }
        Err(e) => return Err(e.into()),
    }
    forgot(&state, StatusCode::OK, Some(m.forgot_done), None)
}

fn reset_page(
    state: &AppState,
    token: String,
    username: Option<String>,
    errors: FieldErrors,
    done: bool,
) -> ResetPage {
    let m = strings(crate::http::web::language::current(&state.config.locale));
    ResetPage {
        layout: Layout::new(state, None, m.reset_title, "login"),
        m,
        token,
        username,
        errors,
        done,
    }
}

fn invalid(state: &AppState) -> WebResult<HttpResponse> {
    html(
        StatusCode::NOT_FOUND,
        reset_page(state, String::new(), None, FieldErrors::default(), false),
    )
}

#[get("/password-reset/{token}")]
pub async fn reset_form(
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> WebResult<HttpResponse> {
    let token = path.into_inner();
    match password_resets::check(&state, &token).await {
        Ok(account) => html(
            StatusCode::OK,
            reset_page(
                &state,
                token,
                Some(account.username),
                FieldErrors::default(),
                false,
            ),
        ),
        Err(DomainError::NotFound(_)) => invalid(&state),
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub struct PasswordForm {
    password: String,
    confirm: String,
}

/// The token in the URL is the credential, as for invitations: no session, no CSRF cookie.
#[post("/password-reset/{token}")]
pub async fn set_password(
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: web::Form<PasswordForm>,
) -> WebResult<HttpResponse> {
    let token = path.into_inner();
    let t = Layout::strings(&state);
    let account = match password_resets::check(&state, &token).await {
        Ok(a) => a,
        Err(DomainError::NotFound(_)) => return invalid(&state),
        Err(e) => return Err(e.into()),
    };
    if form.password != form.confirm {
        let errors = FieldErrors::single("confirm", t.admin.passwords_differ);
        return html(
            StatusCode::UNPROCESSABLE_ENTITY,
            reset_page(&state, token, Some(account.username), errors, false),
        );
    }
    match password_resets::reset(&state, &token, &form.password).await {
        Ok(a) => html(
            StatusCode::OK,
            reset_page(
                &state,
                String::new(),
                Some(a.username),
                FieldErrors::default(),
                true,
            ),
        ),
        Err(DomainError::NotFound(_)) => invalid(&state),
        Err(e) => match FieldErrors::from_domain(t, &e) {
            Some(errors) => html(
                StatusCode::UNPROCESSABLE_ENTITY,
                reset_page(&state, token, Some(account.username), errors, false),
            ),
            None => Err(e.into()),
        },
    }
}
