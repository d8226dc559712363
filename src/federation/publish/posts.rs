//! The activities of a [`PostChange`].

use crate::domain::Ctx;
use crate::domain::changes::PostChange;
use crate::federation::FederationError;

pub async fn publish(_state: &Ctx, change: PostChange) -> Result<(), FederationError> {
    match change {}
}
