//! How long what is done with is kept: delivered deliveries, received activity ids, read
//! notifications and audit entries are pruned after the configured periods.

use super::Ctx;
use super::error::DomainResult;
use crate::db::{PruneBefore, PrunedRows, now_ms};

/// How often the node prunes (and once at start).
pub const EVERY: std::time::Duration = std::time::Duration::from_secs(3600);

const DAY_MS: i64 = 24 * 3600 * 1000;

/// Prunes once, with the periods of the configuration, as of `now` (milliseconds).
pub async fn prune(ctx: &Ctx, now: i64) -> DomainResult<PrunedRows> {
    let r = ctx.config.retention;
    let before =
        |days: u64| now.saturating_sub(i64::try_from(days).unwrap_or(i64::MAX / DAY_MS) * DAY_MS);
    let pruned = ctx
        .store
        .prune(PruneBefore {
            delivered: before(r.delivered_days),
            received: before(r.received_days),
            notifications: before(r.notifications_days),
            audit: before(r.audit_days),
        })
        .await?;
    Ok(pruned)
}

/// The periodic task: prunes at start, then every [`EVERY`], until `stop` turns true. A
/// failure is logged and retried at the next round.
pub async fn run(ctx: Ctx, mut stop: tokio::sync::watch::Receiver<bool>) {
    loop {
        match prune(&ctx, now_ms()).await {
            Ok(p) => tracing::info!(?p, "pruned"),
            Err(e) => tracing::warn!(error = %e, "pruning failed"),
        }
        tokio::select! {
            _ = tokio::time::sleep(EVERY) => {}
            _ = stop.changed() => return,
        }
    }
}
