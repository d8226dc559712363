//! Action items as ActivityStreams, both directions. An item is a `Page` marked with our
//! `actionItem` term: software that does not know the term shows a plain titled document
//! (the same fallback as a thread), never something it would misread as an event or a task
//! of its own. Owner, due date, status and escalation are our own terms, defined inline in
//! our `@context`. Comments are `Note`s whose `inReplyTo` is the item (read with `read_post`).

use serde_json::{Value, json};

use super::from_as::{Origin, id_of, kind_of, origin, str_field};
use crate::db::{ActionCommentRow, ActionItemData, ActionItemRow};
use crate::domain::action_rules::Status;
use crate::domain::notes::sanitize;
use crate::federation::FederationError;

fn when(ms: i64) -> String {
    jiff::Timestamp::from_millisecond(ms)
        .map(|t| t.to_string())
        .unwrap_or_default()
}

/// Whether a document is one of our action items.
pub fn is_action_item(doc: &Value) -> bool {
    kind_of(doc) == Some("Page")
        && (doc.get("actionItem").and_then(Value::as_bool) == Some(true)
            || doc.get("entrepairs:actionItem").and_then(Value::as_bool) == Some(true))
}

/// The object of an item, addressed to its community's group.
pub fn item_object(i: &ActionItemRow, group: &str) -> Value {
    let mut doc = json!({
        "type": "Page",
        "actionItem": true,
        "id": i.ap_id,
        "attributedTo": i.attributed_to,
        "audience": group,
        "to": [group],
        "name": i.title,
        "content": i.content_html,
        "mediaType": "text/html",
        "published": when(i.published_at),
        "actionStatus": i.status,
    });
    if !i.source.is_empty() {
        doc["source"] = json!({"content": i.source, "mediaType": "text/markdown"});
    }
    if !i.owner.is_empty() {
        doc["actionOwner"] = json!(i.owner);
    }
    if !i.due_on.is_empty() {
        doc["dueDate"] = json!(i.due_on);
    }
    if !i.escalated_on.is_empty() {
        doc["escalatedOn"] = json!(i.escalated_on);
        doc["escalatedTo"] = json!(i.escalated_to);
    }
    if i.updated_at > i.published_at {
        doc["updated"] = json!(when(i.updated_at));
    }
    doc
}

/// A comment of item `item`, a `Note` addressed to its community's group.
pub fn comment_object(m: &ActionCommentRow, item: &str, group: &str) -> Value {
    json!({
        "type": "Note",
        "id": m.ap_id,
        "attributedTo": m.attributed_to,
        "audience": group,
        "to": [group],
        "inReplyTo": item,
        "content": m.content_html,
        "mediaType": "text/html",
        "source": {"content": m.source, "mediaType": "text/markdown"},
        "published": when(m.published_at),
    })
}

/// An item read from a peer: its HTML sanitised, its id and author on one node. The
/// audience is returned apart, for the caller to check against the community.
pub fn read_item(doc: &Value) -> Result<(ActionItemData, String), FederationError> {
    let bad = |m: &str| FederationError::Malformed(format!("action item: {m}"));
    if !is_action_item(doc) {
        return Err(bad("not an action item"));
    }
    let Origin {
        id,
        authority,
        attributed_to,
    } = origin(doc, "action item")?;
    let text = |name: &str, max: usize| -> String {
        str_field(doc, name)
            .unwrap_or_default()
            .chars()
            .take(max)
            .collect()
    };
    let status = text("actionStatus", 20);
    if Status::from_code(&status).is_none() {
        return Err(bad("unknown actionStatus"));
    }
    let date = |name: &str| -> Result<String, FederationError> {
        let d = text(name, 10);
        if d.is_empty() || d.parse::<jiff::civil::Date>().is_ok() {
            Ok(d)
        } else {
            Err(bad("a date is not YYYY-MM-DD"))
        }
    };
    let time = |name: &str| {
        str_field(doc, name)
            .and_then(|p| p.parse::<jiff::Timestamp>().ok())
            .map(|t| t.as_millisecond())
    };
    let published_at = time("published").unwrap_or_else(crate::db::now_ms);
    let audience = doc
        .get("audience")
        .and_then(id_of)
        .unwrap_or_default()
        .to_owned();
    Ok((
        ActionItemData {
            ap_id: id.to_owned(),
            authority,
            attributed_to: attributed_to.to_owned(),
            owner: doc
                .get("actionOwner")
                .and_then(id_of)
                .unwrap_or_default()
                .chars()
                .take(500)
                .collect(),
            title: text("name", 200),
            source: doc
                .get("source")
                .and_then(|s| str_field(s, "content"))
                .unwrap_or_default()
                .chars()
                .take(20_000)
                .collect(),
            content_html: sanitize(&text("content", 100_000)),
            due_on: date("dueDate")?,
            status,
            escalated_on: date("escalatedOn")?,
            escalated_to: text("escalatedTo", 200),
            published_at,
            updated_at: time("updated").unwrap_or(published_at),
        },
        audience,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc() -> Value {
        json!({
            "type": "Page", "actionItem": true, "id": "https://a.example/actions/1",
            "attributedTo": "https://a.example/users/alice", "audience": "https://b.example/c/x",
            "name": "Badge", "content": "<p>ok<script>alert(1)</script></p>",
            "actionStatus": "proposed", "dueDate": "2027-01-31",
        })
    }

    #[test]
    fn an_item_from_a_peer_is_sanitised_and_checked() {
        let (i, audience) = read_item(&doc()).expect("item");
        assert_eq!(i.content_html, "<p>ok</p>");
        assert_eq!(audience, "https://b.example/c/x");
        assert_eq!(i.due_on, "2027-01-31");
        let mut forged = doc();
        forged["attributedTo"] = json!("https://c.example/users/chloe");
        assert!(matches!(
            read_item(&forged),
            Err(FederationError::OriginMismatch(_))
        ));
        let mut odd = doc();
        odd["actionStatus"] = json!("archived");
        assert!(read_item(&odd).is_err());
        let mut plain = doc();
        plain.as_object_mut().expect("object").remove("actionItem");
        assert!(!is_action_item(&plain), "a plain Page stays a thread");
    }
}
