//! The activities of a [`PostChange`]: a member's `Create`, `Update`, `Delete` and `Flag` go
//! to the group (`announce::submit`), the group's own moderation is its `Announce`, a note
//! goes to its author's followers.

use serde_json::json;

use super::announce::{announce, group_delete_once, submit};
use super::polls::with_question;
use crate::db::{ActorRow, ObjectRow};
use crate::domain::changes::PostChange;
use crate::domain::communities::group_of;
use crate::federation::FederationError;
use crate::federation::convert::images::with_images;
use crate::federation::convert::posts::post_object;
use crate::federation::convert::to_as::activity;
use crate::federation::outbox;
use crate::state::AppState;

pub async fn publish(state: &AppState, change: PostChange) -> Result<(), FederationError> {
    match change {
        PostChange::Created {
            post,
            community,
            author,
            mentions,
        } => {
            let doc = post_object(&post, &community.ap_id, &mentions);
            let doc = with_question(state, doc, &post).await?;
            let doc = with_images(state, doc, &post).await?;
            let id = format!("{}#create", post.ap_id);
            let create = activity("Create", &id, &author.ap_id, doc, &[&community.ap_id]);
            submit(state, &community, &author, &create).await?;
        }
        PostChange::Edited {
            post,
            community,
            author,
            mentions,
        } => {
            let doc = post_object(&post, &community.ap_id, &mentions);
            let doc = with_question(state, doc, &post).await?;
            let doc = with_images(state, doc, &post).await?;
            // Derived from the version edited, so that a journal replay of this edit is the
            // same activity (and the same Announce): never queued twice.
            let id = format!("{}#update-{}", post.ap_id, post.updated_at);
            let update = activity("Update", &id, &author.ap_id, doc, &[&community.ap_id]);
            submit(state, &community, &author, &update).await?;
        }
        PostChange::Deleted {
            ap_id,
            community,
            author,
        } => {
            // A post is deleted once: its id says which, so a replay is the same activity.
            let id = format!("{ap_id}#delete");
            let del = activity(
                "Delete",
                &id,
                &author.ap_id,
                json!(ap_id),
                &[&community.ap_id],
            );
            submit(state, &community, &author, &del).await?;
        }
        PostChange::Removed { ap_id, community } => {
            group_delete_once(state, &community, &ap_id).await?;
        }
        PostChange::FlagsSet { post, community } => {
            let group = group_of(state, &community).await?;
            let doc = post_object(&post, &community.ap_id, &[]);
            let doc = with_question(state, doc, &post).await?;
            let doc = with_images(state, doc, &post).await?;
            let id = state.urls.new_activity();
            let update = activity("Update", &id, &group.ap_id, doc, &[&community.ap_id]);
            announce(state, &community, &update).await?;
        }
        PostChange::Reported {
            id,
            post_ap_id,
            reason,
            community,
            reporter,
        } => {
            let group = group_of(state, &community).await?;
            let mut flag = activity(
                "Flag",
                &id,
                &reporter.ap_id,
                json!([post_ap_id]),
                &[&community.ap_id],
            );
            flag["content"] = json!(reason);
            flag["audience"] = json!(community.ap_id);
            outbox::send(state, &reporter, &flag, std::slice::from_ref(&group)).await?;
        }
        PostChange::NotePublished { note, author } => {
            note_to_followers(state, &note, &author).await?
        }
    }
    Ok(())
}

/// A note goes to its author's followers, addressed to their followers collection.
async fn note_to_followers(
    state: &AppState,
    note: &ObjectRow,
    author: &ActorRow,
) -> Result<(), FederationError> {
    let followers_url = author.followers_url.clone().unwrap_or_default();
    let when = jiff::Timestamp::from_millisecond(note.published_at)
        .map(|t| t.to_string())
        .unwrap_or_default();
    let doc = json!({
        "type": "Note",
        "id": note.ap_id,
        "attributedTo": author.ap_id,
        "content": note.content_html,
        "published": when,
        "to": [followers_url],
    });
    let create = activity(
        "Create",
        &format!("{}/create", note.ap_id),
        &author.ap_id,
        doc,
        &[&followers_url],
    );
    let followers = state.store.followers(author.id).await?;
    outbox::send(state, author, &create, &followers).await?;
    Ok(())
}
