//! The activities of a [`PollChange`]: the group's `Update{Question}` with the new totals,
//! announced to members' nodes; an agent's votes as `Create`/`Update`/`Delete` of vote
//! `Note`s sent to the group's host.

use serde_json::{Value, json};

use super::announce::{announce, submit};
use crate::db::PostRow;
use crate::domain::changes::PollChange;
use crate::domain::communities::group_of;
use crate::domain::polls;
use crate::federation::FederationError;
use crate::federation::convert::polls::{question, vote_note};
use crate::federation::convert::posts::post_object;
use crate::federation::convert::to_as::activity;
use crate::state::AppState;

/// A thread's document, as a `Question` when it is a poll.
pub async fn with_question(
    state: &AppState,
    mut doc: Value,
    post: &PostRow,
) -> Result<Value, FederationError> {
    if let Some(p) = polls::of_post(state, post).await? {
        question(&mut doc, &p);
    }
    Ok(doc)
}

pub async fn publish(state: &AppState, change: PollChange) -> Result<(), FederationError> {
    match change {
        PollChange::Counted { post, community } => {
            let group = group_of(state, &community).await?;
            let post = state.store.post_by_id(post.id).await?.unwrap_or(post);
            let doc = post_object(&post, &community.ap_id, &[]);
            let doc = with_question(state, doc, &post).await?;
            let id = state.urls.new_activity();
            let update = activity("Update", &id, &group.ap_id, doc, &[&community.ap_id]);
            announce(state, &community, &update).await?;
        }
        PollChange::Voted {
            poll,
            community,
            voter,
            ballot,
        } => {
            let group = &community.ap_id;
            let note = |id: &str, o: &str| vote_note(id, &voter.ap_id, &poll.ap_id, o, group);
            for id in &ballot.withdrawn {
                let del = activity(
                    "Delete",
                    &format!("{id}#delete"),
                    &voter.ap_id,
                    json!(id),
                    &[group],
                );
                submit(state, &community, &voter, &del).await?;
            }
            for (id, o) in &ballot.changed {
                let aid = state.urls.new_activity();
                let update = activity("Update", &aid, &voter.ap_id, note(id, o), &[group]);
                submit(state, &community, &voter, &update).await?;
            }
            for (id, o) in &ballot.cast {
                let create = activity(
                    "Create",
                    &format!("{id}#create"),
                    &voter.ap_id,
                    note(id, o),
                    &[group],
                );
                submit(state, &community, &voter, &create).await?;
            }
        }
    }
    Ok(())
}
