//! Resources arriving by federation. On the host: a member's proposal (`Create` or `Update`
//! to the group), handed to the domain like a local edit, and refused with a `Reject` to its
//! author when the domain finds a conflict (a stale base revision). On a member's node: the
//! revisions the group announces, and the host's refusals of our agents' edits.

use serde_json::{Value, json};

use super::Activity;
use crate::db::{ActorRow, CommunityRow};
use crate::domain::communities::group_of;
use crate::domain::resources::{KINDS, receive_proposal};
use crate::domain::{DomainError, resource_cache};
use crate::federation::convert::from_as::id_of;
use crate::federation::convert::resources::read_resource;
use crate::federation::convert::to_as::activity;
use crate::federation::{FederationError, authority_of_str, outbox};
use crate::state::AppState;

/// On the host, `member` (already checked to be an accepted member) proposes a resource or
/// an edit of one.
pub async fn on_proposal(
    state: &AppState,
    a: &Activity,
    c: &CommunityRow,
    member: &ActorRow,
) -> Result<(), FederationError> {
    if a.kind == "Delete" {
        // Deleting is the animateurs' and happens on the host.
        return Err(FederationError::Refused(
            "resources are deleted by animateurs on the host".into(),
        ));
    }
    let r = read_resource(&a.object)?;
    if !r.audience.is_empty() && r.audience != c.ap_id {
        return Err(FederationError::Refused(
            "the resource is for another community".into(),
        ));
    }
    let creating = a.kind == "Create";
    if !creating && r.proposal.id.is_none() {
        return Err(FederationError::Malformed(
            "an edit names its resource".into(),
        ));
    }
    match receive_proposal(state, c, member, &r.proposal, creating).await {
        Ok(_) => Ok(()),
        Err(DomainError::Conflict(why)) => {
            let resource = if creating {
                None
            } else {
                r.proposal.id.as_deref()
            };
            reject(state, a, c, member, resource, &why).await
        }
        Err(e) => Err(e.into()),
    }
}

/// The host refuses an edit: the author's node learns it from the group's `Reject`, which
/// answers the member's own activity.
async fn reject(
    state: &AppState,
    a: &Activity,
    c: &CommunityRow,
    member: &ActorRow,
    resource: Option<&str>,
    why: &str,
) -> Result<(), FederationError> {
    let group = group_of(state, c).await?;
    let mut doc = activity(
        "Reject",
        &state.urls.new_activity(),
        &group.ap_id,
        json!(a.id),
        &[&member.ap_id],
    );
    doc["content"] = json!(why);
    if let Some(r) = resource {
        doc["target"] = json!(r);
    }
    outbox::send(state, &group, &doc, std::slice::from_ref(member)).await?;
    Ok(())
}

/// On a member's node: the group's `Reject` of one of our agents' edits (classified by its
/// `target`, a resource we know).
pub async fn on_reject(state: &AppState, a: &Activity) -> Result<(), FederationError> {
    let Some(target) = a.raw.get("target").and_then(id_of) else {
        return Ok(());
    };
    let Some(r) = state.store.resource_by_ap_id(target).await? else {
        return Ok(());
    };
    let Some(c) = state.store.community_by_id(r.community_id).await? else {
        return Ok(());
    };
    // Only the group of that resource may refuse, and only an activity we sent.
    let ours = id_of(&a.object).and_then(authority_of_str);
    if c.ap_id != a.actor || ours.as_deref() != Some(state.config.authority.as_str()) {
        return Err(FederationError::OriginMismatch(
            "a Reject of an edit comes from the resource's group".into(),
        ));
    }
    let agents = crate::federation::convert::from_as::addressees(&a.raw);
    resource_cache::edit_refused(state, &c, &r, &a.actor, &agents).await;
    Ok(())
}

/// On a member's node: what the group announces about a resource of community `c`. The
/// group vouches for the revision; we check that the resource is the group's own.
pub async fn on_announced(
    state: &AppState,
    c: &CommunityRow,
    kind: &str,
    inner_actor: &str,
    object: &Value,
) -> Result<(), FederationError> {
    if inner_actor != c.ap_id {
        return Err(FederationError::OriginMismatch(
            "resources are announced by their group".into(),
        ));
    }
    if kind == "Delete" {
        resource_cache::forget(state, c, id_of(object).unwrap_or_default()).await?;
        return Ok(());
    }
    let r = read_resource(object)?;
    let id = r.proposal.id.as_deref().unwrap_or_default();
    if authority_of_str(id).as_deref() != Some(c.authority.as_str()) || r.audience != c.ap_id {
        return Err(FederationError::OriginMismatch(
            "a resource lives on its community's host".into(),
        ));
    }
    if !KINDS.contains(&r.proposal.kind.as_str()) || r.revision < 1 {
        return Err(FederationError::Malformed(
            "resource kind or revision".into(),
        ));
    }
    resource_cache::keep_revision(state, c, &r).await?;
    Ok(())
}
