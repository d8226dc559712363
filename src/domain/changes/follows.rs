//! Changes of agents following agents.

use crate::db::ActorRow;

/// A follow between a local agent and a remote one; `follow_id` is the id of the `Follow`.
#[derive(Debug, Clone)]
pub enum FollowChange {
    /// A local agent asks to follow a remote one; the follow counts once accepted.
    Requested {
        follower: ActorRow,
        followee: ActorRow,
        follow_id: String,
    },
    /// A local agent stops following a remote one.
    Withdrawn {
        follower: ActorRow,
        followee: ActorRow,
        follow_id: String,
    },
    /// One of our agents accepted a remote agent's follow (always, at once).
    Accepted {
        follower: ActorRow,
        followee: ActorRow,
        follow_id: String,
    },
}
