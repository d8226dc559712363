//! One-click unsubscribe (RFC 8058): every notification or digest mail carries a single-use
//! link that needs no login and turns off exactly one preference: the kind of that mail, or
//! the digest. The token is random and stored hashed; a forged, spent or unknown one changes
//! nothing.

use super::error::DomainResult;
use super::notification_delivery::{Digest, Mode};
use super::sessions::{random_token, token_hash};
use crate::domain::Ctx;

/// The target of a digest's link; any other target is a preference key.
pub const DIGEST: &str = "digest";

/// What a link does or did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Link {
    /// Live: it will turn off `target`.
    Live { target: String },
    /// Already used: nothing more to do.
    Spent,
    /// Not a link this node made.
    Unknown,
}

/// A new link's token for `account_id`, turning off `target` (a preference key or [`DIGEST`]).
pub async fn issue(ctx: &Ctx, account_id: i64, target: &str) -> DomainResult<String> {
    let token = random_token();
    ctx.store
        .insert_unsubscribe_token(&token_hash(&token), account_id, target)
        .await?;
    Ok(token)
}

/// What the link would do, changing nothing (mail scanners follow GET links).
pub async fn check(ctx: &Ctx, token: &str) -> DomainResult<Link> {
    Ok(
        match ctx.store.unsubscribe_token(&token_hash(token)).await? {
            None => Link::Unknown,
            Some(row) if row.used_at.is_some() => Link::Spent,
            Some(row) => Link::Live { target: row.target },
        },
    )
}

/// Spends the link and turns its one preference off; the answer says what happened.
pub async fn apply(ctx: &Ctx, token: &str) -> DomainResult<Link> {
    let Some(row) = ctx.store.unsubscribe_token(&token_hash(token)).await? else {
        return Ok(Link::Unknown);
    };
    if row.used_at.is_some() || !ctx.store.spend_unsubscribe_token(row.id).await? {
        return Ok(Link::Spent);
    }
    let mut prefs = super::notification_prefs::load(ctx, row.account_id).await?;
    if row.target == DIGEST {
        prefs.digest = Digest::Never;
    } else {
        prefs.modes.insert(row.target.clone(), Mode::Off);
    }
    super::notification_prefs::store(ctx, row.account_id, &prefs).await?;
    Ok(Link::Live { target: row.target })
}
