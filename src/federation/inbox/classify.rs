//! What an incoming activity is about, decided once and in one visible order, before any
//! handler runs: the federation handshake first (all that an unapproved authority may
//! reach), then by type and by what its object is here.

use serde_json::Value;

use super::{Activity, peering};
use crate::db::{ActorRow, MembershipRow, Store};
use crate::federation::FederationError;
use crate::federation::convert::actions::is_action_item;
use crate::federation::convert::from_as::{addressees, id_of, kind_of};
use crate::federation::convert::polls::is_vote;
use crate::federation::convert::resources::is_resource;
use crate::state::AppState;

/// An incoming activity, classified.
#[derive(Debug)]
pub enum Incoming {
    /// An instance actor asks to federate (`Follow` of our instance actor).
    PeerRequest,
    /// An instance actor answers our federation request.
    PeerAnswer {
        accepted: bool,
    },
    /// An instance actor withdraws its request or ends federation (`Undo`, `Block`).
    PeerEnd,
    /// Anything else from an authority our admin has not approved.
    NotApproved,
    /// A remote agent asks to join a community hosted here.
    FollowGroup(ActorRow),
    /// A remote agent follows one of our agents.
    FollowAgent,
    /// A remote agent leaves a community hosted here.
    UndoFollowGroup(ActorRow),
    /// A remote agent stops following one of our agents.
    UndoFollowAgent,
    /// An answer to something we sent.
    Answer(Answered),
    /// A person deletes their account (`Delete` of the actor).
    PersonDeleted,
    /// A person's profile or key changed (`Update{Person}`).
    PersonUpdated,
    /// A member's `Create`, `Update`, `Delete` or `Flag` for a group hosted here.
    ToGroup(ActorRow),
    /// A `Create` addressed to our agents, not to a group.
    DirectNote,
    /// A `Delete` of something that is not in a community hosted here: a note of its author,
    /// if we hold one (`Delete{Tombstone}` or of a bare id, as Mastodon sends it).
    DeleteNote,
    /// A group shares what happened in it (FEP-1b12 `Announce`).
    Announce,
    /// Registration for a session, or its withdrawal.
    Join,
    Leave,
    /// A group invites one of our agents.
    Invite,
    /// Issue 18: a group names one of our agents animateur (`Add` to its moderators), or
    /// takes the role back (`Remove`).
    Role,
    /// Nothing we act on.
    Ignored,
}

/// What an `Accept` or `Reject` answers.
#[derive(Debug)]
pub enum Answered {
    /// The host refuses a member's edit of a resource (`Reject` with the resource as target).
    ResourceEdit,
    /// A group answers one of our agents' request to join (this membership).
    Membership(MembershipRow),
    /// A group answers one of our agents' registration for a session: the registration of
    /// `actor` for session `event_id`, which stood at `state`.
    Participation {
        event_id: i64,
        actor: String,
        state: String,
    },
    /// An agent answers one of our agents' follow.
    Follow { accepted: bool },
    /// Issue 18: an agent of another node answers a pending request to join a community
    /// hosted here (`m`), as one of its animateurs.
    AnimateurDecision(MembershipRow),
}

/// What the object of a community activity is, which decides its handler.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Concept {
    Resource,
    Action,
    Event,
    Post,
    /// A vote in a poll (a `Note` with `name` replying to it), or its change or withdrawal.
    Vote,
}

/// Classifies `a`. Reads the database, never the network.
pub async fn classify(state: &AppState, a: &Activity) -> Result<Incoming, FederationError> {
    let kind = a.kind.as_str();
    match kind {
        "Follow" if peering::is_for_instance(state, a) => return Ok(Incoming::PeerRequest),
        "Accept" | "Reject" if peering::answers_our_request(state, a).await? => {
            return Ok(Incoming::PeerAnswer {
                accepted: kind == "Accept",
            });
        }
        "Undo" | "Block" if peering::ends_federation(state, a).await? => {
            return Ok(Incoming::PeerEnd);
        }
        _ => {}
    }
    if !state.fed.policy.allows(&state.store, &a.authority).await? {
        return Ok(Incoming::NotApproved);
    }
    Ok(match kind {
        "Follow" => match local_group(&state.store, id_of(&a.object)).await? {
            Some(group) => Incoming::FollowGroup(group),
            None => Incoming::FollowAgent,
        },
        "Accept" | "Reject" => Incoming::Answer(answered(&state.store, a).await?),
        "Like" | "EmojiReact" => {
            let target = id_of(&a.object);
            match reaction_group(&state.store, target, None).await? {
                Some(group) => Incoming::ToGroup(group),
                None => Incoming::Ignored,
            }
        }
        "Undo" if matches!(kind_of(&a.object), Some("Like" | "EmojiReact")) => {
            let target = a.object.get("object").and_then(id_of);
            match reaction_group(&state.store, target, id_of(&a.object)).await? {
                Some(group) => Incoming::ToGroup(group),
                None => Incoming::Ignored,
            }
        }
        "Undo" if kind_of(&a.object) == Some("Follow") => {
            let target = a.object.get("object").and_then(id_of);
            match local_group(&state.store, target).await? {
                Some(group) => Incoming::UndoFollowGroup(group),
                None => Incoming::UndoFollowAgent,
            }
        }
        "Delete" if is_person_deletion(state, a).await? => Incoming::PersonDeleted,
        "Update" if kind_of(&a.object) == Some("Person") => Incoming::PersonUpdated,
        "Create" | "Update" | "Delete" | "Flag" => match community_group(state, a).await? {
            Some(group) => Incoming::ToGroup(group),
            None if kind == "Create" => Incoming::DirectNote,
            None if kind == "Delete" => Incoming::DeleteNote,
            None => Incoming::Ignored,
        },
        "Announce" => Incoming::Announce,
        "Join" => Incoming::Join,
        "Leave" => Incoming::Leave,
        "Invite" => Incoming::Invite,
        "Add" | "Remove" => Incoming::Role,
        _ => Incoming::Ignored,
    })
}

async fn answered(store: &Store, a: &Activity) -> Result<Answered, FederationError> {
    if a.kind == "Reject"
        && let Some(target) = a.raw.get("target").and_then(id_of)
        && store.resource_by_ap_id(target).await?.is_some()
    {
        return Ok(Answered::ResourceEdit);
    }
    if let Some(ours) = id_of(&a.object) {
        if let Some(m) = store.membership_by_follow(ours).await? {
            let hosted_here = store
                .community_by_id(m.community_id)
                .await?
                .is_some_and(|c| c.is_local == 1);
            if hosted_here {
                return Ok(Answered::AnimateurDecision(m));
            }
            return Ok(Answered::Membership(m));
        }
        if let Some((event_id, actor, state)) = store.participation_by_join(ours).await? {
            return Ok(Answered::Participation {
                event_id,
                actor,
                state,
            });
        }
    }
    Ok(Answered::Follow {
        accepted: a.kind == "Accept",
    })
}

/// What `verb` (`Create`, `Update`, `Delete`, `Flag`) of `object` concerns in community
/// `community_id`: a resource, an action item or its comment, a session, or else a post.
pub async fn concept_of(
    store: &Store,
    community_id: i64,
    verb: &str,
    object: &Value,
) -> Result<Concept, FederationError> {
    if is_resource(object) {
        return Ok(Concept::Resource);
    }
    let id = id_of(object).unwrap_or_default();
    if is_poll_vote(store, community_id, verb, object).await? {
        return Ok(Concept::Vote);
    }
    match verb {
        "Create" | "Update" if is_action_item(object) => Ok(Concept::Action),
        "Create" if kind_of(object) == Some("Note") => {
            let item = match object.get("inReplyTo").and_then(id_of) {
                Some(target) => store.action_item_by_ap_id(target).await?,
                None => None,
            };
            Ok(match item {
                Some(i) if i.community_id == community_id => Concept::Action,
                _ => Concept::Post,
            })
        }
        "Create" | "Update" if kind_of(object) == Some("Event") => Ok(Concept::Event),
        "Delete" if store.resource_by_ap_id(id).await?.is_some() => Ok(Concept::Resource),
        "Delete"
            if store.action_item_by_ap_id(id).await?.is_some()
                || store.action_comment_by_ap_id(id).await?.is_some() =>
        {
            Ok(Concept::Action)
        }
        "Delete"
            if store
                .event_by_ap_id(id)
                .await?
                .is_some_and(|e| e.community_id == community_id) =>
        {
            Ok(Concept::Event)
        }
        _ => Ok(Concept::Post),
    }
}

/// Whether a community activity is a vote: a vote `Note` replying to a poll of
/// `community_id`, or an `Update`/`Delete` of a vote held here.
async fn is_poll_vote(
    store: &Store,
    community_id: i64,
    verb: &str,
    object: &Value,
) -> Result<bool, FederationError> {
    let id = id_of(object).unwrap_or_default();
    if matches!(verb, "Update" | "Delete") && store.poll_vote_by_ap_id(id).await?.is_some() {
        return Ok(true);
    }
    if !matches!(verb, "Create" | "Update") || !is_vote(object) {
        return Ok(false);
    }
    let Some(target) = object.get("inReplyTo").and_then(id_of) else {
        return Ok(false);
    };
    Ok(match store.post_by_ap_id(target).await? {
        Some(p) if p.community_id == community_id => store.poll(p.id).await?.is_some(),
        _ => false,
    })
}

/// The group hosted here whose community holds `target` (a post or a resource), or else
/// the reaction `reaction` (an `Undo` that names the reaction by id only).
async fn reaction_group(
    store: &Store,
    target: Option<&str>,
    reaction: Option<&str>,
) -> Result<Option<ActorRow>, FederationError> {
    let mut community = None;
    if let Some(t) = target {
        community = match store.post_by_ap_id(t).await? {
            Some(p) => Some(p.community_id),
            None => store.resource_by_ap_id(t).await?.map(|r| r.community_id),
        };
    }
    if community.is_none()
        && let Some(r) = reaction
    {
        community = store.reaction_community(r).await?;
    }
    let Some(community) = community else {
        return Ok(None);
    };
    match store.community_by_id(community).await? {
        Some(c) if c.is_local == 1 => Ok(store
            .actor_by_id(c.actor_id)
            .await?
            .filter(|g| g.kind == "Group")),
        _ => Ok(None),
    }
}

/// A group hosted here, by its id.
async fn local_group(store: &Store, id: Option<&str>) -> Result<Option<ActorRow>, FederationError> {
    let Some(id) = id else { return Ok(None) };
    Ok(store
        .actor_by_ap_id(id)
        .await?
        .filter(|g| g.is_local == 1 && g.kind == "Group"))
}

/// Whether an incoming Delete is about an actor rather than a post. A `Tombstone` says
/// nothing by its type (Mastodon deletes its posts with one): its id decides.
async fn is_person_deletion(state: &AppState, a: &Activity) -> Result<bool, FederationError> {
    if kind_of(&a.object) == Some("Person") {
        return Ok(true);
    }
    let Some(id) = id_of(&a.object) else {
        return Ok(false);
    };
    Ok(id == a.actor
        || state
            .store
            .actor_by_ap_id(id)
            .await?
            .is_some_and(|x| x.kind == "Person"))
}

/// The group hosted here that a `Create`, `Update`, `Delete` or `Flag` concerns (FEP-1b12 as
/// Lemmy and Mastodon practise it): the one it is addressed to, else the community of the
/// post it replies to, else the community of the object it changes or deletes.
async fn community_group(
    state: &AppState,
    a: &Activity,
) -> Result<Option<ActorRow>, FederationError> {
    if let Some(g) = addressed_group(state, a).await? {
        return Ok(Some(g));
    }
    let held = match a.kind.as_str() {
        "Create" => a.object.get("inReplyTo").and_then(id_of),
        "Update" | "Delete" => id_of(&a.object),
        _ => None,
    };
    let Some(held) = held else { return Ok(None) };
    let store = &state.store;
    let community = match store.post_by_ap_id(held).await? {
        Some(p) => Some(p.community_id),
        None if store.poll_vote_by_ap_id(held).await?.is_some() => {
            let post_id = store.poll_vote_by_ap_id(held).await?.map(|(p, _)| p);
            match post_id {
                Some(p) => store.post_by_id(p).await?.map(|p| p.community_id),
                None => None,
            }
        }
        None => match store.action_item_by_ap_id(held).await? {
            Some(i) => Some(i.community_id),
            None => store.resource_by_ap_id(held).await?.map(|r| r.community_id),
        },
    };
    let Some(community) = community else {
        return Ok(None);
    };
    match store.community_by_id(community).await? {
        Some(c) if c.is_local == 1 => Ok(store
            .actor_by_id(c.actor_id)
            .await?
            .filter(|g| g.kind == "Group")),
        _ => Ok(None),
    }
}

/// The local group an incoming activity is addressed to, if any (`to`, `cc`, `audience` of
/// the activity or its object, and the object's `Mention` tags, as Mastodon addresses a
/// group).
async fn addressed_group(
    state: &AppState,
    a: &Activity,
) -> Result<Option<ActorRow>, FederationError> {
    let prefix = format!("{}/c/", state.urls.base());
    let mut targets = addressees(&a.raw);
    targets.extend(addressees(&a.object));
    targets.extend(mentions(&a.object));
    for t in targets {
        if let Some(slug) = t.strip_prefix(&prefix)
            && !slug.contains('/')
            && let Some(g) = state.store.local_actor(slug, "Group").await?
        {
            return Ok(Some(g));
        }
    }
    Ok(None)
}

/// The `href`s of an object's `Mention` tags.
fn mentions(object: &Value) -> Vec<String> {
    let tags = match object.get("tag") {
        Some(Value::Array(tags)) => tags.iter().collect(),
        Some(tag @ Value::Object(_)) => vec![tag],
        _ => Vec::new(),
    };
    tags.into_iter()
        .filter(|t| kind_of(t) == Some("Mention"))
        .filter_map(|t| t.get("href").and_then(Value::as_str))
        .take(50)
        .map(str::to_owned)
        .collect()
}
