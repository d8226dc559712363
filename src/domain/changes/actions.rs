//! Changes of a community's action plan: items and their comments.

use crate::db::{ActionCommentRow, ActionItemRow, ActorRow, CommunityRow};

#[derive(Debug, Clone)]
pub enum ActionChange {
    /// An agent of ours proposed an item (its id minted here).
    Proposed {
        community: Box<CommunityRow>,
        item: Box<ActionItemRow>,
        author: Box<ActorRow>,
    },
    /// An agent of ours commented an item.
    Commented {
        community: Box<CommunityRow>,
        item: Box<ActionItemRow>,
        comment: Box<ActionCommentRow>,
        author: Box<ActorRow>,
    },
    /// An item changed (status, escalation, content). On the host the group tells members'
    /// nodes the item as it now stands; on a member's node `by` sends the change to the host.
    Changed {
        community: Box<CommunityRow>,
        item: Box<ActionItemRow>,
        by: Box<ActorRow>,
    },
    /// An item and its comments were deleted: by its `author` (sent to the group), or, when
    /// `author` is `None`, by the group itself for one of its animateurs.
    Deleted {
        community: Box<CommunityRow>,
        item: String,
        author: Option<Box<ActorRow>>,
    },
}
