//! Changes of polls: the host counted votes, or one of our agents voted in a poll hosted
//! elsewhere.

use crate::db::{ActorRow, CommunityRow, PostRow};
use crate::domain::polls::BallotDiff;

// Moved once per operation, as `Change` is: boxing would buy nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone)]
pub enum PollChange {
    /// The host counted the votes of a poll of a community hosted here.
    Counted {
        post: PostRow,
        community: CommunityRow,
    },
    /// One of our agents voted, changed or withdrew votes in a poll hosted elsewhere.
    Voted {
        poll: PostRow,
        community: CommunityRow,
        voter: ActorRow,
        ballot: BallotDiff,
    },
}
