//! A local actor's key pair, made on first need: the one way to read a local actor's keys.
//!
//! Making an RSA-2048 pair costs tens of milliseconds of CPU; an import of 2,000 agents spent
//! minutes on keys most agents would not use for days. A person is therefore created without
//! keys (`private_key_pem` NULL, `public_key_pem` empty) and gets them here, once, the first
//! time something signs as them or serves their key. Two processes (or two requests) racing
//! both make a pair, only the first `UPDATE ... WHERE private_key_pem IS NULL` stores its
//! pair, and both go on with the row as re-read: one key per actor, on both engines.

use std::ops::Deref;

use super::accounts::new_key_pair;
use super::{Ctx, DomainError, DomainResult};
use crate::db::ActorRow;

/// A local actor whose key pair exists: what signing and key documents take, so that no
/// path can publish an empty key or sign with none.
#[derive(Debug, Clone)]
pub struct KeyedActor(ActorRow);

impl Deref for KeyedActor {
    type Target = ActorRow;
    fn deref(&self) -> &ActorRow {
        &self.0
    }
}

impl KeyedActor {
    pub fn into_row(self) -> ActorRow {
        self.0
    }
}

/// Whether the local actor still waits for its key pair.
pub fn is_pending(actor: &ActorRow) -> bool {
    actor.is_local == 1 && actor.private_key_pem.is_none()
}

/// The actor with its key pair, made and stored now if it has none yet.
pub async fn ensure(ctx: &Ctx, actor: ActorRow) -> DomainResult<KeyedActor> {
    if actor.is_local != 1 {
        return Err(DomainError::Internal(format!(
            "{} is not ours: its key is not ours to read",
            actor.ap_id
        )));
    }
    if !is_pending(&actor) {
        return Ok(KeyedActor(actor));
    }
    let (private_pem, public_pem) = new_key_pair().await?;
    let stored = ctx
        .store
        .set_pending_actor_keys(actor.id, &private_pem, &public_pem)
        .await?;
    if stored {
        tracing::info!(actor = %actor.ap_id, "key pair made on first need");
    }
    // Re-read: when another request stored its pair first, that pair is the actor's.
    let row = ctx
        .store
        .actor_by_id(actor.id)
        .await?
        .ok_or_else(|| DomainError::Internal(format!("{} vanished", actor.ap_id)))?;
    if is_pending(&row) {
        return Err(DomainError::Internal(format!(
            "{} still has no key pair",
            row.ap_id
        )));
    }
    Ok(KeyedActor(row))
}
