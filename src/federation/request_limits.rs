//! Bounds on incoming federation requests, checked before any fetch or write: a flood of
//! requests from random authorities costs us a few cheap checks each, not a fetch and a row.
//!
//! Kept in memory like the login throttle; the durable bound is the count of pending
//! requests in the database (see `domain::peers::incoming::MAX_PENDING`), checked by the
//! domain around this one (`admit`).

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Requests one authority may make in a window (a refused peer asking again is fine).
pub const PER_AUTHORITY: u32 = 5;
pub const AUTHORITY_WINDOW: Duration = Duration::from_secs(10 * 60);
/// Requests from all unapproved authorities together in a window.
pub const GLOBAL: u32 = 60;
pub const GLOBAL_WINDOW: Duration = Duration::from_secs(60);
const MAX_KEYS: usize = 10_000;

#[derive(Default)]
pub struct RequestLimiter {
    inner: Mutex<State>,
}

#[derive(Default)]
struct State {
    per_authority: HashMap<String, (u32, Instant)>,
    global: (u32, Option<Instant>),
}

impl RequestLimiter {
    /// Counts one request from `authority`; `Err(seconds)` when a bound is reached.
    pub fn check(&self, authority: &str) -> Result<(), u64> {
        self.check_at(authority, Instant::now(), true)
    }

    /// Whether one more request from `authority` would pass, without counting it: looked at
    /// before fetching a key, charged (`check`) only once the signature holds, so requests
    /// in the name of invented authorities cost the genuine ones nothing.
    pub fn peek(&self, authority: &str) -> Result<(), u64> {
        self.check_at(authority, Instant::now(), false)
    }

    fn check_at(&self, authority: &str, now: Instant, charge: bool) -> Result<(), u64> {
        let mut s = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        let global_start = match s.global.1 {
            Some(start) if now.duration_since(start) < GLOBAL_WINDOW => start,
            _ => {
                s.global = (0, Some(now));
                now
            }
        };
        if s.global.0 >= GLOBAL {
            return Err(remaining(GLOBAL_WINDOW, now.duration_since(global_start)));
        }
        if s.per_authority.len() >= MAX_KEYS {
            s.per_authority
                .retain(|_, (_, start)| now.duration_since(*start) < AUTHORITY_WINDOW);
        }
        let entry = s
            .per_authority
            .entry(authority.to_owned())
            .or_insert((0, now));
        if now.duration_since(entry.1) >= AUTHORITY_WINDOW {
            *entry = (0, now);
        }
        if entry.0 >= PER_AUTHORITY {
            return Err(remaining(AUTHORITY_WINDOW, now.duration_since(entry.1)));
        }
        if charge {
            entry.0 += 1;
            s.global.0 += 1;
        }
        Ok(())
    }
}

fn remaining(window: Duration, elapsed: Duration) -> u64 {
    window.saturating_sub(elapsed).as_secs().max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_authority_gets_a_few_requests_per_window() {
        let l = RequestLimiter::default();
        let t0 = Instant::now();
        for _ in 0..PER_AUTHORITY {
            assert!(l.check_at("a.example", t0, true).is_ok());
        }
        assert!(l.check_at("a.example", t0, true).is_err());
        assert!(
            l.check_at("b.example", t0, true).is_ok(),
            "others are not affected"
        );
        assert!(l.check_at("a.example", t0 + AUTHORITY_WINDOW, true).is_ok());
    }

    #[test]
    fn a_thousand_random_authorities_get_only_the_global_budget() {
        let l = RequestLimiter::default();
        let t0 = Instant::now();
        let admitted = (0..1000)
            .filter(|i| l.check_at(&format!("random{i}.example"), t0, true).is_ok())
            .count();
        assert_eq!(admitted, GLOBAL as usize);
        assert!(l.check_at("late.example", t0 + GLOBAL_WINDOW, true).is_ok());
    }

    #[test]
    fn looking_costs_nothing() {
        let l = RequestLimiter::default();
        let t0 = Instant::now();
        for i in 0..1000 {
            assert!(l.check_at(&format!("random{i}.example"), t0, false).is_ok());
        }
        assert!(l.check_at("genuine.example", t0, true).is_ok());
    }
}
