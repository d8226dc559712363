//! Receiving: an activity whose signature was verified is checked for origin, deduplicated by
//! id, then turned into domain calls. Unknown types are accepted and ignored.

use serde_json::Value;

use super::convert::from_as::{id_of, kind_of, str_field};
use super::fetch::FetchBudget;
use super::keycache::KnownKey;
use super::{FederationError, authority_of_str};
use crate::domain::peers::incoming;
use crate::domain::{announced, departures, follows, memberships, relay};
use crate::state::AppState;

/// Largest activity body accepted by an inbox.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// An activity after the origin checks: its fields can be trusted to come from `signer`.
#[derive(Debug)]
pub struct Activity {
    pub id: String,
    pub kind: String,
    pub actor: String,
    pub authority: String,
    /// The object: embedded only when it comes from the signer's own authority; otherwise
    /// reduced to its id, to be dereferenced from its origin.
    pub object: Value,
    pub raw: Value,
}

/// Checks that the activity speaks only for the node that signed it.
pub fn check_origin(doc: Value, signer: &KnownKey) -> Result<Activity, FederationError> {
    let mismatch = |m: String| FederationError::OriginMismatch(m);
    let id = str_field(&doc, "id")
        .ok_or_else(|| FederationError::Malformed("activity without id".into()))?
        .to_owned();
    let kind = kind_of(&doc)
        .ok_or_else(|| FederationError::Malformed("activity without type".into()))?
        .to_owned();
    let actor = doc
        .get("actor")
        .and_then(id_of)
        .ok_or_else(|| FederationError::Malformed("activity without actor".into()))?
        .to_owned();
    if authority_of_str(&id).as_deref() != Some(signer.authority.as_str()) {
        return Err(mismatch(format!(
            "activity id {id} is not on {}",
            signer.authority
        )));
    }
    if actor != signer.actor_ap_id {
        return Err(mismatch(format!(
            "{actor} did not sign this activity (the key is {}'s)",
            signer.actor_ap_id
        )));
    }
    let object = match doc.get("object") {
        Some(obj @ Value::Object(_)) => {
            let obj_id = id_of(obj).unwrap_or_default();
            let same_origin = obj_id.is_empty()
                || authority_of_str(obj_id).as_deref() == Some(signer.authority.as_str());
            if same_origin {
                obj.clone()
            } else if kind == "Update" && super::convert::resources::is_resource(obj) {
                // A member's edit of a community resource, which lives on the community's
                // host: only that host accepts it, from an accepted member
                // (`domain::resource_inbox`); anywhere else it is ignored.
                obj.clone()
            } else if matches!(kind.as_str(), "Create" | "Update") {
                // One can only create or change one's own objects.
                return Err(mismatch(format!(
                    "{kind} of {obj_id}, which is not on {}",
                    signer.authority
                )));
            } else {
                Value::String(obj_id.to_owned())
            }
        }
        Some(other) => other.clone(),
        None => Value::Null,
    };
    Ok(Activity {
        id,
        kind,
        actor,
        authority: signer.authority.clone(),
        object,
        raw: doc,
    })
}

/// Processes a verified activity once. A replayed id is acknowledged and ignored.
#[tracing::instrument(skip_all, fields(id, kind, actor = %signer.actor_ap_id, peer = %signer.authority))]
pub async fn receive(
    state: &AppState,
    signer: &KnownKey,
    body: &[u8],
) -> Result<(), FederationError> {
    let doc: Value = serde_json::from_slice(body)
        .map_err(|e| FederationError::Malformed(format!("JSON: {e}")))?;
    let activity = check_origin(doc, signer)?;
    let span = tracing::Span::current();
    span.record("id", activity.id.as_str());
    span.record("kind", activity.kind.as_str());
    if !state
        .store
        .record_received(&activity.id, &activity.authority, &activity.kind)
        .await?
    {
        tracing::debug!("already received");
        return Ok(());
    }
    let budget = FetchBudget::default();
    let result = dispatch(state, &activity, &budget).await;
    if let Err(e) = &result {
        // Let the sender's retry be processed: the failure may be ours (database) or passing.
        let _ = state.store.forget_received(&activity.id).await;
        tracing::info!(error = %e, "activity refused");
    }
    result
}

async fn dispatch(
    state: &AppState,
    a: &Activity,
    budget: &FetchBudget,
) -> Result<(), FederationError> {
    // The federation handshake between instance actors comes first: it is all that an
    // authority that is not approved may reach (`handshake::verify_unapproved`).
    let approved = state.fed.policy.allows(&state.store, &a.authority).await?;
    match a.kind.as_str() {
        "Follow" if incoming::is_for_instance(state, a) => incoming::on_request(state, a).await,
        "Accept" if incoming::on_answer(state, a, true).await? => Ok(()),
        "Reject" if incoming::on_answer(state, a, false).await? => Ok(()),
        "Undo" | "Block" if incoming::on_end(state, a).await? => Ok(()),
        _ if !approved => Err(FederationError::NotApproved(a.authority.clone())),
        "Follow" => match local_group(state, id_of(&a.object)).await? {
            Some(group) => memberships::on_follow(state, a, &group, budget).await,
            None => follows::on_follow(state, a, budget).await,
        },
        "Reject" if crate::domain::resource_inbox::on_reject(state, a).await? => Ok(()),
        "Accept" | "Reject" => {
            if memberships::on_answer(state, a).await?
                || crate::domain::participation::on_answer(state, a).await?
            {
                Ok(())
            } else if a.kind == "Accept" {
                follows::on_accept(state, a).await
            } else {
                follows::on_reject(state, a).await
            }
        }
        "Undo" => match kind_of(&a.object) {
            Some("Follow") => {
                let target = a.object.get("object").and_then(id_of);
                match local_group(state, target).await? {
                    Some(group) => memberships::on_undo_follow(state, a, &group).await,
                    None => follows::on_undo_follow(state, a).await,
                }
            }
            _ => Ok(()),
        },
        "Delete" if departures::is_person_deletion(state, a).await? => {
            departures::on_delete_person(state, a).await
        }
        "Update" if kind_of(&a.object) == Some("Person") => {
            crate::domain::directory::on_update_person(state, a).await
        }
        "Create" | "Update" | "Delete" | "Flag" => match relay::addressed_group(state, a).await? {
            Some(group) => relay::on_to_group(state, a, &group).await,
            None if a.kind == "Create" => crate::domain::notes::on_create(state, a, budget).await,
            None => Ok(()),
        },
        "Announce" => announced::on_announce(state, a).await,
        "Join" => crate::domain::participation::on_join(state, a).await,
        "Leave" => crate::domain::participation::on_leave(state, a).await,
        "Invite" => memberships::on_invite(state, a, budget).await,
        other => {
            tracing::debug!(kind = other, "ignored activity type");
            Ok(())
        }
    }
}

/// A group hosted here, by its id.
async fn local_group(
    state: &AppState,
    id: Option<&str>,
) -> Result<Option<crate::db::ActorRow>, FederationError> {
    let Some(id) = id else { return Ok(None) };
    Ok(state
        .store
        .actor_by_ap_id(id)
        .await?
        .filter(|g| g.is_local == 1 && g.kind == "Group"))
}
