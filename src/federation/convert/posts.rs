//! Community posts as ActivityStreams, both directions: a thread is a `Page` (title in
//! `name`), a reply a `Note`; both carry the group in `audience` (FEP-1b12), the Markdown in
//! `source`, and `Mention` tags.

use serde_json::{Value, json};

use super::from_as::{id_of, kind_of, str_field};
use crate::db::PostRow;
use crate::domain::notes::sanitize;
use crate::domain::post_kinds::{Category, PostKind, tag, tags_of};
pub use crate::domain::post_store::IncomingPost;
use crate::federation::{FederationError, authority_of_str};

fn when(ms: i64) -> String {
    jiff::Timestamp::from_millisecond(ms)
        .map(|t| t.to_string())
        .unwrap_or_default()
}

/// The object of a post, addressed to its community's group.
pub fn post_object(p: &PostRow, group: &str, mentions: &[(String, String)]) -> Value {
    let mut doc = json!({
        "type": p.kind,
        "id": p.ap_id,
        "attributedTo": p.attributed_to,
        "audience": group,
        "to": [group],
        "content": p.content_html,
        "mediaType": "text/html",
        "published": when(p.published_at),
        "context": p.thread_ap_id,
        "stickied": p.pinned == 1,
        "commentsEnabled": p.locked == 0,
    });
    if p.kind == "Page" {
        doc["name"] = json!(p.title);
    }
    if !p.source.is_empty() {
        doc["source"] = json!({"content": p.source, "mediaType": "text/markdown"});
    }
    if let Some(r) = &p.in_reply_to {
        doc["inReplyTo"] = json!(r);
    }
    if p.updated_at > p.published_at {
        doc["updated"] = json!(when(p.updated_at));
    }
    if !mentions.is_empty() {
        doc["tag"] = mentions
            .iter()
            .map(|(href, name)| json!({"type": "Mention", "href": href, "name": name}))
            .collect();
    }
    kinds(&mut doc, p);
    doc
}

/// A thread's category (when not a plain discussion), deadline and `Hashtag` tags, which
/// other software shows as ordinary hashtags of an ordinary thread.
fn kinds(doc: &mut Value, p: &PostRow) {
    if p.category != "discussion" {
        doc["postCategory"] = json!(p.category);
    }
    if !p.deadline.is_empty() {
        doc["applicationDeadline"] = json!(p.deadline);
    }
    let hashtags: Vec<Value> = tags_of(&p.tags)
        .iter()
        .map(|t| json!({"type": "Hashtag", "name": format!("#{t}")}))
        .collect();
    if hashtags.is_empty() {
        return;
    }
    match doc.get_mut("tag").and_then(Value::as_array_mut) {
        Some(tags) => tags.extend(hashtags),
        None => doc["tag"] = json!(hashtags),
    }
}

/// Reads a Page or Note; checks that its id and author are on one authority.
pub fn read_post(doc: &Value) -> Result<IncomingPost, FederationError> {
    let bad = |m: &str| FederationError::Malformed(format!("post: {m}"));
    let kind = match kind_of(doc) {
        Some(k @ ("Page" | "Note" | "Article")) => {
            if k == "Note" {
                "Note"
            } else {
                "Page"
            }
        }
        _ => return Err(bad("not a Page or Note")),
    };
    let id = str_field(doc, "id").ok_or_else(|| bad("no id"))?;
    let authority = authority_of_str(id).ok_or_else(|| bad("id is not a URL"))?;
    let attributed_to = doc
        .get("attributedTo")
        .and_then(id_of)
        .ok_or_else(|| bad("no attributedTo"))?;
    if authority_of_str(attributed_to).as_deref() != Some(authority.as_str()) {
        return Err(FederationError::OriginMismatch(format!(
            "{id} is attributed to {attributed_to}, on another node"
        )));
    }
    let audience = doc
        .get("audience")
        .and_then(id_of)
        .or_else(|| {
            doc.get("to")
                .and_then(Value::as_array)
                .and_then(|a| a.first())
                .and_then(id_of)
        })
        .unwrap_or_default();
    let text = |v: Option<&str>, max: usize| -> String {
        v.unwrap_or_default().chars().take(max).collect()
    };
    let mentions = doc
        .get("tag")
        .and_then(Value::as_array)
        .map(|tags| {
            tags.iter()
                .filter(|t| kind_of(t) == Some("Mention"))
                .filter_map(|t| str_field(t, "href").map(str::to_owned))
                .take(50)
                .collect()
        })
        .unwrap_or_default();
    Ok(IncomingPost {
        id: id.to_owned(),
        kind: kind.to_owned(),
        authority,
        attributed_to: attributed_to.to_owned(),
        audience: audience.to_owned(),
        in_reply_to: doc.get("inReplyTo").and_then(id_of).map(str::to_owned),
        title: text(str_field(doc, "name"), 200),
        source: text(
            doc.get("source").and_then(|s| str_field(s, "content")),
            20_000,
        ),
        content_html: sanitize(&text(str_field(doc, "content"), 100_000)),
        published_at: str_field(doc, "published")
            .and_then(|p| p.parse::<jiff::Timestamp>().ok())
            .map(|t| t.as_millisecond()),
        mentions,
        kind_of: PostKind {
            category: Category::lenient(str_field(doc, "postCategory").unwrap_or_default()),
            tags: doc
                .get("tag")
                .and_then(Value::as_array)
                .map(|tags| {
                    tags.iter()
                        .filter(|t| kind_of(t) == Some("Hashtag"))
                        .filter_map(|t| str_field(t, "name").and_then(tag))
                        .take(10)
                        .collect()
                })
                .unwrap_or_default(),
            deadline: str_field(doc, "applicationDeadline")
                .filter(|d| d.parse::<jiff::civil::Date>().is_ok())
                .unwrap_or_default()
                .to_owned(),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_post_from_a_peer_is_sanitised_and_its_author_must_be_on_its_node() {
        let doc = json!({
            "type": "Page", "id": "https://a.example/posts/1", "name": "Titre",
            "attributedTo": "https://a.example/users/alice", "audience": "https://b.example/c/x",
            "content": "<p>ok<script>alert(1)</script></p>",
        });
        let p = read_post(&doc).expect("post");
        assert_eq!(p.content_html, "<p>ok</p>");
        assert_eq!(p.audience, "https://b.example/c/x");
        let mut forged = doc.clone();
        forged["attributedTo"] = json!("https://c.example/users/chloe");
        assert!(matches!(
            read_post(&forged),
            Err(FederationError::OriginMismatch(_))
        ));
    }
}
