//! Refused is not lost (issue 14): a group's Announce that this member's node refused only
//! because the inner activity's node was not allowed is kept as received, and replayed when
//! the admin allows that node. The group's signature was verified when it arrived; the replay
//! runs the same checks as the inbox (origin of the inner activity, policy now, and for a
//! bare object a signed fetch from its origin within one fetch budget for the whole run).

use serde_json::Value;

use super::{Activity, announce};
use crate::federation::fetch::FetchBudget;
use crate::federation::{FederationError, authority_of_str};
use crate::state::AppState;

/// Announces kept per refused authority: a flood from one group cannot fill the disk.
pub const MAX_KEPT_PER_AUTHORITY: i64 = 1000;
/// Announces replayed by one decision of the admin; the rest waits for the next decision.
pub const MAX_REPLAYED: i64 = 200;
/// Remote fetches one replay run may make (bare objects, authors' profiles).
pub const FETCH_BUDGET: u32 = 100;

/// What a backfill did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Backfilled {
    pub stored: u32,
    pub dropped: u32,
    pub kept: u32,
}

/// Keeps the group's Announce `a` that was refused because `authority` is not allowed here.
pub async fn note_refused(
    state: &AppState,
    a: &Activity,
    authority: &str,
) -> Result<(), FederationError> {
    let raw = serde_json::to_string(&a.raw)
        .map_err(|e| FederationError::Internal(format!("refused relay: {e}")))?;
    if state
        .store
        .note_refused_relay(authority, &a.id, &a.actor, &raw, MAX_KEPT_PER_AUTHORITY)
        .await?
    {
        tracing::info!(%authority, id = %a.id, "kept a relay refused for its author's node, to replay it if that node is allowed");
    }
    Ok(())
}

/// Replays what was refused because of `authority`, now that it may be allowed. Does nothing
/// while the policy still refuses it; bounded by [`MAX_REPLAYED`] and [`FETCH_BUDGET`].
pub async fn replay(state: &AppState, authority: &str) -> Result<Backfilled, FederationError> {
    let mut done = Backfilled::default();
    if !state.fed.policy.allows(&state.store, authority).await? {
        return Ok(done);
    }
    let budget = FetchBudget::new(FETCH_BUDGET);
    for row in state
        .store
        .refused_relays_of(authority, MAX_REPLAYED)
        .await?
    {
        let raw: Value = match serde_json::from_str(&row.raw) {
            Ok(v) => v,
            Err(_) => {
                state.store.forget_refused_relay(row.id).await?;
                done.dropped += 1;
                continue;
            }
        };
        let a = Activity {
            id: row.activity_ap_id.clone(),
            kind: "Announce".into(),
            actor: row.group_ap_id.clone(),
            authority: authority_of_str(&row.group_ap_id).unwrap_or_default(),
            object: raw.get("object").cloned().unwrap_or(Value::Null),
            raw,
        };
        match announce::on_announce(state, &a, &budget).await {
            Ok(()) | Err(FederationError::NotHeld(_)) => {
                state.store.forget_refused_relay(row.id).await?;
                done.stored += 1;
            }
            // Out of budget, a node silent, our database: kept for the next decision.
            Err(
                e @ (FederationError::FetchBudget
                | FederationError::Remote(_)
                | FederationError::NotYet(_)
                | FederationError::Status(500..)
                | FederationError::Db(_)
                | FederationError::NotApproved(_)),
            ) => {
                tracing::info!(error = %e, id = %row.activity_ap_id, "backfill: kept for later");
                done.kept += 1;
            }
            Err(e) => {
                tracing::info!(error = %e, id = %row.activity_ap_id, "backfill: refused, dropped");
                state.store.forget_refused_relay(row.id).await?;
                done.dropped += 1;
            }
        }
    }
    if done != Backfilled::default() {
        tracing::info!(%authority, stored = done.stored, kept = done.kept, dropped = done.dropped, "backfilled relays refused before");
    }
    Ok(done)
}
