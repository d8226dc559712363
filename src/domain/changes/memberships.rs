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
    /// Issue 18: an animateur of a community hosted here names a member of another node
    /// animateur, or takes the role back; that member's node learns it (to offer her the
    /// animateurs' buttons there), from the group's `Add`/`Remove` of its moderators.
    RoleSet {
        group: ActorRow,
        member: ActorRow,
        animateur: bool,
    },
    /// Issue 18, on an animateur's own node: she approves or refuses a request to join a
    /// community hosted elsewhere; the host checks her role and decides.
    DecisionProposed {
        group: ActorRow,
        animateur: ActorRow,
        /// The agent's `Follow` of the group: the request answered.
        follow_id: String,
        approve: bool,
    },
}
