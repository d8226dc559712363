//! A community's members: the list (members only), and what animateurs do to members
//! (approve, reject, ban, name an animateur, invite).

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, get, post, web};
use askama::Template;
use serde::Deserialize;

use super::communities::{Picking, community, show_community_with};
use super::community_views::CommunityView;
use super::community_views::cstrings;
use super::i18n::communities::CStrings;
use super::i18n::pickers::strings as pickers_strings;
use super::{FieldErrors, Layout, WebError, WebResult, html, redirect};
use crate::db::MemberRow;
use crate::domain::pickers::{self, Which};
use crate::domain::{DomainError, communities, memberships};
use crate::http::auth::SessionForm;
use crate::http::extract::{MemberOf, Web};
use crate::state::AppState;

#[derive(Deserialize)]
pub struct MemberAction {
    actor: String,
    action: String,
    /// Issue 18: the request (the agent's `Follow`) when the community is hosted elsewhere.
    #[serde(default)]
    follow: String,
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
        // Issue 18: an animateur of another node; the host decides.
        "approve" | "reject" if c.is_local == 0 => {
            let approve = d.action == "approve";
            memberships::propose_decision(&state, account, &c, &d.follow, approve).await?
        }
        "approve" => memberships::decide(&state, account, &c, &d.actor, true).await?,
        "reject" => memberships::decide(&state, account, &c, &d.actor, false).await?,
        "ban" => memberships::ban(&state, account, &c, &d.actor).await?,
        "animateur" => memberships::set_role(&state, account, &c, &d.actor, true).await?,
        _ => return Err(WebError::BadForm),
    }
    let back = match d.action.as_str() {
        "approve" => "?fait=acceptee#requests-title",
        "reject" => "?fait=refusee#requests-title",
        _ => "/members",
    };
    Ok(redirect(&format!("/communities/{path}{back}")))
}

#[derive(Deserialize)]
pub struct InviteForm {
    handle: String,
}

/// An address invites at once; a name invites the one person it matches, or lists the
/// people it matches, each with a button that sends their address.
#[post("/communities/{handle}/invite")]
pub async fn invite(
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: SessionForm<InviteForm>,
) -> WebResult<HttpResponse> {
    let c = community(&state, &path).await?;
    let typed = form.data.handle.trim();
    let p = pickers_strings(crate::http::web::language::current(&state.config.locale));
    let mut picking = Picking {
        typed: typed.to_owned(),
        ..Default::default()
    };
    let address = if pickers::looks_like_address(typed) {
        Some(typed.to_owned())
    } else {
        let mut found = pickers::find(&state, typed, Which::People).await?;
        // The one who invites is never a candidate.
        found.retain(|f| f.ap_id != form.session.account.actor);
        match found.len() {
            0 => {
                picking.error = Some(p.no_person.to_owned());
                None
            }
            1 => found.pop().map(|f| f.address),
            _ => {
                picking.error = Some(p.several_people.to_owned());
                picking.candidates = found;
                None
            }
        }
    };
    if let Some(address) = address {
        match memberships::invite(&state, &form.session.account, &c, &address).await {
            Ok(_) => {
                return Ok(redirect(&format!(
                    "/communities/{path}?fait=invitation#invite-title"
                )));
            }
            Err(e @ (DomainError::Forbidden(_) | DomainError::Db(_))) => return Err(e.into()),
            Err(e) => {
                tracing::info!(error = %e, "invitation refused");
                let s = cstrings(&state);
                picking.error = Some(
                    if matches!(e, DomainError::Conflict(_)) {
                        s.invite_already_member
                    } else {
                        s.invite_unknown
                    }
                    .to_owned(),
                );
            }
        }
    }
    let errors = FieldErrors::single("invite", picking.error.clone().unwrap_or_default());
    show_community_with(
        &state,
        &form.session,
        &c,
        StatusCode::UNPROCESSABLE_ENTITY,
        errors,
        picking,
    )
    .await
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
