//! The domain's two doors to other nodes. The domain owns these interfaces and the
//! federation layer implements them, so that no rule here depends on how ActivityPub is
//! spoken: [`Publisher`] is told what changed, [`Remote`] answers questions about other nodes.

use std::future::Future;
use std::pin::Pin;
use std::sync::Mutex;

use super::Ctx;
use super::changes::Change;
use super::communities::GroupProfile;
use super::error::DomainResult;
use crate::db::ActorRow;

/// A boxed future, so that the ports can be trait objects.
pub type PortFuture<'a, T> = Pin<Box<dyn Future<Output = DomainResult<T>> + Send + 'a>>;

/// Learns every change that other nodes must hear about, once the change is stored.
pub trait Publisher: Send + Sync {
    /// Turns `change` into what other nodes receive and queues it. An error means nothing
    /// was queued; the change itself is already stored.
    fn publish<'a>(&'a self, ctx: &'a Ctx, change: Change) -> PortFuture<'a, ()>;
}

/// What the domain asks about other nodes.
pub trait Remote: Send + Sync {
    /// The actor with this id: local, cached, or fetched from its origin (an approved peer).
    fn actor<'a>(&'a self, ctx: &'a Ctx, ap_id: &'a str) -> PortFuture<'a, ActorRow>;
    /// `user@authority`, `@user@authority` or an actor URL, resolved on an approved peer.
    fn resolve<'a>(&'a self, ctx: &'a Ctx, handle: &'a str) -> PortFuture<'a, ActorRow>;
    /// Whether federation with `authority` is approved.
    fn approved<'a>(&'a self, ctx: &'a Ctx, authority: &'a str) -> PortFuture<'a, bool>;
    /// The instance actor of `authority`, fetched from its origin and cached, approved or
    /// not: the one exception that lets two institutions start their handshake.
    fn instance_actor<'a>(&'a self, ctx: &'a Ctx, authority: &'a str) -> PortFuture<'a, ActorRow>;
    /// What a remote group says of its community, read from its origin now.
    fn group<'a>(&'a self, ctx: &'a Ctx, ap_id: &'a str) -> PortFuture<'a, GroupProfile>;
    /// A file of a community hosted elsewhere, fetched from its host for this node, at most
    /// `max_bytes`.
    fn file<'a>(&'a self, ctx: &'a Ctx, url: &'a str, max_bytes: usize) -> PortFuture<'a, Vec<u8>>;
    /// Caches the communities an approved peer hosts, read from it now; how many.
    fn communities<'a>(&'a self, ctx: &'a Ctx, authority: &'a str) -> PortFuture<'a, usize>;
    /// The pending requests to join a community hosted elsewhere (its group `ap_id`), read
    /// from its host now, for one of its animateurs here (issue 18).
    fn requests<'a>(
        &'a self,
        ctx: &'a Ctx,
        ap_id: &'a str,
    ) -> PortFuture<'a, Vec<super::communities::RemoteRequest>>;
}

/// A publisher that only records what it is told: for tests of domain rules without HTTP.
#[derive(Default)]
pub struct RecordingPublisher {
    changes: Mutex<Vec<Change>>,
}

impl RecordingPublisher {
    /// The changes published so far, oldest first; the record is emptied.
    pub fn take(&self) -> Vec<Change> {
        self.changes
            .lock()
            .map(|mut c| std::mem::take(&mut *c))
            .unwrap_or_default()
    }
}

impl Publisher for RecordingPublisher {
    fn publish<'a>(&'a self, _ctx: &'a Ctx, change: Change) -> PortFuture<'a, ()> {
        if let Ok(mut c) = self.changes.lock() {
            c.push(change);
        }
        Box::pin(async { Ok(()) })
    }
}

/// A notification the domain decided to tell a local agent outside the app (issue 15), and
/// when: the rows it names are read again by the channel that writes the message.
#[derive(Debug, Clone)]
pub struct Notice {
    pub account_id: i64,
    /// `notifications::kind`.
    pub kind: String,
    /// The actor who caused it (ActivityPub id).
    pub from: String,
    pub community_id: Option<i64>,
    /// What it is about: a post, an action item, a session (ActivityPub id).
    pub object: Option<String>,
    /// When the message may leave (ms): now, or the end of the agent's quiet hours.
    pub due_at: i64,
}

/// Where notices go: the mail outbox (implemented by `mail`), a recorder in tests.
pub trait Messenger: Send + Sync {
    /// Writes and queues the message. An error means nothing was queued; the in-app
    /// notification is stored anyway.
    fn notify<'a>(&'a self, ctx: &'a Ctx, notice: Notice) -> PortFuture<'a, ()>;
}
