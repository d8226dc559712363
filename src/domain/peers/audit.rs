//! The audit log of federation decisions: who (a local admin, `cli`, or `peer` for the other
//! side), when, what, with which authority.

use super::super::Ctx;
use super::super::error::DomainResult;
use crate::db::AuditRow;

/// The name recorded for what the other side decided.
pub const BY_PEER: &str = "peer";

/// Records one decision. Also logged, without any secret.
pub async fn record(
    state: &Ctx,
    by: &str,
    action: &str,
    authority: &str,
    detail: &str,
) -> DomainResult<()> {
    tracing::info!(%authority, action, by, "federation decision");
    state
        .store
        .insert_audit(by, action, authority, detail)
        .await?;
    Ok(())
}

/// The newest entries first.
pub async fn list(state: &Ctx, limit: i64) -> DomainResult<Vec<AuditRow>> {
    Ok(state.store.list_audit(limit.clamp(1, 1000)).await?)
}
