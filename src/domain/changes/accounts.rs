//! Changes of local accounts that peers must hear about: deletion, hand-over.

/// (variants are added as the concept's operations move to publishing changes)
#[derive(Debug, Clone)]
pub enum AccountChange {}
