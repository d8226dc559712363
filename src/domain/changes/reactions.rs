//! Changes of reactions: one of our agents thanked, approved or applauded a post or a
//! resource, or took it back.

use crate::db::{ActorRow, CommunityRow};
use crate::domain::reactions::Reaction;

// Moved once per operation, as `Change` is: boxing would buy nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone)]
pub enum ReactionChange {
    /// `Like` (« Merci ») or `EmojiReact` sent to the group, announced by it.
    Added {
        community: CommunityRow,
        actor: ActorRow,
        object: String,
        kind: Reaction,
        ap_id: String,
    },
    /// `Undo` of that activity.
    Removed {
        community: CommunityRow,
        actor: ActorRow,
        object: String,
        kind: Reaction,
        ap_id: String,
    },
}
