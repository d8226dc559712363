//! The activities of a [`AccountChange`].

use crate::domain::Ctx;
use crate::domain::changes::AccountChange;
use crate::federation::FederationError;

pub async fn publish(_state: &Ctx, change: AccountChange) -> Result<(), FederationError> {
    match change {}
}
