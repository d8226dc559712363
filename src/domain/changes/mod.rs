//! What happened in the domain that other nodes must hear about, one enum per concept.
//! Domain operations store a change and hand it to the [`Publisher`](super::ports::Publisher);
//! `federation::publish` turns each variant into activities (the table is in
//! `docs/architecture.md`).

mod accounts;
mod actions;
mod directory;
mod events;
mod follows;
mod memberships;
mod peers;
mod polls;
mod posts;
mod resources;
// Issue 14.
mod messages;
// Issue 19.
mod reactions;

pub use accounts::AccountChange;
pub use actions::ActionChange;
pub use directory::DirectoryChange;
pub use events::EventChange;
pub use follows::FollowChange;
pub use memberships::MembershipChange;
pub use messages::MessageChange;
pub use peers::PeerChange;
pub use polls::PollChange;
pub use posts::PostChange;
pub use reactions::ReactionChange;
pub use resources::ResourceChange;

/// One change, by concept.
// A change lives for one operation and is moved, never stored in bulk: the size of its
// largest variant (rows) costs nothing worth boxing for.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone)]
pub enum Change {
    Post(PostChange),
    Membership(MembershipChange),
    Follow(FollowChange),
    Event(EventChange),
    Resource(ResourceChange),
    Action(ActionChange),
    Directory(DirectoryChange),
    Account(AccountChange),
    Peer(PeerChange),
    Poll(PollChange),
    Message(MessageChange),
    Reaction(ReactionChange),
}
