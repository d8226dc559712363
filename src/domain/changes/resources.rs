//! Changes of a community's resources: new documents, revisions, proposals.

/// (variants are added as the concept's operations move to publishing changes)
#[derive(Debug, Clone)]
pub enum ResourceChange {}
