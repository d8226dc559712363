//! Login rate limiting: failed attempts per username and per client address.
//!
//! Kept in memory: it is a cache of recent failures, and losing it on restart only gives an
//! attacker one more window. Behind several processes each counts its own share.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

const WINDOW: Duration = Duration::from_secs(15 * 60);
const MAX_PER_USERNAME: u32 = 5;
const MAX_PER_CLIENT: u32 = 20;
/// Bounds memory under a flood of distinct keys.
const MAX_KEYS: usize = 100_000;

#[derive(Default)]
pub struct LoginThrottle {
    failures: Mutex<HashMap<String, (u32, Instant)>>,
}

impl LoginThrottle {
    /// `Err(seconds)` when either key has used up its attempts in the current window.
    pub fn check(&self, username: &str, client: &str) -> Result<(), u64> {
        let map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        let now = Instant::now();
        for (key, max) in [
            (format!("u:{username}"), MAX_PER_USERNAME),
            (format!("c:{client}"), MAX_PER_CLIENT),
        ] {
            if let Some((count, start)) = map.get(&key) {
                let elapsed = now.duration_since(*start);
                if elapsed < WINDOW && *count >= max {
                    return Err((WINDOW - elapsed).as_secs().max(1));
                }
            }
        }
        Ok(())
    }

    pub fn record_failure(&self, username: &str, client: &str) {
        let mut map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        let now = Instant::now();
        if map.len() >= MAX_KEYS {
            map.retain(|_, (_, start)| now.duration_since(*start) < WINDOW);
        }
        for key in [format!("u:{username}"), format!("c:{client}")] {
            let entry = map.entry(key).or_insert((0, now));
            if now.duration_since(entry.1) >= WINDOW {
                *entry = (0, now);
            }
            entry.0 += 1;
        }
    }

    pub fn record_success(&self, username: &str) {
        let mut map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        map.remove(&format!("u:{username}"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn five_failures_lock_the_username_but_not_others() {
        let t = LoginThrottle::default();
        for _ in 0..MAX_PER_USERNAME {
            assert!(t.check("alice", "1.2.3.4").is_ok());
            t.record_failure("alice", "1.2.3.4");
        }
        assert!(t.check("alice", "5.6.7.8").is_err());
        assert!(t.check("bruno", "5.6.7.8").is_ok());
    }
}
