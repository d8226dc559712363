//! `/admin/federation`: peers grouped by state, the request form, and approve / refuse /
//! revoke, each through a confirmation page. Thin: the rules are in `domain::peers`.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, get, post, web};
use askama::Template;
use serde::Deserialize;

use super::format::datetime;
use super::i18n::federation::{FederationStrings, branch_label, kind_label};
use super::{FieldErrors, Layout, WebError, WebResult, html, redirect};
use crate::domain::DomainError;
use crate::domain::peers::{self, Peer};
use crate::domain::sessions::Session;
use crate::http::auth::{AdminSession, SessionForm};
use crate::state::AppState;

struct PeerView {
    peer: Peer,
    received: String,
    decided: String,
    kind: String,
    verified_kind: String,
    branch: String,
}

/// A decision offered on a peer: its name in the URL and its button label.
type Action = (&'static str, &'static str);

struct Group {
    id: &'static str,
    title: &'static str,
    peers: Vec<PeerView>,
    /// (decision, button label) offered for each peer of the group.
    actions: Vec<Action>,
}

#[derive(Default, Deserialize)]
pub struct RequestForm {
    #[serde(default)]
    authority: String,
    #[serde(default)]
    message: String,
}

#[derive(Template)]
#[template(path = "admin/federation.html")]
struct FederationPage {
    layout: Layout,
    a: &'static FederationStrings,
    groups: Vec<Group>,
    done: Option<&'static str>,
    form: RequestForm,
    errors: FieldErrors,
    conflict: Option<String>,
}

fn groups(state: &AppState, a: &'static FederationStrings, list: Vec<Peer>) -> Vec<Group> {
    let lang = Layout::strings(state).lang;
    let tz = &state.config.timezone;
    let when = |ms: Option<i64>| ms.map(|ms| datetime(ms, tz, lang)).unwrap_or_default();
    let spec: [(&str, &str, Vec<Action>); 7] = [
        (
            peers::PENDING,
            a.group_pending,
            vec![("approve", a.approve), ("refuse", a.refuse)],
        ),
        (
            peers::REQUESTED,
            a.group_requested,
            vec![("revoke", a.withdraw)],
        ),
        (
            peers::APPROVED,
            a.group_approved,
            vec![("revoke", a.revoke)],
        ),
        (peers::MANUAL, a.group_manual, vec![("revoke", a.revoke)]),
        (peers::REFUSED, a.group_refused, vec![]),
        (peers::REVOKED, a.group_revoked, vec![]),
        (peers::DENIED, a.group_denied, vec![]),
    ];
    let mut list = list;
    spec.into_iter()
        .map(|(id, title, actions)| {
            let (mine, rest): (Vec<Peer>, Vec<Peer>) = list.drain(..).partition(|p| p.state == id);
            list = rest;
            Group {
                id,
                title,
                peers: mine
                    .into_iter()
                    .map(|peer| PeerView {
                        received: when(peer.last_request_at),
                        decided: when(peer.decided_at),
                        kind: kind_label(lang, &peer.kind),
                        verified_kind: kind_label(lang, &peer.verified_kind),
                        branch: branch_label(lang, &peer.branch),
                        peer,
                    })
                    .collect(),
                actions,
            }
        })
        .collect()
}

async fn render(
    state: &AppState,
    session: &Session,
    status: StatusCode,
    done: Option<&'static str>,
    form: RequestForm,
    errors: FieldErrors,
    conflict: Option<String>,
) -> WebResult<HttpResponse> {
    let a = Layout::strings(state).federation;
    let list = peers::list(state).await?;
    html(
        status,
        FederationPage {
            layout: Layout::new(state, Some(session), a.federation_title, "admin"),
            a,
            groups: groups(state, a, list),
            done,
            form,
            errors,
            conflict,
        },
    )
}

#[derive(Deserialize)]
pub struct Done {
    done: Option<String>,
}

fn done_text(a: &'static FederationStrings, what: &str) -> Option<&'static str> {
    Some(match what {
        "request" => a.done_request,
        "approve" => a.done_approve,
        "refuse" => a.done_refuse,
        "revoke" => a.done_revoke,
        _ => return None,
    })
}

#[get("/admin/federation")]
pub async fn page(
    state: web::Data<AppState>,
    admin: AdminSession,
    q: web::Query<Done>,
) -> WebResult<HttpResponse> {
    let a = Layout::strings(&state).federation;
    let done = q.done.as_deref().and_then(|d| done_text(a, d));
    let form = RequestForm::default();
    render(
        &state,
        &admin.0,
        StatusCode::OK,
        done,
        form,
        FieldErrors::default(),
        None,
    )
    .await
}

#[post("/admin/federation/request")]
pub async fn request(
    state: web::Data<AppState>,
    form: SessionForm<RequestForm>,
) -> WebResult<HttpResponse> {
    let SessionForm { session, data } = form;
    if !session.account.is_admin() {
        return Err(WebError::Forbidden);
    }
    let t = Layout::strings(&state);
    let by = session.account.username.clone();
    match peers::request(&state, &data.authority, &data.message, &by).await {
        Ok(_) => Ok(redirect("/admin/federation?done=request")),
        Err(e) => {
            let (status, errors, conflict) = match (&e, FieldErrors::from_domain(t, &e)) {
                (_, Some(errors)) => (StatusCode::UNPROCESSABLE_ENTITY, errors, None),
                (DomainError::Conflict(m), None) => {
                    tracing::info!(reason = %m, "federation request refused");
                    (
                        StatusCode::CONFLICT,
                        FieldErrors::default(),
                        Some(m.clone()),
                    )
                }
                _ => return Err(e.into()),
            };
            render(&state, &session, status, None, data, errors, conflict).await
        }
    }
}
