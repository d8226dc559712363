//! Changes of community discussions: threads, replies, their flags, reports, and the notes
//! agents publish to their followers.

use crate::db::{ActorRow, CommunityRow, ObjectRow, PostRow};

/// What happened to a post (or a note) that other nodes must hear about.
#[derive(Debug, Clone)]
pub enum PostChange {
    /// A local agent opened a thread or replied. `mentions`: (actor id, `@user@node`).
    Created {
        post: PostRow,
        community: CommunityRow,
        author: ActorRow,
        mentions: Vec<(String, String)>,
    },
    /// Its author edited it.
    Edited {
        post: PostRow,
        community: CommunityRow,
        author: ActorRow,
        mentions: Vec<(String, String)>,
    },
    /// Its author deleted it.
    Deleted {
        ap_id: String,
        community: CommunityRow,
        author: ActorRow,
    },
    /// An animateur of the community (hosted here) removed it.
    Removed {
        ap_id: String,
        community: CommunityRow,
    },
    /// An animateur of the community (hosted here) pinned or locked a thread.
    FlagsSet {
        post: PostRow,
        community: CommunityRow,
    },
    /// A member reported a post of a community hosted elsewhere (a report in a community
    /// hosted here is only stored). `id` is the report's id.
    Reported {
        id: String,
        post_ap_id: String,
        reason: String,
        community: CommunityRow,
        reporter: ActorRow,
    },
    /// An agent published a note to their followers.
    NotePublished { note: ObjectRow, author: ActorRow },
}
