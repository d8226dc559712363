//! `/admin/federation/{authority}/{decision}`: the confirmation page of approve, refuse and
//! revoke, and the decision itself once confirmed (a ticked box, no JavaScript needed).

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, get, post, web};
use askama::Template;
use serde::Deserialize;

use super::i18n::federation::FederationStrings;
use super::{Layout, WebError, WebResult, html, redirect};
use crate::domain::DomainError;
use crate::domain::peers::{self, Peer};
use crate::domain::sessions::Session;
use crate::http::auth::{AdminSession, SessionForm};
use crate::state::AppState;

#[derive(Template)]
#[template(path = "admin/federation_confirm.html")]
struct ConfirmPage {
    layout: Layout,
    a: &'static FederationStrings,
    authority: String,
    /// The institution's name (its address when it gave none).
    name: String,
    decision: &'static str,
    button: &'static str,
    text: String,
    missing_confirm: bool,
    conflict: Option<String>,
}

/// The decision named in the URL, with its button and its explanation.
fn decision(
    a: &'static FederationStrings,
    raw: &str,
) -> WebResult<(&'static str, &'static str, &'static str)> {
    Ok(match raw {
        "approve" => ("approve", a.approve, a.confirm_approve),
        "refuse" => ("refuse", a.refuse, a.confirm_refuse),
        "revoke" => ("revoke", a.revoke, a.confirm_revoke),
        _ => return Err(WebError::NotFound),
    })
}

async fn confirm_page(
    state: &AppState,
    session: &Session,
    authority: &str,
    raw: &str,
    status: StatusCode,
    missing_confirm: bool,
    conflict: Option<String>,
) -> WebResult<HttpResponse> {
    let a = Layout::strings(state).federation;
    let (decision, button, text) = decision(a, raw)?;
    // Only known peers: the URL is not a way to write arbitrary names on the page.
    let peer = peers::get(state, authority).await.map_err(|e| match e {
        DomainError::NotFound(_) | DomainError::Invalid { .. } => WebError::NotFound,
        other => other.into(),
    })?;
    html(
        status,
        ConfirmPage {
            layout: Layout::new(state, Some(session), a.confirm_title, "admin"),
            a,
            // Without a name, the sentence points at the address field below it.
            text: text.replace(
                "{}",
                &named(&peer).unwrap_or_else(|| {
                    super::i18n::ui::strings(crate::http::web::language::current(
                        &state.config.locale,
                    ))
                    .unnamed_institution
                    .to_owned()
                }),
            ),
            name: named(&peer).unwrap_or_default(),
            authority: peer.authority,
            decision,
            button,
            missing_confirm,
            conflict,
        },
    )
}

#[get("/admin/federation/{authority}/{decision}")]
pub async fn confirm(
    state: web::Data<AppState>,
    admin: AdminSession,
    path: web::Path<(String, String)>,
) -> WebResult<HttpResponse> {
    let (authority, raw) = path.into_inner();
    confirm_page(
        &state,
        &admin.0,
        &authority,
        &raw,
        StatusCode::OK,
        false,
        None,
    )
    .await
}

#[derive(Deserialize)]
pub struct ConfirmForm {
    confirm: Option<String>,
}

#[post("/admin/federation/{authority}/{decision}")]
pub async fn decide(
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
    form: SessionForm<ConfirmForm>,
) -> WebResult<HttpResponse> {
    let SessionForm { session, data } = form;
    if !session.account.is_admin() {
        return Err(WebError::Forbidden);
    }
    let (authority, raw) = path.into_inner();
    let a = Layout::strings(&state).federation;
    let (decision, _, _) = decision(a, &raw)?;
    if data.confirm.as_deref() != Some("yes") {
        let status = StatusCode::UNPROCESSABLE_ENTITY;
        return confirm_page(&state, &session, &authority, decision, status, true, None).await;
    }
    let by = session.account.username.clone();
    let result = match decision {
        "approve" => peers::approve(&state, &authority, &by).await,
        "refuse" => peers::refuse(&state, &authority, &by).await,
        _ => peers::revoke(&state, &authority, &by).await,
    };
    match result {
        Ok(_) => Ok(redirect(&format!("/admin/federation?done={decision}"))),
        Err(DomainError::Conflict(m)) => {
            tracing::info!(reason = %m, "federation decision refused");
            let status = StatusCode::CONFLICT;
            confirm_page(
                &state,
                &session,
                &authority,
                decision,
                status,
                false,
                Some(m),
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

/// The peer as the confirmation names it: its institution (its address, shown in its own
/// field, only when it gave no name).
fn named(peer: &Peer) -> Option<String> {
    let name = if peer.institution.is_empty() {
        &peer.verified_institution
    } else {
        &peer.institution
    };
    (!name.is_empty()).then(|| name.clone())
}
