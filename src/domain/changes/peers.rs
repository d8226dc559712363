//! Changes of federation between institutions: requests, answers, revocations.

use crate::db::ActorRow;
use crate::domain::peers::SelfDescription;

/// What changed in our relation with another institution.
#[derive(Debug, Clone)]
pub enum PeerChange {
    /// The peer's stored state changed: whatever decided from the old one must read it again.
    StateChanged { authority: String },
    /// Federation with the authority ended on our side and its content was purged: nothing
    /// known of it (its keys included) may be used any more.
    Cut { authority: String },
    /// Our admin asks `theirs` (its instance actor) to federate; `request_id` is the id the
    /// peer will answer, stored with the peer.
    Requested {
        theirs: Box<ActorRow>,
        request_id: String,
        about_us: SelfDescription,
    },
    /// We answer their request `request_id`: approved or refused.
    Answered {
        theirs: Box<ActorRow>,
        request_id: String,
        accepted: bool,
    },
    /// We end the federation, or withdraw our request: `request_id` is whichever request
    /// started it (ours or theirs).
    Ended {
        theirs: Box<ActorRow>,
        request_id: String,
    },
    /// They accepted our request: federation is now active both ways, and each side's
    /// directory must reach the other.
    AcceptedOurRequest { authority: String },
}
