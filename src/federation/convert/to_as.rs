//! Our actors and activities as ActivityStreams JSON.

use activitystreams::actor::{ApActor, Application, Endpoints, Group, Person};
use activitystreams::iri_string::types::IriString;
use activitystreams::prelude::*;
use serde::Serialize;
use serde_json::{Value, json};

use crate::config::Config;
use crate::db::ActorRow;
use crate::domain::actor_keys::KeyedActor;
use crate::federation::FederationError;
use crate::federation::context::with_context;

fn iri(s: &str) -> Result<IriString, FederationError> {
    s.parse::<IriString>()
        .map_err(|e| FederationError::Internal(format!("bad IRI {s}: {e}")))
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PublicKeyDoc<'a> {
    id: &'a str,
    owner: &'a str,
    public_key_pem: &'a str,
}

/// Our extension properties, defined inline in the context.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ActorDoc<'a, T: Serialize> {
    #[serde(flatten)]
    inner: T,
    public_key: PublicKeyDoc<'a>,
    #[serde(skip_serializing_if = "str::is_empty")]
    job_title: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    institution: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    institution_kind: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    branch: Option<&'a str>,
    manually_approves_followers: bool,
    discoverable: bool,
}

fn fill<K>(actor: &ActorRow, inner: &mut ApActor<K>) -> Result<(), FederationError>
where
    ApActor<K>: ApActorExt + ObjectExt + BaseExt,
{
    inner.set_id(iri(&actor.ap_id)?);
    inner.set_preferred_username(actor.username.clone());
    if !actor.display_name.is_empty() {
        inner.set_name(actor.display_name.clone());
    }
    if !actor.summary.is_empty() {
        inner.set_summary(crate::federation::convert::to_as::escape_text(
            &actor.summary,
        ));
    }
    if let Some(outbox) = &actor.outbox_url {
        inner.set_outbox(iri(outbox)?);
    }
    if let Some(followers) = &actor.followers_url {
        inner.set_followers(iri(followers)?);
    }
    if let Some(following) = &actor.following_url {
        inner.set_following(iri(following)?);
    }
    if let Some(shared) = &actor.shared_inbox_url {
        inner.set_endpoints(Endpoints {
            shared_inbox: Some(iri(shared)?),
            ..Endpoints::default()
        });
    }
    inner.set_url(iri(&actor.ap_id)?);
    Ok(())
}

/// The public key document of a local person or group, served to unsigned GETs (as Mastodon
/// does in authorized-fetch mode): enough to verify its signatures and to address it, and
/// nothing a peer must be approved to see (no directory, institution or community fields).
pub fn public_actor_document(actor: &KeyedActor) -> Value {
    let mut doc = serde_json::json!({
        "@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"],
        "id": actor.ap_id,
        "type": actor.kind,
        "inbox": actor.inbox_url,
        "preferredUsername": actor.username,
        "publicKey": {
            "id": actor.public_key_id,
            "owner": actor.ap_id,
            "publicKeyPem": actor.public_key_pem,
        },
    });
    if let Some(outbox) = &actor.outbox_url {
        doc["outbox"] = Value::String(outbox.clone());
    }
    if !actor.display_name.is_empty() {
        doc["name"] = Value::String(actor.display_name.clone());
    }
    doc
}

/// The document of a local actor (Person, Application or Group).
pub fn actor_document(actor: &KeyedActor, config: &Config) -> Result<Value, FederationError> {
    let inbox = iri(&actor.inbox_url)?;
    let is_instance = actor.kind == "Application";
    let kind = is_instance.then(|| config.institution_kind.as_str());
    let branch = if is_instance {
        config.branch.map(|b| b.as_str())
    } else {
        None
    };
    let key = PublicKeyDoc {
        id: &actor.public_key_id,
        owner: &actor.ap_id,
        public_key_pem: &actor.public_key_pem,
    };
    let value = match actor.kind.as_str() {
        "Group" => {
            let mut inner = ApActor::new(inbox, Group::new());
            fill(actor, &mut inner)?;
            to_value(ActorDoc {
                inner,
                public_key: key,
                job_title: "",
                institution: &actor.institution,
                institution_kind: None,
                branch: None,
                manually_approves_followers: true,
                discoverable: false,
            })?
        }
        "Application" => {
            let mut inner = ApActor::new(inbox, Application::new());
            fill(actor, &mut inner)?;
            to_value(ActorDoc {
                inner,
                public_key: key,
                job_title: "",
                institution: &actor.institution,
                institution_kind: kind,
                branch,
                manually_approves_followers: true,
                discoverable: false,
            })?
        }
        _ => {
            let mut inner = ApActor::new(inbox, Person::new());
            fill(actor, &mut inner)?;
            to_value(ActorDoc {
                inner,
                public_key: key,
                job_title: &actor.job_title,
                institution: &actor.institution,
                institution_kind: None,
                branch: None,
                manually_approves_followers: false,
                discoverable: false,
            })?
        }
    };
    Ok(with_context(value))
}

/// A local community's group: the actor document plus what an agent needs to decide to join
/// (join mode, question, tags, charter; FEP-1b12 `attributedTo` is left out on purpose: the
/// moderators collection is members-only).
pub fn group_document(
    actor: &KeyedActor,
    community: &crate::db::CommunityRow,
    config: &Config,
) -> Result<Value, FederationError> {
    let mut doc = actor_document(actor, config)?;
    doc["joinMode"] = json!(community.join_mode);
    doc["question"] = json!(community.question);
    doc["tags"] = json!(community.tags);
    doc["charter"] = json!(community.charter);
    doc["description"] = json!(community.description);
    doc["membersOnly"] = json!(community.members_only == 1);
    doc["postingRestrictedToMods"] = json!(false);
    Ok(doc)
}

fn to_value(doc: impl Serialize) -> Result<Value, FederationError> {
    serde_json::to_value(doc).map_err(|e| FederationError::Internal(e.to_string()))
}

/// Plain text as HTML text: the summary is typed by the agent as text, never as markup.
pub use crate::domain::markdown::escape_text;

/// An activity `{type, id, actor, object}` with the context, optionally addressed.
pub fn activity(kind: &str, id: &str, actor: &str, object: Value, to: &[&str]) -> Value {
    let mut doc = json!({
        "type": kind,
        "id": id,
        "actor": actor,
        "object": object,
    });
    if !to.is_empty() {
        doc["to"] = json!(to);
    }
    with_context(doc)
}

/// An ordered collection that shows its total and, when allowed, its items.
pub fn collection(id: &str, items: Option<Vec<String>>, total: usize) -> Value {
    let mut doc = json!({
        "type": "OrderedCollection",
        "id": id,
        "totalItems": total,
    });
    if let Some(items) = items {
        doc["orderedItems"] = json!(items);
    }
    with_context(doc)
}
