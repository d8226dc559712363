//! Web sessions: log in with a password, recognise the cookie, log out.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sha2::{Digest, Sha256};

use super::accounts::{self, Account};
use super::error::{DomainError, DomainResult};
use super::passwords;
use crate::db::now_ms;
use crate::domain::Ctx;

/// How long a login lasts: a working week, so agents are not asked every morning.
pub const SESSION_TTL_MS: i64 = 7 * 24 * 3600 * 1000;

/// A session as the web layer needs it.
#[derive(Debug, Clone)]
pub struct Session {
    pub account: Account,
    /// The synchroniser token every form of this session must carry.
    pub csrf_token: String,
    /// Unread notifications, counted once per request for the navigation.
    pub unread: i64,
}

/// 32 random bytes, URL-safe: session cookies, CSRF tokens, API tokens.
pub fn random_token() -> String {
    let bytes: [u8; 32] = rand::random();
    URL_SAFE_NO_PAD.encode(bytes)
}

/// Tokens are stored by hash so that a database leak does not hand out live sessions.
pub fn token_hash(token: &str) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(token.as_bytes()))
}

/// Checks the password (rate-limited per username and client) and opens a session.
/// Returns the cookie value, given to the client once.
pub async fn login(
    state: &Ctx,
    username: &str,
    password: &str,
    client: &str,
) -> DomainResult<(String, Session)> {
    if !state.config.password_login {
        return Err(DomainError::Forbidden(
            "password login is turned off on this node",
        ));
    }
    let username = username.trim().to_ascii_lowercase();
    // Charged before the slow hash, so that parallel guesses are counted as they start.
    if let Err(retry_after_secs) = state.throttle.reserve(&username, client) {
        return Err(DomainError::RateLimited { retry_after_secs });
    }
    let row = state.store.account_by_username(&username).await?;
    // Verify against a dummy hash when the user does not exist, so that timing does not
    // tell which usernames exist.
    let stored = row
        .as_ref()
        .and_then(|r| r.password_hash.clone())
        .unwrap_or_else(|| DUMMY_HASH.to_owned());
    let ok = passwords::verify(password.to_owned(), stored).await;
    let Some(row) = row.filter(|_| ok) else {
        tracing::info!(username = %username, "login failed");
        return Err(DomainError::Unauthenticated);
    };
    if row.disabled_at.is_some() {
        return Err(DomainError::Disabled);
    }
    state.throttle.succeeded(&username, client);
    open(state, row.id).await
}

/// Opens a session for an account whose identity was just proven (a password, or the
/// OpenID Connect provider). Returns the cookie value, given to the client once.
pub async fn open(state: &Ctx, account_id: i64) -> DomainResult<(String, Session)> {
    let token = random_token();
    let csrf_token = random_token();
    state
        .store
        .insert_session(
            &token_hash(&token),
            account_id,
            &csrf_token,
            now_ms() + SESSION_TTL_MS,
        )
        .await?;
    state.store.touch_login(account_id).await?;
    let account = accounts::by_id(state, account_id).await?;
    Ok((
        token,
        Session {
            account,
            csrf_token,
            unread: 0,
        },
    ))
}

/// The live session behind a cookie value, if any; disabled accounts have none.
pub async fn from_cookie(state: &Ctx, token: &str) -> DomainResult<Option<Session>> {
    if token.len() > 128 {
        return Ok(None);
    }
    let Some(session) = state.store.session_by_hash(&token_hash(token)).await? else {
        return Ok(None);
    };
    let account = accounts::by_id(state, session.account_id).await?;
    if account.disabled {
        return Ok(None);
    }
    let unread = state.store.unread_notifications(account.id).await?;
    Ok(Some(Session {
        account,
        csrf_token: session.csrf_token,
        unread,
    }))
}

pub async fn logout(state: &Ctx, token: &str) -> DomainResult<()> {
    state.store.delete_session(&token_hash(token)).await?;
    Ok(())
}

/// An argon2id hash of a random string, verified when the username is unknown.
const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$0LEw6qVOtnNYe6A1zTm+k8SeXrA4qA0rqoNIF9c0hgk";
