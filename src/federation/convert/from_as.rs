//! Reading peers' documents: remote actors and the fields of incoming activities.

use serde_json::Value;

use crate::db::NewActor;
use crate::federation::{FederationError, authority_of_str};

/// The id of a value that is either a URL string or an object with an `id`.
pub fn id_of(v: &Value) -> Option<&str> {
    match v {
        Value::String(s) => Some(s),
        Value::Object(m) => m.get("id").and_then(Value::as_str),
        _ => None,
    }
}

pub fn str_field<'a>(doc: &'a Value, name: &str) -> Option<&'a str> {
    doc.get(name).and_then(Value::as_str)
}

/// The `type` of a document; the first one when it is an array.
pub fn kind_of(doc: &Value) -> Option<&str> {
    match doc.get("type")? {
        Value::String(s) => Some(s),
        Value::Array(a) => a.first().and_then(Value::as_str),
        _ => None,
    }
}

/// What every object reader checks first: the object's id, the authority it is on, and its
/// `attributedTo`, which must be on that same node (a peer speaks only for its own agents).
pub struct Origin<'a> {
    pub id: &'a str,
    pub authority: String,
    pub attributed_to: &'a str,
}

/// Reads the [`Origin`] of an object; `what` names it in the error ("post: no id").
pub fn origin<'a>(doc: &'a Value, what: &str) -> Result<Origin<'a>, FederationError> {
    let bad = |m: &str| FederationError::Malformed(format!("{what}: {m}"));
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
    Ok(Origin {
        id,
        authority,
        attributed_to,
    })
}

fn bounded(s: Option<&str>, max: usize) -> String {
    s.unwrap_or_default().chars().take(max).collect()
}

const ACTOR_KINDS: [&str; 5] = ["Person", "Group", "Application", "Service", "Organization"];

/// A remote actor document as a row to cache. Checks that the actor and its key are on the
/// authority the document came from.
pub fn remote_actor(doc: &Value) -> Result<NewActor, FederationError> {
    let bad = |m: &str| FederationError::Malformed(format!("actor: {m}"));
    let kind = kind_of(doc).ok_or_else(|| bad("no type"))?;
    if !ACTOR_KINDS.contains(&kind) {
        return Err(bad(&format!("{kind} is not an actor type")));
    }
    let ap_id = str_field(doc, "id").ok_or_else(|| bad("no id"))?;
    let authority = authority_of_str(ap_id).ok_or_else(|| bad("id is not a URL"))?;
    let inbox = str_field(doc, "inbox").ok_or_else(|| bad("no inbox"))?;
    let key = doc.get("publicKey").ok_or_else(|| bad("no publicKey"))?;
    // Some implementations publish an array of keys; the first is the main one.
    let key = match key {
        Value::Array(a) => a.first().ok_or_else(|| bad("empty publicKey"))?,
        other => other,
    };
    let key_id = str_field(key, "id").ok_or_else(|| bad("publicKey without id"))?;
    let pem = str_field(key, "publicKeyPem").ok_or_else(|| bad("publicKey without PEM"))?;
    let owner = str_field(key, "owner").unwrap_or(ap_id);
    for (what, url) in [("inbox", inbox), ("key id", key_id), ("key owner", owner)] {
        if authority_of_str(url).as_deref() != Some(authority.as_str()) {
            return Err(FederationError::OriginMismatch(format!(
                "{what} {url} is not on {authority}"
            )));
        }
    }
    if owner != ap_id {
        return Err(FederationError::OriginMismatch(format!(
            "key {key_id} belongs to {owner}, not {ap_id}"
        )));
    }
    let shared_inbox = doc
        .get("endpoints")
        .and_then(|e| str_field(e, "sharedInbox"))
        .filter(|s| authority_of_str(s).as_deref() == Some(authority.as_str()))
        .map(str::to_owned);
    let username = str_field(doc, "preferredUsername")
        .map(str::to_owned)
        .unwrap_or_else(|| ap_id.rsplit('/').next().unwrap_or_default().to_owned());
    Ok(NewActor {
        ap_id: ap_id.to_owned(),
        kind: if kind == "Organization" {
            "Service".into()
        } else {
            kind.to_owned()
        },
        username: bounded(Some(&username), 100),
        authority,
        is_local: false,
        display_name: bounded(str_field(doc, "name"), 200),
        summary: plain_text(str_field(doc, "summary").unwrap_or_default())
            .chars()
            .take(500)
            .collect(),
        job_title: bounded(str_field(doc, "jobTitle"), 200),
        institution: bounded(str_field(doc, "institution"), 200),
        inbox_url: inbox.to_owned(),
        shared_inbox_url: shared_inbox,
        outbox_url: str_field(doc, "outbox").map(str::to_owned),
        followers_url: str_field(doc, "followers").map(str::to_owned),
        following_url: str_field(doc, "following").map(str::to_owned),
        public_key_id: key_id.to_owned(),
        public_key_pem: pem.to_owned(),
        private_key_pem: None,
    })
}

/// Who a document is addressed to: its `to`, `cc` and `audience`, as strings.
pub fn addressees(doc: &Value) -> Vec<String> {
    ["to", "cc"]
        .iter()
        .filter_map(|k| doc.get(*k))
        .flat_map(|v| match v {
            Value::Array(a) => a
                .iter()
                .filter_map(|x| x.as_str().map(str::to_owned))
                .collect(),
            Value::String(s) => vec![s.clone()],
            _ => vec![],
        })
        .chain(str_field(doc, "audience").map(str::to_owned))
        .collect()
}

/// The text of a bit of HTML: tags dropped (a block's edge is a space), common entities read.
pub fn plain_text(html: &str) -> String {
    const BLOCKS: [&str; 8] = ["p", "br", "div", "li", "blockquote", "h1", "h2", "h3"];
    let mut out = String::new();
    let mut tag: Option<String> = None;
    for ch in html.chars() {
        match (&mut tag, ch) {
            (None, '<') => tag = Some(String::new()),
            (Some(t), '>') => {
                let name = t.trim_start_matches('/');
                let name = name.split([' ', '/']).next().unwrap_or_default();
                if BLOCKS.contains(&name.to_ascii_lowercase().as_str()) {
                    out.push(' ');
                }
                tag = None;
            }
            (Some(t), c) => t.push(c),
            (None, c) => out.push(c),
        }
    }
    let out = out
        .replace("&nbsp;", " ")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&apos;", "'")
        .replace("&amp;", "&");
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mastodon_actor_is_read_with_its_shared_inbox() {
        let doc: Value = serde_json::from_str(include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/mastodon-actor.json"
        )))
        .expect("json");
        let a = remote_actor(&doc).expect("actor");
        assert_eq!(a.authority, "mastodon.example");
        assert_eq!(a.username, "gargron");
        assert_eq!(
            a.shared_inbox_url.as_deref(),
            Some("https://mastodon.example/inbox")
        );
        assert_eq!(
            a.public_key_id,
            "https://mastodon.example/users/gargron#main-key"
        );
    }

    #[test]
    fn a_key_on_another_authority_is_refused() {
        let mut doc: Value = serde_json::from_str(include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/mastodon-actor.json"
        )))
        .expect("json");
        doc["publicKey"]["id"] = "https://evil.example/keys/1".into();
        assert!(matches!(
            remote_actor(&doc),
            Err(FederationError::OriginMismatch(_))
        ));
    }
}
