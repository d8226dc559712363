//! Changes of agents' directory entries and profiles.

/// (variants are added as the concept's operations move to publishing changes)
#[derive(Debug, Clone)]
pub enum DirectoryChange {}
