//! Who is calling: extractors for API tokens, web sessions, and CSRF-checked web forms.

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::web::{Bytes, Data};
use actix_web::{FromRequest, HttpRequest};
use futures_util::future::LocalBoxFuture;
use serde::de::DeserializeOwned;

use super::error::ApiError;
use super::web::WebError;
use crate::domain::accounts::Account;
use crate::domain::sessions::{self, Session};
use crate::domain::{DomainError, tokens};
use crate::state::AppState;

pub const SESSION_COOKIE: &str = "ep_session";
/// Double-submit token of the login form, which has no session yet.
pub const LOGIN_CSRF_COOKIE: &str = "ep_csrf";
/// Web forms are small; anything larger is refused before parsing.
pub const FORM_LIMIT: usize = 64 * 1024;

fn state(req: &HttpRequest) -> Option<Data<AppState>> {
    req.app_data::<Data<AppState>>().cloned()
}

/// The address the client called from, for rate limiting: the TCP peer, or what a trusted
/// proxy (`trusted_proxies`) forwarded for.
pub fn client_addr(req: &HttpRequest) -> String {
    let Some(peer) = req.peer_addr().map(|a| a.ip()) else {
        return "unknown".into();
    };
    match state(req) {
        Some(state) => {
            super::forwarded::client_address(peer, req.headers(), &state.config.trusted_proxies)
                .to_string()
        }
        None => peer.to_string(),
    }
}

/// An API caller authenticated by a personal token (`Authorization: Bearer ep_…`).
pub struct ApiCaller(pub Account);

impl FromRequest for ApiCaller {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let state = state(req);
        let bearer = req
            .headers()
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(|s| s.trim().to_owned());
        Box::pin(async move {
            let state = state.ok_or(ApiError::Unauthorized("no application state"))?;
            let secret = bearer.ok_or(ApiError::Unauthorized(
                "an API token is required: Authorization: Bearer <token>",
            ))?;
            Ok(ApiCaller(tokens::authenticate(&state, &secret).await?))
        })
    }
}

/// An API caller whose account is an admin of this node.
pub struct ApiAdmin(pub Account);

impl FromRequest for ApiAdmin {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let caller = ApiCaller::from_request(req, payload);
        Box::pin(async move {
            let ApiCaller(account) = caller.await?;
            if !account.is_admin() {
                return Err(ApiError::Forbidden("this needs an admin token"));
            }
            Ok(ApiAdmin(account))
        })
    }
}

pub(crate) async fn session_of(req: &HttpRequest) -> Result<Option<Session>, DomainError> {
    let Some(state) = state(req) else {
        return Ok(None);
    };
    match req.cookie(SESSION_COOKIE) {
        Some(c) => sessions::from_cookie(&state, c.value()).await,
        None => Ok(None),
    }
}

/// The web session, when the browser has one.
pub struct MaybeSession(pub Option<Session>);

impl FromRequest for MaybeSession {
    type Error = WebError;
    type Future = LocalBoxFuture<'static, Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move { Ok(MaybeSession(session_of(&req).await?)) })
    }
}

/// A required web session: without one, the browser is sent to the login page.
pub struct WebSession(pub Session);

impl FromRequest for WebSession {
    type Error = WebError;
    type Future = LocalBoxFuture<'static, Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            match session_of(&req).await? {
                Some(s) => Ok(WebSession(s)),
                None => Err(WebError::LoginRequired(req.uri().path().to_owned())),
            }
        })
    }
}

/// A web session of an admin of this node.
pub struct AdminSession(pub Session);

impl FromRequest for AdminSession {
    type Error = WebError;
    type Future = LocalBoxFuture<'static, Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let session = WebSession::from_request(req, payload);
        Box::pin(async move {
            let WebSession(s) = session.await?;
            if !s.account.is_admin() {
                return Err(WebError::Forbidden);
            }
            Ok(AdminSession(s))
        })
    }
}

#[derive(serde::Deserialize)]
struct CsrfField {
    #[serde(default)]
    csrf_token: String,
}

pub use crate::auth_compare::tokens_match;

/// A browser that says where the form came from must say it came from us.
fn same_origin(req: &HttpRequest, state: &AppState) -> bool {
    match req
        .headers()
        .get(header::ORIGIN)
        .and_then(|v| v.to_str().ok())
    {
        None | Some("null") => true,
        Some(origin) => {
            url::Url::parse(origin)
                .ok()
                .and_then(|u| {
                    let host = u.host_str()?.to_owned();
                    Some(match u.port() {
                        Some(p) => format!("{host}:{p}"),
                        None => host,
                    })
                })
                .as_deref()
                == Some(state.config.authority.as_str())
        }
    }
}

/// A form posted by a logged-in browser, checked against the session's CSRF token and the
/// `Origin` header before the handler sees it.
pub struct SessionForm<T> {
    pub session: Session,
    pub data: T,
}

impl<T: DeserializeOwned + 'static> FromRequest for SessionForm<T> {
    type Error = WebError;
    type Future = LocalBoxFuture<'static, Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let req = req.clone();
        let body = Bytes::from_request(&req, payload);
        Box::pin(async move {
            let body = body.await.map_err(|_| WebError::BadForm)?;
            if body.len() > FORM_LIMIT {
                return Err(WebError::BadForm);
            }
            let session = session_of(&req)
                .await?
                .ok_or_else(|| WebError::LoginRequired(req.uri().path().to_owned()))?;
            let state = state(&req).ok_or(WebError::BadForm)?;
            let csrf: CsrfField =
                serde_urlencoded::from_bytes(&body).map_err(|_| WebError::BadForm)?;
            if !same_origin(&req, &state) || !tokens_match(&session.csrf_token, &csrf.csrf_token) {
                return Err(WebError::Csrf);
            }
            let data = serde_urlencoded::from_bytes(&body).map_err(|_| WebError::BadForm)?;
            Ok(SessionForm { session, data })
        })
    }
}

/// For a form that is not URL-encoded (a file upload), step one, before its body is read:
/// the session, so that a request without one is answered without reading a byte of it.
pub async fn session_before_upload(req: &HttpRequest) -> Result<Session, WebError> {
    session_of(req)
        .await?
        .ok_or_else(|| WebError::LoginRequired(req.uri().path().to_owned()))
}

/// Step two, once the form is read: its CSRF token and the `Origin` header, checked as
/// [`SessionForm`] does.
pub fn check_upload_form(
    req: &HttpRequest,
    session: &Session,
    csrf_token: &str,
) -> Result<(), WebError> {
    let state = state(req).ok_or(WebError::BadForm)?;
    if !same_origin(req, &state) || !tokens_match(&session.csrf_token, csrf_token) {
        return Err(WebError::Csrf);
    }
    Ok(())
}

/// A form posted without a session (the login form), checked by double submit: the hidden
/// field must equal the cookie set when the form was shown.
pub struct AnonymousForm<T>(pub T);

impl<T: DeserializeOwned + 'static> FromRequest for AnonymousForm<T> {
    type Error = WebError;
    type Future = LocalBoxFuture<'static, Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let req = req.clone();
        let body = Bytes::from_request(&req, payload);
        Box::pin(async move {
            let body = body.await.map_err(|_| WebError::BadForm)?;
            if body.len() > FORM_LIMIT {
                return Err(WebError::BadForm);
            }
            let state = state(&req).ok_or(WebError::BadForm)?;
            let csrf: CsrfField =
                serde_urlencoded::from_bytes(&body).map_err(|_| WebError::BadForm)?;
            let cookie = req.cookie(LOGIN_CSRF_COOKIE).map(|c| c.value().to_owned());
            if !same_origin(&req, &state)
                || !tokens_match(cookie.as_deref().unwrap_or_default(), &csrf.csrf_token)
            {
                return Err(WebError::Csrf);
            }
            let data = serde_urlencoded::from_bytes(&body).map_err(|_| WebError::BadForm)?;
            Ok(AnonymousForm(data))
        })
    }
}
