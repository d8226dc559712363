//! Community resources as ActivityStreams, both directions: a `Document` carrying our
//! `resourceKind` marker (so no peer mistakes it for a discussion thread), its title in
//! `name`, the Markdown in `source`, the group in `audience`, and the revision it is at.
//! A member's edit carries `baseRevision`, the revision it was written on.

use serde_json::{Value, json};

use super::from_as::{id_of, kind_of, str_field};
use crate::db::{AttachmentRow, ResourceRow, RevisionRow};
use crate::domain::notes::sanitize;
pub use crate::domain::resource_cache::{IncomingFile, IncomingResource};
pub use crate::domain::resources::Proposal;
use crate::federation::FederationError;

fn when(ms: i64) -> String {
    jiff::Timestamp::from_millisecond(ms)
        .map(|t| t.to_string())
        .unwrap_or_default()
}

/// True for a document of ours that is a resource (or an edit of one).
pub fn is_resource(doc: &Value) -> bool {
    kind_of(doc) == Some("Document") && doc.get("resourceKind").is_some()
}

/// Where the host serves a file of a resource to members' nodes (signed GET).
pub fn attachment_url(resource_ap_id: &str, id: i64) -> String {
    format!("{resource_ap_id}/attachments/{id}")
}

/// The resource at its current revision, with its files, as the group publishes it.
pub fn resource_object(
    r: &ResourceRow,
    rev: &RevisionRow,
    group: &str,
    files: &[AttachmentRow],
) -> Value {
    let attachment: Vec<Value> = files
        .iter()
        .map(|a| {
            json!({
                "type": "Document",
                "name": a.name,
                "mediaType": a.media_type,
                "url": attachment_url(&r.ap_id, a.id),
                "fileSize": a.size_bytes,
            })
        })
        .collect();
    json!({
        "attachment": attachment,
        "type": "Document",
        "id": r.ap_id,
        "resourceKind": r.kind,
        "resourceSlug": r.slug,
        "name": r.title,
        "content": r.content_html,
        "mediaType": "text/html",
        "source": {"content": r.source, "mediaType": "text/markdown"},
        "attributedTo": r.attributed_to,
        "audience": group,
        "to": [group],
        "published": when(r.created_at),
        "updated": when(rev.created_at),
        "revision": rev.number,
        "revisionAuthor": rev.author,
        "revisionSummary": rev.summary,
    })
}

pub fn proposal_object(p: &Proposal, author: &str, group: &str) -> Value {
    let mut doc = json!({
        "type": "Document",
        "resourceKind": p.kind,
        "resourceSlug": p.slug,
        "name": p.title,
        "source": {"content": p.source, "mediaType": "text/markdown"},
        "attributedTo": author,
        "audience": group,
        "to": [group],
        "baseRevision": p.base,
        "revisionSummary": p.summary,
    });
    if let Some(id) = &p.id {
        doc["id"] = json!(id);
    }
    doc
}

fn text(v: Option<&str>, max: usize) -> String {
    v.unwrap_or_default().chars().take(max).collect()
}

fn time(doc: &Value, field: &str) -> Option<i64> {
    str_field(doc, field)
        .and_then(|p| p.parse::<jiff::Timestamp>().ok())
        .map(|t| t.as_millisecond())
}

pub fn read_resource(doc: &Value) -> Result<IncomingResource, FederationError> {
    if !is_resource(doc) {
        return Err(FederationError::Malformed("not a resource".into()));
    }
    let int = |f: &str| doc.get(f).and_then(Value::as_i64).unwrap_or(0).max(0);
    Ok(IncomingResource {
        proposal: Proposal {
            id: str_field(doc, "id").map(str::to_owned),
            kind: text(str_field(doc, "resourceKind"), 20),
            slug: text(str_field(doc, "resourceSlug"), 60),
            title: text(str_field(doc, "name"), 200),
            source: text(
                doc.get("source").and_then(|s| str_field(s, "content")),
                crate::domain::resources::MAX_BODY,
            ),
            summary: text(str_field(doc, "revisionSummary"), 300),
            base: int("baseRevision"),
        },
        audience: doc
            .get("audience")
            .and_then(id_of)
            .unwrap_or_default()
            .to_owned(),
        attributed_to: doc
            .get("attributedTo")
            .and_then(id_of)
            .unwrap_or_default()
            .to_owned(),
        content_html: sanitize(&text(str_field(doc, "content"), 400_000)),
        revision: int("revision"),
        revision_author: doc
            .get("revisionAuthor")
            .and_then(id_of)
            .unwrap_or_default()
            .to_owned(),
        published_at: time(doc, "published"),
        updated_at: time(doc, "updated"),
        files: doc
            .get("attachment")
            .and_then(Value::as_array)
            .map(|list| {
                list.iter()
                    .filter_map(|f| {
                        Some(IncomingFile {
                            name: text(str_field(f, "name"), 200),
                            media_type: text(str_field(f, "mediaType"), 100),
                            url: f.get("url").and_then(id_of)?.to_owned(),
                            size: f.get("fileSize").and_then(Value::as_i64).unwrap_or(0),
                        })
                    })
                    .take(100)
                    .collect()
            })
            .unwrap_or_default(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_resource_from_a_peer_is_sanitised_and_a_thread_is_not_a_resource() {
        let doc = json!({
            "type": "Document", "id": "https://b.example/c/accueil/resources/kit",
            "resourceKind": "kit", "resourceSlug": "kit", "name": "Kit",
            "content": "<p>ok<script>alert(1)</script></p>", "revision": 3,
            "revisionAuthor": "https://a.example/users/alice",
        });
        let r = read_resource(&doc).expect("resource");
        assert_eq!(r.content_html, "<p>ok</p>");
        assert_eq!(r.revision, 3);
        assert!(!is_resource(&json!({"type": "Page", "name": "Kit"})));
    }
}
