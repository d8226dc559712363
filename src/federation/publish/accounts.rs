//! The activities of a [`AccountChange`]: `Delete{Person}` to every node that may know the
//! agent, and the group's `Delete` of a departed peer agent's post, announced to its members.

use serde_json::json;

use crate::domain::changes::AccountChange;
use crate::federation::convert::to_as::activity;
use crate::federation::{FederationError, outbox};
use crate::state::AppState;

use super::announce::announce;

const PUBLIC: &str = "https://www.w3.org/ns/activitystreams#Public";

pub async fn publish(state: &AppState, change: AccountChange) -> Result<(), FederationError> {
    match change {
        AccountChange::Deleted {
            actor,
            remove_data,
            known_by,
        } => {
            let mut delete = activity(
                "Delete",
                &state.urls.new_activity(),
                &actor.ap_id,
                json!(actor.ap_id),
                &[PUBLIC],
            );
            delete["removeData"] = json!(remove_data);
            outbox::send(state, &actor, &delete, &known_by).await?;
            Ok(())
        }
        AccountChange::DepartedPostDeleted {
            community,
            group,
            post,
        } => {
            let del = activity(
                "Delete",
                &state.urls.new_activity(),
                &group.ap_id,
                json!(post),
                &[&community.ap_id],
            );
            announce(state, &community, &del).await?;
            Ok(())
        }
    }
}
