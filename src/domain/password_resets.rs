//! "Mot de passe oublié ?": a one-hour, single-use link, stored hashed, for the enabled
//! account with that address. The caller answers the same whether the address exists or not;
//! requests are charged to the login throttle so the form cannot be used to flood a mailbox.

use super::accounts::{self, Account};
use super::error::{DomainError, DomainResult};
use super::passwords;
use super::sessions::{random_token, token_hash};
use crate::db::now_ms;
use crate::domain::Ctx;

pub const RESET_TTL_MS: i64 = 3600 * 1000;

/// A link was made for this account: the caller mails it.
pub struct ResetLink {
    pub account: Account,
    pub link: String,
}

/// Makes a link for the account with `email`, if there is one. `Ok(None)` both when no
/// account has the address and when it is disabled: the caller says the same either way.
pub async fn request(state: &Ctx, email: &str, client: &str) -> DomainResult<Option<ResetLink>> {
    let email = email.trim();
    // Charged like a login attempt, keyed by the address, before anything is looked up.
    let key = format!("reset:{}", email.to_lowercase());
    if let Err(retry_after_secs) = state.throttle.reserve(&key, client) {
        return Err(DomainError::RateLimited { retry_after_secs });
    }
    if email.is_empty() || email.len() > 254 || !email.contains('@') {
        return Ok(None);
    }
    let Some(account_id) = state.store.enabled_account_by_email(email).await? else {
        tracing::info!("password reset asked for an unknown address");
        return Ok(None);
    };
    let account = accounts::by_id(state, account_id).await?;
    let token = random_token();
    state
        .store
        .insert_password_reset(&token_hash(&token), account.id, now_ms() + RESET_TTL_MS)
        .await?;
    Ok(Some(ResetLink {
        link: format!("{}/password-reset/{token}", state.urls.base()),
        account,
    }))
}

/// The account a link is for while it is valid; anything else (spent, expired, forged) is
/// `NotFound`.
pub async fn check(state: &Ctx, token: &str) -> DomainResult<Account> {
    if token.len() > 128 {
        return Err(DomainError::NotFound("password reset"));
    }
    let id = state
        .store
        .live_password_reset(&token_hash(token))
        .await?
        .ok_or(DomainError::NotFound("password reset"))?;
    accounts::by_id(state, id).await
}

/// Sets the new password and spends the link (and every other link of the account); the
/// account's sessions end.
pub async fn reset(state: &Ctx, token: &str, password: &str) -> DomainResult<Account> {
    let account = check(state, token).await?;
    passwords::check_new(password)?;
    let hash = passwords::hash(password.to_owned()).await?;
    if !state
        .store
        .use_password_reset(&token_hash(token), account.id, &hash)
        .await?
    {
        return Err(DomainError::NotFound("password reset"));
    }
    Ok(account)
}
