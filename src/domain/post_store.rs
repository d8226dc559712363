//! The one rule for storing a community post, whatever node wrote it (ours, the host's
//! relay, an Announce): right community, reply to a known post of an unlocked thread; then
//! the notifications it causes here.

use super::notifications::{self, kind};
use crate::db::{CommunityRow, NewPost, PostRow, now_ms};
use crate::federation::FederationError;
use crate::federation::convert::posts::IncomingPost;
use crate::federation::fetch::FetchBudget;
use crate::federation::remote;
use crate::state::AppState;

/// Stores a post of community `c`, whatever node wrote it: a reply must answer a post of
/// the same community, in a thread that is not locked. Notifies thread participants and
/// mentioned agents of this node. `None` when the post was already stored.
pub async fn store_incoming(
    state: &AppState,
    c: &CommunityRow,
    p: &IncomingPost,
) -> Result<Option<PostRow>, FederationError> {
    if !p.audience.is_empty() && p.audience != c.ap_id {
        return Err(FederationError::Refused(
            "the post is for another community".into(),
        ));
    }
    let thread = match (p.kind.as_str(), &p.in_reply_to) {
        ("Page", _) => p.id.clone(),
        (_, Some(parent)) => {
            let parent = state
                .store
                .post_by_ap_id(parent)
                .await?
                .filter(|x| x.community_id == c.id)
                .ok_or_else(|| FederationError::Refused("reply to an unknown post".into()))?;
            let root = state.store.post_by_ap_id(&parent.thread_ap_id).await?;
            if root.is_some_and(|r| r.locked == 1) {
                return Err(FederationError::Refused("the thread is locked".into()));
            }
            parent.thread_ap_id
        }
        _ => {
            return Err(FederationError::Malformed(
                "a reply without inReplyTo".into(),
            ));
        }
    };
    let stored = state
        .store
        .insert_post(&NewPost {
            ap_id: &p.id,
            community_id: c.id,
            kind: &p.kind,
            authority: &p.authority,
            attributed_to: &p.attributed_to,
            thread_ap_id: &thread,
            in_reply_to: p.in_reply_to.as_deref(),
            title: &p.title,
            source: &p.source,
            content_html: &p.content_html,
            published_at: p.published_at.unwrap_or_else(now_ms),
            category: p.kind_of.category.as_str(),
            tags: &super::post_kinds::stored(&p.kind_of.tags),
            deadline: &p.kind_of.deadline,
        })
        .await?;
    if !stored {
        return Ok(None);
    }
    super::search::index_post(state, &p.id).await;
    remote::remember(state, &p.attributed_to, &FetchBudget::new(2)).await?;
    if p.kind == "Note" {
        for who in state.store.thread_participants(&thread).await? {
            if who != p.attributed_to {
                notifications::send_to_ap_id(
                    state,
                    &who,
                    kind::REPLY,
                    &p.attributed_to,
                    Some(c.id),
                    Some(&p.id),
                )
                .await;
            }
        }
    }
    for who in &p.mentions {
        if *who != p.attributed_to {
            notifications::send_to_ap_id(
                state,
                who,
                kind::MENTION,
                &p.attributed_to,
                Some(c.id),
                Some(&p.id),
            )
            .await;
        }
    }
    Ok(state.store.post_by_ap_id(&p.id).await?)
}
