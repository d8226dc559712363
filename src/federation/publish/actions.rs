//! The activities of an [`ActionChange`]. A member's activity (its item, comment, change or
//! deletion) goes to the group, which checks it; on the host it is announced at once. A
//! change of an item on the host is the group's own `Update`, carrying the item as it now
//! stands.

use serde_json::json;

use super::announce::{announce, group_delete, submit};
use crate::domain::changes::ActionChange;
use crate::domain::communities::group_of;
use crate::federation::FederationError;
use crate::federation::convert::actions::{comment_object, item_object};
use crate::federation::convert::to_as::activity;
use crate::state::AppState;

pub async fn publish(state: &AppState, change: ActionChange) -> Result<(), FederationError> {
    match change {
        ActionChange::Proposed {
            community,
            item,
            author,
        } => {
            let create = activity(
                "Create",
                &format!("{}#create", item.ap_id),
                &author.ap_id,
                item_object(&item, &community.ap_id),
                &[&community.ap_id],
            );
            Ok(submit(state, &community, &author, &create).await?)
        }
        ActionChange::Commented {
            community,
            item,
            comment,
            author,
        } => {
            let create = activity(
                "Create",
                &format!("{}#create", comment.ap_id),
                &author.ap_id,
                comment_object(&comment, &item.ap_id, &community.ap_id),
                &[&community.ap_id],
            );
            Ok(submit(state, &community, &author, &create).await?)
        }
        ActionChange::Changed {
            community,
            item,
            by,
        } => {
            let doc = item_object(&item, &community.ap_id);
            if community.is_local == 1 {
                let group = group_of(state, &community).await?;
                let update = activity(
                    "Update",
                    &state.urls.new_activity(),
                    &group.ap_id,
                    doc,
                    &[&community.ap_id],
                );
                Ok(announce(state, &community, &update).await?)
            } else {
                let update = activity(
                    "Update",
                    &state.urls.new_activity(),
                    &by.ap_id,
                    doc,
                    &[&community.ap_id],
                );
                Ok(submit(state, &community, &by, &update).await?)
            }
        }
        ActionChange::Deleted {
            community,
            item,
            author: Some(author),
        } => {
            let del = activity(
                "Delete",
                &state.urls.new_activity(),
                &author.ap_id,
                json!(item),
                &[&community.ap_id],
            );
            Ok(submit(state, &community, &author, &del).await?)
        }
        ActionChange::Deleted {
            community,
            item,
            author: None,
        } => Ok(group_delete(state, &community, &item).await?),
    }
}
