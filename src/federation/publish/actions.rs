//! The activities of a [`ActionChange`].

use crate::domain::Ctx;
use crate::domain::changes::ActionChange;
use crate::federation::FederationError;

pub async fn publish(_state: &Ctx, change: ActionChange) -> Result<(), FederationError> {
    match change {}
}
