//! Notes between persons: an agent publishes a short note to their followers; a note from a
//! followed actor, or addressed to one of our agents, is stored sanitised.

use super::accounts::Account;
use super::changes::{Change, PostChange};
use super::error::{DomainError, DomainResult};
use super::names;
use crate::db::{HotWrite, NewObject, ObjectRow, ReceivedWrite, now_ms};
use crate::domain::Ctx;

/// Remote HTML keeps only harmless formatting; scripts, styles and event handlers go.
pub fn sanitize(html: &str) -> String {
    ammonia::Builder::default()
        .link_rel(Some("noopener noreferrer nofollow"))
        .clean(html)
        .to_string()
}

/// Publishes a plain-text note to the agent's followers.
pub async fn publish(state: &Ctx, account: &Account, text: &str) -> DomainResult<ObjectRow> {
    let text = names::text("content", text, 5000)?;
    if text.is_empty() {
        return Err(DomainError::invalid(
            "content",
            super::Rule::Length { min: 1, max: 5000 },
        ));
    }
    let me = state
        .store
        .actor_by_id(account.actor_id)
        .await?
        .ok_or(DomainError::NotFound("actor"))?;
    let html = format!("<p>{}</p>", super::markdown::escape_text(&text));
    let note_id = format!("{}/notes/{}", me.ap_id, uuid::Uuid::now_v7());
    let published = now_ms();
    // The write-ahead record that the note must reach the followers (see `journal`).
    let intent = state
        .store
        .journal_intent(super::journal::NOTE_PUBLISHED, &note_id)
        .await?;
    let inserted = state
        .store
        .insert_object(&NewObject {
            ap_id: &note_id,
            kind: "Note",
            authority: &state.config.authority,
            attributed_to: &me.ap_id,
            content_html: &html,
            in_reply_to: None,
            published_at: published,
        })
        .await;
    if let Err(e) = inserted {
        state.store.journal_done(intent).await?;
        return Err(e.into());
    }
    let note = state
        .store
        .object_by_ap_id(&note_id)
        .await?
        .ok_or(DomainError::NotFound("note"))?;
    let change = PostChange::NotePublished {
        note: note.clone(),
        author: me,
    };
    state.publisher.publish(state, Change::Post(change)).await?;
    state.store.journal_done(intent).await?;
    Ok(note)
}

/// The change of a note published here, rebuilt from what is stored (the journal's replay);
/// `None` when the note was never stored.
pub(crate) async fn published_change(state: &Ctx, ap_id: &str) -> DomainResult<Option<PostChange>> {
    let Some(note) = state.store.object_by_ap_id(ap_id).await? else {
        return Ok(None);
    };
    let author = state
        .store
        .actor_by_ap_id(&note.attributed_to)
        .await?
        .ok_or(DomainError::NotFound("actor"))?;
    Ok(Some(PostChange::NotePublished { note, author }))
}

/// A note written on another node, its HTML not yet sanitised.
#[derive(Debug, Clone)]
pub struct RemoteNote {
    pub id: String,
    pub authority: String,
    pub attributed_to: String,
    pub content_html: String,
    pub in_reply_to: Option<String>,
    pub published_at: Option<i64>,
}

/// Stores a note created by `actor` when it concerns this node: addressed to one of our
/// agents (`addressed_here`), or written by an actor one of our agents follows. Other notes
/// are ignored.
///
/// `receipt`, the dedup record of the activity that carries the note, is then written in the
/// same transaction as the note (one write per activity, issue 20). Returns `Some(fresh)` when
/// the receipt was written that way (false: the activity was a replay, nothing stored), `None`
/// when it is left to the caller (no receipt given, or the note is not stored).
pub async fn receive(
    state: &Ctx,
    actor: &str,
    note: &RemoteNote,
    addressed_here: bool,
    receipt: Option<ReceivedWrite>,
) -> DomainResult<Option<bool>> {
    if note.attributed_to != actor {
        return Err(DomainError::Forbidden(
            "a note must be created by its author",
        ));
    }
    // Only a note addressed to none of our agents needs the follow lookup, and then one
    // query answers it: this runs for every incoming note (see benches/README.md).
    if !addressed_here && !state.store.has_local_follower(actor).await? {
        return Ok(None);
    }
    let object = NewObject {
        ap_id: &note.id,
        kind: "Note",
        authority: &note.authority,
        attributed_to: &note.attributed_to,
        content_html: &sanitize(&note.content_html),
        in_reply_to: note.in_reply_to.as_deref(),
        published_at: note.published_at.unwrap_or_else(now_ms),
    };
    match receipt {
        Some(r) => Ok(Some(
            state
                .store
                .write_grouped(HotWrite::ReceivedWithObject(r, object.to_write()))
                .await?,
        )),
        None => {
            state.store.insert_object(&object).await?;
            Ok(None)
        }
    }
}

/// `actor` deleted note `id`: removed when it is theirs. A note we do not hold (or one of
/// another author) is left alone, and the sender is not told which: there is nothing to
/// refuse, since nothing of another changed.
pub async fn receive_delete(state: &Ctx, actor: &str, id: &str) -> DomainResult<bool> {
    Ok(state.store.delete_object_of(id, actor).await?)
}

#[cfg(test)]
mod tests {
    use super::sanitize;

    #[test]
    fn scripts_and_handlers_are_removed_from_remote_html() {
        let dirty = r#"<p onclick="steal()">Bonjour <script>alert(1)</script><a href="javascript:x()">lien</a><img src=x onerror=alert(1)></p>"#;
        let clean = sanitize(dirty);
        for bad in ["script", "onclick", "javascript:", "onerror"] {
            assert!(!clean.contains(bad), "{bad} in {clean}");
        }
        assert!(clean.contains("Bonjour"));
    }
}
