//! Changes of a community's action plan: items and their comments.

/// (variants are added as the concept's operations move to publishing changes)
#[derive(Debug, Clone)]
pub enum ActionChange {}
