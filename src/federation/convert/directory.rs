//! Directory entries on the wire, both directions: the fields an agent shows the approved
//! circle, as our extension terms on their `Person` (the actor document that authorized
//! fetch serves, and the `Update` pushed to every approved peer), and reading them back.
//! Fields shown to this node only are never written here.

use serde_json::{Map, Value, json};

use super::from_as::str_field;
use super::to_as;
use crate::db::{ActorRow, DirectoryRow, DirectoryValues};
use crate::domain::actor_keys::KeyedActor;
pub use crate::domain::directory::{
    MAX_PHONE_CHARS, MAX_SERVICE_CHARS, MAX_SKILL_CHARS, MAX_SKILLS, phone_ok, skills_of,
};
use crate::domain::names::Email;
use crate::federation::FederationError;
use crate::state::AppState;

fn circle(v: &str) -> bool {
    v == "circle"
}

/// The directory terms of an entry as the circle may see them: `inDirectory: false` and
/// nothing else when the entry is not shown to the circle (or the account is disabled).
pub fn circle_fields(entry: Option<&DirectoryRow>, disabled: bool) -> Map<String, Value> {
    let mut m = Map::new();
    let Some(e) = entry.filter(|e| circle(&e.visibility) && !disabled) else {
        m.insert("inDirectory".into(), json!(false));
        return m;
    };
    m.insert("inDirectory".into(), json!(true));
    if !e.branch.is_empty() {
        m.insert("branch".into(), json!(e.branch));
    }
    if !e.service.is_empty() {
        m.insert("service".into(), json!(e.service));
    }
    m.insert("skills".into(), json!(skills_of(&e.skills)));
    if circle(&e.phone_visibility) && !e.phone.is_empty() {
        m.insert("workPhone".into(), json!(e.phone));
    }
    if circle(&e.email_visibility) && !e.email.is_empty() {
        m.insert("workEmail".into(), json!(e.email));
    }
    if circle(&e.mobility_visibility) {
        m.insert("openToMobility".into(), json!(e.mobility == 1));
    }
    if e.welcomes_newcomers == 1 {
        m.insert("welcomesNewcomers".into(), json!(true));
    }
    m
}

/// Adds the entry's circle fields to an actor document.
pub fn decorate(doc: &mut Value, entry: Option<&DirectoryRow>, disabled: bool) {
    if let Value::Object(map) = doc {
        map.extend(circle_fields(entry, disabled));
    }
}

/// The agent's `Person` with only the circle's fields, embedded (no `@context`).
pub fn circle_person(
    actor: &KeyedActor,
    entry: Option<&DirectoryRow>,
    disabled: bool,
    state: &AppState,
) -> Result<Value, FederationError> {
    let mut person = to_as::actor_document(actor, &state.config)?;
    decorate(&mut person, entry, disabled);
    person.as_object_mut().map(|m| m.remove("@context"));
    Ok(person)
}

/// The `Update` of that `Person` that every approved peer receives on each change.
pub fn circle_update(
    actor: &KeyedActor,
    entry: Option<&DirectoryRow>,
    disabled: bool,
    state: &AppState,
) -> Result<Value, FederationError> {
    let person = circle_person(actor, entry, disabled, state)?;
    let id = state.urls.new_activity();
    Ok(to_as::activity("Update", &id, &actor.ap_id, person, &[]))
}

/// The collection a peer pulls: every local entry shown to the circle, as its `Person`.
pub async fn circle_collection(state: &AppState, id: &str) -> Result<Value, FederationError> {
    let mut items = Vec::new();
    for e in state.store.local_circle_entries().await? {
        if let Some(actor) = state.store.actor_by_id(e.actor_id).await? {
            let actor = crate::domain::actor_keys::ensure(state, actor).await?;
            items.push(circle_person(&actor, Some(&e), false, state)?);
        }
    }
    let mut doc = to_as::collection(id, None, items.len());
    doc["orderedItems"] = Value::Array(items);
    Ok(doc)
}

fn line_ok(s: &str, max: usize) -> bool {
    s.chars().count() <= max && !s.chars().any(char::is_control)
}

/// The directory entry a peer's `Person` carries: `None` when it is not (or no longer) in
/// the directory. Every field is checked; one bad field refuses the whole document, so that
/// nothing half-valid is cached. What is cached is the circle's view: the visibility
/// columns say "circle" for what came and "hidden" for what did not.
pub fn read(doc: &Value) -> Result<Option<DirectoryValues>, FederationError> {
    let bad = |m: &str| FederationError::Malformed(format!("directory: {m}"));
    match doc.get("inDirectory") {
        None | Some(Value::Null) | Some(Value::Bool(false)) => return Ok(None),
        Some(Value::Bool(true)) => {}
        Some(_) => return Err(bad("inDirectory is not a boolean")),
    }
    let text = |name: &str, max: usize| -> Result<String, FederationError> {
        match doc.get(name) {
            None | Some(Value::Null) => Ok(String::new()),
            Some(Value::String(s)) if line_ok(s, max) => Ok(s.trim().to_owned()),
            Some(_) => Err(bad(&format!("{name} is not a short text"))),
        }
    };
    let branch = text("branch", 3)?.to_ascii_lowercase();
    if !["", "fpe", "fpt", "fph"].contains(&branch.as_str()) {
        return Err(bad("branch is not FPE, FPT or FPH"));
    }
    let service = text("service", MAX_SERVICE_CHARS)?;
    let phone = text("workPhone", MAX_PHONE_CHARS)?;
    if !phone.is_empty() && !phone_ok(&phone) {
        return Err(bad("workPhone is not a phone number"));
    }
    let email = text("workEmail", 254)?;
    if !email.is_empty() && Email::parse(&email).is_err() {
        return Err(bad("workEmail is not an email address"));
    }
    let skills = match doc.get("skills") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(a)) if a.len() <= MAX_SKILLS => a
            .iter()
            .map(|s| match s.as_str() {
                Some(s) if line_ok(s, MAX_SKILL_CHARS) && !s.trim().is_empty() => {
                    Ok(s.trim().to_owned())
                }
                _ => Err(bad("a skill is not a short text")),
            })
            .collect::<Result<Vec<_>, _>>()?,
        Some(_) => return Err(bad("skills is not a list of at most 20 texts")),
    };
    let mobility = match doc.get("openToMobility") {
        None | Some(Value::Null) => None,
        Some(Value::Bool(b)) => Some(*b),
        Some(_) => return Err(bad("openToMobility is not a boolean")),
    };
    let welcomes_newcomers = match doc.get("welcomesNewcomers") {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(_) => return Err(bad("welcomesNewcomers is not a boolean")),
    };
    let shown = |present: bool| if present { "circle" } else { "hidden" }.to_owned();
    Ok(Some(DirectoryValues {
        visibility: "circle".into(),
        branch,
        service,
        phone_visibility: shown(!phone.is_empty()),
        phone,
        email_visibility: shown(!email.is_empty()),
        email,
        skills: skills.join("\n"),
        mobility: mobility.unwrap_or(false),
        mobility_visibility: shown(mobility.is_some()),
        welcomes_newcomers,
        search_text: String::new(),
    }))
}

/// The person an `Update` describes must be its sender: one changes only one's own entry.
pub fn check_self(doc: &Value, actor: &str) -> Result<(), FederationError> {
    if str_field(doc, "id") == Some(actor) {
        Ok(())
    } else {
        Err(FederationError::OriginMismatch(format!(
            "{actor} may only update its own Person"
        )))
    }
}

/// Queues `activity` from the local `sender` to the shared inbox of every approved peer (or
/// of `only` that one): the directory is the circle's, not a list of followers. Every peer
/// runs entrepairs, so its shared inbox is `/inbox` on its authority, known even before any
/// of its actors is.
pub async fn send_to_peers(
    state: &AppState,
    sender: &ActorRow,
    activity: &Value,
    only: Option<&str>,
) -> Result<(), FederationError> {
    let id = str_field(activity, "id")
        .ok_or_else(|| FederationError::Internal("activity without id".into()))?;
    let mut inboxes = Vec::new();
    for peer in state.store.list_peers().await? {
        if only.is_some_and(|o| o != peer.authority) {
            continue;
        }
        if state
            .fed
            .policy
            .allows(&state.store, &peer.authority)
            .await?
        {
            let inbox = format!("{}://{}/inbox", state.config.scheme(), peer.authority);
            inboxes.push((inbox, peer.authority));
        }
    }
    if inboxes.is_empty() {
        return Ok(());
    }
    let body =
        serde_json::to_string(activity).map_err(|e| FederationError::Internal(e.to_string()))?;
    state
        .store
        .enqueue_deliveries(id, sender.id, &body, &inboxes, false)
        .await?;
    for (_, authority) in &inboxes {
        crate::metrics::deliveries_queued(authority);
    }
    state.fed.wakeup.notify_one();
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_valid_entry_is_read_and_missing_fields_stay_hidden() {
        let v = read(&json!({
            "inDirectory": true, "branch": "FPT", "service": "Accueil",
            "skills": ["Accueil du public", "Médiation"], "workEmail": "a@mairie.fr"
        }))
        .expect("valid")
        .expect("in the directory");
        assert_eq!(v.branch, "fpt");
        assert_eq!(v.skills, "Accueil du public\nMédiation");
        assert_eq!(v.phone_visibility, "hidden");
        assert_eq!(v.email_visibility, "circle");
        assert_eq!(v.mobility_visibility, "hidden");
    }

    #[test]
    fn bad_fields_refuse_the_whole_entry() {
        for bad in [
            json!({"inDirectory": "yes"}),
            json!({"inDirectory": true, "branch": "XYZ"}),
            json!({"inDirectory": true, "workPhone": "<script>"}),
            json!({"inDirectory": true, "workEmail": "not an email"}),
            json!({"inDirectory": true, "skills": "one"}),
            json!({"inDirectory": true, "skills": vec!["x"; 21]}),
            json!({"inDirectory": true, "skills": ["a\u{0}b"]}),
            json!({"inDirectory": true, "openToMobility": "oui"}),
        ] {
            assert!(read(&bad).is_err(), "{bad}");
        }
        assert!(read(&json!({"inDirectory": false})).expect("ok").is_none());
    }
}
