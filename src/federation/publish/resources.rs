//! The activities of a [`ResourceChange`].

use crate::domain::Ctx;
use crate::domain::changes::ResourceChange;
use crate::federation::FederationError;

pub async fn publish(_state: &Ctx, change: ResourceChange) -> Result<(), FederationError> {
    match change {}
}
