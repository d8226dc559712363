//! Changes of sessions and of who takes part in them.

/// (variants are added as the concept's operations move to publishing changes)
#[derive(Debug, Clone)]
pub enum EventChange {}
