//! Changes of who belongs to a community: requests, decisions, roles, departures, invitations.

use crate::db::ActorRow;

/// A membership between a community's `group` actor and an agent; `follow_id` is the id of
/// the agent's `Follow` of the group (FEP-1b12: joining is following).
#[derive(Debug, Clone)]
pub enum MembershipChange {
    /// A local agent asks to join a community hosted elsewhere, with its answer to the
    /// community's question.
    Requested {
        group: ActorRow,
        member: ActorRow,
        follow_id: String,
        answer: String,
    },
    /// The host admits an agent: open community, invitation, or an animateur's approval.
    Admitted {
        group: ActorRow,
        member: ActorRow,
        follow_id: String,
    },
    /// The host refuses a request (join mode, animateur) or bans a member.
    Refused {
        group: ActorRow,
        member: ActorRow,
        follow_id: String,
    },
    /// A local agent leaves a community hosted elsewhere.
    Left {
        group: ActorRow,
        member: ActorRow,
        follow_id: Option<String>,
    },
    /// An animateur of a community hosted here invites an agent of another node.
    Invited { group: ActorRow, member: ActorRow },
}
