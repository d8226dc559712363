//! The federation request between instance actors: a `Follow` carrying the requester's
//! self-description as inline-defined properties (`institution`, `institutionKind`, `branch`,
//! `contact`, `message`), and reading it back, bounded.

use serde_json::{Value, json};

use super::from_as::str_field;
use super::to_as::activity;

pub use crate::domain::peers::{MAX_MESSAGE_CHARS, SelfDescription};
const MAX_FIELD_CHARS: usize = 200;

/// Text from a peer: bounded, without control characters except newlines in the message.
fn clean(s: Option<&str>, max: usize, multiline: bool) -> String {
    s.unwrap_or_default()
        .chars()
        .filter(|c| !c.is_control() || (multiline && *c == '\n'))
        .take(max)
        .collect::<String>()
        .trim()
        .to_owned()
}

/// The request `Follow` from our instance actor to theirs.
pub fn request(id: &str, ours: &str, theirs: &str, me: &SelfDescription) -> Value {
    let mut doc = activity("Follow", id, ours, json!(theirs), &[theirs]);
    doc["institution"] = json!(me.institution);
    doc["institutionKind"] = json!(me.kind);
    if !me.branch.is_empty() {
        doc["branch"] = json!(me.branch);
    }
    if !me.contact.is_empty() {
        doc["contact"] = json!(me.contact);
    }
    doc["message"] = json!(me.message);
    doc
}

/// The self-description carried by a request.
pub fn read_request(doc: &Value) -> SelfDescription {
    SelfDescription {
        institution: clean(str_field(doc, "institution"), MAX_FIELD_CHARS, false),
        kind: clean(str_field(doc, "institutionKind"), 40, false),
        branch: clean(str_field(doc, "branch"), 10, false),
        contact: clean(str_field(doc, "contact"), MAX_FIELD_CHARS, false),
        message: clean(str_field(doc, "message"), MAX_MESSAGE_CHARS, true),
    }
}

/// What an instance actor document says: institution and kind (it came from its origin).
pub fn read_actor(doc: &Value) -> (String, String) {
    (
        clean(str_field(doc, "institution"), MAX_FIELD_CHARS, false),
        clean(str_field(doc, "institutionKind"), 40, false),
    )
}

/// The answer to a request (`Accept` or `Reject`), embedding the request it answers.
pub fn answer(kind: &str, id: &str, ours: &str, theirs: &str, request_id: &str) -> Value {
    activity(
        kind,
        id,
        ours,
        json!({"type": "Follow", "id": request_id, "actor": theirs, "object": ours}),
        &[theirs],
    )
}

/// Withdrawing our own request or approval: `Undo` of our `Follow`.
pub fn undo(id: &str, ours: &str, theirs: &str, request_id: &str) -> Value {
    activity(
        "Undo",
        id,
        ours,
        json!({"type": "Follow", "id": request_id, "actor": ours, "object": theirs}),
        &[theirs],
    )
}

/// Ending a federation the other side asked for: `Block` of their instance actor.
pub fn block(id: &str, ours: &str, theirs: &str) -> Value {
    activity("Block", id, ours, json!(theirs), &[theirs])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_request_carries_the_self_description_and_reads_back_bounded() {
        let me = SelfDescription {
            institution: "Mairie de Castelsarrasin".into(),
            kind: "mairie".into(),
            branch: "fpt".into(),
            contact: "dsi@mairie.invalid".into(),
            message: "Bonjour,\nfédérons-nous.".into(),
        };
        let doc = request("https://a/act/1", "https://a/actor", "https://b/actor", &me);
        assert_eq!(doc["type"], "Follow");
        assert_eq!(doc["object"], "https://b/actor");
        assert_eq!(read_request(&doc), me);

        let mut long = doc.clone();
        long["message"] = json!("x\u{7}".repeat(5000));
        long["institution"] = json!(42);
        let read = read_request(&long);
        assert_eq!(read.message.chars().count(), MAX_MESSAGE_CHARS);
        assert!(!read.message.contains('\u{7}'));
        assert_eq!(read.institution, "");
    }
}
