//! The activities of a [`MessageChange`]: a private message is the author's `Create{Note}`
//! addressed only to its recipients, with a `Mention` of each (Mastodon's direct-message
//! shape, so other software shows it as one); its deletion is a `Delete{Tombstone}` to them.

use serde_json::{Value, json};

use crate::db::{ActorRow, MessageRow};
use crate::domain::changes::MessageChange;
use crate::federation::FederationError;
use crate::federation::convert::to_as::activity;
use crate::federation::outbox;
use crate::state::AppState;

pub async fn publish(state: &AppState, change: MessageChange) -> Result<(), FederationError> {
    match change {
        MessageChange::Sent {
            message,
            author,
            recipients,
        } => {
            let note = note_of(&message, &recipients);
            let to: Vec<&str> = recipients.iter().map(|r| r.ap_id.as_str()).collect();
            let create = activity(
                "Create",
                &format!("{}/create", message.ap_id),
                &author.ap_id,
                note,
                &to,
            );
            outbox::send(state, &author, &with_cc(create), &recipients).await?;
        }
        MessageChange::Deleted {
            message,
            author,
            recipients,
        } => {
            let to: Vec<&str> = recipients.iter().map(|r| r.ap_id.as_str()).collect();
            let tombstone = json!({"id": message.ap_id, "type": "Tombstone"});
            let delete = activity(
                "Delete",
                &format!("{}/delete", message.ap_id),
                &author.ap_id,
                tombstone,
                &to,
            );
            outbox::send(state, &author, &with_cc(delete), &recipients).await?;
        }
    }
    Ok(())
}

/// An empty `cc`, as Mastodon writes its direct messages.
fn with_cc(mut doc: Value) -> Value {
    doc["cc"] = json!([]);
    doc
}

/// The message as a `Note` addressed to its recipients only, each mentioned.
pub fn note_of(m: &MessageRow, recipients: &[ActorRow]) -> Value {
    let when = jiff::Timestamp::from_millisecond(m.published_at)
        .map(|t| t.to_string())
        .unwrap_or_default();
    let to: Vec<&str> = recipients.iter().map(|r| r.ap_id.as_str()).collect();
    let tags: Vec<Value> = recipients
        .iter()
        .map(|r| {
            json!({
                "type": "Mention",
                "href": r.ap_id,
                "name": format!("@{}@{}", r.username, r.authority),
            })
        })
        .collect();
    let mut note = json!({
        "type": "Note",
        "id": m.ap_id,
        "attributedTo": m.author,
        "content": m.content_html,
        "published": when,
        "to": to,
        "cc": [],
        "tag": tags,
        "sensitive": false,
    });
    if let Some(r) = &m.in_reply_to {
        note["inReplyTo"] = json!(r);
    }
    note
}
