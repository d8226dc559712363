//! Votes in polls, inbound: on the host, a member's vote `Note` (`Create`), its change
//! (`Update`) or withdrawal (`Delete`) goes to the one vote rule of `domain::polls`; on a
//! member's node, the totals of the group's `Update{Question}`.

use serde_json::Value;

use super::Activity;
use crate::db::CommunityRow;
use crate::domain::polls;
use crate::federation::FederationError;
use crate::federation::convert::polls::{read_totals, read_vote};
use crate::state::AppState;

/// A member's vote for a poll of a community hosted here. Not announced: the domain
/// counts it and the group announces the new totals.
pub async fn on_vote(
    state: &AppState,
    a: &Activity,
    c: &CommunityRow,
) -> Result<(), FederationError> {
    let mut vote = read_vote(&a.kind, &a.object)
        .ok_or_else(|| FederationError::Malformed("vote: a Note with name and inReplyTo".into()))?;
    if a.kind == "Delete" {
        // A withdrawal names the vote only: its author is the actor who sends it.
        vote.attributed_to = a.actor.clone();
    }
    Ok(polls::receive_vote(state, c, &a.actor, &vote).await?)
}

/// The totals the group announced in its `Update{Question}` (on a member's node).
pub async fn on_totals(
    state: &AppState,
    c: &CommunityRow,
    post: &str,
    question: &Value,
) -> Result<(), FederationError> {
    let (totals, voters, counted_at) = read_totals(question);
    Ok(polls::receive_totals(state, c, post, &totals, voters, counted_at).await?)
}
