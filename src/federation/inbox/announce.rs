//! The member side of FEP-1b12: a node whose agents are members receives the group's
//! Announces and stores what they carry. The group's signature vouches that the inner
//! activity came from a member (the host checked that member's signature when it received
//! it); we still check that the inner activity is consistent with its own origin.

use serde_json::Value;

use super::{Activity, Concept, concept_of};
use crate::domain::post_store::{self, Via};
use crate::federation::convert::from_as::{id_of, kind_of};
use crate::federation::convert::posts::read_post;
use crate::federation::{FederationError, authority_of_str};
use crate::state::AppState;

/// An Announce from a group.
pub async fn on_announce(state: &AppState, a: &Activity) -> Result<(), FederationError> {
    let Some(c) = state.store.community_by_ap_id(&a.actor).await? else {
        return Ok(());
    };
    if c.is_local == 1 {
        return Ok(());
    }
    // Only communities our agents belong to: we store what our agents need.
    if !state
        .store
        .has_member_on(c.id, &state.config.authority)
        .await?
    {
        return Ok(());
    }
    let Some(inner @ Value::Object(_)) = a.raw.get("object") else {
        return Err(FederationError::Malformed(
            "an Announce must carry the activity".into(),
        ));
    };
    let kind = kind_of(inner).unwrap_or_default();
    let inner_actor = inner.get("actor").and_then(id_of).unwrap_or_default();
    let inner_id = id_of(inner).unwrap_or_default();
    let origin = authority_of_str(inner_actor)
        .ok_or_else(|| FederationError::Malformed("inner activity without actor".into()))?;
    if authority_of_str(inner_id).as_deref() != Some(origin.as_str()) {
        return Err(FederationError::OriginMismatch(
            "inner activity id and actor differ".into(),
        ));
    }
    let by_group = inner_actor == c.ap_id;
    if !by_group
        && origin != state.config.authority
        && !state.fed.policy.allows(&state.store, &origin).await?
    {
        return Err(FederationError::NotApproved(origin));
    }
    let object = inner.get("object").cloned().unwrap_or(Value::Null);
    match concept_of(&state.store, c.id, kind, &object).await? {
        Concept::Resource => {
            super::resources::on_announced(state, &c, kind, inner_actor, &object).await
        }
        Concept::Action => {
            super::actions::on_announced(state, &c, kind, inner_actor, &object).await
        }
        Concept::Event => super::events::on_announced(state, &c, kind, inner_actor, &object).await,
        Concept::Post => on_post(state, &c, kind, inner_actor, by_group, &object).await,
    }
}

/// A post announced by its group: created, edited, pinned or locked, removed.
async fn on_post(
    state: &AppState,
    c: &crate::db::CommunityRow,
    kind: &str,
    inner_actor: &str,
    by_group: bool,
    object: &Value,
) -> Result<(), FederationError> {
    match kind {
        "Create" => {
            let p = read_post(object)?;
            post_store::receive_created(state, c, inner_actor, &p).await?;
        }
        "Update" if by_group => {
            let p = read_post(object)?;
            let pinned = object
                .get("stickied")
                .and_then(Value::as_bool)
                .unwrap_or(false);
            let locked = object.get("commentsEnabled").and_then(Value::as_bool) == Some(false);
            post_store::receive_flags(state, c, &p.id, pinned, locked).await?;
        }
        "Update" => {
            let p = read_post(object)?;
            post_store::receive_edit(state, c, inner_actor, &p, Via::Group).await?;
        }
        "Delete" => {
            let id = id_of(object).unwrap_or_default();
            post_store::receive_delete(state, c, inner_actor, id, Via::Group).await?;
        }
        _ => {}
    }
    Ok(())
}
