//! Keeping our cache of peers' directories right: what an approved peer says of one of its
//! agents replaces what we held (the federation layer reads the peer's `Person` and caches
//! its actor, in `inbox/directory.rs`).

use super::DomainResult;
use super::directory::{reindex, search_text};
use super::search;
use crate::db::{ActorRow, DirectoryValues};

/// Caches a peer agent's entry as its node sent it, or drops it when `values` is `None`
/// (the agent no longer shows it to the circle).
pub async fn cache_remote(
    state: &super::Ctx,
    actor: &ActorRow,
    values: Option<DirectoryValues>,
) -> DomainResult<()> {
    match values {
        Some(mut v) => {
            v.search_text = search_text(actor, &v);
            state.store.upsert_directory_entry(actor.id, &v).await?;
            let entry = state.store.directory_entry(actor.id).await?;
            reindex(state, &actor.ap_id, entry.as_ref()).await?;
        }
        None => {
            state.store.delete_directory_entry(actor.id).await?;
            search::remove(state, &actor.ap_id).await?;
        }
    }
    Ok(())
}
