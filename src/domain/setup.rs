//! The admin's first hour: a node started with no active admin prints a one-time link where
//! the first admin account is created. The token lives in memory only: it is valid until it is
//! used or the process restarts (which prints a new one), and never written anywhere but the
//! console the installer is looking at.

use std::sync::Mutex;

use super::Ctx;
use super::accounts::{self, Account, NewAccountInput};
use super::error::{DomainError, DomainResult};
use super::sessions::{random_token, token_hash};
use crate::auth_compare::tokens_match;

/// The current setup token's hash, when the node waits for its first admin.
#[derive(Default)]
pub struct SetupToken(Mutex<Option<String>>);

impl SetupToken {
    fn set(&self, hash: Option<String>) {
        *self.0.lock().unwrap_or_else(|p| p.into_inner()) = hash;
    }

    fn matches(&self, token: &str) -> bool {
        let current = self.0.lock().unwrap_or_else(|p| p.into_inner()).clone();
        current.is_some_and(|h| tokens_match(&h, &token_hash(token)))
    }
}

/// When the node has no active admin, makes a setup link and returns it (to be printed).
pub async fn link_if_needed(state: &Ctx) -> DomainResult<Option<String>> {
    if state.store.count_admins().await? > 0 {
        state.setup.set(None);
        return Ok(None);
    }
    let token = random_token();
    state.setup.set(Some(token_hash(&token)));
    Ok(Some(format!("{}/setup/{token}", state.urls.base())))
}

/// Whether `token` opens the setup page now.
pub async fn check(state: &Ctx, token: &str) -> DomainResult<()> {
    if token.len() > 128 || !state.setup.matches(token) || state.store.count_admins().await? > 0 {
        return Err(DomainError::NotFound("setup link"));
    }
    Ok(())
}

/// Creates the first admin with the link, which is spent at once.
pub async fn create_admin(
    state: &Ctx,
    token: &str,
    input: NewAccountInput,
) -> DomainResult<Account> {
    check(state, token).await?;
    let password = input.password.clone().unwrap_or_default();
    super::passwords::check_new(&password)?;
    let (account, _) = accounts::create(
        state,
        NewAccountInput {
            admin: true,
            ..input
        },
    )
    .await?;
    state.setup.set(None);
    tracing::info!(username = %account.username, "first admin created through the setup link");
    Ok(account)
}
