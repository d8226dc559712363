//! A peer's communities, pulled from its `/federation/communities` collection and cached,
//! so that this node's agents find them by name before anyone typed their address.

use serde_json::Value;

use super::convert::from_as;
use super::fetch::{FetchBudget, fetch_json};
use super::remote::{group_profile, store_actor};
use super::{FederationError, authority_of_str};
use crate::domain::communities;
use crate::state::AppState;

/// Reads the collection of `authority` (an approved peer: the fetch is signed and refused
/// otherwise) and caches every group of its own that it lists; returns how many.
pub async fn pull(state: &AppState, authority: &str) -> Result<usize, FederationError> {
    let url = format!(
        "{}://{authority}/federation/communities",
        state.config.scheme()
    );
    let doc = fetch_json(state, &url, &FetchBudget::new(1)).await?;
    let items = doc
        .get("orderedItems")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let mut stored = 0;
    for item in &items {
        let id = item.get("id").and_then(Value::as_str).unwrap_or_default();
        // Only the peer's own groups: the collection is its word about itself, nothing more.
        if from_as::kind_of(item) != Some("Group")
            || authority_of_str(id).as_deref() != Some(authority)
        {
            tracing::info!(%authority, "community item skipped: not one of the peer's groups");
            continue;
        }
        let group = match store_actor(state, item).await {
            Ok(g) => g,
            Err(e) => {
                tracing::info!(%authority, error = %e, "community item refused");
                continue;
            }
        };
        communities::cache_remote(state, &group, &group_profile(item)).await?;
        stored += 1;
    }
    Ok(stored)
}
