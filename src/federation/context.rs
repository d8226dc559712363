//! The JSON-LD `@context` of everything we publish: the ActivityStreams and security contexts,
//! which every implementation bundles, plus inline term definitions for our own properties,
//! so that no peer ever has to fetch a context from us.

use serde_json::{Value, json};

/// Namespace of entrepairs' own terms (documented in `docs/federation.md`).
pub const NS: &str = "https://entrepairs.fr/ns#";

/// The `@context` value.
pub fn context() -> Value {
    json!([
        "https://www.w3.org/ns/activitystreams",
        "https://w3id.org/security/v1",
        {
            "entrepairs": NS,
            "jobTitle": "entrepairs:jobTitle",
            "institution": "entrepairs:institution",
            "institutionKind": "entrepairs:institutionKind",
            "branch": "entrepairs:branch",
            "contact": "entrepairs:contact",
            "message": "entrepairs:message",
            "joinMode": "entrepairs:joinMode",
            "question": "entrepairs:question",
            "answer": "entrepairs:answer",
            "tags": "entrepairs:tags",
            "charter": "entrepairs:charter",
            "membersOnly": "entrepairs:membersOnly",
            "description": "entrepairs:description",
            "actionItem": "entrepairs:actionItem",
            "actionOwner": {"@id": "entrepairs:actionOwner", "@type": "@id"},
            "actionStatus": "entrepairs:actionStatus",
            "dueDate": "entrepairs:dueDate",
            "escalatedOn": "entrepairs:escalatedOn",
            "escalatedTo": "entrepairs:escalatedTo",
            "postCategory": "entrepairs:postCategory",
            "applicationDeadline": "entrepairs:applicationDeadline",
            "Hashtag": "as:Hashtag",
            "lemmy": "https://join-lemmy.org/ns#",
            "stickied": "lemmy:stickied",
            "commentsEnabled": "entrepairs:commentsEnabled",
            "inDirectory": "entrepairs:inDirectory",
            "service": "entrepairs:service",
            "workPhone": "entrepairs:workPhone",
            "workEmail": "entrepairs:workEmail",
            "skills": "entrepairs:skills",
            "openToMobility": "entrepairs:openToMobility",
            "resourceKind": "entrepairs:resourceKind",
            "resourceSlug": "entrepairs:resourceSlug",
            "revision": "entrepairs:revision",
            "baseRevision": "entrepairs:baseRevision",
            "revisionSummary": "entrepairs:revisionSummary",
            "revisionAuthor": {"@id": "entrepairs:revisionAuthor", "@type": "@id"},
            "fileSize": "entrepairs:fileSize",
            "mz": "https://joinmobilizon.org/ns#",
            "schema": "http://schema.org#",
            "ical": "http://www.w3.org/2002/12/cal/ical#",
            "participantCount": "mz:participantCount",
            "isOnline": "mz:isOnline",
            "maximumAttendeeCapacity": "schema:maximumAttendeeCapacity",
            "remainingAttendeeCapacity": "schema:remainingAttendeeCapacity",
            "PostalAddress": "schema:PostalAddress",
            "address": "schema:address",
            "streetAddress": "schema:streetAddress",
            "eventKind": "entrepairs:eventKind",
            "organizer": "entrepairs:organizer",
            "participants": "entrepairs:participants",
            "series": "entrepairs:series",
            "sequence": "entrepairs:sequence",
            // Polls (issue 18): Mastodon's `votersCount`, undefined in ActivityStreams, so a
            // JSON-LD reader (Fedify) drops it without this term; and our own poll terms.
            "toot": "http://joinmastodon.org/ns#",
            "votersCount": "toot:votersCount",
            "pollResults": "entrepairs:pollResults",
            "pollAnonymous": "entrepairs:pollAnonymous",
            "pollDates": "entrepairs:pollDates",
            "pollCountedAt": "entrepairs:pollCountedAt"
        }
    ])
}

/// Adds the context at the top of a document.
pub fn with_context(mut doc: Value) -> Value {
    if let Value::Object(map) = &mut doc {
        map.insert("@context".into(), context());
    }
    doc
}
