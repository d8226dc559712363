//! What every domain operation works with: the node's settings, its storage, its URL scheme,
//! the login throttle and setup link, and the two ports through which the domain reaches
//! other nodes without knowing how ([`Publisher`], [`Remote`], implemented by `federation`).

use std::sync::Arc;

use super::ports::{Publisher, Remote};
use super::setup::SetupToken;
use super::throttle::LoginThrottle;
use crate::config::Config;
use crate::db::Store;
use crate::urls::Urls;

/// The domain's view of one node. Cheap to clone; holds no data that is not also in the
/// database, so several processes can serve one PostgreSQL database.
#[derive(Clone)]
pub struct Ctx {
    pub config: Arc<Config>,
    pub store: Store,
    pub urls: Urls,
    pub throttle: Arc<LoginThrottle>,
    /// The one-time link of a node that has no admin yet.
    pub setup: Arc<SetupToken>,
    /// Where the domain's changes go: activities for other nodes (a recorder in tests).
    pub publisher: Arc<dyn Publisher>,
    /// How the domain asks about other nodes.
    pub remote: Arc<dyn Remote>,
    /// What time it is for the domain: the system's, or one a test sets.
    pub clock: super::clock::Clock,
    /// Where notifications told outside the app go (the mail outbox).
    pub messenger: Arc<dyn super::ports::Messenger>,
}
