//! The instance actor: the node itself as an ActivityPub `Application`.

use super::Ctx;
use super::accounts::new_key_pair;
use super::error::DomainResult;
use crate::db::{ActorRow, DbError, NewActor};
use crate::urls::Urls;

pub const KIND: &str = "Application";

/// Returns the instance actor, creating it (and its key pair) on the node's first start.
/// Its username is the authority, as Mastodon does for its instance actor.
pub async fn ensure(state: &Ctx) -> DomainResult<ActorRow> {
    let authority = &state.config.authority;
    if let Some(actor) = state.store.local_actor(authority, KIND).await? {
        return Ok(actor);
    }
    let (private_pem, public_pem) = new_key_pair().await?;
    let ap_id = state.urls.instance_actor();
    let new = NewActor {
        kind: KIND.into(),
        username: authority.clone(),
        authority: authority.clone(),
        is_local: true,
        display_name: state.config.institution_name.clone(),
        summary: String::new(),
        job_title: String::new(),
        institution: state.config.institution_name.clone(),
        inbox_url: Urls::inbox(&ap_id),
        shared_inbox_url: Some(state.urls.shared_inbox()),
        outbox_url: Some(Urls::outbox(&ap_id)),
        followers_url: Some(Urls::followers(&ap_id)),
        following_url: Some(Urls::following(&ap_id)),
        public_key_id: Urls::key_id(&ap_id),
        public_key_pem: public_pem,
        private_key_pem: Some(private_pem),
        ap_id,
    };
    match state.store.insert_actor(state.store.pool(), &new).await {
        Ok(actor) => Ok(actor),
        // Another process of the same node created it first.
        Err(DbError::Duplicate(_)) => Ok(state
            .store
            .local_actor(authority, KIND)
            .await?
            .ok_or(DbError::Duplicate("instance actor"))?),
        Err(e) => Err(e.into()),
    }
}
