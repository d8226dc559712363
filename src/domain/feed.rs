//! The agent's home feed: new threads and replies of their communities, across nodes, newest
//! first, one page at a time.

use super::accounts::Account;
use super::error::DomainResult;
use crate::db::PostRow;
use crate::state::AppState;

/// Posts per page.
pub const PAGE: i64 = 30;

/// One page of the feed; `before` is the `published_at` of the last post of the previous page.
pub async fn page(
    state: &AppState,
    account: &Account,
    before: Option<i64>,
) -> DomainResult<Vec<PostRow>> {
    Ok(state
        .store
        .feed(account.actor_id, before.unwrap_or(i64::MAX), PAGE)
        .await?)
}
