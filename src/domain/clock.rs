//! The domain's clock: the system's in production, one that tests set (quiet hours, digests).

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

/// Milliseconds since the Unix epoch. Holds `0` while it follows the system clock; a test sets
/// an instant with [`Clock::set`] (every clone sees it: the node and its federation views).
#[derive(Clone, Default)]
pub struct Clock(Arc<AtomicI64>);

impl Clock {
    pub fn now_ms(&self) -> i64 {
        match self.0.load(Ordering::Relaxed) {
            0 => crate::db::now_ms(),
            fixed => fixed,
        }
    }

    /// Stops the clock at `ms` (tests).
    pub fn set(&self, ms: i64) {
        self.0.store(ms, Ordering::Relaxed);
    }

    /// Moves a set clock on by `ms` (tests).
    pub fn advance(&self, ms: i64) {
        let now = self.now_ms();
        self.set(now + ms);
    }
}
