//! Changes of federation between institutions: requests, answers, revocations.

/// (variants are added as the concept's operations move to publishing changes)
#[derive(Debug, Clone)]
pub enum PeerChange {}
