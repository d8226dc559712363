//! The activities of a [`FollowChange`].

use crate::domain::Ctx;
use crate::domain::changes::FollowChange;
use crate::federation::FederationError;

pub async fn publish(_state: &Ctx, change: FollowChange) -> Result<(), FederationError> {
    match change {}
}
