//! Invitations: the admin creates an agent's account, the agent chooses their own password
//! through a one-time link valid a week. No password travels by email or phone.

use super::accounts::{self, Account, NewAccountInput};
use super::error::{DomainError, DomainResult, OrNotFound};
use super::passwords;
use super::sessions::{random_token, token_hash};
use crate::db::now_ms;
use crate::domain::Ctx;

pub const INVITATION_TTL_MS: i64 = 7 * 24 * 3600 * 1000;

/// Creates the account without a usable password and returns it with the invitation link.
pub async fn invite(
    state: &Ctx,
    admin: &Account,
    input: NewAccountInput,
) -> DomainResult<(Account, String)> {
    let (account, _) = accounts::create(
        state,
        NewAccountInput {
            password: None,
            ..input
        },
    )
    .await?;
    // The generated password was never shown: the account is usable only through the link.
    let link = new_link(state, admin, &account).await?;
    Ok((account, link))
}

/// A fresh link for an existing account (the previous one may have expired).
pub async fn new_link(state: &Ctx, admin: &Account, account: &Account) -> DomainResult<String> {
    let token = random_token();
    state
        .store
        .insert_invitation(
            &token_hash(&token),
            account.id,
            &admin.username,
            now_ms() + INVITATION_TTL_MS,
        )
        .await?;
    Ok(format!("{}/invitation/{token}", state.urls.base()))
}

/// The account an invitation link is for, when the link is still valid.
pub async fn check(state: &Ctx, token: &str) -> DomainResult<Account> {
    if token.len() > 128 {
        return Err(DomainError::NotFound("invitation"));
    }
    let inv = state
        .store
        .live_invitation(&token_hash(token))
        .await
        .or_not_found("invitation")?;
    accounts::by_id(state, inv.account_id).await
}

/// Sets the chosen password and spends the link.
pub async fn accept(state: &Ctx, token: &str, password: &str) -> DomainResult<Account> {
    passwords::check_new(password)?;
    let inv = state
        .store
        .live_invitation(&token_hash(token))
        .await?
        .ok_or(DomainError::NotFound("invitation"))?;
    let hash = passwords::hash(password.to_owned()).await?;
    if !state
        .store
        .accept_invitation(inv.id, inv.account_id, &hash)
        .await?
    {
        return Err(DomainError::NotFound("invitation"));
    }
    accounts::by_id(state, inv.account_id).await
}
