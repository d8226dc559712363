//! Changes of a community's resources: new documents, revisions, proposals.

use crate::db::{ActorRow, CommunityRow};
use crate::domain::resources::{Proposal, Published};

#[derive(Debug, Clone)]
pub enum ResourceChange {
    /// On the host: a new resource, at its first revision; the group tells members' nodes.
    Created(Box<Published>),
    /// On the host: a new revision, or a new file, of a resource.
    Revised(Box<Published>),
    /// On the host: an animateur deleted a resource and its history.
    Deleted {
        community: Box<CommunityRow>,
        resource: String,
    },
    /// On a member's node: an agent proposes a new resource, or a revision of one, to the
    /// host, which numbers it (or refuses a stale one).
    Proposed {
        community: Box<CommunityRow>,
        author: Box<ActorRow>,
        proposal: Box<Proposal>,
    },
}
