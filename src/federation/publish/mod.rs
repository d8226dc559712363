//! The one publisher: turns each domain [`Change`] into activities and queues them
//! (`outbox`), one file per concept. Domain code never builds an activity.

mod accounts;
mod actions;
pub mod announce;
mod directory;
mod events;
mod follows;
mod memberships;
mod peers;
pub mod polls;
mod posts;
mod resources;
// Issue 14.
mod messages;
// Issue 19: reactions.
mod reactions;

use crate::domain::changes::Change;
use crate::domain::ports::{PortFuture, Publisher};
use crate::domain::{Ctx, DomainError};
use crate::federation::{Federation, FederationError};
use crate::state::AppState;
use std::sync::Arc;

/// The federation layer's [`Publisher`], for the node whose federation state it holds.
pub struct ActivityPublisher {
    fed: Arc<Federation>,
}

impl ActivityPublisher {
    pub fn new(fed: Arc<Federation>) -> Self {
        Self { fed }
    }
}

impl Publisher for ActivityPublisher {
    fn publish<'a>(&'a self, ctx: &'a Ctx, change: Change) -> PortFuture<'a, ()> {
        let state = AppState::of(ctx, &self.fed);
        Box::pin(async move { publish(&state, change).await.map_err(DomainError::from) })
    }
}

async fn publish(state: &AppState, change: Change) -> Result<(), FederationError> {
    match change {
        Change::Post(c) => posts::publish(state, c).await,
        Change::Membership(c) => memberships::publish(state, c).await,
        Change::Follow(c) => follows::publish(state, c).await,
        Change::Event(c) => events::publish(state, c).await,
        Change::Resource(c) => resources::publish(state, c).await,
        Change::Action(c) => actions::publish(state, c).await,
        Change::Directory(c) => directory::publish(state, c).await,
        Change::Account(c) => accounts::publish(state, c).await,
        Change::Peer(c) => peers::publish(state, c).await,
        Change::Poll(c) => polls::publish(state, c).await,
        Change::Message(c) => messages::publish(state, c).await,
        Change::Reaction(c) => reactions::publish(state, c).await,
    }
}
