//! Sending: turns "this actor sends this activity to these actors" into queued deliveries,
//! one per destination inbox (shared inbox when the peer has one), approved peers only.

use std::collections::BTreeMap;

use serde_json::Value;

use super::{FederationError, authority_of_str};
use crate::db::ActorRow;
use crate::state::AppState;

/// The inbox a delivery for `actor` goes to: the shared inbox when there is one, so that one
/// request reaches every recipient on that node.
pub fn inbox_for(actor: &ActorRow) -> &str {
    actor
        .shared_inbox_url
        .as_deref()
        .unwrap_or(&actor.inbox_url)
}

/// Queues `activity` from the local `sender` for `recipients` (local ones are skipped: they
/// are already handled by the domain). Returns how many deliveries were queued.
pub async fn send(
    state: &AppState,
    sender: &ActorRow,
    activity: &Value,
    recipients: &[ActorRow],
) -> Result<u64, FederationError> {
    let id = activity
        .get("id")
        .and_then(Value::as_str)
        .ok_or_else(|| FederationError::Internal("activity without id".into()))?;
    let mut inboxes = BTreeMap::new();
    for r in recipients.iter().filter(|r| r.is_local == 0) {
        let inbox = inbox_for(r);
        let Some(authority) = authority_of_str(inbox) else {
            continue;
        };
        if authority != r.authority {
            continue;
        }
        if state.fed.policy.allows(&state.store, &authority).await? {
            inboxes.insert(inbox.to_owned(), authority);
        } else {
            tracing::debug!(%authority, "not delivering to a peer that is not approved");
        }
    }
    if inboxes.is_empty() {
        return Ok(0);
    }
    let body =
        serde_json::to_string(activity).map_err(|e| FederationError::Internal(e.to_string()))?;
    let list: Vec<(String, String)> = inboxes.into_iter().collect();
    let added = state
        .store
        .enqueue_deliveries(id, sender.id, &body, &list, false)
        .await?;
    for (_, authority) in &list {
        crate::metrics::deliveries_queued(authority);
    }
    state.fed.wakeup.notify_one();
    Ok(added)
}

/// Queues `activity` from `sender` for one actor; nothing when that actor is local here.
pub async fn send_to(
    state: &AppState,
    sender: &ActorRow,
    activity: &Value,
    to: &ActorRow,
) -> Result<(), FederationError> {
    send(state, sender, activity, std::slice::from_ref(to)).await?;
    Ok(())
}
