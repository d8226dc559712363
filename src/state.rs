//! What every request handler and background task of one node shares: the domain's
//! [`Ctx`] and the federation layer's caches, HTTP client and delivery wake-up.

use std::ops::Deref;
use std::sync::Arc;

use crate::config::Config;
use crate::db::Store;
use crate::domain::Ctx;
use crate::domain::ports::Publisher;
use crate::domain::setup::SetupToken;
use crate::domain::throttle::LoginThrottle;
use crate::federation::Federation;
use crate::federation::publish::ActivityPublisher;
use crate::federation::remote::RemoteNodes;
use crate::urls::Urls;

/// The state of one running node. Cheap to clone; dereferences to the domain's [`Ctx`], so
/// handlers pass it to domain functions as it is.
#[derive(Clone)]
pub struct AppState {
    pub ctx: Ctx,
    /// Federation caches, HTTP client and the delivery worker's wake-up.
    pub fed: Arc<Federation>,
    /// The mail relay (if any) and the mail worker's wake-up.
    pub mail: Arc<crate::mail::Mailer>,
}

impl Deref for AppState {
    type Target = Ctx;

    fn deref(&self) -> &Ctx {
        &self.ctx
    }
}

impl AppState {
    pub fn new(config: Config, store: Store) -> Self {
        let fed = Arc::new(Federation::new(&config));
        let publisher = Arc::new(ActivityPublisher::new(fed.clone()));
        Self::assemble(config, store, fed, publisher)
    }

    /// A node whose domain changes go to `publisher` instead of other nodes: for tests of
    /// the domain's rules.
    pub fn with_publisher(config: Config, store: Store, publisher: Arc<dyn Publisher>) -> Self {
        let fed = Arc::new(Federation::new(&config));
        Self::assemble(config, store, fed, publisher)
    }

    /// The federation layer's view of a domain context: the node it belongs to.
    pub fn of(ctx: &Ctx, fed: &Arc<Federation>) -> Self {
        Self {
            ctx: ctx.clone(),
            fed: fed.clone(),
            // Queues only: the node's own worker (started with its `AppState`) sends.
            mail: Arc::new(crate::mail::Mailer::queue_only()),
        }
    }

    fn assemble(
        config: Config,
        store: Store,
        fed: Arc<Federation>,
        publisher: Arc<dyn Publisher>,
    ) -> Self {
        let mail = Arc::new(crate::mail::Mailer::new(&config));
        let ctx = Ctx {
            urls: Urls::new(config.base_url()),
            store,
            throttle: Arc::new(LoginThrottle::default()),
            setup: Arc::new(SetupToken::default()),
            publisher,
            remote: Arc::new(RemoteNodes::new(fed.clone())),
            config: Arc::new(config),
            clock: crate::domain::clock::Clock::default(),
            messenger: Arc::new(crate::mail::notices::MailMessenger::new(mail.clone())),
        };
        Self { ctx, fed, mail }
    }
}
