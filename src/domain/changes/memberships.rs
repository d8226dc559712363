//! Changes of who belongs to a community: requests, decisions, roles, departures, invitations.

/// (variants are added as the concept's operations move to publishing changes)
#[derive(Debug, Clone)]
pub enum MembershipChange {}
