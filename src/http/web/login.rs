//! Logging in and out.

use actix_web::cookie::{Cookie, SameSite, time::Duration as CookieDuration};
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use askama::Template;
use serde::Deserialize;

use super::{Layout, WebResult, html, redirect};
use crate::domain::DomainError;
use crate::domain::sessions::{self, SESSION_TTL_MS, random_token};
use crate::http::auth::{
    AnonymousForm, LOGIN_CSRF_COOKIE, MaybeSession, SESSION_COOKIE, SessionForm, client_addr,
};
use crate::state::AppState;

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    layout: Layout,
    username: String,
    next: String,
    error: Option<&'static str>,
    /// The provider's button label, when OpenID Connect sign-in is configured.
    oidc_button: Option<String>,
    password_login: bool,
}

#[derive(Deserialize)]
pub struct NextQuery {
    next: Option<String>,
}

/// Only local paths: `next` must never send the agent to another site.
pub(super) fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.contains('\\') => n.to_owned(),
        _ => "/".to_owned(),
    }
}

pub(super) fn cookie<'a>(
    state: &AppState,
    name: &'a str,
    value: String,
    max_age: CookieDuration,
) -> Cookie<'a> {
    Cookie::build(name, value)
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(!state.config.allow_http)
        .max_age(max_age)
        .finish()
}

fn render(
    state: &AppState,
    status: StatusCode,
    csrf: String,
    username: String,
    next: String,
    error: Option<&'static str>,
) -> WebResult<HttpResponse> {
    let mut layout = Layout::new(state, None, Layout::strings(state).login_title, "login");
    layout.csrf_token = csrf.clone();
    let mut res = html(
        status,
        LoginPage {
            layout,
            username,
            oidc_button: state.config.oidc.as_ref().map(|o| o.button_label.clone()),
            password_login: state.config.password_login,
            next,
            error,
        },
    )?;
    res.add_cookie(&cookie(
        state,
        LOGIN_CSRF_COOKIE,
        csrf,
        CookieDuration::hours(2),
    ))
    .map_err(|_| super::WebError::BadForm)?;
    Ok(res)
}

#[get("/login")]
pub async fn show(
    state: web::Data<AppState>,
    req: HttpRequest,
    session: MaybeSession,
    query: web::Query<NextQuery>,
) -> WebResult<HttpResponse> {
    let next = safe_next(query.next.as_deref());
    if session.0.is_some() {
        return Ok(redirect(&next));
    }
    let csrf = req
        .cookie(LOGIN_CSRF_COOKIE)
        .map(|c| c.value().to_owned())
        .filter(|v| v.len() == 43)
        .unwrap_or_else(random_token);
    render(&state, StatusCode::OK, csrf, String::new(), next, None)
}

#[derive(Deserialize)]
pub struct LoginForm {
    username: String,
    password: String,
    next: Option<String>,
    csrf_token: String,
}

#[post("/login")]
pub async fn submit(
    state: web::Data<AppState>,
    req: HttpRequest,
    posted: AnonymousForm<LoginForm>,
) -> WebResult<HttpResponse> {
    let AnonymousForm(form) = posted;
    let next = safe_next(form.next.as_deref());
    let t = Layout::strings(&state);
    match sessions::login(&state, &form.username, &form.password, &client_addr(&req)).await {
        Ok((token, _)) => {
            let mut res = redirect(&next);
            let max_age = CookieDuration::milliseconds(SESSION_TTL_MS);
            res.add_cookie(&cookie(&state, SESSION_COOKIE, token, max_age))
                .map_err(|_| super::WebError::BadForm)?;
            Ok(res)
        }
        Err(e) => {
            let (status, message) = match e {
                DomainError::Unauthenticated | DomainError::Invalid { .. } => {
                    (StatusCode::UNAUTHORIZED, t.login_failed)
                }
                DomainError::Disabled => (StatusCode::FORBIDDEN, t.login_disabled),
                DomainError::Forbidden(_) => (StatusCode::FORBIDDEN, t.oidc.password_off),
                DomainError::RateLimited { .. } => {
                    (StatusCode::TOO_MANY_REQUESTS, t.login_rate_limited)
                }
                other => return Err(other.into()),
            };
            render(
                &state,
                status,
                form.csrf_token,
                form.username,
                next,
                Some(message),
            )
        }
    }
}

#[derive(Deserialize)]
pub struct Empty {}

#[post("/logout")]
pub async fn logout(
    state: web::Data<AppState>,
    req: HttpRequest,
    _form: SessionForm<Empty>,
) -> WebResult<HttpResponse> {
    let mut target = "/login".to_owned();
    if let Some(c) = req.cookie(SESSION_COOKIE) {
        target = super::oidc::logout_target(&state, c.value()).await?;
        sessions::logout(&state, c.value()).await?;
    }
    let mut res = redirect(&target);
    res.add_removal_cookie(&cookie(
        &state,
        SESSION_COOKIE,
        String::new(),
        CookieDuration::ZERO,
    ))
    .map_err(|_| super::WebError::BadForm)?;
    Ok(res)
}
