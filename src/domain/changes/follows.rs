//! Changes of agents following agents.

/// (variants are added as the concept's operations move to publishing changes)
#[derive(Debug, Clone)]
pub enum FollowChange {}
