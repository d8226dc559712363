//! The one place that decides whether an authority may talk to us and we to it. The inbox,
//! fetches and delivery all ask here; nothing else reads the `peers` table for that.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::db::{DbError, Store};

/// States of a peer in which traffic flows both ways.
pub const ACTIVE_STATES: [&str; 2] = ["approved", "manual"];

/// How long a "yes" is reused. Changes made through this process invalidate at once; a
/// revocation made by another process sharing the database (the `admin peer` command, a
/// second server) takes effect within this delay. A "no" is never reused: an approval made
/// by another process must not make the new peer's first activities refused for good.
const TTL: Duration = Duration::from_secs(5);
const MAX_ENTRIES: usize = 10_000;

/// Federation policy with a short-lived cache, since every inbox request asks.
pub struct Policy {
    own_authority: String,
    cache: Mutex<HashMap<String, (bool, Instant)>>,
}

impl Policy {
    pub fn new(own_authority: &str) -> Self {
        Self {
            own_authority: own_authority.to_owned(),
            cache: Mutex::new(HashMap::new()),
        }
    }

    /// True when traffic with `authority` is allowed (our own authority always is).
    pub async fn allows(&self, store: &Store, authority: &str) -> Result<bool, DbError> {
        if authority == self.own_authority {
            return Ok(true);
        }
        if let Some((true, at)) = self.cached(authority)
            && at.elapsed() < TTL
        {
            return Ok(true);
        }
        let answer = store
            .peer(authority)
            .await?
            .is_some_and(|p| ACTIVE_STATES.contains(&p.state.as_str()));
        let mut cache = self.cache.lock().unwrap_or_else(|p| p.into_inner());
        if cache.len() >= MAX_ENTRIES {
            cache.clear();
        }
        cache.insert(authority.to_owned(), (answer, Instant::now()));
        Ok(answer)
    }

    fn cached(&self, authority: &str) -> Option<(bool, Instant)> {
        let cache = self.cache.lock().unwrap_or_else(|p| p.into_inner());
        cache.get(authority).copied()
    }

    /// Forgets the cached answer after a change of the peer's state.
    pub fn invalidate(&self, authority: &str) {
        let mut cache = self.cache.lock().unwrap_or_else(|p| p.into_inner());
        cache.remove(authority);
    }
}
