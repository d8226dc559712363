//! Reactions, inbound: on the host, a member's `Like` / `EmojiReact` or its `Undo` (the
//! inbox checked the membership), counted by `domain::reactions` and announced to the
//! members' nodes; on a member's node, what the group announced.

use serde_json::Value;

use super::Activity;
use crate::db::CommunityRow;
use crate::domain::reactions::{self, Reaction};
use crate::federation::FederationError;
use crate::federation::convert::from_as::{id_of, kind_of, str_field};
use crate::federation::publish::announce;
use crate::state::AppState;

/// Whether an activity of type `kind` with `object` is a reaction or the undoing of one.
pub fn is_reaction(kind: &str, object: &Value) -> bool {
    matches!(kind, "Like" | "EmojiReact")
        || (kind == "Undo" && matches!(kind_of(object), Some("Like" | "EmojiReact")))
}

/// Applies reaction activity `doc` (by `actor`) to community `c`: true when it changed
/// something.
async fn apply(
    state: &AppState,
    c: &CommunityRow,
    actor: &str,
    doc: &Value,
) -> Result<bool, FederationError> {
    let kind = kind_of(doc).unwrap_or_default();
    let object = doc.get("object").cloned().unwrap_or(Value::Null);
    if kind == "Undo" {
        let like = id_of(&object)
            .ok_or_else(|| FederationError::Malformed("Undo without the reaction's id".into()))?;
        if object
            .get("actor")
            .and_then(id_of)
            .is_some_and(|a| a != actor)
        {
            return Err(FederationError::Refused(
                "an agent undoes only their own reaction".into(),
            ));
        }
        return Ok(reactions::receive_undo(state, actor, like).await?);
    }
    let Some(reaction) = Reaction::from_activity(kind, str_field(doc, "content")) else {
        // An emoji we do not count: acknowledged, nothing stored.
        return Ok(false);
    };
    let target = id_of(&object)
        .ok_or_else(|| FederationError::Malformed("a reaction names its object".into()))?;
    let id = id_of(doc).ok_or_else(|| FederationError::Malformed("activity without id".into()))?;
    Ok(reactions::receive(state, c, actor, target, reaction, id).await?)
}

/// A member's reaction for a community hosted here: counted, then announced as sent.
pub async fn on_to_group(
    state: &AppState,
    a: &Activity,
    c: &CommunityRow,
) -> Result<(), FederationError> {
    if apply(state, c, &a.actor, &a.raw).await? {
        announce::announce(state, c, &a.raw).await?;
    }
    Ok(())
}

/// A reaction the group announced (on a member's node).
pub async fn on_announced(
    state: &AppState,
    c: &CommunityRow,
    inner_actor: &str,
    inner: &Value,
) -> Result<(), FederationError> {
    apply(state, c, inner_actor, inner).await?;
    Ok(())
}
