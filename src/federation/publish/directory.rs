//! The activities of a [`DirectoryChange`]: the agent's `Person`, with only the circle's
//! fields, in an `Update` to every approved peer (the directory is the circle's, not a list
//! of followers).

use crate::domain::Ctx;
use crate::domain::changes::DirectoryChange;
use crate::federation::FederationError;
use crate::federation::convert::directory::{circle_person, send_to_peers};
use crate::federation::convert::to_as;

pub async fn publish(state: &Ctx, change: DirectoryChange) -> Result<(), FederationError> {
    match change {
        DirectoryChange::Updated {
            actor,
            entry,
            disabled,
        } => {
            let person = circle_person(&actor, entry.as_deref(), disabled, state)?;
            let id = state.urls.new_activity();
            let update = to_as::activity("Update", &id, &actor.ap_id, person, &[]);
            send_to_peers(state, &actor, &update, None).await
        }
    }
}
