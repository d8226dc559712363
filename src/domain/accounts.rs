//! Local accounts: creation (with the agent's key pair), profile, password, disabling.

use serde::Serialize;

use super::Ctx;
use super::error::{DomainError, DomainResult, OrNotFound, Rule};
use super::names::{self, Email, Username};
use super::passwords;
use crate::db::{AccountRow, ActorRow, DbError, NewAccount};
use crate::keys::PrivateKey;

/// What an account may do on its node.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Admin,
    Agent,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Agent => "agent",
        }
    }

    fn from_db(s: &str) -> Role {
        if s == "admin" {
            Role::Admin
        } else {
            Role::Agent
        }
    }
}

/// A local agent's account, as the rest of the code sees it. Never carries secrets.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Account {
    pub id: i64,
    #[serde(skip)]
    pub actor_id: i64,
    pub username: String,
    pub display_name: String,
    pub email: String,
    pub job_title: String,
    pub summary: String,
    pub role: Role,
    pub disabled: bool,
    /// The ActivityPub id of the agent.
    pub actor: String,
    pub created_at: i64,
    pub last_login_at: Option<i64>,
}

impl Account {
    pub fn is_admin(&self) -> bool {
        self.role == Role::Admin
    }
}

impl From<AccountRow> for Account {
    fn from(r: AccountRow) -> Self {
        Account {
            id: r.id,
            actor_id: r.actor_id,
            username: r.username,
            display_name: r.display_name,
            email: r.email,
            job_title: r.job_title,
            summary: r.summary,
            role: Role::from_db(&r.role),
            disabled: r.disabled_at.is_some(),
            actor: r.ap_id,
            created_at: r.created_at,
            last_login_at: r.last_login_at,
        }
    }
}

/// Input of [`create`], unchecked.
#[derive(Debug, Clone, Default)]
pub struct NewAccountInput {
    pub username: String,
    pub display_name: String,
    pub email: String,
    pub job_title: String,
    pub admin: bool,
    /// `None`: a password is generated and returned once.
    pub password: Option<String>,
}

/// Creates a local account and its actor with a fresh RSA-2048 key pair. Returns the
/// generated password when none was given.
pub async fn create(
    state: &Ctx,
    input: NewAccountInput,
) -> DomainResult<(Account, Option<String>)> {
    let username = Username::parse(&input.username)?;
    if username.as_str() == state.config.authority {
        return Err(DomainError::invalid("username", Rule::Reserved));
    }
    let display_name = if input.display_name.trim().is_empty() {
        username.as_str().to_owned()
    } else {
        names::line("display_name", &input.display_name, 1, 80)?
    };
    let email = Email::parse(&input.email)?;
    let job_title = names::line("job_title", &input.job_title, 0, 80)?;
    let (password, generated) = match input.password {
        Some(p) => {
            passwords::check_new(&p)?;
            (p, None)
        }
        None => {
            let p = passwords::generate();
            (p.clone(), Some(p))
        }
    };
    // WebFinger answers `acct:NAME@node` with one actor: an agent and a community of this
    // node never share a name.
    if state
        .store
        .account_by_username(username.as_str())
        .await?
        .is_some()
        || state
            .store
            .local_actor(username.as_str(), "Group")
            .await?
            .is_some()
    {
        return Err(DomainError::Conflict(format!(
            "the username {} is already taken",
            username.as_str()
        )));
    }
    let hash = passwords::hash(password).await?;
    let actor = super::local_actor::new_row(
        state,
        super::local_actor::Identity {
            kind: "Person",
            username: username.as_str(),
            ap_id: state.urls.person(username.as_str()),
            display_name,
            summary: String::new(),
            job_title,
        },
        // The key pair is made on first need (actor_keys::ensure).
        None,
    );
    let row = state
        .store
        .insert_account(&NewAccount {
            actor,
            email: email.as_str().to_owned(),
            password_hash: Some(hash),
            role: if input.admin {
                Role::Admin
            } else {
                Role::Agent
            }
            .as_str()
            .to_owned(),
        })
        .await
        .map_err(|e| match e {
            DbError::Duplicate(_) => DomainError::Conflict(format!(
                "the username {} is already taken",
                username.as_str()
            )),
            other => other.into(),
        })?;
    tracing::info!(username = %row.username, role = %row.role, "account created");
    Ok((row.into(), generated))
}

/// A fresh RSA-2048 key pair as (PKCS#8 private PEM, SPKI public PEM), made off the runtime.
pub async fn new_key_pair() -> DomainResult<(String, String)> {
    tokio::task::spawn_blocking(|| {
        let key = PrivateKey::generate().map_err(|e| DomainError::Internal(e.to_string()))?;
        let private = key
            .to_pkcs8_pem()
            .map_err(|e| DomainError::Internal(e.to_string()))?;
        Ok((private, key.public_key().to_spki_pem()))
    })
    .await
    .map_err(|e| DomainError::Internal(e.to_string()))?
}

pub async fn by_username(state: &Ctx, username: &str) -> DomainResult<Account> {
    let username = Username::parse(username)?;
    state
        .store
        .account_by_username(username.as_str())
        .await?
        .map(Account::from)
        .or_not_found("account")
}

pub async fn by_id(state: &Ctx, id: i64) -> DomainResult<Account> {
    state
        .store
        .account_by_id(id)
        .await?
        .map(Account::from)
        .or_not_found("account")
}

pub async fn list(state: &Ctx) -> DomainResult<Vec<Account>> {
    Ok(state
        .store
        .list_accounts()
        .await?
        .into_iter()
        .map(Account::from)
        .collect())
}

/// Disables or re-enables an account. The last active admin cannot be disabled: the node
/// would have no one left to run it.
pub async fn set_disabled(state: &Ctx, username: &str, disabled: bool) -> DomainResult<Account> {
    let account = by_username(state, username).await?;
    if disabled && account.is_admin() && !account.disabled && state.store.count_admins().await? <= 1
    {
        return Err(DomainError::Conflict(
            "the last active admin cannot be disabled".into(),
        ));
    }
    state
        .store
        .set_account_disabled(account.id, disabled)
        .await?;
    super::directory::changed(state, account.actor_id).await?;
    by_id(state, account.id).await
}

/// Sets a new password (checked against the rules) and ends the account's sessions.
pub async fn set_password(state: &Ctx, username: &str, password: String) -> DomainResult<()> {
    passwords::check_new(&password)?;
    let account = by_username(state, username).await?;
    let hash = passwords::hash(password).await?;
    state.store.set_password_hash(account.id, &hash).await?;
    Ok(())
}

/// Input of [`update_profile`], unchecked.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct ProfileInput {
    pub display_name: String,
    pub job_title: String,
    pub summary: String,
}

/// Changes what the agent shows of themselves.
pub async fn update_profile(
    state: &Ctx,
    account: &Account,
    input: &ProfileInput,
) -> DomainResult<Account> {
    let display_name = names::line("display_name", &input.display_name, 1, 80)?;
    let job_title = names::line("job_title", &input.job_title, 0, 80)?;
    let summary = names::text("summary", &input.summary, 2000)?;
    state
        .store
        .update_actor_profile(account.actor_id, &display_name, &job_title, &summary)
        .await?;
    super::directory::changed(state, account.actor_id).await?;
    by_id(state, account.id).await
}

/// A local agent's actor by username (any case); an actor whose account is gone is not
/// served.
pub async fn local_person(state: &Ctx, username: &str) -> DomainResult<ActorRow> {
    state
        .store
        .local_actor(&username.to_ascii_lowercase(), "Person")
        .await
        .or_not_found("actor")
}

/// The actor of a local agent: who they are to other nodes.
pub async fn actor_of(state: &Ctx, account: &Account) -> DomainResult<ActorRow> {
    state
        .store
        .actor_by_id(account.actor_id)
        .await
        .or_not_found("actor")
}
