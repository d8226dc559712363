//! The activities of a [`ResourceChange`]: on the host, the group announces each resource
//! as it now stands (or its deletion); a member's node sends its agent's proposal to the
//! host, which numbers it or answers `Reject`.

use super::announce::{announce, group_delete};
use crate::domain::changes::ResourceChange;
use crate::domain::communities::group_of;
use crate::domain::resources::Published;
use crate::federation::convert::resources::{proposal_object, resource_object};
use crate::federation::convert::to_as::activity;
use crate::federation::{FederationError, outbox};
use crate::state::AppState;

pub async fn publish(state: &AppState, change: ResourceChange) -> Result<(), FederationError> {
    match change {
        ResourceChange::Created(p) => published(state, "Create", &p).await,
        ResourceChange::Revised(p) => published(state, "Update", &p).await,
        ResourceChange::Deleted {
            community,
            resource,
        } => Ok(group_delete(state, &community, &resource).await?),
        ResourceChange::Proposed {
            community,
            author,
            proposal,
        } => {
            let group = group_of(state, &community).await?;
            let kind = if proposal.id.is_some() {
                "Update"
            } else {
                "Create"
            };
            let doc = activity(
                kind,
                &state.urls.new_activity(),
                &author.ap_id,
                proposal_object(&proposal, &author.ap_id, &community.ap_id),
                &[&community.ap_id],
            );
            outbox::send(state, &author, &doc, std::slice::from_ref(&group)).await?;
            Ok(())
        }
    }
}

/// The group's own `Create` or `Update` of the resource at its current revision.
async fn published(state: &AppState, kind: &str, p: &Published) -> Result<(), FederationError> {
    let c = &p.community;
    let group = group_of(state, c).await?;
    let doc = activity(
        kind,
        &state.urls.new_activity(),
        &group.ap_id,
        resource_object(&p.resource, &p.revision, &c.ap_id, &p.files),
        &[&c.ap_id],
    );
    Ok(announce(state, c, &doc).await?)
}
