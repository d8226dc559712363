//! A `Create{Note}` addressed to our agents rather than to a group, and its `Delete`: read
//! from the protocol, then kept, removed or ignored by `domain::notes`; a note addressed only
//! to persons (Mastodon's direct message) is also a private message (`domain::messages`).

use serde_json::Value;

use super::Activity;
use crate::db::ReceivedWrite;
use crate::domain::messages::{self, RemoteMessage};
use crate::domain::notes::{self, RemoteNote};
use crate::federation::FederationError;
use crate::federation::convert::from_as::{addressees, id_of, kind_of, str_field};
use crate::state::AppState;

/// A direct note, or a note of an actor our agents follow. `receipt` is the activity's dedup
/// record, not written yet: it is written with the note when the note is stored (one write),
/// or first when the note is a private message (as other activities). Returns `Some(fresh)`
/// when the receipt was written here, `None` when the caller still has to write it.
pub async fn on_create(
    state: &AppState,
    a: &Activity,
    receipt: ReceivedWrite,
) -> Result<Option<bool>, FederationError> {
    let Value::Object(_) = &a.object else {
        // A reference to another origin's object: not fetched for now.
        return Ok(None);
    };
    if kind_of(&a.object) != Some("Note") {
        return Ok(None);
    }
    let note = &a.object;
    let ours = format!("{}/", state.urls.base());
    let addressed_here = addressees(&a.raw)
        .iter()
        .chain(addressees(note).iter())
        .any(|to| to.starts_with(&ours));
    let to: Vec<String> = addressees(&a.raw)
        .into_iter()
        .chain(addressees(note))
        .chain(mentions(note))
        .collect();
    let remote = RemoteNote {
        id: str_field(note, "id").unwrap_or(&a.id).to_owned(),
        authority: a.authority.clone(),
        attributed_to: str_field(note, "attributedTo")
            .unwrap_or_default()
            .to_owned(),
        content_html: str_field(note, "content").unwrap_or_default().to_owned(),
        in_reply_to: str_field(note, "inReplyTo").map(str::to_owned),
        published_at: published(note),
    };
    if addressed_here && is_private(state, &a.actor, &to).await? {
        // A private message writes more than the note (the message, its readers, the
        // notifications): recorded first, forgotten on failure, as any other activity.
        if !state
            .store
            .record_received(&receipt.ap_id, &receipt.authority, &receipt.kind)
            .await?
        {
            return Ok(Some(false));
        }
        let result = private(state, a, note, to, &remote, addressed_here).await;
        if result.is_err() {
            let _ = state.store.forget_received(&receipt.ap_id).await;
        }
        return result.map(|()| Some(true));
    }
    Ok(notes::receive(state, &a.actor, &remote, addressed_here, Some(receipt)).await?)
}

/// A private message, and the note that carries it.
async fn private(
    state: &AppState,
    a: &Activity,
    note: &Value,
    to: Vec<String>,
    remote: &RemoteNote,
    addressed_here: bool,
) -> Result<(), FederationError> {
    let author = state.remote.actor(state, &a.actor).await?;
    if str_field(note, "attributedTo") != Some(author.ap_id.as_str()) || author.kind != "Person" {
        return Err(FederationError::Refused(
            "a private message must be created by its author, a person".into(),
        ));
    }
    let message = RemoteMessage {
        id: str_field(note, "id").unwrap_or(&a.id).to_owned(),
        content_html: str_field(note, "content").unwrap_or_default().to_owned(),
        in_reply_to: str_field(note, "inReplyTo").map(str::to_owned),
        published_at: published(note),
        addressees: to.into_iter().filter(|t| *t != author.ap_id).collect(),
    };
    messages::receive(state, &author, &message).await?;
    notes::receive(state, &a.actor, remote, addressed_here, None).await?;
    Ok(())
}

fn published(note: &Value) -> Option<i64> {
    str_field(note, "published")
        .and_then(|p| p.parse::<jiff::Timestamp>().ok())
        .map(|t| t.as_millisecond())
}

/// The persons a note mentions (`tag` of type `Mention`).
fn mentions(note: &Value) -> Vec<String> {
    note.get("tag")
        .and_then(Value::as_array)
        .map(|tags| {
            tags.iter()
                .filter(|t| kind_of(t) == Some("Mention"))
                .filter_map(|t| str_field(t, "href").map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

/// Whether a note is addressed only to persons: not public, not to a followers collection,
/// not to a group (Mastodon's direct message, and ours).
async fn is_private(
    state: &AppState,
    author: &str,
    to: &[String],
) -> Result<bool, FederationError> {
    let followers = state
        .store
        .actor_by_ap_id(author)
        .await?
        .and_then(|a| a.followers_url);
    for t in to {
        if t.ends_with("#Public")
            || t == "Public"
            || t == "as:Public"
            || t.ends_with("/followers")
            || t.ends_with("/following")
            || followers.as_deref() == Some(t.as_str())
        {
            return Ok(false);
        }
        if let Some(x) = state.store.actor_by_ap_id(t).await?
            && x.kind != "Person"
        {
            return Ok(false);
        }
    }
    Ok(!to.is_empty())
}

/// A `Delete` of a note (its `Tombstone`, or its bare id): only its author's is removed.
pub async fn on_delete(state: &AppState, a: &Activity) -> Result<(), FederationError> {
    let Some(id) = id_of(&a.object) else {
        return Err(FederationError::Malformed("Delete without object".into()));
    };
    let message = messages::receive_delete(state, &a.actor, id).await?;
    if !notes::receive_delete(state, &a.actor, id).await? && !message {
        tracing::debug!(%id, "deleted note not held here, or not the actor's");
    }
    Ok(())
}
