//! Changes of sessions and of who takes part in them.

use crate::db::{ActorRow, CommunityRow, EventRow, ParticipantRow};

#[derive(Debug, Clone)]
pub enum EventChange {
    /// A session of a community hosted here was created; its group tells the members' nodes.
    Created {
        community: CommunityRow,
        event: EventRow,
        participants: Vec<ParticipantRow>,
    },
    /// A session hosted here changed: its details, its status, or who takes part.
    Updated {
        community: CommunityRow,
        event: EventRow,
        participants: Vec<ParticipantRow>,
    },
    /// A local agent asks the host of a session (its community's `group`) for a seat;
    /// `join_id` names the request, which the host answers.
    JoinRequested {
        group: ActorRow,
        event: EventRow,
        member: ActorRow,
        join_id: String,
    },
    /// A local agent gives up its seat (or its place on the waiting list) at a session
    /// hosted elsewhere.
    Left {
        group: ActorRow,
        event: EventRow,
        member: ActorRow,
    },
    /// The host gives a remote agent a seat, or refuses its registration. `join_id` is the
    /// agent's request when known.
    RegistrationAnswered {
        group: ActorRow,
        event: EventRow,
        participant: ActorRow,
        join_id: Option<String>,
        accepted: bool,
    },
    /// Issue 18, on an animateur's own node: she schedules, edits or cancels a session of
    /// a community hosted elsewhere; the host checks her role, applies and announces.
    Proposed {
        group: ActorRow,
        animateur: ActorRow,
        proposal: crate::domain::events::Proposal,
    },
}
