//! The activities of a [`MembershipChange`]: the member's `Follow` of the group and its
//! `Undo`, the group's `Accept`, `Reject` and `Invite`, its `Add`/`Remove` of a remote
//! animateur, and a remote animateur's `Accept`/`Reject` of a request sent to the host.

use serde_json::json;

use crate::db::ActorRow;
use crate::domain::changes::MembershipChange;
use crate::federation::convert::to_as::activity;
use crate::federation::{FederationError, outbox};
use crate::state::AppState;

pub async fn publish(state: &AppState, change: MembershipChange) -> Result<(), FederationError> {
    match change {
        MembershipChange::Requested {
            group,
            member,
            follow_id,
            answer,
        } => {
            let mut doc = activity(
                "Follow",
                &follow_id,
                &member.ap_id,
                json!(group.ap_id),
                &[&group.ap_id],
            );
            if !answer.is_empty() {
                doc["answer"] = json!(answer);
            }
            outbox::send_to(state, &member, &doc, &group).await
        }
        MembershipChange::Admitted {
            group,
            member,
            follow_id,
        } => answer(state, &group, &member, &follow_id, "Accept").await,
        MembershipChange::Refused {
            group,
            member,
            follow_id,
        } => answer(state, &group, &member, &follow_id, "Reject").await,
        MembershipChange::Left {
            group,
            member,
            follow_id,
        } => {
            let object = json!({"type": "Follow", "id": follow_id, "actor": member.ap_id,
                "object": group.ap_id});
            let doc = activity(
                "Undo",
                &state.urls.new_activity(),
                &member.ap_id,
                object,
                &[&group.ap_id],
            );
            outbox::send_to(state, &member, &doc, &group).await
        }
        MembershipChange::Invited { group, member } => {
            let mut doc = activity(
                "Invite",
                &state.urls.new_activity(),
                &group.ap_id,
                json!(group.ap_id),
                &[&member.ap_id],
            );
            doc["target"] = json!(member.ap_id);
            outbox::send_to(state, &group, &doc, &member).await
        }
        MembershipChange::RoleSet {
            group,
            member,
            animateur,
        } => {
            // Lemmy's shape: the group adds the person to (or removes her from) its
            // moderators collection.
            let verb = if animateur { "Add" } else { "Remove" };
            let mut doc = activity(
                verb,
                &state.urls.new_activity(),
                &group.ap_id,
                json!(member.ap_id),
                &[&member.ap_id],
            );
            doc["target"] = json!(format!("{}/moderators", group.ap_id));
            outbox::send_to(state, &group, &doc, &member).await
        }
        MembershipChange::DecisionProposed {
            group,
            animateur,
            follow_id,
            approve,
        } => {
            let verb = if approve { "Accept" } else { "Reject" };
            let doc = activity(
                verb,
                &state.urls.new_activity(),
                &animateur.ap_id,
                json!({"type": "Follow", "id": follow_id, "object": group.ap_id}),
                &[&group.ap_id],
            );
            outbox::send_to(state, &animateur, &doc, &group).await
        }
    }
}

/// The group's `Accept` or `Reject` of an agent's `Follow`.
async fn answer(
    state: &AppState,
    group: &ActorRow,
    member: &ActorRow,
    follow_id: &str,
    verb: &str,
) -> Result<(), FederationError> {
    let object =
        json!({"type": "Follow", "id": follow_id, "actor": member.ap_id, "object": group.ap_id});
    let doc = activity(
        verb,
        &state.urls.new_activity(),
        &group.ap_id,
        object,
        &[&member.ap_id],
    );
    outbox::send_to(state, group, &doc, member).await
}
