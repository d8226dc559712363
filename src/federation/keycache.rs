//! Parsed keys kept in memory: our actors' private keys (parsing PKCS#8 costs more than
//! signing) and remote public keys by key id (looked up on every signed request).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use super::FederationError;
use super::keys::{PrivateKey, PublicKey};
use crate::db::ActorRow;
use crate::domain::actor_keys::{self, KeyedActor};
use crate::domain::instance;
use crate::state::AppState;

/// A local actor's key, ready to sign.
pub struct Signer {
    pub key_id: String,
    pub key: PrivateKey,
}

/// A remote (or local) public key and whose it is.
#[derive(Clone)]
pub struct KnownKey {
    pub key: Arc<PublicKey>,
    pub actor_ap_id: String,
    pub authority: String,
    /// When the key was fetched from its origin (milliseconds; `i64::MAX` for our own
    /// actors, which never go stale).
    pub fetched_at: i64,
}

impl KnownKey {
    /// Whether the key was fetched longer than `max_age` ago and should be fetched again.
    pub fn is_stale(&self, max_age: std::time::Duration, now_ms: i64) -> bool {
        let max_age = i64::try_from(max_age.as_millis()).unwrap_or(i64::MAX);
        now_ms.saturating_sub(self.fetched_at) > max_age
    }
}

const MAX_KEYS: usize = 50_000;

#[derive(Default)]
pub struct KeyCache {
    signers: Mutex<HashMap<i64, Arc<Signer>>>,
    public: Mutex<HashMap<String, KnownKey>>,
}

impl KeyCache {
    /// The signer of a local actor (`actor_keys::ensure` made its key pair).
    pub fn signer(&self, actor: &KeyedActor) -> Result<Arc<Signer>, FederationError> {
        if let Some(s) = self
            .signers
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(&actor.id)
        {
            return Ok(s.clone());
        }
        let pem = actor.private_key_pem.as_deref().ok_or_else(|| {
            FederationError::Internal(format!("{} has no private key", actor.ap_id))
        })?;
        let signer = Arc::new(Signer {
            key_id: actor.public_key_id.clone(),
            key: PrivateKey::from_pkcs8_pem(pem)?,
        });
        self.signers
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(actor.id, signer.clone());
        Ok(signer)
    }

    /// The instance actor's signer, which signs fetches.
    pub async fn instance_signer(&self, state: &AppState) -> Result<Arc<Signer>, FederationError> {
        let actor = instance::ensure(state)
            .await
            .map_err(|e| FederationError::Internal(e.to_string()))?;
        let actor = actor_keys::ensure(state, actor)
            .await
            .map_err(|e| FederationError::Internal(e.to_string()))?;
        self.signer(&actor)
    }

    pub fn public_key(&self, key_id: &str) -> Option<KnownKey> {
        self.public
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(key_id)
            .cloned()
    }

    /// Remembers the key of an actor row (after a fetch or a database read).
    pub fn remember(&self, actor: &ActorRow) -> Result<KnownKey, FederationError> {
        let known = KnownKey {
            key: Arc::new(PublicKey::from_pem(&actor.public_key_pem)?),
            actor_ap_id: actor.ap_id.clone(),
            authority: actor.authority.clone(),
            fetched_at: if actor.is_local == 1 {
                i64::MAX
            } else {
                actor.fetched_at.unwrap_or(0)
            },
        };
        let mut map = self.public.lock().unwrap_or_else(|p| p.into_inner());
        if map.len() >= MAX_KEYS {
            map.clear();
        }
        map.insert(actor.public_key_id.clone(), known.clone());
        Ok(known)
    }

    /// Forgets a key (rotation) and every key of an authority (revocation).
    pub fn forget(&self, key_id: &str) {
        self.public
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(key_id);
    }

    pub fn forget_authority(&self, authority: &str) {
        self.public
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .retain(|_, k| k.authority != authority);
    }
}
