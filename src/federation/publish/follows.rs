//! The activities of a [`FollowChange`]: `Follow`, its `Undo`, and our agents' `Accept`.

use serde_json::json;

use crate::db::ActorRow;
use crate::domain::changes::FollowChange;
use crate::federation::convert::to_as::activity;
use crate::federation::{FederationError, outbox};
use crate::state::AppState;

pub async fn publish(state: &AppState, change: FollowChange) -> Result<(), FederationError> {
    match change {
        FollowChange::Requested {
            follower,
            followee,
            follow_id,
        } => {
            let doc = activity(
                "Follow",
                &follow_id,
                &follower.ap_id,
                json!(followee.ap_id),
                &[&followee.ap_id],
            );
            outbox::send_to(state, &follower, &doc, &followee).await
        }
        FollowChange::Withdrawn {
            follower,
            followee,
            follow_id,
        } => {
            let object = follow(&follow_id, &follower, &followee);
            let doc = activity(
                "Undo",
                &state.urls.new_activity(),
                &follower.ap_id,
                object,
                &[&followee.ap_id],
            );
            outbox::send_to(state, &follower, &doc, &followee).await
        }
        FollowChange::Accepted {
            follower,
            followee,
            follow_id,
        } => {
            let object = follow(&follow_id, &follower, &followee);
            let doc = activity(
                "Accept",
                &state.urls.new_activity(),
                &followee.ap_id,
                object,
                &[&follower.ap_id],
            );
            outbox::send_to(state, &followee, &doc, &follower).await
        }
    }
}

/// The `Follow` an `Undo` or `Accept` refers to, embedded.
fn follow(id: &str, follower: &ActorRow, followee: &ActorRow) -> serde_json::Value {
    json!({"type": "Follow", "id": id, "actor": follower.ap_id, "object": followee.ap_id})
}
