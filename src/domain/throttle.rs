//! Login rate limiting, charged before the password is checked, so that parallel guesses
//! cannot all be checked before the first failure is counted.
//!
//! Three counters, each for a different attacker:
//! - one client guessing one account: 5 attempts per 15 minutes (`pair`);
//! - one client guessing many accounts: 20 per 15 minutes (`client`);
//! - many clients guessing one account: after 10 failures, each further attempt waits
//!   twice as long after the last one, at most one minute (`account`). A named agent is
//!   never locked out for longer than that by strangers, and a distributed guesser gets
//!   about one try a minute.
//!
//! The client is the address a trusted proxy forwarded for (`trusted_proxies`), so that
//! agents behind the institution's nginx are not one client. Kept in memory: it is a
//! cache of recent failures, and losing it on restart only gives an attacker one more
//! window. Behind several processes each counts its own share.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

const WINDOW: Duration = Duration::from_secs(15 * 60);
const MAX_PER_PAIR: u32 = 5;
const MAX_PER_CLIENT: u32 = 20;
/// Failures of one account, from any client, before each attempt must wait.
const FREE_PER_ACCOUNT: u32 = 10;
const MAX_ACCOUNT_DELAY: Duration = Duration::from_secs(60);
/// Bounds memory under a flood of distinct keys.
const MAX_KEYS: usize = 100_000;

/// Attempts in a window, and when the window and the last attempt began.
#[derive(Clone, Copy)]
struct Count {
    n: u32,
    since: Instant,
    last: Instant,
}

#[derive(Default)]
pub struct LoginThrottle {
    counts: Mutex<HashMap<String, Count>>,
}

fn pair_key(username: &str, client: &str) -> String {
    format!("p:{username}\n{client}")
}

impl LoginThrottle {
    /// Charges one attempt of `username` from `client` before the password is checked.
    /// `Err(seconds)` when one of the limits is reached: nothing is charged then.
    pub fn reserve(&self, username: &str, client: &str) -> Result<(), u64> {
        self.reserve_at(username, client, Instant::now())
    }

    fn reserve_at(&self, username: &str, client: &str, now: Instant) -> Result<(), u64> {
        let mut map = self.counts.lock().unwrap_or_else(|p| p.into_inner());
        if map.len() >= MAX_KEYS {
            map.retain(|_, c| now.duration_since(c.since) < WINDOW);
        }
        let keys = [
            (pair_key(username, client), MAX_PER_PAIR),
            (format!("c:{client}"), MAX_PER_CLIENT),
        ];
        for (key, max) in &keys {
            if let Some(c) = current(&map, key, now)
                && c.n >= *max
            {
                return Err(wait(WINDOW.saturating_sub(now.duration_since(c.since))));
            }
        }
        let account = format!("u:{username}");
        if let Some(c) = current(&map, &account, now) {
            let due = c.last + account_delay(c.n);
            if due > now {
                return Err(wait(due - now));
            }
        }
        for key in keys.into_iter().map(|(k, _)| k).chain([account]) {
            let c = map.entry(key).or_insert(Count {
                n: 0,
                since: now,
                last: now,
            });
            if now.duration_since(c.since) >= WINDOW {
                *c = Count {
                    n: 0,
                    since: now,
                    last: now,
                };
            }
            c.n += 1;
            c.last = now;
        }
        Ok(())
    }

    /// The password was right: the account and this client's guesses of it start afresh,
    /// and the client's own count gives back the attempt.
    pub fn succeeded(&self, username: &str, client: &str) {
        let mut map = self.counts.lock().unwrap_or_else(|p| p.into_inner());
        map.remove(&format!("u:{username}"));
        map.remove(&pair_key(username, client));
        if let Some(c) = map.get_mut(&format!("c:{client}")) {
            c.n = c.n.saturating_sub(1);
        }
    }
}

fn current<'a>(map: &'a HashMap<String, Count>, key: &str, now: Instant) -> Option<&'a Count> {
    map.get(key)
        .filter(|c| now.duration_since(c.since) < WINDOW)
}

/// How long after its last attempt an account that failed `n` times may be tried again.
fn account_delay(n: u32) -> Duration {
    if n < FREE_PER_ACCOUNT {
        return Duration::ZERO;
    }
    let doublings = (n - FREE_PER_ACCOUNT).min(16);
    Duration::from_secs(1u64 << doublings).min(MAX_ACCOUNT_DELAY)
}

fn wait(d: Duration) -> u64 {
    d.as_secs().max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn five_failures_lock_one_client_out_of_one_account_but_not_others() {
        let t = LoginThrottle::default();
        for _ in 0..MAX_PER_PAIR {
            assert!(t.reserve("alice", "1.2.3.4").is_ok());
        }
        assert!(t.reserve("alice", "1.2.3.4").is_err());
        assert!(
            t.reserve("alice", "5.6.7.8").is_ok(),
            "alice from elsewhere"
        );
        assert!(t.reserve("bruno", "1.2.3.4").is_ok(), "another account");
    }

    #[test]
    fn parallel_guesses_are_charged_before_any_is_checked() {
        let t = std::sync::Arc::new(LoginThrottle::default());
        let handles: Vec<_> = (0..40)
            .map(|_| {
                let t = t.clone();
                std::thread::spawn(move || t.reserve("alice", "1.2.3.4").is_ok())
            })
            .collect();
        let passed = handles
            .into_iter()
            .filter_map(|h| h.join().ok())
            .filter(|ok| *ok)
            .count();
        assert_eq!(passed, MAX_PER_PAIR as usize);
    }

    #[test]
    fn one_client_is_bounded_across_accounts() {
        let t = LoginThrottle::default();
        for i in 0..MAX_PER_CLIENT {
            assert!(t.reserve(&format!("agent{i}"), "1.2.3.4").is_ok());
        }
        assert!(t.reserve("someone", "1.2.3.4").is_err());
        assert!(t.reserve("someone", "1.2.3.5").is_ok());
    }

    #[test]
    fn many_clients_slow_an_account_down_but_never_for_more_than_a_minute() {
        let t = LoginThrottle::default();
        let start = Instant::now();
        for i in 0..FREE_PER_ACCOUNT {
            assert!(t.reserve_at("alice", &format!("10.0.0.{i}"), start).is_ok());
        }
        let refused = t.reserve_at("alice", "10.0.1.1", start);
        assert_eq!(refused, Err(1), "the 11th attempt waits a second");
        let later = start + Duration::from_secs(1);
        assert!(t.reserve_at("alice", "10.0.1.1", later).is_ok());
        // After many failures (within the 15-minute window), the wait is capped at a minute.
        let mut now = later;
        for i in 0..10 {
            now += MAX_ACCOUNT_DELAY;
            assert!(
                t.reserve_at("alice", &format!("10.0.2.{i}"), now).is_ok(),
                "attempt {i} a minute after the previous one"
            );
        }
        let refused = t.reserve_at("alice", "10.0.3.1", now + Duration::from_secs(1));
        assert!(matches!(refused, Err(s) if s <= 60), "{refused:?}");
    }

    #[test]
    fn a_right_password_starts_the_account_afresh() {
        let t = LoginThrottle::default();
        for _ in 0..MAX_PER_PAIR - 1 {
            assert!(t.reserve("alice", "1.2.3.4").is_ok());
        }
        t.succeeded("alice", "1.2.3.4");
        for _ in 0..MAX_PER_PAIR {
            assert!(t.reserve("alice", "1.2.3.4").is_ok());
        }
    }
}
