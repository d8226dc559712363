//! A community's members: the list (members only), and what animateurs do to members
//! (approve, reject, ban, name an animateur, invite).

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, get, post, web};
use askama::Template;
use serde::Deserialize;

use super::communities::{community, show_community};
use super::community_views::CommunityView;
use super::community_views::cstrings;
use super::i18n::communities::CStrings;
use super::{FieldErrors, Layout, WebError, WebResult, html, redirect};
use crate::db::MemberRow;
use crate::domain::{DomainError, communities, memberships};
use crate::http::auth::SessionForm;
use crate::http::extract::{MemberOf, Web};
use crate::state::AppState;

#[derive(Deserialize)]
pub struct MemberAction {
    actor: String,
    action: String,
}

/// Approve, reject, ban, promote: one form per member, the button says which.
#[post("/communities/{handle}/members")]
pub async fn member_action(
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: SessionForm<MemberAction>,
) -> WebResult<HttpResponse> {
    let c = community(&state, &path).await?;
    let (account, d) = (&form.session.account, &form.data);
    match d.action.as_str() {
        "approve" => memberships::decide(&state, account, &c, &d.actor, true).await?,
        "reject" => memberships::decide(&state, account, &c, &d.actor, false).await?,
        "ban" => memberships::ban(&state, account, &c, &d.actor).await?,
        "animateur" => memberships::set_role(&state, account, &c, &d.actor, true).await?,
        _ => return Err(WebError::BadForm),
    }
    let back = if d.action == "approve" || d.action == "reject" {
        ""
    } else {
        "/members"
    };
    Ok(redirect(&format!("/communities/{path}{back}")))
}

#[derive(Deserialize)]
pub struct InviteForm {
    handle: String,
}

#[post("/communities/{handle}/invite")]
pub async fn invite(
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: SessionForm<InviteForm>,
) -> WebResult<HttpResponse> {
    let c = community(&state, &path).await?;
    match memberships::invite(&state, &form.session.account, &c, &form.data.handle).await {
        Ok(_) => Ok(redirect(&format!("/communities/{path}"))),
        Err(e @ DomainError::Forbidden(_)) => Err(e.into()),
        Err(e) => {
            let errors = FieldErrors::single("invite", e.to_string());
            show_community(
                &state,
                &form.session,
                &c,
                StatusCode::UNPROCESSABLE_ENTITY,
                errors,
            )
            .await
        }
    }
}

#[derive(Template)]
#[template(path = "members.html")]
struct MembersPage {
    layout: Layout,
    s: &'static CStrings,
    c: CommunityView,
    members: Vec<MemberRow>,
    animateur: bool,
}

#[get("/communities/{handle}/members")]
pub async fn members(state: web::Data<AppState>, member: MemberOf<Web>) -> WebResult<HttpResponse> {
    let (session, c) = (&member.caller, &member.community);
    let animateur = communities::require_animateur(&state, c, &session.account)
        .await
        .is_ok();
    let s = cstrings(&state);
    let members = communities::members(&state, c, &session.account).await?;
    html(
        StatusCode::OK,
        MembersPage {
            layout: Layout::new(&state, Some(session), s.members_title, "communities"),
            s,
            c: CommunityView::new(&state, c, s),
            members,
            animateur,
        },
    )
}
