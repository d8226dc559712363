//! The action plan, inbound. On the host: a member's Create, Update or Delete of an item or
//! a comment, read here and checked by the domain (`action_sync`); what it accepted from the
//! member is forwarded in the group's Announce. On a member's node: what the group
//! Announces about items and comments.

use serde_json::Value;

use super::Activity;
use crate::db::{ActorRow, CommunityRow};
use crate::domain::action_sync::{self, IncomingComment};
use crate::federation::FederationError;
use crate::federation::convert::actions::{is_action_item, read_item};
use crate::federation::convert::from_as::{id_of, kind_of};
use crate::federation::convert::posts::read_post;
use crate::federation::publish::announce::announce;
use crate::state::AppState;

/// The group's side: a member's Create, Update or Delete of an item or a comment.
pub async fn on_to_group(
    state: &AppState,
    a: &Activity,
    c: &CommunityRow,
    member: &ActorRow,
) -> Result<(), FederationError> {
    let forward = match a.kind.as_str() {
        "Create" if is_action_item(&a.object) => {
            let (d, audience) = read_item(&a.object)?;
            if d.attributed_to != a.actor {
                return Err(FederationError::OriginMismatch(
                    "an item is created by its author".into(),
                ));
            }
            action_sync::receive_item(state, c, d, &audience).await?
        }
        "Create" if kind_of(&a.object) == Some("Note") => {
            action_sync::receive_comment(state, c, &a.actor, &comment(&a.object)?).await?
        }
        "Update" if is_action_item(&a.object) => {
            let (new, _) = read_item(&a.object)?;
            // The group announces its own Update of the item, not the member's.
            action_sync::receive_update(state, c, member, new).await?;
            false
        }
        "Delete" => {
            let id = id_of(&a.object).unwrap_or_default();
            action_sync::receive_delete(state, c, member, id).await?
        }
        _ => false,
    };
    if forward {
        announce(state, c, &a.raw).await?;
    }
    Ok(())
}

/// A member's node: what the group Announces about items and comments. The group checked
/// membership and rights before announcing; here we check that a creation comes from its
/// author, in its community.
pub async fn on_announced(
    state: &AppState,
    c: &CommunityRow,
    kind: &str,
    inner_actor: &str,
    object: &Value,
) -> Result<(), FederationError> {
    match kind {
        "Create" if is_action_item(object) => {
            let (d, audience) = read_item(object)?;
            if d.attributed_to != inner_actor || audience != c.ap_id {
                return Err(FederationError::OriginMismatch(
                    "an item is created by its author, in its community".into(),
                ));
            }
            action_sync::cache_item(state, c, &d).await?;
        }
        "Create" if kind_of(object) == Some("Note") => {
            action_sync::receive_comment(state, c, inner_actor, &comment(object)?).await?;
        }
        // The host announces every change of an item as the group's own Update.
        "Update" if is_action_item(object) && inner_actor != c.ap_id => {}
        "Update" if is_action_item(object) => {
            let (d, _) = read_item(object)?;
            action_sync::cache_update(state, c, &d, inner_actor).await?;
        }
        "Delete" => {
            action_sync::cache_delete(state, c, id_of(object).unwrap_or_default(), inner_actor)
                .await?;
        }
        _ => {}
    }
    Ok(())
}

/// A comment (a `Note` answering an item), read like a post.
fn comment(note: &Value) -> Result<IncomingComment, FederationError> {
    let p = read_post(note)?;
    Ok(IncomingComment {
        ap_id: p.id,
        authority: p.authority,
        attributed_to: p.attributed_to,
        in_reply_to: p.in_reply_to,
        source: p.source,
        content_html: p.content_html,
        published_at: p.published_at,
    })
}
