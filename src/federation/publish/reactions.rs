//! The activities of a [`ReactionChange`]: the agent's `Like` (« Merci ») or `EmojiReact`
//! (« +1 » 👍, « Bravo » 👏, with `content`, as Misskey and Pleroma send them) to the group,
//! which announces it; its `Undo`. Lemmy counts the `Like` as an upvote, Mastodon as a
//! favourite.

use serde_json::{Value, json};

use super::announce::submit;
use crate::domain::changes::ReactionChange;
use crate::domain::reactions::Reaction;
use crate::federation::FederationError;
use crate::federation::convert::to_as::activity;
use crate::state::AppState;

/// The `Like` or `EmojiReact` `ap_id` by `actor` of `object`, addressed to the group.
pub fn reaction_doc(ap_id: &str, actor: &str, object: &str, kind: Reaction, group: &str) -> Value {
    let verb = if kind.emoji().is_some() {
        "EmojiReact"
    } else {
        "Like"
    };
    let mut doc = activity(verb, ap_id, actor, json!(object), &[group]);
    if let Some(emoji) = kind.emoji() {
        doc["content"] = json!(emoji);
    }
    doc["audience"] = json!(group);
    doc
}

pub async fn publish(state: &AppState, change: ReactionChange) -> Result<(), FederationError> {
    match change {
        ReactionChange::Added {
            community,
            actor,
            object,
            kind,
            ap_id,
        } => {
            let doc = reaction_doc(&ap_id, &actor.ap_id, &object, kind, &community.ap_id);
            submit(state, &community, &actor, &doc).await?;
        }
        ReactionChange::Removed {
            community,
            actor,
            object,
            kind,
            ap_id,
        } => {
            let mut inner = reaction_doc(&ap_id, &actor.ap_id, &object, kind, &community.ap_id);
            if let Value::Object(m) = &mut inner {
                m.remove("@context");
            }
            let undo = activity(
                "Undo",
                &format!("{ap_id}#undo"),
                &actor.ap_id,
                inner,
                &[&community.ap_id],
            );
            submit(state, &community, &actor, &undo).await?;
        }
    }
    Ok(())
}
