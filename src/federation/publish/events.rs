//! The activities of a [`EventChange`].

use crate::domain::Ctx;
use crate::domain::changes::EventChange;
use crate::federation::FederationError;

pub async fn publish(_state: &Ctx, change: EventChange) -> Result<(), FederationError> {
    match change {}
}
