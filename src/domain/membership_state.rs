//! The two words of a membership, parsed once from the stored text: the member's `Role` and
//! where the membership stands (`MembershipState`).

use crate::db::MembershipRow;

/// What a member may do in a community.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Created the community; cannot leave it or be demoted.
    Owner,
    /// Runs the community with the owner: approves, invites, bans, holds sessions.
    Animateur,
    Member,
}

impl Role {
    /// The stored text; anything unknown is read as the least privileged role.
    pub fn parse(s: &str) -> Role {
        match s {
            "owner" => Role::Owner,
            "animateur" => Role::Animateur,
            _ => Role::Member,
        }
    }

    pub fn of(m: &MembershipRow) -> Role {
        Role::parse(&m.role)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Owner => "owner",
            Role::Animateur => "animateur",
            Role::Member => "member",
        }
    }

    /// Whether this role runs the community (owner or animateur).
    pub fn runs_community(self) -> bool {
        matches!(self, Role::Owner | Role::Animateur)
    }
}

/// Where a membership stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MembershipState {
    /// Asked to join; waits for the host (an animateur, or the remote host's answer).
    Pending,
    /// Invited by an animateur; joining is then accepted whatever the join mode.
    Invited,
    Accepted,
    /// Removed and refused from now on.
    Banned,
}

impl MembershipState {
    /// The stored text; anything unknown is read as not (yet) a member.
    pub fn parse(s: &str) -> MembershipState {
        match s {
            "accepted" => MembershipState::Accepted,
            "invited" => MembershipState::Invited,
            "banned" => MembershipState::Banned,
            _ => MembershipState::Pending,
        }
    }

    pub fn of(m: &MembershipRow) -> MembershipState {
        MembershipState::parse(&m.state)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            MembershipState::Pending => "pending",
            MembershipState::Invited => "invited",
            MembershipState::Accepted => "accepted",
            MembershipState::Banned => "banned",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_words_read_back_and_unknown_ones_grant_nothing() {
        for r in [Role::Owner, Role::Animateur, Role::Member] {
            assert_eq!(Role::parse(r.as_str()), r);
        }
        for s in [
            MembershipState::Pending,
            MembershipState::Invited,
            MembershipState::Accepted,
            MembershipState::Banned,
        ] {
            assert_eq!(MembershipState::parse(s.as_str()), s);
        }
        assert_eq!(Role::parse("admin"), Role::Member);
        assert!(!Role::parse("").runs_community());
        assert_eq!(MembershipState::parse("?"), MembershipState::Pending);
    }
}
