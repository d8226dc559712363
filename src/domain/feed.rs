//! The agent's home feed: new threads and replies of their communities, across nodes, newest
//! first, one page at a time.

use std::fmt;

use super::accounts::Account;
use super::error::{DomainError, DomainResult, Rule};
use crate::db::PostRow;
use crate::domain::Ctx;

/// Posts per page.
pub const PAGE: i64 = 30;

/// Where the next page starts: just older than this post. Written `published_at-id` in links;
/// the id keeps posts of the same millisecond apart, so none is skipped or shown twice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cursor {
    pub published_at: i64,
    pub id: i64,
}

impl Cursor {
    /// Reads a link's cursor. A bare `published_at` (links made before the id was added)
    /// means "older than that millisecond".
    pub fn parse(s: &str) -> DomainResult<Self> {
        let bad = || DomainError::invalid("before", Rule::PageCursor);
        let (ms, id) = match s.split_once('-') {
            Some((ms, id)) => (ms, id.parse::<i64>().map_err(|_| bad())?),
            None => (s, 0),
        };
        let published_at = ms.parse::<i64>().map_err(|_| bad())?;
        Ok(Self { published_at, id })
    }
}

impl fmt::Display for Cursor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}", self.published_at, self.id)
    }
}

/// One page of the feed and where the next one starts, if there may be one.
pub struct Page {
    pub posts: Vec<PostRow>,
    pub next: Option<Cursor>,
}

/// The page just older than `before` (the newest page without it).
pub async fn page(state: &Ctx, account: &Account, before: Option<Cursor>) -> DomainResult<Page> {
    let before = before.map_or((i64::MAX, i64::MAX), |c| (c.published_at, c.id));
    let posts = state.store.feed(account.actor_id, before, PAGE).await?;
    let next = (posts.len() as i64 == PAGE)
        .then(|| posts.last())
        .flatten()
        .map(|p| Cursor {
            published_at: p.published_at,
            id: p.id,
        });
    Ok(Page { posts, next })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_bare_milliseconds_still_work() {
        let c = Cursor {
            published_at: 1_700_000_000_123,
            id: 42,
        };
        assert_eq!(Cursor::parse(&c.to_string()).unwrap(), c);
        assert_eq!(
            Cursor::parse("1700000000123").unwrap(),
            Cursor {
                published_at: 1_700_000_000_123,
                id: 0
            }
        );
        for bad in ["", "abc", "12-", "-3", "1-x", "1-2-3"] {
            assert!(Cursor::parse(bad).is_err(), "{bad:?} refused");
        }
    }
}
