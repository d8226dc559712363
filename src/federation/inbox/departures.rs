//! A peer tells us one of its agents left (`Delete{Person}`): only the person or their
//! node's instance actor may say so; what we keep of them is `domain::departures`.

use serde_json::Value;

use super::Activity;
use crate::domain::departures;
use crate::federation::convert::from_as::id_of;
use crate::federation::{FederationError, authority_of_str};
use crate::state::AppState;

/// Checks who speaks for the person, then hands their departure to the domain.
pub async fn on_delete_person(state: &AppState, a: &Activity) -> Result<(), FederationError> {
    let person = id_of(&a.object)
        .ok_or_else(|| FederationError::Malformed("Delete without object".into()))?
        .to_owned();
    if authority_of_str(&person).as_deref() != Some(a.authority.as_str()) {
        return Err(FederationError::OriginMismatch(format!(
            "{} cannot delete {person}, an agent of another node",
            a.authority
        )));
    }
    if a.actor != person {
        let instance = state
            .store
            .peer(&a.authority)
            .await?
            .and_then(|p| p.actor_ap_id);
        if instance.as_deref() != Some(a.actor.as_str()) {
            return Err(FederationError::OriginMismatch(format!(
                "{} is neither {person} nor its node",
                a.actor
            )));
        }
    }
    let remove = a.raw.get("removeData").and_then(Value::as_bool) == Some(true);
    departures::remote_left(state, &person, remove).await?;
    Ok(())
}
