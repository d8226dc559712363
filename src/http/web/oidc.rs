//! Sign-in through the OpenID Connect provider (ProConnect): the button's POST, the callback,
//! and the page that says why a sign-in was refused. The rules are the domain's
//! (`oidc_signin`), the protocol is `crate::oidc`.

use actix_web::cookie::time::Duration as CookieDuration;
use actix_web::cookie::{Cookie, SameSite};
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use askama::Template;
use serde::Deserialize;

use super::login::{cookie, safe_next};
use super::{Layout, WebError, WebResult, html, redirect};
use crate::auth_compare::tokens_match;
use crate::domain::oidc_signin::{self, Refusal};
use crate::domain::sessions::SESSION_TTL_MS;
use crate::http::auth::{AnonymousForm, SESSION_COOKIE};
use crate::oidc::{self as protocol, OidcError};
use crate::state::AppState;

/// The browser that started a sign-in keeps its `state` here: the callback must come back to
/// that browser, so a callback URL sent to someone else signs nobody in (login CSRF).
const STATE_COOKIE: &str = "ep_oidc_state";

fn state_cookie(state: &AppState, value: String, max_age: CookieDuration) -> Cookie<'static> {
    // Lax: sent on the provider's top-level redirect back to the callback.
    Cookie::build(STATE_COOKIE, value)
        .path("/login/oidc")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(!state.config.allow_http)
        .max_age(max_age)
        .finish()
}

#[derive(Template)]
#[template(path = "oidc_refused.html")]
struct RefusedPage {
    layout: Layout,
    message: String,
}

fn refused(state: &AppState, status: StatusCode, message: String) -> WebResult<HttpResponse> {
    let t = Layout::strings(state);
    let layout = Layout::new(state, None, t.oidc.refused_title, "login");
    html(status, RefusedPage { layout, message })
}

#[derive(Deserialize)]
pub struct StartForm {
    next: Option<String>,
}

/// The button: a new sign-in (state, nonce, PKCE kept here), then off to the provider.
#[post("/login/oidc")]
pub async fn start(
    state: web::Data<AppState>,
    posted: AnonymousForm<StartForm>,
) -> WebResult<HttpResponse> {
    let Some(oidc) = state.config.oidc.as_ref() else {
        return Err(WebError::NotFound);
    };
    let next = safe_next(posted.0.next.as_deref());
    let (challenge, verifier) = protocol::new_pkce();
    let started = oidc_signin::start(&state, &next, &verifier).await?;
    match protocol::authorization_url(
        &state.config,
        oidc,
        challenge,
        &started.state,
        &started.nonce,
    )
    .await
    {
        Ok(auth) => {
            let mut res = redirect(&auth.url);
            let max_age = CookieDuration::milliseconds(oidc_signin::PENDING_TTL_MS);
            res.add_cookie(&state_cookie(&state, started.state, max_age))
                .map_err(|_| WebError::BadForm)?;
            Ok(res)
        }
        Err(e) => protocol_refusal(&state, e),
    }
}

#[derive(Deserialize)]
pub struct Callback {
    code: Option<String>,
    state: Option<String>,
    error: Option<String>,
}

/// The provider sends the browser back here with a code (or an error) and the state.
#[get("/login/oidc/callback")]
pub async fn callback(
    state: web::Data<AppState>,
    req: HttpRequest,
    query: web::Query<Callback>,
) -> WebResult<HttpResponse> {
    let this_browser = req.cookie(STATE_COOKIE).map(|c| c.value().to_owned());
    let ours = query
        .state
        .as_deref()
        .filter(|s| tokens_match(this_browser.as_deref().unwrap_or_default(), s));
    let mut res = callback_response(&state, ours, &query).await?;
    if ours.is_some() {
        // This browser's state is spent, whatever the outcome.
        res.add_removal_cookie(&state_cookie(&state, String::new(), CookieDuration::ZERO))
            .map_err(|_| WebError::BadForm)?;
    }
    Ok(res)
}

/// `ours`: the returned state when it is the one this browser started.
async fn callback_response(
    state: &AppState,
    ours: Option<&str>,
    query: &Callback,
) -> WebResult<HttpResponse> {
    let Some(oidc) = state.config.oidc.as_ref() else {
        return Err(WebError::NotFound);
    };
    let t = Layout::strings(state).oidc;
    let pending = match ours {
        Some(s) => oidc_signin::take(state, s).await?,
        None => None,
    };
    let Some(pending) = pending else {
        tracing::warn!(
            reason = "unknown, expired, replayed or another browser's state",
            "oidc sign-in refused"
        );
        return refused(state, StatusCode::BAD_REQUEST, t.state_invalid.to_owned());
    };
    let code = match (&query.error, &query.code) {
        (None, Some(code)) => code,
        (error, _) => {
            let error = error.as_deref().unwrap_or("no code");
            tracing::warn!(reason = %error.chars().take(80).collect::<String>(), "oidc sign-in refused by the provider");
            return refused(state, StatusCode::BAD_REQUEST, t.provider_error.to_owned());
        }
    };
    let identity = match protocol::finish(
        &state.config,
        oidc,
        code,
        &pending.nonce,
        &pending.pkce_verifier,
    )
    .await
    {
        Ok(identity) => identity,
        Err(e) => return protocol_refusal(state, e),
    };
    match oidc_signin::sign_in(state, &identity).await {
        Ok((token, _)) => {
            let mut res = redirect(&pending.next);
            let max_age = CookieDuration::milliseconds(SESSION_TTL_MS);
            res.add_cookie(&cookie(state, SESSION_COOKIE, token, max_age))
                .map_err(|_| WebError::BadForm)?;
            Ok(res)
        }
        Err(Refusal::Fault(e)) => Err(e.into()),
        Err(refusal) => {
            tracing::warn!(reason = %refusal, subject = %identity.subject, "oidc sign-in refused");
            let (status, message) = match &refusal {
                Refusal::SiretNotAllowed(siret) => (
                    StatusCode::FORBIDDEN,
                    t.siret_refused
                        .replace("{siret}", siret.as_deref().unwrap_or("inconnu")),
                ),
                Refusal::EmailUnverified => (StatusCode::FORBIDDEN, t.email_unverified.to_owned()),
                Refusal::MissingClaims => (StatusCode::FORBIDDEN, t.missing_claims.to_owned()),
                Refusal::EmailAmbiguous | Refusal::AlreadyLinked => {
                    (StatusCode::CONFLICT, t.email_ambiguous.to_owned())
                }
                Refusal::Disabled | Refusal::Fault(_) => {
                    (StatusCode::FORBIDDEN, t.disabled.to_owned())
                }
            };
            refused(state, status, message)
        }
    }
}

/// The page for a protocol failure, its reason logged (never a token).
fn protocol_refusal(state: &AppState, e: OidcError) -> WebResult<HttpResponse> {
    let t = Layout::strings(state).oidc;
    tracing::warn!(reason = %e, "oidc sign-in refused");
    let (status, message) = match e {
        OidcError::Unreachable(_) => (StatusCode::BAD_GATEWAY, t.provider_unreachable),
        OidcError::Refused(_) => (StatusCode::BAD_REQUEST, t.provider_error),
        OidcError::Invalid(_) => (StatusCode::BAD_REQUEST, t.token_invalid),
    };
    refused(state, status, message.to_owned())
}

/// Where the browser goes after the local session of `cookie` ended: the provider's logout
/// when the session came from it and the provider has one, else the login page.
pub async fn logout_target(state: &AppState, cookie: &str) -> WebResult<String> {
    let Some(id_token) = oidc_signin::end_session(state, cookie).await? else {
        return Ok("/login".to_owned());
    };
    let Some(oidc) = state.config.oidc.as_ref() else {
        return Ok("/login".to_owned());
    };
    match protocol::end_session_url(&state.config, oidc, &id_token).await {
        Ok(Some(url)) => Ok(url),
        Ok(None) => Ok("/login".to_owned()),
        Err(e) => {
            // The local session is over whatever the provider says.
            tracing::warn!(reason = %e, "oidc logout: provider's logout skipped");
            Ok("/login".to_owned())
        }
    }
}
