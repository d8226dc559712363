//! The activities of a [`PeerChange`].

use crate::domain::Ctx;
use crate::domain::changes::PeerChange;
use crate::federation::FederationError;

pub async fn publish(_state: &Ctx, change: PeerChange) -> Result<(), FederationError> {
    match change {}
}
