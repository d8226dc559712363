//! Polls as ActivityStreams, both directions: a poll thread is a `Question` (Mastodon's
//! shape: `oneOf` or `anyOf` options as `Note`s with `name` and `replies.totalItems`,
//! `endTime`, `votersCount`, `closed` once ended) with our terms `pollResults`,
//! `pollAnonymous` and `pollDates`; a vote is a `Note` with the option in `name` and the
//! question in `inReplyTo`.

use serde_json::{Value, json};

use super::from_as::{id_of, kind_of, str_field};
use crate::domain::event_time::rfc3339;
use crate::domain::polls::{IncomingVote, Poll, PollSpec, Results};

/// A poll's end when a peer gave none: open, as far as we can tell.
const NO_END: i64 = 253_402_300_799_000;

/// Turns a thread's document into its `Question`.
pub fn question(doc: &mut Value, poll: &Poll) {
    doc["type"] = json!("Question");
    let options: Vec<Value> = poll
        .options
        .iter()
        .map(|o| {
            json!({
                "type": "Note",
                "name": o.name,
                "replies": {"type": "Collection", "totalItems": o.total},
            })
        })
        .collect();
    let key = if poll.row.multiple == 1 {
        "anyOf"
    } else {
        "oneOf"
    };
    doc[key] = json!(options);
    doc["endTime"] = json!(rfc3339(poll.row.end_time));
    doc["votersCount"] = json!(poll.row.voters_count);
    if !poll.is_open() {
        doc["closed"] = json!(rfc3339(poll.row.end_time));
    }
    doc["pollResults"] = json!(poll.row.results);
    doc["pollAnonymous"] = json!(poll.row.anonymous == 1);
    doc["pollDates"] = json!(poll.row.dates == 1);
    if poll.row.counted_at > 0 {
        doc["pollCountedAt"] = json!(rfc3339(poll.row.counted_at));
    }
}

fn options_of(doc: &Value) -> Option<(bool, &Vec<Value>)> {
    if let Some(Value::Array(o)) = doc.get("anyOf") {
        return Some((true, o));
    }
    match doc.get("oneOf") {
        Some(Value::Array(o)) => Some((false, o)),
        _ => None,
    }
}

/// The question of a `Question` document, leniently; `None` for another type or fewer than
/// two options.
pub fn read_question(doc: &Value) -> Option<PollSpec> {
    if kind_of(doc) != Some("Question") {
        return None;
    }
    let (multiple, options) = options_of(doc)?;
    let end_time = str_field(doc, "endTime")
        .or_else(|| str_field(doc, "closed"))
        .and_then(|t| t.parse::<jiff::Timestamp>().ok())
        .map(|t| t.as_millisecond())
        .unwrap_or(NO_END);
    PollSpec {
        multiple,
        anonymous: doc.get("pollAnonymous").and_then(Value::as_bool) == Some(true),
        results: Results::parse(str_field(doc, "pollResults").unwrap_or_default())
            .unwrap_or_default(),
        dates: doc.get("pollDates").and_then(Value::as_bool) == Some(true),
        end_time,
        options: options
            .iter()
            .filter_map(|o| str_field(o, "name").map(str::to_owned))
            .collect(),
    }
    .lenient()
}

/// The totals of a `Question`: each option's `replies.totalItems`, `votersCount`, and when
/// the host counted them (`pollCountedAt`, else `updated`, else 0).
pub fn read_totals(doc: &Value) -> (Vec<(String, i64)>, i64, i64) {
    let counted_at = str_field(doc, "pollCountedAt")
        .or_else(|| str_field(doc, "updated"))
        .and_then(|t| t.parse::<jiff::Timestamp>().ok())
        .map(|t| t.as_millisecond())
        .unwrap_or_default();
    let totals = options_of(doc)
        .map(|(_, options)| {
            options
                .iter()
                .filter_map(|o| {
                    let name = str_field(o, "name")?;
                    let total = o
                        .get("replies")
                        .and_then(|r| r.get("totalItems"))
                        .and_then(Value::as_i64)?;
                    Some((name.to_owned(), total.max(0)))
                })
                .collect()
        })
        .unwrap_or_default();
    let voters = doc
        .get("votersCount")
        .and_then(Value::as_i64)
        .unwrap_or_default()
        .max(0);
    (totals, voters, counted_at)
}

/// Whether `object` of a `Create` or `Update` looks like a vote: a `Note` with a `name`,
/// replying to something, with no text of its own.
pub fn is_vote(object: &Value) -> bool {
    kind_of(object) == Some("Note")
        && str_field(object, "name").is_some_and(|n| !n.is_empty())
        && object.get("inReplyTo").and_then(id_of).is_some()
        && str_field(object, "content").is_none_or(str::is_empty)
}

/// A vote `Note` (`Create`, `Update`) or a vote's id (`Delete`).
pub fn read_vote(verb: &str, object: &Value) -> Option<IncomingVote> {
    let id = id_of(object)?.to_owned();
    if verb == "Delete" {
        return Some(IncomingVote {
            verb: verb.into(),
            id,
            attributed_to: String::new(),
            poll: String::new(),
            option: String::new(),
        });
    }
    Some(IncomingVote {
        verb: verb.into(),
        id,
        attributed_to: object.get("attributedTo").and_then(id_of)?.to_owned(),
        poll: object.get("inReplyTo").and_then(id_of)?.to_owned(),
        option: str_field(object, "name")?.to_owned(),
    })
}

/// The `Note` of a vote by `voter` for `option` of poll `question`, addressed to the group.
pub fn vote_note(id: &str, voter: &str, question: &str, option: &str, group: &str) -> Value {
    json!({
        "type": "Note",
        "id": id,
        "attributedTo": voter,
        "name": option,
        "inReplyTo": question,
        "audience": group,
        "to": [group],
    })
}
