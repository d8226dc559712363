//! Changes of local accounts that peers must hear about: deletion, hand-over.

use crate::db::{ActorRow, CommunityRow};

/// What happened to an account that other nodes must hear about.
#[derive(Debug, Clone)]
pub enum AccountChange {
    /// A local agent deleted their account. `remove_data`: their posts were deleted (else
    /// handed to the nameless former agent). `known_by`: every actor whose node may hold
    /// something of them, gathered before their memberships and follows went.
    Deleted {
        actor: Box<ActorRow>,
        remove_data: bool,
        known_by: Vec<ActorRow>,
    },
    /// A peer's agent left with their posts: one of them, in a community hosted here, was
    /// deleted, so the group tells its member nodes (some may not federate with the agent's).
    DepartedPostDeleted {
        community: Box<CommunityRow>,
        group: Box<ActorRow>,
        post: String,
    },
}
