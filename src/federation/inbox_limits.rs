//! The inbox budget of each approved peer: a token bucket per authority, charged once the
//! signature holds, so that one peer flooding us gets 429 with `Retry-After` and costs the
//! others nothing, while a real burst (a host catching up on a day it could not deliver)
//! passes at once or waits a few seconds, never lost: senders retry a 429.
//!
//! Kept in memory like the login throttle: a restart gives a flooding peer one more burst.
//! Behind several processes each counts its own share, so the node's budget is that many
//! times larger.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Instant;

/// Bounds memory: only approved peers are charged, and a node has a few hundred at most.
const MAX_PEERS: usize = 10_000;

pub struct InboxLimiter {
    /// Activities a peer may send at once, after a quiet time.
    burst: f64,
    /// Activities per second a peer may send for as long as it likes.
    per_second: f64,
    buckets: Mutex<HashMap<String, Bucket>>,
}

#[derive(Clone, Copy)]
struct Bucket {
    tokens: f64,
    at: Instant,
}

impl InboxLimiter {
    pub fn new(per_minute: u64, burst: u64) -> Self {
        Self {
            burst: burst.max(1) as f64,
            per_second: per_minute.max(1) as f64 / 60.0,
            buckets: Mutex::default(),
        }
    }

    /// Charges one activity from `authority`; `Err(seconds)` to wait before the next one
    /// passes when its budget is spent (nothing is charged then).
    pub fn charge(&self, authority: &str) -> Result<(), u64> {
        self.charge_at(authority, Instant::now())
    }

    fn charge_at(&self, authority: &str, now: Instant) -> Result<(), u64> {
        let mut buckets = self.buckets.lock().unwrap_or_else(|p| p.into_inner());
        if buckets.len() >= MAX_PEERS && !buckets.contains_key(authority) {
            // Full buckets are the same as no bucket: forgetting them changes nothing.
            let (burst, rate) = (self.burst, self.per_second);
            buckets.retain(|_, b| refilled(*b, now, rate, burst) < burst);
        }
        let bucket = buckets.entry(authority.to_owned()).or_insert(Bucket {
            tokens: self.burst,
            at: now,
        });
        let tokens = refilled(*bucket, now, self.per_second, self.burst);
        *bucket = Bucket { tokens, at: now };
        if tokens >= 1.0 {
            bucket.tokens -= 1.0;
            Ok(())
        } else {
            Err(((1.0 - tokens) / self.per_second).ceil().max(1.0) as u64)
        }
    }
}

fn refilled(b: Bucket, now: Instant, per_second: f64, burst: f64) -> f64 {
    (b.tokens + now.duration_since(b.at).as_secs_f64() * per_second).min(burst)
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[test]
    fn a_burst_passes_then_the_peer_waits_for_its_rate_and_others_are_not_affected() {
        let l = InboxLimiter::new(60, 100);
        let t0 = Instant::now();
        for i in 0..100 {
            assert!(l.charge_at("a.example", t0).is_ok(), "activity {i}");
        }
        assert_eq!(
            l.charge_at("a.example", t0),
            Err(1),
            "one a second after that"
        );
        assert!(l.charge_at("b.example", t0).is_ok(), "another peer");
        let later = t0 + Duration::from_secs(1);
        assert!(l.charge_at("a.example", later).is_ok());
        assert!(l.charge_at("a.example", later).is_err());
    }

    #[test]
    fn the_wait_named_is_the_time_to_earn_one_activity() {
        let l = InboxLimiter::new(6, 1);
        let t0 = Instant::now();
        assert!(l.charge_at("a.example", t0).is_ok());
        assert_eq!(l.charge_at("a.example", t0), Err(10));
        assert_eq!(
            l.charge_at("a.example", t0 + Duration::from_secs(4)),
            Err(6)
        );
        assert!(
            l.charge_at("a.example", t0 + Duration::from_secs(10))
                .is_ok()
        );
    }

    #[test]
    fn a_quiet_peer_earns_back_its_burst_but_no_more() {
        let l = InboxLimiter::new(600, 20);
        let t0 = Instant::now();
        for _ in 0..20 {
            assert!(l.charge_at("a.example", t0).is_ok());
        }
        let next_day = t0 + Duration::from_secs(86_400);
        let passed = (0..100)
            .filter(|_| l.charge_at("a.example", next_day).is_ok())
            .count();
        assert_eq!(passed, 20);
    }
}
