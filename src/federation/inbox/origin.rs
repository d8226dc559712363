//! Origin checks: an activity speaks only for the node that signed it.

use serde_json::Value;

use super::Activity;
use crate::federation::FederationError;
use crate::federation::authority_of_str;
use crate::federation::convert::from_as::{id_of, kind_of, str_field};
use crate::federation::keycache::KnownKey;

/// Checks that the activity speaks only for the node that signed it.
pub fn check_origin(doc: Value, signer: &KnownKey) -> Result<Activity, FederationError> {
    let mismatch = |m: String| FederationError::OriginMismatch(m);
    let id = str_field(&doc, "id")
        .ok_or_else(|| FederationError::Malformed("activity without id".into()))?
        .to_owned();
    let kind = kind_of(&doc)
        .ok_or_else(|| FederationError::Malformed("activity without type".into()))?
        .to_owned();
    let actor = doc
        .get("actor")
        .and_then(id_of)
        .ok_or_else(|| FederationError::Malformed("activity without actor".into()))?
        .to_owned();
    if authority_of_str(&id).as_deref() != Some(signer.authority.as_str()) {
        return Err(mismatch(format!(
            "activity id {id} is not on {}",
            signer.authority
        )));
    }
    if actor != signer.actor_ap_id {
        return Err(mismatch(format!(
            "{actor} did not sign this activity (the key is {}'s)",
            signer.actor_ap_id
        )));
    }
    let object = match doc.get("object") {
        Some(obj @ Value::Object(_)) => {
            let obj_id = id_of(obj).unwrap_or_default();
            let same_origin = obj_id.is_empty()
                || authority_of_str(obj_id).as_deref() == Some(signer.authority.as_str());
            if same_origin {
                obj.clone()
            } else if kind == "Update" && crate::federation::convert::resources::is_resource(obj) {
                // A member's edit of a community resource, which lives on the community's
                // host: only that host accepts it, from an accepted member
                // (`inbox::resources`); anywhere else it is ignored.
                obj.clone()
            } else if kind == "Update" && crate::federation::convert::actions::is_action_item(obj) {
                // An action item's owner (or an animateur) may live on another node than its
                // author: the host arbitrates their change field by field
                // (`action_sync::receive_update`) and announces the item as it stands; a
                // member's node ignores an Update of an item that is not the group's own.
                obj.clone()
            } else if kind == "Update"
                && crate::federation::convert::from_as::kind_of(obj) == Some("Event")
            {
                // Issue 18: an animateur of another node edits a session, which lives on the
                // community's host: only that host accepts it, from one of its animateurs
                // (`events::receive_proposal`); anywhere else it is ignored.
                obj.clone()
            } else if matches!(kind.as_str(), "Create" | "Update") {
                // One can only create or change one's own objects.
                return Err(mismatch(format!(
                    "{kind} of {obj_id}, which is not on {}",
                    signer.authority
                )));
            } else {
                Value::String(obj_id.to_owned())
            }
        }
        Some(other) => other.clone(),
        None => Value::Null,
    };
    Ok(Activity {
        id,
        kind,
        actor,
        authority: signer.authority.clone(),
        object,
        raw: doc,
    })
}
