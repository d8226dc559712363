//! Notes between persons: an agent publishes a short note to their followers; a note from a
//! followed actor, or addressed to one of our agents, is stored sanitised.

use serde_json::{Value, json};

use super::accounts::Account;
use super::error::{DomainError, DomainResult};
use super::names;
use crate::db::{NewObject, ObjectRow, now_ms};
use crate::federation::convert::from_as::{addressees, kind_of, str_field};
use crate::federation::convert::to_as::activity;
use crate::federation::fetch::FetchBudget;
use crate::federation::inbox::Activity;
use crate::federation::{FederationError, outbox};
use crate::state::AppState;

/// Remote HTML keeps only harmless formatting; scripts, styles and event handlers go.
pub fn sanitize(html: &str) -> String {
    ammonia::Builder::default()
        .link_rel(Some("noopener noreferrer nofollow"))
        .clean(html)
        .to_string()
}

/// Publishes a plain-text note to the agent's followers.
pub async fn publish(state: &AppState, account: &Account, text: &str) -> DomainResult<ObjectRow> {
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
    let html = format!(
        "<p>{}</p>",
        crate::federation::convert::to_as::escape_text(&text)
    );
    let note_id = format!("{}/notes/{}", me.ap_id, uuid::Uuid::now_v7());
    let published = now_ms();
    state
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
        .await?;
    let followers_url = me.followers_url.clone().unwrap_or_default();
    let when = jiff::Timestamp::from_millisecond(published)
        .map(|t| t.to_string())
        .unwrap_or_default();
    let note = json!({
        "type": "Note",
        "id": note_id,
        "attributedTo": me.ap_id,
        "content": html,
        "published": when,
        "to": [followers_url],
    });
    let create = activity(
        "Create",
        &format!("{note_id}/create"),
        &me.ap_id,
        note,
        &[&followers_url],
    );
    let followers = state.store.followers(me.id).await?;
    outbox::send(state, &me, &create, &followers)
        .await
        .map_err(|e| DomainError::Internal(e.to_string()))?;
    state
        .store
        .object_by_ap_id(&note_id)
        .await?
        .ok_or(DomainError::NotFound("note"))
}

/// Stores a note that concerns one of our agents; other creations are ignored.
pub async fn on_create(
    state: &AppState,
    a: &Activity,
    _budget: &FetchBudget,
) -> Result<(), FederationError> {
    let Value::Object(_) = &a.object else {
        // A reference to another origin's object: not fetched for now.
        return Ok(());
    };
    if kind_of(&a.object) != Some("Note") {
        return Ok(());
    }
    let note = &a.object;
    let attributed = str_field(note, "attributedTo").unwrap_or_default();
    if attributed != a.actor {
        return Err(FederationError::OriginMismatch(
            "a note must be created by its author".into(),
        ));
    }
    let ours = format!("{}/", state.urls.base());
    let concerns_us = addressees(&a.raw)
        .iter()
        .chain(addressees(note).iter())
        .any(|to| to.starts_with(&ours));
    // Only a note addressed to none of our agents needs the follow lookup, and then one
    // query answers it: this runs for every incoming note (see benches/README.md).
    if !concerns_us && !state.store.has_local_follower(&a.actor).await? {
        return Ok(());
    }
    let id = str_field(note, "id").unwrap_or(&a.id);
    let content = sanitize(str_field(note, "content").unwrap_or_default());
    let published = str_field(note, "published")
        .and_then(|p| p.parse::<jiff::Timestamp>().ok())
        .map(|t| t.as_millisecond())
        .unwrap_or_else(now_ms);
    state
        .store
        .insert_object(&NewObject {
            ap_id: id,
            kind: "Note",
            authority: &a.authority,
            attributed_to: attributed,
            content_html: &content,
            in_reply_to: str_field(note, "inReplyTo"),
            published_at: published,
        })
        .await?;
    Ok(())
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
