//! Changes of agents' directory entries and profiles.

use crate::db::{ActorRow, DirectoryRow};

/// What changed in what a local agent shows of themselves.
#[derive(Debug, Clone)]
pub enum DirectoryChange {
    /// The agent's profile, entry or account changed: the approved peers' caches follow.
    /// `entry` is the stored entry (if any); `disabled` says the account is disabled, so
    /// that nothing of it is shown any more.
    Updated {
        actor: Box<ActorRow>,
        entry: Option<Box<DirectoryRow>>,
        disabled: bool,
    },
}
