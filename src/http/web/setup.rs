//! `/setup/{token}`: the first admin account of a new node, through the link printed at start.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, get, post, web};
use askama::Template;
use serde::Deserialize;

use super::{FieldErrors, Layout, WebResult, html};
use crate::domain::accounts::NewAccountInput;
use crate::domain::{DomainError, setup};
use crate::state::AppState;

#[derive(Template)]
#[template(path = "setup.html")]
struct SetupPage {
    layout: Layout,
    token: String,
    form: SetupForm,
    errors: FieldErrors,
    valid: bool,
    done: bool,
}

#[derive(Deserialize, Default)]
pub struct SetupForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    display_name: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    confirm: String,
}

fn page(
    state: &AppState,
    token: String,
    form: SetupForm,
    errors: FieldErrors,
    valid: bool,
    done: bool,
) -> SetupPage {
    let t = Layout::strings(state);
    SetupPage {
        layout: Layout::new(state, None, t.admin.setup_title, "login"),
        token,
        form,
        errors,
        valid,
        done,
    }
}

#[get("/setup/{token}")]
pub async fn show(state: web::Data<AppState>, path: web::Path<String>) -> WebResult<HttpResponse> {
    let token = path.into_inner();
    match setup::check(&state, &token).await {
        Ok(()) => html(
            StatusCode::OK,
            page(
                &state,
                token,
                SetupForm::default(),
                FieldErrors::default(),
                true,
                false,
            ),
        ),
        Err(DomainError::NotFound(_)) => html(
            StatusCode::NOT_FOUND,
            page(
                &state,
                String::new(),
                SetupForm::default(),
                FieldErrors::default(),
                false,
                false,
            ),
        ),
        Err(e) => Err(e.into()),
    }
}

/// The token in the URL is the credential, as for invitations: no session exists yet.
#[post("/setup/{token}")]
pub async fn create(
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: web::Form<SetupForm>,
) -> WebResult<HttpResponse> {
    let token = path.into_inner();
    let t = Layout::strings(&state);
    let form = form.into_inner();
    if setup::check(&state, &token).await.is_err() {
        return html(
            StatusCode::NOT_FOUND,
            page(
                &state,
                String::new(),
                SetupForm::default(),
                FieldErrors::default(),
                false,
                false,
            ),
        );
    }
    if form.password != form.confirm {
        let errors = FieldErrors::single("confirm", t.admin.passwords_differ);
        return html(
            StatusCode::UNPROCESSABLE_ENTITY,
            page(&state, token, form, errors, true, false),
        );
    }
    let input = NewAccountInput {
        username: form.username.clone(),
        display_name: form.display_name.clone(),
        email: form.email.clone(),
        job_title: String::new(),
        admin: true,
        password: Some(form.password.clone()),
    };
    match setup::create_admin(&state, &token, input).await {
        Ok(_) => html(
            StatusCode::CREATED,
            page(
                &state,
                String::new(),
                SetupForm::default(),
                FieldErrors::default(),
                true,
                true,
            ),
        ),
        Err(e) => match FieldErrors::from_domain(t, &e) {
            Some(errors) => html(
                StatusCode::UNPROCESSABLE_ENTITY,
                page(&state, token, form, errors, true, false),
            ),
            None => match e {
                DomainError::Conflict(m) => html(
                    StatusCode::CONFLICT,
                    page(
                        &state,
                        token,
                        form,
                        FieldErrors::single("username", m),
                        true,
                        false,
                    ),
                ),
                other => Err(other.into()),
            },
        },
    }
}
