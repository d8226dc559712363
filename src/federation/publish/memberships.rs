//! The activities of a [`MembershipChange`].

use crate::domain::Ctx;
use crate::domain::changes::MembershipChange;
use crate::federation::FederationError;

pub async fn publish(_state: &Ctx, change: MembershipChange) -> Result<(), FederationError> {
    match change {}
}
