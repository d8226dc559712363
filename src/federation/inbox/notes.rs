//! A `Create{Note}` addressed to our agents rather than to a group, and its `Delete`: read
//! from the protocol, then kept, removed or ignored by `domain::notes`.

use serde_json::Value;

use super::Activity;
use crate::domain::notes::{self, RemoteNote};
use crate::federation::FederationError;
use crate::federation::convert::from_as::{addressees, id_of, kind_of, str_field};
use crate::state::AppState;

/// A direct note, or a note of an actor our agents follow.
pub async fn on_create(state: &AppState, a: &Activity) -> Result<(), FederationError> {
    let Value::Object(_) = &a.object else {
        // A reference to another origin's object: not fetched for now.
        return Ok(());
    };
    if kind_of(&a.object) != Some("Note") {
        return Ok(());
    }
    let note = &a.object;
    let ours = format!("{}/", state.urls.base());
    let addressed_here = addressees(&a.raw)
        .iter()
        .chain(addressees(note).iter())
        .any(|to| to.starts_with(&ours));
    let remote = RemoteNote {
        id: str_field(note, "id").unwrap_or(&a.id).to_owned(),
        authority: a.authority.clone(),
        attributed_to: str_field(note, "attributedTo")
            .unwrap_or_default()
            .to_owned(),
        content_html: str_field(note, "content").unwrap_or_default().to_owned(),
        in_reply_to: str_field(note, "inReplyTo").map(str::to_owned),
        published_at: str_field(note, "published")
            .and_then(|p| p.parse::<jiff::Timestamp>().ok())
            .map(|t| t.as_millisecond()),
    };
    Ok(notes::receive(state, &a.actor, &remote, addressed_here).await?)
}

/// A `Delete` of a note (its `Tombstone`, or its bare id): only its author's is removed.
pub async fn on_delete(state: &AppState, a: &Activity) -> Result<(), FederationError> {
    let Some(id) = id_of(&a.object) else {
        return Err(FederationError::Malformed("Delete without object".into()));
    };
    if !notes::receive_delete(state, &a.actor, id).await? {
        tracing::debug!(%id, "deleted note not held here, or not the actor's");
    }
    Ok(())
}
