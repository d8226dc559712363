//! Attendance at sessions: the animateur marks on the host who came (registered agents and
//! walk-ins who are members), the group's `Update{Event}` carries the marks to members'
//! nodes, and each agent's own node lists their attended sessions and gives them an
//! attestation de participation — only for a session they were marked present at.

use std::collections::BTreeSet;

use super::Ctx;
use super::accounts::Account;
use super::communities::require_animateur;
use super::error::{DomainError, DomainResult, Rule};
use super::events;
use super::pickers;
use crate::db::{CommunityRow, EventRow, MemberRow, ParticipantRow, now_ms};

/// Largest number of agents marked present in one session.
const MAX_PRESENT: usize = 2_000;

/// What the animateur's attendance page needs: the session, the registered agents (with
/// their marks) and the members who could have come without registering.
pub struct Roster {
    pub event: EventRow,
    pub community: CommunityRow,
    pub participants: Vec<ParticipantRow>,
    pub walk_in_candidates: Vec<MemberRow>,
}

/// The session, its community and participants, for one of its animateurs on the host
/// (the sign-in sheet, the participants export and the attendance page).
pub async fn roster(state: &Ctx, account: &Account, id: i64) -> DomainResult<Roster> {
    let event = events::by_id(state, id).await?;
    let community = events::community_of(state, &event).await?;
    require_animateur(state, &community, account).await?;
    let participants: Vec<ParticipantRow> = state
        .store
        .participants(event.id)
        .await?
        .into_iter()
        .filter(|p| p.state != "pending")
        .collect();
    let walk_in_candidates = state
        .store
        .members(community.id, "accepted")
        .await?
        .into_iter()
        .filter(|m| !participants.iter().any(|p| p.actor_ap_id == m.ap_id))
        .collect();
    Ok(Roster {
        event,
        community,
        participants,
        walk_in_candidates,
    })
}

/// An animateur records who came: exactly `present` (actor ids), each a registered agent
/// or an accepted member of the community. Only on the host, once the session has begun,
/// never for a cancelled one. Members' nodes hear it from the group's `Update{Event}`.
pub async fn mark(state: &Ctx, account: &Account, id: i64, present: &[String]) -> DomainResult<()> {
    let r = roster(state, account, id).await?;
    if r.event.status == "cancelled" {
        return Err(DomainError::Conflict(
            "this session was cancelled: nobody can be marked present".into(),
        ));
    }
    if r.event.starts_at > now_ms() {
        return Err(DomainError::Conflict(
            "attendance is marked once the session has begun".into(),
        ));
    }
    let wanted: BTreeSet<&str> = present.iter().map(|s| s.trim()).collect();
    if wanted.len() > MAX_PRESENT {
        return Err(DomainError::invalid(
            "present",
            Rule::Range {
                min: 0,
                max: MAX_PRESENT as i64,
            },
        ));
    }
    let mut marked = Vec::new();
    let mut walk_ins = Vec::new();
    for who in wanted {
        if r.participants.iter().any(|p| p.actor_ap_id == who) {
            marked.push(who.to_owned());
        } else if r.walk_in_candidates.iter().any(|m| m.ap_id == who) {
            walk_ins.push(who.to_owned());
            marked.push(who.to_owned());
        } else {
            // Checked before anything is written: one stranger refuses the whole list.
            return Err(DomainError::invalid("present", Rule::NotMember));
        }
    }
    state
        .store
        .mark_attendance(r.event.id, &marked, &walk_ins, &account.actor)
        .await?;
    let e = events::by_id(state, id).await?;
    events::announce(state, &r.community, &e, false).await
}

/// A session an agent attended, as their own node knows it.
pub struct Attended {
    pub event: EventRow,
    pub community: CommunityRow,
    /// The institution hosting the community.
    pub host_institution: String,
}

/// The sessions the agent was marked present at, most recent first: « Mes formations
/// inter-institutions ».
pub async fn attended(state: &Ctx, account: &Account) -> DomainResult<Vec<Attended>> {
    let names = pickers::institution_names(state).await?;
    let mut out = Vec::new();
    for event in state.store.attended_events(&account.actor).await? {
        let community = events::community_of(state, &event).await?;
        out.push(Attended {
            host_institution: pickers::institution_in(&names, &community.authority),
            event,
            community,
        });
    }
    Ok(out)
}

/// What an attestation de participation states.
pub struct Attestation {
    pub session: Attended,
    pub agent_name: String,
    pub agent_job: String,
    pub agent_institution: String,
    /// Length of the session in minutes.
    pub minutes: i64,
}

/// The agent's attestation for session `id`: only if they were marked present (an agent
/// who left the community since keeps it). Served by the agent's own node, from its copy.
pub async fn attestation(state: &Ctx, account: &Account, id: i64) -> DomainResult<Attestation> {
    let event = events::by_id(state, id).await?;
    if event.status == "cancelled" || !state.store.attended(event.id, &account.actor).await? {
        return Err(DomainError::Forbidden("not marked present at this session"));
    }
    let community = events::community_of(state, &event).await?;
    let host_institution = pickers::institution_of(state, &community.authority).await?;
    Ok(Attestation {
        minutes: (event.ends_at - event.starts_at) / 60_000,
        session: Attended {
            event,
            community,
            host_institution,
        },
        agent_name: account.display_name.clone(),
        agent_job: account.job_title.clone(),
        agent_institution: state.config.institution_name.clone(),
    })
}
