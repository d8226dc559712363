//! Personal API tokens for `/api/v1`: shown once, stored hashed, revocable.

use serde::Serialize;

use super::accounts::{self, Account};
use super::error::{DomainError, DomainResult};
use super::names;
use super::sessions::{random_token, token_hash};
use crate::db::TokenRow;
use crate::domain::Ctx;

/// Every token starts with this, so that secret scanners and admins recognise one.
pub const TOKEN_PREFIX: &str = "ep_";

/// A token as listed to its owner: never the secret itself.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ApiToken {
    pub id: i64,
    pub name: String,
    /// The first characters, to tell tokens apart.
    pub prefix: String,
    pub created_at: i64,
    pub last_used_at: Option<i64>,
    pub revoked: bool,
}

impl From<TokenRow> for ApiToken {
    fn from(r: TokenRow) -> Self {
        ApiToken {
            id: r.id,
            name: r.name,
            prefix: r.prefix,
            created_at: r.created_at,
            last_used_at: r.last_used_at,
            revoked: r.revoked_at.is_some(),
        }
    }
}

/// Creates a token; the secret is returned here and never again.
pub async fn create(
    state: &Ctx,
    account: &Account,
    name: &str,
) -> DomainResult<(ApiToken, String)> {
    let name = names::line("name", name, 1, 60)?;
    let secret = format!("{TOKEN_PREFIX}{}", random_token());
    let prefix: String = secret.chars().take(TOKEN_PREFIX.len() + 6).collect();
    let row = state
        .store
        .insert_token(account.id, &name, &token_hash(&secret), &prefix)
        .await?;
    Ok((row.into(), secret))
}

/// The account behind a bearer token; disabled accounts and revoked tokens get nothing.
pub async fn authenticate(state: &Ctx, secret: &str) -> DomainResult<Account> {
    if !secret.starts_with(TOKEN_PREFIX) || secret.len() > 128 {
        return Err(DomainError::Unauthenticated);
    }
    let row = state
        .store
        .use_token(&token_hash(secret))
        .await?
        .ok_or(DomainError::Unauthenticated)?;
    let account = accounts::by_id(state, row.account_id).await?;
    if account.disabled {
        return Err(DomainError::Disabled);
    }
    Ok(account)
}

pub async fn list(state: &Ctx, account: &Account) -> DomainResult<Vec<ApiToken>> {
    Ok(state
        .store
        .list_tokens(account.id)
        .await?
        .into_iter()
        .map(ApiToken::from)
        .collect())
}

/// Revokes one of the account's own tokens.
pub async fn revoke(state: &Ctx, account: &Account, id: i64) -> DomainResult<()> {
    if state.store.revoke_token(account.id, id).await? {
        Ok(())
    } else {
        Err(DomainError::NotFound("token"))
    }
}
