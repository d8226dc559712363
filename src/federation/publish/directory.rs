//! The activities of a [`DirectoryChange`]: the agent's `Person`, with only the circle's
//! fields, in an `Update` to every approved peer (the directory is the circle's, not a list
//! of followers).

use crate::domain::changes::DirectoryChange;
use crate::federation::FederationError;
use crate::federation::convert::directory::{circle_update, send_to_peers};
use crate::state::AppState;

pub async fn publish(state: &AppState, change: DirectoryChange) -> Result<(), FederationError> {
    match change {
        DirectoryChange::Updated {
            actor,
            entry,
            disabled,
        } => {
            let keyed = crate::domain::actor_keys::ensure(state, actor.as_ref().clone()).await?;
            let update = circle_update(&keyed, entry.as_deref(), disabled, state)?;
            send_to_peers(state, &actor, &update, None).await
        }
    }
}
