//! The activities of a [`DirectoryChange`].

use crate::domain::Ctx;
use crate::domain::changes::DirectoryChange;
use crate::federation::FederationError;

pub async fn publish(_state: &Ctx, change: DirectoryChange) -> Result<(), FederationError> {
    match change {}
}
