//! The member side of FEP-1b12: a node whose agents are members receives the group's
//! Announces and stores what they carry. The group's signature vouches that the inner
//! activity came from a member (the host checked that member's signature when it received
//! it); we still check that the inner activity is consistent with its own origin. An
//! Announce of a bare object (Lemmy's and Mastodon's `Announce{Page}`, `Announce{Note}`, or
//! of a `Create` that names its object by id) carries nothing the group vouches for: the
//! object is read from its origin, with a signed fetch, and refused if the origin does not
//! confirm it.

use serde_json::Value;

use super::{Activity, Concept, concept_of};
use crate::db::CommunityRow;
use crate::domain::post_store::{self, Via};
use crate::federation::convert::from_as::{addressees, id_of, kind_of, str_field};
use crate::federation::convert::posts::read_post;
use crate::federation::fetch::{FetchBudget, fetch_json};
use crate::federation::{FederationError, authority_of_str};
use crate::state::AppState;

/// Object types a group may announce bare, without the activity that made them.
const BARE_OBJECTS: [&str; 4] = ["Note", "Page", "Article", "Question"];

/// An Announce from a group.
pub async fn on_announce(
    state: &AppState,
    a: &Activity,
    budget: &FetchBudget,
) -> Result<(), FederationError> {
    let Some(c) = state.store.community_by_ap_id(&a.actor).await? else {
        return Ok(());
    };
    if c.is_local == 1 {
        return Ok(());
    }
    // Only communities our agents belong to: we store what our agents need.
    if !state
        .store
        .has_member_on(c.id, &state.config.authority)
        .await?
    {
        // The host announces to a member's node as soon as it accepts them, and that
        // Announce may overtake the Accept: while one of ours waits for it, retry later.
        if state
            .store
            .has_pending_member_on(c.id, &state.config.authority)
            .await?
        {
            return Err(FederationError::NotYet(
                "the acceptance of our membership has not arrived yet".into(),
            ));
        }
        return Ok(());
    }
    let inner = match a.raw.get("object") {
        Some(Value::String(id)) => return on_bare_object(state, &c, id, budget).await,
        Some(o @ Value::Object(_)) if kind_of(o).is_some_and(|k| BARE_OBJECTS.contains(&k)) => {
            let id =
                id_of(o).ok_or_else(|| FederationError::Malformed("object without id".into()))?;
            return on_bare_object(state, &c, id, budget).await;
        }
        Some(o @ Value::Object(_)) => o,
        _ => {
            return Err(FederationError::Malformed(
                "an Announce must carry an activity or an object".into(),
            ));
        }
    };
    let kind = kind_of(inner).unwrap_or_default();
    let inner_actor = inner.get("actor").and_then(id_of).unwrap_or_default();
    let inner_id = id_of(inner).unwrap_or_default();
    let origin = authority_of_str(inner_actor)
        .ok_or_else(|| FederationError::Malformed("inner activity without actor".into()))?;
    if authority_of_str(inner_id).as_deref() != Some(origin.as_str()) {
        return Err(FederationError::OriginMismatch(
            "inner activity id and actor differ".into(),
        ));
    }
    let by_group = inner_actor == c.ap_id;
    if !by_group
        && origin != state.config.authority
        && !state.fed.policy.allows(&state.store, &origin).await?
    {
        return Err(FederationError::NotApproved(origin));
    }
    let object = inner.get("object").cloned().unwrap_or(Value::Null);
    if super::reactions::is_reaction(kind, &object) {
        return super::reactions::on_announced(state, &c, inner_actor, inner).await;
    }
    if kind == "Create"
        && let Value::String(id) = &object
    {
        // The activity names its object without carrying it: read it from its origin.
        return on_bare_object(state, &c, id, budget).await;
    }
    match concept_of(&state.store, c.id, kind, &object).await? {
        Concept::Resource => {
            super::resources::on_announced(state, &c, kind, inner_actor, &object).await
        }
        Concept::Action => {
            super::actions::on_announced(state, &c, kind, inner_actor, &object).await
        }
        Concept::Event => super::events::on_announced(state, &c, kind, inner_actor, &object).await,
        Concept::Post => on_post(state, &c, kind, inner_actor, by_group, &object).await,
        // Votes go to the host only; what it counted comes as the group's Update{Question}.
        Concept::Vote => Ok(()),
    }
}

/// A post announced by its group: created, edited, pinned or locked, removed.
async fn on_post(
    state: &AppState,
    c: &crate::db::CommunityRow,
    kind: &str,
    inner_actor: &str,
    by_group: bool,
    object: &Value,
) -> Result<(), FederationError> {
    match kind {
        "Create" => {
            let p = read_post(object)?;
            refuse_if_elsewhere(state, c, object).await?;
            post_store::receive_created(state, c, inner_actor, &p).await?;
        }
        "Update" if by_group => {
            let p = read_post(object)?;
            let pinned = object
                .get("stickied")
                .and_then(Value::as_bool)
                .unwrap_or(false);
            let locked = object.get("commentsEnabled").and_then(Value::as_bool) == Some(false);
            post_store::receive_flags(state, c, &p.id, pinned, locked).await?;
            if kind_of(object) == Some("Question") {
                super::polls::on_totals(state, c, &p.id, object).await?;
            }
        }
        "Update" => {
            let p = read_post(object)?;
            post_store::receive_edit(state, c, inner_actor, &p, Via::Group).await?;
        }
        "Delete" => {
            let id = id_of(object).unwrap_or_default();
            post_store::receive_delete(state, c, inner_actor, id, Via::Group).await?;
        }
        _ => {}
    }
    Ok(())
}

/// A post without `audience` is the announcing group's, unless it is addressed only to other
/// communities we know: then the group relays what was not sent to it.
async fn refuse_if_elsewhere(
    state: &AppState,
    c: &CommunityRow,
    object: &Value,
) -> Result<(), FederationError> {
    if object.get("audience").is_some() {
        // The domain compares an explicit audience with the community.
        return Ok(());
    }
    let targets = addressees(object);
    if targets.contains(&c.ap_id) {
        return Ok(());
    }
    for t in &targets {
        if state.store.community_by_ap_id(t).await?.is_some() {
            return Err(FederationError::Refused(
                "the post is for another community".into(),
            ));
        }
    }
    Ok(())
}

/// A post the group announced by its id only: fetched from its origin (an approved peer,
/// within the request's budget), and stored as its author's when the origin serves it under
/// that id; refused when the origin denies it. Our own posts we already hold.
async fn on_bare_object(
    state: &AppState,
    c: &CommunityRow,
    id: &str,
    budget: &FetchBudget,
) -> Result<(), FederationError> {
    let origin = authority_of_str(id)
        .ok_or_else(|| FederationError::Malformed("announced object id is not a URL".into()))?;
    if origin == state.config.authority {
        return Ok(());
    }
    let doc = match fetch_json(state, id, budget).await {
        Ok(doc) => doc,
        // The origin says it has no such object, or not for us: final.
        Err(FederationError::Status(s)) if (400..500).contains(&s) && s != 408 && s != 429 => {
            return Err(FederationError::OriginMismatch(format!(
                "{origin} does not confirm {id} (it answered {s})"
            )));
        }
        Err(e) => return Err(e),
    };
    if str_field(&doc, "id") != Some(id) {
        return Err(FederationError::OriginMismatch(format!(
            "{origin} answered another object than {id}"
        )));
    }
    let p = read_post(&doc)?;
    refuse_if_elsewhere(state, c, &doc).await?;
    if state.store.post_by_ap_id(&p.id).await?.is_some() {
        post_store::receive_edit(state, c, &p.attributed_to, &p, Via::Group).await?;
    } else {
        post_store::receive_created(state, c, &p.attributed_to, &p).await?;
    }
    Ok(())
}
