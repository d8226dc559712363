//! Changes of community discussions: threads, replies, their flags, reports.

/// (variants are added as the concept's operations move to publishing changes)
#[derive(Debug, Clone)]
pub enum PostChange {}
