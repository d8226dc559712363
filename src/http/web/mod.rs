//! The server-rendered web interface: thin handlers that call the domain and render templates.

pub mod action_plan;
pub mod admin;
pub mod admin_accounts;
pub mod admin_deliveries;
pub mod admin_mail;
pub mod assets;
pub mod communities;
pub mod community_members;
pub mod community_views;
pub mod directory;
pub mod discussions;
pub mod error_pages;
pub mod events;
pub mod federation;
pub mod federation_confirm;
pub mod format;
pub mod home;
pub mod i18n;
pub mod invitation;
pub mod layout;
pub mod login;
pub mod notifications;
pub mod oidc;
pub mod password_reset;
pub mod post_kinds;
pub mod profile;
pub mod profiles;
pub mod resources;
pub mod search;
pub mod setup;
// Issue 16: onboarding.
pub mod admin_import;
pub mod community_welcome;
pub mod first_hour;
pub mod onboarding;
// Issue 18: polls.
pub mod polls;
// Issue 14: private messages.
pub mod messages;
// Issue 15: notifications outside the app.
pub mod notification_prefs;
pub mod unsubscribe;
// Issue 18: attendance and attestations.
pub mod attendance;
pub mod excel_csv;
// Issue 15: Web Push and the installable app.
pub mod devices;
pub mod installable;
// Issue 19: writing aids (toolbar, preview, mentions).
pub mod compose;
pub mod reactions;
// Issue 19: photos in posts.
pub mod images;
// Issue 19: the language of each request.
pub mod language;

use actix_web::http::StatusCode;
use actix_web::http::header;
use actix_web::{HttpResponse, ResponseError};
use askama::Template;

use crate::domain::DomainError;
use i18n::Strings;

pub use layout::Layout;

/// An error answered to a browser.
#[derive(Debug, thiserror::Error)]
pub enum WebError {
    /// No session: go to the login page, then come back to `0`.
    #[error("login required")]
    LoginRequired(String),
    #[error("forbidden")]
    Forbidden,
    #[error("not found")]
    NotFound,
    #[error("CSRF check failed")]
    Csrf,
    #[error("malformed form")]
    BadForm,
    #[error(transparent)]
    Domain(#[from] DomainError),
    #[error("template error: {0}")]
    Render(#[from] askama::Error),
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    t: &'static Strings,
    message: &'a str,
}

impl ResponseError for WebError {
    fn status_code(&self) -> StatusCode {
        match self {
            WebError::LoginRequired(_) => StatusCode::SEE_OTHER,
            WebError::Forbidden | WebError::Csrf => StatusCode::FORBIDDEN,
            WebError::NotFound => StatusCode::NOT_FOUND,
            WebError::BadForm => StatusCode::BAD_REQUEST,
            WebError::Domain(d) => crate::http::error::classify(d).0,
            WebError::Render(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        if let WebError::LoginRequired(next) = self {
            let target = format!(
                "/login?next={}",
                url::form_urlencoded::byte_serialize(next.as_bytes()).collect::<String>()
            );
            return HttpResponse::SeeOther()
                .insert_header((header::LOCATION, target))
                .finish();
        }
        // Written in the request's language (`language::negotiated` runs around this);
        // `error_pages::framed` renders them again in the layout, with the request.
        let lang = language::current("fr");
        let t = i18n::strings(lang);
        let e = i18n::errors::strings(lang);
        let message = match self {
            WebError::Forbidden => e.forbidden,
            WebError::NotFound | WebError::Domain(DomainError::NotFound(_)) => e.not_found,
            WebError::Csrf => t.error_csrf,
            WebError::BadForm => e.bad_form,
            WebError::Domain(DomainError::Forbidden(why)) if why.contains("approved peer") => {
                e.not_federated
            }
            WebError::Domain(DomainError::Forbidden(_)) => e.forbidden,
            WebError::Domain(DomainError::Disabled) => e.disabled,
            WebError::Domain(DomainError::Conflict(_)) => e.conflict,
            WebError::Domain(DomainError::RateLimited { .. }) => e.rate_limited,
            WebError::Domain(DomainError::Unreachable(_) | DomainError::NotYet(_)) => e.unreachable,
            WebError::Domain(DomainError::Invalid { .. }) => e.invalid,
            WebError::Domain(DomainError::Db(crate::db::DbError::Unavailable(_))) => {
                i18n::faults::storage_unavailable(lang)
            }
            _ => t.error_internal,
        };
        let status = self.status_code();
        if status.is_server_error() {
            tracing::error!(error = %crate::http::error::error_chain(self), "web request failed");
        } else {
            // The agent reads a sentence; the cause, in English, is for the logs.
            tracing::info!(error = %crate::http::error::error_chain(self), %status, "web request refused");
        }
        let body = ErrorPage { t, message }
            .render()
            .unwrap_or_else(|_| message.to_owned());
        let mut res = HttpResponse::build(status)
            .content_type("text/html; charset=utf-8")
            .body(body);
        res.extensions_mut()
            .insert(error_pages::ErrorMessage(message));
        res
    }
}

pub type WebResult<T> = Result<T, WebError>;

/// Renders a template as a complete HTML response.
pub fn html(status: StatusCode, page: impl Template) -> WebResult<HttpResponse> {
    Ok(HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(page.render()?))
}

/// 303 to a local path.
pub fn redirect(to: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, to))
        .finish()
}

/// A form error shown next to its field.
#[derive(Debug, Clone, Default)]
pub struct FieldErrors(Vec<(&'static str, String)>);

impl FieldErrors {
    pub fn from_domain(t: &Strings, e: &DomainError) -> Option<Self> {
        match e {
            DomainError::Invalid { field, rule } => Some(Self(vec![(field, i18n::rule(t, rule))])),
            _ => None,
        }
    }

    pub fn get(&self, field: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, m)| m.as_str())
    }

    /// One error on one field (a message already in words, such as a conflict).
    pub fn single(field: &'static str, message: impl Into<String>) -> Self {
        Self(vec![(field, message.into())])
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}
