//! The one rule for storing a community post, whatever node wrote it (ours, the host's
//! relay, an Announce): right community, reply to a known post of an unlocked thread; then
//! the notifications it causes here.

use super::error::{DomainError, DomainResult};
use super::notifications::{self, kind};
use super::post_kinds::PostKind;
use super::posts::{ONLY_AUTHOR_DELETES, ONLY_AUTHOR_EDITS, require_author};
use crate::db::{CommunityRow, NewPost, NewPostImage, PostRow, now_ms};
use crate::domain::Ctx;

/// A post to store, whatever node wrote it: ours, or read from a peer (its HTML sanitised).
#[derive(Debug, Clone)]
pub struct IncomingPost {
    pub id: String,
    pub kind: String,
    pub authority: String,
    pub attributed_to: String,
    pub audience: String,
    pub in_reply_to: Option<String>,
    pub title: String,
    pub source: String,
    pub content_html: String,
    pub published_at: Option<i64>,
    /// Ids of the mentioned actors.
    pub mentions: Vec<String>,
    /// Category, hashtags and deadline of a thread (`postCategory`, `Hashtag` tags).
    pub kind_of: PostKind,
    /// Photos, in order: ours with their stored copy, a peer's with its origin's URL.
    pub images: Vec<NewPostImage>,
}

/// Stores a post of community `c`, whatever node wrote it: a reply must answer a post of
/// the same community, in a thread that is not locked. Notifies thread participants and
/// mentioned agents of this node. `None` when the post was already stored.
pub async fn store_incoming(
    state: &Ctx,
    c: &CommunityRow,
    p: &IncomingPost,
) -> DomainResult<Option<PostRow>> {
    if !p.audience.is_empty() && p.audience != c.ap_id {
        return Err(DomainError::Forbidden("the post is for another community"));
    }
    let thread = match (p.kind.as_str(), &p.in_reply_to) {
        ("Page", _) => p.id.clone(),
        (_, Some(parent)) => {
            let Some(parent) = state
                .store
                .post_by_ap_id(parent)
                .await?
                .filter(|x| x.community_id == c.id)
            else {
                // The host knows every post of its community: final. A member's node may
                // get a reply before the post it answers (that Announce failed once and
                // waits for its retry): passing, so the host sends it again later.
                return Err(if c.is_local == 1 {
                    DomainError::Forbidden("reply to an unknown post")
                } else {
                    DomainError::NotYet("the post replied to has not reached this node yet".into())
                });
            };
            let root = state.store.post_by_ap_id(&parent.thread_ap_id).await?;
            if root.is_some_and(|r| r.locked == 1) {
                return Err(DomainError::Forbidden("the thread is locked"));
            }
            parent.thread_ap_id
        }
        // A reply that names no post: nothing to attach it to.
        _ => return Err(DomainError::NotFound("thread of the reply")),
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
    if let Some(spec) = &p.kind_of.poll
        && let Some(stored) = state.store.post_by_ap_id(&p.id).await?
    {
        super::polls::store_question(state, &stored, spec).await?;
    }
    store_images(state, p).await?;
    super::search::index_post(state, &p.id).await;
    // Cache the author once, so pages show a name rather than a URL.
    if state
        .store
        .actor_by_ap_id(&p.attributed_to)
        .await?
        .is_none()
        && let Err(e) = state.remote.actor(state, &p.attributed_to).await
    {
        tracing::info!(author = %p.attributed_to, error = %e, "post author not fetched");
    }
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

/// The photos of a post just stored. A peer's image is kept only when it is served by the
/// post's own node: that is where this node will fetch it, through the fetch guard, and
/// never from a third party.
async fn store_images(state: &Ctx, p: &IncomingPost) -> DomainResult<()> {
    let images: Vec<NewPostImage> = p
        .images
        .iter()
        .filter(|i| crate::urls::authority_of_str(&i.url).as_deref() == Some(p.authority.as_str()))
        .take(super::images::MAX_PHOTOS)
        .cloned()
        .collect();
    if images.is_empty() {
        return Ok(());
    }
    if let Some(stored) = state.store.post_by_ap_id(&p.id).await? {
        state
            .store
            .insert_post_images(stored.id, &images, now_ms())
            .await?;
    }
    Ok(())
}

/// Where a post's change was received: on the community's host, from a member (what breaks
/// a rule is refused), or on a member's node, in the group's Announce (the host already
/// judged; what does not apply here is ignored, as before the split).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Via {
    Host,
    Group,
}

/// A post of community `c` as this node holds it.
async fn held(state: &Ctx, c: &CommunityRow, id: &str) -> DomainResult<Option<PostRow>> {
    Ok(state
        .store
        .post_by_ap_id(id)
        .await?
        .filter(|p| p.community_id == c.id))
}

/// A post created by `actor` on another node, received by the host or announced by the
/// group: its author must be the actor, and a post claimed to be ours must be one we
/// wrote. `None` when it was already stored.
pub async fn receive_created(
    state: &Ctx,
    c: &CommunityRow,
    actor: &str,
    p: &IncomingPost,
) -> DomainResult<Option<PostRow>> {
    if p.attributed_to != actor {
        return Err(DomainError::Forbidden("a post is created by its author"));
    }
    if p.authority == state.config.authority && state.store.post_by_ap_id(&p.id).await?.is_none() {
        return Err(DomainError::Forbidden("unknown local post"));
    }
    store_incoming(state, c, p).await
}

/// An edit of a post by `actor`, applied when the actor is its author. On the host an
/// unknown post or another author is refused; on a member's node the edit of a post we
/// do not hold, of one we wrote (we applied it first) or by another author is ignored.
pub async fn receive_edit(
    state: &Ctx,
    c: &CommunityRow,
    actor: &str,
    p: &IncomingPost,
    via: Via,
) -> DomainResult<()> {
    let Some(old) = held(state, c, &p.id).await? else {
        return match via {
            Via::Host => Err(DomainError::Forbidden(ONLY_AUTHOR_EDITS)),
            Via::Group => Ok(()),
        };
    };
    match via {
        Via::Host => require_author(&old, actor, ONLY_AUTHOR_EDITS)?,
        Via::Group
            if old.authority == state.config.authority
                || require_author(&old, actor, ONLY_AUTHOR_EDITS).is_err() =>
        {
            return Ok(());
        }
        Via::Group => {}
    }
    state
        .store
        .update_post(&p.id, &p.title, &p.source, &p.content_html)
        .await?;
    super::search::index_post(state, &p.id).await;
    Ok(())
}

/// The removal of post `id` by `actor`: its author, or, announced, the group itself. A post
/// we do not hold is already gone (e.g. its author's departure was processed first):
/// `false`, nothing was deleted.
pub async fn receive_delete(
    state: &Ctx,
    c: &CommunityRow,
    actor: &str,
    id: &str,
    via: Via,
) -> DomainResult<bool> {
    match via {
        Via::Host => {
            let Some(old) = state.store.post_by_ap_id(id).await? else {
                return Ok(false);
            };
            if old.community_id != c.id {
                return Err(DomainError::Forbidden(ONLY_AUTHOR_DELETES));
            }
            require_author(&old, actor, ONLY_AUTHOR_DELETES)?;
        }
        Via::Group => {
            let Some(old) = held(state, c, id).await? else {
                return Ok(false);
            };
            if actor != c.ap_id {
                require_author(&old, actor, "only the author or the group deletes")?;
            }
        }
    }
    state.store.delete_post(id).await?;
    Ok(true)
}

/// The group pinned or locked a thread: its Update, announced on a member's node.
pub async fn receive_flags(
    state: &Ctx,
    c: &CommunityRow,
    id: &str,
    pinned: bool,
    locked: bool,
) -> DomainResult<()> {
    if held(state, c, id).await?.is_some() {
        state.store.set_post_flags(id, pinned, locked).await?;
    }
    Ok(())
}
