//! What every request handler and background task of one node shares.

use std::sync::Arc;

use crate::config::Config;
use crate::db::Store;
use crate::domain::ports::{Publisher, Remote};
use crate::domain::setup::SetupToken;
use crate::domain::throttle::LoginThrottle;
use crate::federation::Federation;
use crate::federation::publish::ActivityPublisher;
use crate::federation::remote::RemoteNodes;
use crate::urls::Urls;

/// The state of one running node. Cheap to clone; holds no data that is not also in the
/// database, so several processes can serve one PostgreSQL database.
#[derive(Clone)]
pub struct AppState {
    pub config: Arc<Config>,
    pub store: Store,
    pub urls: Urls,
    pub throttle: Arc<LoginThrottle>,
    /// Federation caches, HTTP client and the delivery worker's wake-up.
    pub fed: Arc<Federation>,
    /// The one-time link of a node that has no admin yet.
    pub setup: Arc<SetupToken>,
    /// Where the domain's changes go: activities for other nodes (a recorder in tests).
    pub publisher: Arc<dyn Publisher>,
    /// How the domain asks about other nodes.
    pub remote: Arc<dyn Remote>,
}

impl AppState {
    pub fn new(config: Config, store: Store) -> Self {
        Self::with_publisher(config, store, Arc::new(ActivityPublisher))
    }

    /// A node whose domain changes go to `publisher` instead of other nodes: for tests of
    /// the domain's rules.
    pub fn with_publisher(config: Config, store: Store, publisher: Arc<dyn Publisher>) -> Self {
        let urls = Urls::new(config.base_url());
        Self {
            store,
            urls,
            throttle: Arc::new(LoginThrottle::default()),
            fed: Arc::new(Federation::new(&config)),
            setup: Arc::new(SetupToken::default()),
            publisher,
            remote: Arc::new(RemoteNodes),
            config: Arc::new(config),
        }
    }
}
