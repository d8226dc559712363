//! Community posts as ActivityStreams, both directions: a thread is a `Page` (title in
//! `name`), a reply a `Note`; both carry the group in `audience` (FEP-1b12), the Markdown in
//! `source`, and `Mention` tags.

use serde_json::{Value, json};

use super::from_as::{Origin, id_of, kind_of, origin, plain_text, str_field};
use crate::db::PostRow;
use crate::domain::notes::sanitize;
use crate::domain::post_kinds::{Category, PostKind, tag, tags_of};
pub use crate::domain::post_store::IncomingPost;
use crate::federation::FederationError;

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
    let in_reply_to = doc.get("inReplyTo").and_then(id_of).map(str::to_owned);
    // A top-level Note (Mastodon's post to a group) starts a thread, as a Page does.
    let kind = match kind_of(doc) {
        Some("Note") if in_reply_to.is_some() => "Note",
        Some("Page" | "Note" | "Article" | "Question") => "Page",
        _ => return Err(bad("not a Page or Note")),
    };
    let Origin {
        id,
        authority,
        attributed_to,
    } = origin(doc, "post")?;
    // Only an explicit `audience` names the community: Mastodon puts the public collection
    // first in `to` and the group in `cc`; the handler knows the community otherwise.
    let audience = doc.get("audience").and_then(id_of).unwrap_or_default();
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
    let poll = super::polls::read_question(doc);
    Ok(IncomingPost {
        id: id.to_owned(),
        kind: kind.to_owned(),
        authority,
        attributed_to: attributed_to.to_owned(),
        audience: audience.to_owned(),
        title: if kind == "Page" {
            title_of(doc)
        } else {
            text(str_field(doc, "name"), 200)
        },
        in_reply_to,
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
            category: if poll.is_some() {
                Category::Sondage
            } else {
                Category::lenient(str_field(doc, "postCategory").unwrap_or_default())
            },
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
            poll,
        },
        images: super::images::read_images(doc),
    })
}

/// A thread's title: its `name`, else its `summary` (Mastodon's content warning), else the
/// first words of its text, without the leading mentions of the group.
fn title_of(doc: &Value) -> String {
    let given = ["name", "summary"]
        .iter()
        .filter_map(|k| str_field(doc, k))
        .map(plain_text)
        .find(|t| !t.is_empty());
    let text = match given {
        Some(t) => t,
        None => {
            let body = plain_text(str_field(doc, "content").unwrap_or_default());
            body.split_whitespace()
                .skip_while(|w| w.starts_with('@'))
                .collect::<Vec<_>>()
                .join(" ")
        }
    };
    let mut title = String::new();
    for word in text.split_whitespace() {
        if title.chars().count() + word.chars().count() + 1 > TITLE_FROM_TEXT_CHARS {
            title.push('…');
            break;
        }
        if !title.is_empty() {
            title.push(' ');
        }
        title.push_str(word);
    }
    if title.is_empty() {
        "Sans titre".into()
    } else {
        title.chars().take(200).collect()
    }
}

/// How much of a post's text becomes the title of a thread that has none.
const TITLE_FROM_TEXT_CHARS: usize = 80;

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

    #[test]
    fn a_top_level_note_is_a_thread_titled_from_its_summary_or_first_words() {
        let note = json!({
            "type": "Note", "id": "https://m.example/users/u/statuses/1",
            "attributedTo": "https://m.example/users/u",
            "to": ["https://www.w3.org/ns/activitystreams#Public"],
            "cc": ["https://b.example/c/x"],
            "content": "<p><span class=\"h-card\"><a href=\"https://b.example/c/x\" class=\"u-url mention\">@<span>x</span></a></span> Bonjour &amp; bienvenue à tous les agents d'accueil du bassin, voici une question sur les horaires d'ouverture</p>",
        });
        let p = read_post(&note).expect("post");
        assert_eq!(p.kind, "Page");
        assert_eq!(
            p.audience, "",
            "the group in cc is not taken for the audience"
        );
        assert!(p.title.starts_with("Bonjour & bienvenue"), "{}", p.title);
        assert!(
            p.title.ends_with('…') && p.title.chars().count() <= 81,
            "{}",
            p.title
        );
        let mut warned = note.clone();
        warned["summary"] = json!("Horaires");
        assert_eq!(read_post(&warned).expect("post").title, "Horaires");
        let mut reply = note.clone();
        reply["inReplyTo"] = json!("https://b.example/posts/1");
        let r = read_post(&reply).expect("reply");
        assert_eq!(r.kind, "Note");
        assert_eq!(r.title, "");
    }
}
