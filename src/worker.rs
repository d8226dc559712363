//! The loop every background queue of a node runs (federation deliveries, mail): drain what
//! is due, then sleep until an enqueue wakes it, the next row falls due (at most `poll`), or
//! the node stops. Stopping happens between two drains, never in the middle of one.

use std::fmt::Display;
use std::time::Duration;

use tokio::sync::{Notify, watch};

use crate::db::now_ms;

/// Runs `drain` until `stop` turns true; `next_due` gives the time (ms) of the next row to
/// send, if any. A failed drain is logged under `what` and tried again after the wait.
pub async fn run<S, E, D, N>(
    what: &'static str,
    poll: Duration,
    mut stop: watch::Receiver<bool>,
    wakeup: &Notify,
    drain: impl Fn() -> D,
    next_due: impl Fn() -> N,
) where
    E: Display,
    D: Future<Output = Result<S, E>>,
    N: Future<Output = Option<i64>>,
{
    loop {
        if *stop.borrow() {
            return;
        }
        if let Err(e) = drain().await {
            tracing::error!(error = %e, worker = what, "background queue");
        }
        let wait = match next_due().await {
            Some(at) => {
                Duration::from_millis((at - now_ms()).clamp(50, poll.as_millis() as i64) as u64)
            }
            None => poll,
        };
        tokio::select! {
            _ = wakeup.notified() => {}
            _ = tokio::time::sleep(wait) => {}
            _ = stop.changed() => return,
        }
    }
}
