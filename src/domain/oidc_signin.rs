//! Sign-in through an OpenID Connect provider (ProConnect): the sign-ins in progress, and
//! which account an identity the provider proved opens — found by its subject, linked by its
//! verified address, or created — when its employer is allowed.

use super::accounts::{self, NewAccountInput};
use super::error::{DomainError, DomainResult};
use super::sessions::{self, SESSION_TTL_MS, Session, random_token, token_hash};
use crate::db::{OidcPendingRow, now_ms};
use crate::domain::Ctx;

/// Time to sign in at the provider: long enough for a second factor, short enough that a
/// leaked state is soon worthless.
pub const PENDING_TTL_MS: i64 = 10 * 60 * 1000;

/// What a started sign-in sends to the provider: `state` and `nonce` of 43 random characters
/// (256 bits), each stored here and usable once.
#[derive(Debug, Clone)]
pub struct Started {
    pub state: String,
    pub nonce: String,
}

/// A sign-in this node started, taken back by its `state`.
#[derive(Debug, Clone)]
pub struct Pending {
    pub nonce: String,
    pub pkce_verifier: String,
    pub next: String,
}

/// An identity the provider vouched for: the ID token's and userinfo's signatures, issuer,
/// audience, expiry and nonce are already verified by the caller.
#[derive(Debug, Clone, Default)]
pub struct ProvenIdentity {
    pub issuer: String,
    pub subject: String,
    pub email: Option<String>,
    /// `None` when the provider does not say (ProConnect's identity providers vouch for the
    /// address); `Some(false)` is refused.
    pub email_verified: Option<bool>,
    pub given_name: Option<String>,
    pub usual_name: Option<String>,
    pub siret: Option<String>,
    /// The raw ID token, kept only as the `id_token_hint` of the provider's logout.
    pub id_token: String,
}

/// Why a proven identity opens no session here. Nothing was created or changed.
#[derive(Debug, thiserror::Error)]
pub enum Refusal {
    #[error("employer SIRET {0:?} is not allowed on this node")]
    SiretNotAllowed(Option<String>),
    #[error("the provider says the email address is not verified")]
    EmailUnverified,
    #[error("the provider sent no email address")]
    MissingClaims,
    #[error("several local accounts have this email address")]
    EmailAmbiguous,
    #[error("the account with this email address is linked to another identity of the provider")]
    AlreadyLinked,
    #[error("account disabled")]
    Disabled,
    #[error(transparent)]
    Fault(#[from] DomainError),
}

/// Records a new sign-in and returns its `state` and `nonce`. `next` is the local path to
/// come back to; the PKCE verifier stays here, its challenge goes to the provider.
pub async fn start(state: &Ctx, next: &str, pkce_verifier: &str) -> DomainResult<Started> {
    let started = Started {
        state: random_token(),
        nonce: random_token(),
    };
    state
        .store
        .insert_oidc_pending(
            &token_hash(&started.state),
            &OidcPendingRow {
                nonce: started.nonce.clone(),
                pkce_verifier: pkce_verifier.to_owned(),
                next: next.to_owned(),
                expires_at: now_ms() + PENDING_TTL_MS,
            },
        )
        .await?;
    Ok(started)
}

/// The sign-in of this `state`, once: a forged, expired or replayed state gives `None`.
pub async fn take(state: &Ctx, returned_state: &str) -> DomainResult<Option<Pending>> {
    if returned_state.len() > 128 {
        return Ok(None);
    }
    let row = state
        .store
        .take_oidc_pending(&token_hash(returned_state))
        .await?;
    Ok(row.filter(|r| r.expires_at > now_ms()).map(|r| Pending {
        nonce: r.nonce,
        pkce_verifier: r.pkce_verifier,
        next: r.next,
    }))
}

/// Opens a session for a proven identity: the account linked to its subject, else the one
/// account with its verified address (then linked), else a new account. Returns the cookie
/// value, given to the client once.
pub async fn sign_in(state: &Ctx, identity: &ProvenIdentity) -> Result<(String, Session), Refusal> {
    let Some(oidc) = state.config.oidc.as_ref() else {
        return Err(DomainError::Forbidden("OpenID Connect sign-in is not configured").into());
    };
    // Every check comes before any write: a refused sign-in changes nothing.
    if !oidc.allowed_sirets.allows(identity.siret.as_deref()) {
        return Err(Refusal::SiretNotAllowed(identity.siret.clone()));
    }
    if identity.email_verified == Some(false) {
        return Err(Refusal::EmailUnverified);
    }
    let known = state
        .store
        .account_id_by_oidc_subject(&identity.issuer, &identity.subject)
        .await
        .map_err(DomainError::from)?;
    let account_id = match known {
        Some(id) => {
            refuse_disabled(state, id).await?;
            id
        }
        None => link_or_create(state, identity).await?,
    };
    let (token, session) = sessions::open(state, account_id).await?;
    state
        .store
        .insert_oidc_session(
            &token_hash(&token),
            &identity.id_token,
            now_ms() + SESSION_TTL_MS,
        )
        .await
        .map_err(DomainError::from)?;
    Ok((token, session))
}

async fn refuse_disabled(state: &Ctx, account_id: i64) -> Result<(), Refusal> {
    if accounts::by_id(state, account_id).await?.disabled {
        return Err(Refusal::Disabled);
    }
    Ok(())
}

async fn link_or_create(state: &Ctx, identity: &ProvenIdentity) -> Result<i64, Refusal> {
    let email = identity
        .email
        .as_deref()
        .map(str::trim)
        .filter(|e| !e.is_empty())
        .ok_or(Refusal::MissingClaims)?;
    let same_address = state
        .store
        .account_ids_by_email(email)
        .await
        .map_err(DomainError::from)?;
    let account_id = match same_address.as_slice() {
        [] => create(state, identity, email).await?,
        [id] => {
            refuse_disabled(state, *id).await?;
            if state
                .store
                .oidc_issuer_linked(*id, &identity.issuer)
                .await
                .map_err(DomainError::from)?
            {
                return Err(Refusal::AlreadyLinked);
            }
            tracing::info!(
                account_id = id,
                "oidc: linking an existing account by its verified address"
            );
            *id
        }
        _ => return Err(Refusal::EmailAmbiguous),
    };
    state
        .store
        .insert_oidc_identity(
            &identity.issuer,
            &identity.subject,
            account_id,
            identity.siret.as_deref(),
        )
        .await
        .map_err(DomainError::from)?;
    Ok(account_id)
}

/// A new account named after the address's local part (`prenom.nom`), made unique.
async fn create(state: &Ctx, identity: &ProvenIdentity, email: &str) -> Result<i64, Refusal> {
    let display_name = [&identity.given_name, &identity.usual_name]
        .into_iter()
        .flatten()
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    let base = username_base(email);
    for n in 1..=50 {
        let username = if n == 1 {
            base.clone()
        } else {
            format!("{base}-{n}")
        };
        let input = NewAccountInput {
            username,
            display_name: display_name.chars().take(80).collect(),
            email: email.to_owned(),
            // A random password nobody is told: the agent signs in through the provider.
            password: None,
            ..NewAccountInput::default()
        };
        match accounts::create(state, input).await {
            Ok((account, _)) => {
                tracing::info!(username = %account.username, "oidc: account created at first sign-in");
                return Ok(account.id);
            }
            Err(DomainError::Conflict(_)) => continue,
            Err(e) => return Err(e.into()),
        }
    }
    Err(DomainError::Conflict("no free username for this address".into()).into())
}

/// `Jeanne.Dupont+x@ville.fr` → `jeanne.dupont-x`: the allowed characters of a username,
/// at most 26 so that a `-NN` suffix fits.
pub fn username_base(email: &str) -> String {
    let local = email.split('@').next().unwrap_or_default();
    let mut out = String::new();
    for c in local.chars() {
        let c = c.to_ascii_lowercase();
        if c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '_' | '.' | '-') {
            out.push(c);
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    let trimmed: String = out
        .trim_start_matches(|c: char| !c.is_ascii_alphanumeric())
        .chars()
        .take(26)
        .collect();
    let trimmed = trimmed.trim_end_matches(['-', '.', '_']).to_owned();
    if trimmed.is_empty() {
        "agent".to_owned()
    } else {
        trimmed
    }
}

/// The ID token of a session opened through the provider, forgotten as the session ends:
/// the `id_token_hint` of the provider's logout.
pub async fn end_session(state: &Ctx, cookie: &str) -> DomainResult<Option<String>> {
    if cookie.len() > 128 {
        return Ok(None);
    }
    Ok(state.store.take_oidc_session(&token_hash(cookie)).await?)
}

#[cfg(test)]
mod tests {
    use super::username_base;

    #[test]
    fn usernames_come_from_the_address_and_stay_valid() {
        assert_eq!(
            username_base("Jeanne.Dupont@ville-sete.fr"),
            "jeanne.dupont"
        );
        assert_eq!(username_base("élise+tag@x.fr"), "lise-tag");
        assert_eq!(username_base("@x.fr"), "agent");
        assert_eq!(username_base(&format!("{}@x.fr", "a".repeat(40))).len(), 26);
    }
}
