//! `/invitation/{token}`: an invited agent chooses their password.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, get, post, web};
use askama::Template;
use serde::Deserialize;

use super::{FieldErrors, Layout, WebResult, html};
use crate::domain::{DomainError, invitations};
use crate::state::AppState;

#[derive(Template)]
#[template(path = "invitation.html")]
struct InvitationPage {
    layout: Layout,
    token: String,
    username: Option<String>,
    errors: FieldErrors,
    done: bool,
}

fn page_for(
    state: &AppState,
    token: String,
    username: Option<String>,
    errors: FieldErrors,
    done: bool,
) -> InvitationPage {
    let t = Layout::strings(state);
    InvitationPage {
        layout: Layout::new(state, None, t.admin.invitation_title, "login"),
        token,
        username,
        errors,
        done,
    }
}

#[get("/invitation/{token}")]
pub async fn show(state: web::Data<AppState>, path: web::Path<String>) -> WebResult<HttpResponse> {
    let token = path.into_inner();
    match invitations::check(&state, &token).await {
        Ok(account) => html(
            StatusCode::OK,
            page_for(
                &state,
                token,
                Some(account.username),
                FieldErrors::default(),
                false,
            ),
        ),
        Err(DomainError::NotFound(_)) => html(
            StatusCode::NOT_FOUND,
            page_for(&state, String::new(), None, FieldErrors::default(), false),
        ),
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub struct PasswordForm {
    password: String,
    confirm: String,
}

/// The token in the URL is the credential: the form needs no session, and a cross-site
/// attacker cannot know the token.
#[post("/invitation/{token}")]
pub async fn accept(
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: web::Form<PasswordForm>,
) -> WebResult<HttpResponse> {
    let token = path.into_inner();
    let t = Layout::strings(&state);
    let account = match invitations::check(&state, &token).await {
        Ok(a) => a,
        Err(DomainError::NotFound(_)) => {
            return html(
                StatusCode::NOT_FOUND,
                page_for(&state, String::new(), None, FieldErrors::default(), false),
            );
        }
        Err(e) => return Err(e.into()),
    };
    if form.password != form.confirm {
        let errors = FieldErrors::single("confirm", t.admin.passwords_differ);
        return html(
            StatusCode::UNPROCESSABLE_ENTITY,
            page_for(&state, token, Some(account.username), errors, false),
        );
    }
    match invitations::accept(&state, &token, &form.password).await {
        Ok(a) => html(
            StatusCode::OK,
            page_for(
                &state,
                String::new(),
                Some(a.username),
                FieldErrors::default(),
                true,
            ),
        ),
        Err(e) => match FieldErrors::from_domain(t, &e) {
            Some(errors) => html(
                StatusCode::UNPROCESSABLE_ENTITY,
                page_for(&state, token, Some(account.username), errors, false),
            ),
            None => Err(e.into()),
        },
    }
}
