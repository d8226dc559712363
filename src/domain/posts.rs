//! Discussions: threads (`Page`) and replies (`Note`) written by local agents in a community,
//! edited or deleted by their author, removed, pinned or locked by an animateur. Storing
//! (for every origin) is `post_store`.

use super::accounts::Account;
use super::accounts::actor_of as me;
use super::changes::{Change, PostChange};
use super::communities::{require_animateur, require_member, require_member_node};
use super::error::{DomainError, DomainResult, OrNotFound, Rule};
use super::post_kinds::PostKind;
use super::{markdown, names};
use crate::db::{CommunityRow, NewPostImage, PostRow, now_ms};

pub use super::post_store::{IncomingPost, store_incoming};
use crate::domain::Ctx;

/// Refusals of the author rule, by what was attempted.
pub const ONLY_AUTHOR_EDITS: &str = "only the author may edit a post";
pub const ONLY_AUTHOR_DELETES: &str = "only the author may delete a post";

/// The one author rule, wherever the change comes from (this node's pages, a member's
/// activity on the host, the group's Announce on a member's node): only the actor who
/// wrote `p` changes it as its author.
pub fn require_author(p: &PostRow, actor_ap_id: &str, refusal: &'static str) -> DomainResult<()> {
    if p.attributed_to == actor_ap_id {
        Ok(())
    } else {
        Err(DomainError::Forbidden(refusal))
    }
}

fn body(raw: &str) -> DomainResult<String> {
    let b = names::text("body", raw, 20_000)?;
    if b.is_empty() {
        return Err(DomainError::invalid(
            "body",
            Rule::Length {
                min: 1,
                max: 20_000,
            },
        ));
    }
    Ok(b)
}

/// The mentioned agents, as (actor id, `@user@node`): known here, or resolved through
/// WebFinger on an approved peer; unknown handles stay plain text.
async fn mentioned(state: &Ctx, text: &str) -> DomainResult<Vec<(String, String)>> {
    let mut out = Vec::new();
    for (user, authority) in markdown::mentions(text) {
        let handle = format!("{user}@{authority}");
        match state.remote.resolve(state, &handle).await {
            Ok(a) if a.kind == "Person" => out.push((a.ap_id, format!("@{handle}"))),
            Ok(_) => {}
            Err(e) => tracing::debug!(%handle, error = %e, "mention not resolved"),
        }
    }
    Ok(out)
}

pub async fn post(state: &Ctx, ap_id: &str) -> DomainResult<PostRow> {
    state.store.post_by_ap_id(ap_id).await.or_not_found("post")
}

/// Opens a thread in a community the agent is a member of.
pub async fn create_thread(
    state: &Ctx,
    account: &Account,
    c: &CommunityRow,
    title: &str,
    text: &str,
) -> DomainResult<PostRow> {
    create_thread_of_kind(state, account, c, title, text, &PostKind::default()).await
}

/// Opens a thread of a kind: a discussion, a watch note or a mobility offer, with tags.
pub async fn create_thread_of_kind(
    state: &Ctx,
    account: &Account,
    c: &CommunityRow,
    title: &str,
    text: &str,
    kind_of: &PostKind,
) -> DomainResult<PostRow> {
    require_member(state, c, account).await?;
    let title = names::line("title", title, 2, 200)?;
    let text = body(text)?;
    write(state, account, c, "Page", &title, &text, None, kind_of, &[]).await
}

/// Opens a thread with photos (each with its alt text): everything is checked, photos
/// included, before anything is written.
pub async fn create_thread_with_photos(
    state: &Ctx,
    account: &Account,
    c: &CommunityRow,
    title: &str,
    text: &str,
    kind_of: &PostKind,
    photos: Vec<super::images::Photo>,
) -> DomainResult<PostRow> {
    require_member(state, c, account).await?;
    let title = names::line("title", title, 2, 200)?;
    let text = body(text)?;
    let images = super::images::prepare(state, photos).await?;
    write(
        state, account, c, "Page", &title, &text, None, kind_of, &images,
    )
    .await
}

/// Replies in a thread that is not locked.
pub async fn reply(
    state: &Ctx,
    account: &Account,
    thread_ap_id: &str,
    text: &str,
) -> DomainResult<PostRow> {
    reply_with_photos(state, account, thread_ap_id, text, Vec::new()).await
}

/// Replies with photos (each with its alt text): everything is checked, photos included,
/// before anything is written.
pub async fn reply_with_photos(
    state: &Ctx,
    account: &Account,
    thread_ap_id: &str,
    text: &str,
    photos: Vec<super::images::Photo>,
) -> DomainResult<PostRow> {
    let thread = post(state, thread_ap_id).await?;
    let c = community(state, &thread).await?;
    require_member(state, &c, account).await?;
    if thread.locked == 1 {
        return Err(DomainError::Forbidden("this thread is locked"));
    }
    let text = body(text)?;
    let images = super::images::prepare(state, photos).await?;
    write(
        state,
        account,
        &c,
        "Note",
        "",
        &text,
        Some(&thread.thread_ap_id),
        &PostKind::default(),
        &images,
    )
    .await
}

#[allow(clippy::too_many_arguments)]
async fn write(
    state: &Ctx,
    account: &Account,
    c: &CommunityRow,
    kind: &str,
    title: &str,
    text: &str,
    thread: Option<&str>,
    kind_of: &PostKind,
    photos: &[super::images::Prepared],
) -> DomainResult<PostRow> {
    let me = me(state, account).await?;
    let id = state.urls.new_post();
    let mentions = mentioned(state, text).await?;
    // The copies are written under their hash before the post names them.
    let mut images = Vec::with_capacity(photos.len());
    for (i, ph) in photos.iter().enumerate() {
        let sha = super::images::store_file(state, &ph.bytes).await?;
        images.push(NewPostImage {
            url: super::images::url_of(&id, i + 1),
            media_type: ph.media_type.into(),
            width: i64::from(ph.width),
            height: i64::from(ph.height),
            alt: ph.alt.clone(),
            sha256: Some(sha),
        });
    }
    let incoming = IncomingPost {
        id: id.clone(),
        kind: kind.into(),
        authority: state.config.authority.clone(),
        attributed_to: me.ap_id.clone(),
        audience: c.ap_id.clone(),
        in_reply_to: thread.map(str::to_owned),
        title: title.into(),
        source: text.into(),
        content_html: markdown::render_with_mentions(text, &mentions),
        published_at: Some(now_ms()),
        mentions: mentions.iter().map(|(a, _)| a.clone()).collect(),
        kind_of: kind_of.clone(),
        images,
    };
    // Written before the post, removed once its deliveries are queued: a process that dies
    // in between leaves it for the worker to replay, so no stored post stays unsent.
    let intent = state
        .store
        .journal_intent(super::journal::POST_CREATED, &id)
        .await?;
    let stored = store_incoming(state, c, &incoming).await;
    let p = match stored {
        Ok(Some(p)) => p,
        Ok(None) | Err(_) => {
            state.store.journal_done(intent).await?;
            return Err(stored
                .err()
                .unwrap_or(DomainError::Conflict("post already exists".into())));
        }
    };
    let created = PostChange::Created {
        post: p.clone(),
        community: c.clone(),
        author: me,
        mentions,
    };
    // A failure to queue leaves the journal row: the worker replays it.
    state
        .publisher
        .publish(state, Change::Post(created))
        .await?;
    state.store.journal_done(intent).await?;
    Ok(p)
}

/// The change of a post created here, rebuilt from what is stored (the journal's replay);
/// `None` when the post was never stored.
pub(crate) async fn created_change(state: &Ctx, ap_id: &str) -> DomainResult<Option<PostChange>> {
    let Some(p) = state.store.post_by_ap_id(ap_id).await? else {
        return Ok(None);
    };
    let community = state
        .store
        .community_by_id(p.community_id)
        .await?
        .ok_or(DomainError::NotFound("community"))?;
    let author = state
        .store
        .actor_by_ap_id(&p.attributed_to)
        .await?
        .ok_or(DomainError::NotFound("actor"))?;
    let mentions = mentioned(state, &p.source).await?;
    Ok(Some(PostChange::Created {
        post: p,
        community,
        author,
        mentions,
    }))
}

/// The author changes their post.
pub async fn edit(
    state: &Ctx,
    account: &Account,
    ap_id: &str,
    title: &str,
    text: &str,
) -> DomainResult<PostRow> {
    let p = post(state, ap_id).await?;
    let me = me(state, account).await?;
    require_author(&p, &me.ap_id, ONLY_AUTHOR_EDITS)?;
    let c = community(state, &p).await?;
    require_member(state, &c, account).await?;
    let title = if p.kind == "Page" {
        names::line("title", title, 2, 200)?
    } else {
        String::new()
    };
    let text = body(text)?;
    let mentions = mentioned(state, &text).await?;
    let html = markdown::render_with_mentions(&text, &mentions);
    // Journalled like a creation: an edit stored but never queued is replayed.
    let intent = state
        .store
        .journal_intent(super::journal::POST_EDITED, ap_id)
        .await?;
    state.store.update_post(ap_id, &title, &text, &html).await?;
    super::search::index_post(state, ap_id).await;
    let p = post(state, ap_id).await?;
    let edited = PostChange::Edited {
        post: p.clone(),
        community: c,
        author: me,
        mentions,
    };
    state.publisher.publish(state, Change::Post(edited)).await?;
    state.store.journal_done(intent).await?;
    Ok(p)
}

/// The change of an edit made here, rebuilt from what is stored (the journal's replay): the
/// post as it is now; `None` when it is gone since (its deletion is journalled itself).
pub(crate) async fn edited_change(state: &Ctx, ap_id: &str) -> DomainResult<Option<PostChange>> {
    let Some(PostChange::Created {
        post,
        community,
        author,
        mentions,
    }) = created_change(state, ap_id).await?
    else {
        return Ok(None);
    };
    Ok(Some(PostChange::Edited {
        post,
        community,
        author,
        mentions,
    }))
}

/// What the journal keeps of a deletion, since the post is gone once it is done: the post,
/// its community, and its author when the author deleted it (an animateur's removal
/// otherwise).
#[derive(serde::Serialize, serde::Deserialize)]
pub(crate) struct DeletedSubject {
    pub post: String,
    pub community: String,
    pub author: Option<String>,
}

/// The change of a deletion made here (the journal's replay); `None` when the post is still
/// there (the request died before deleting it, and the agent was told it failed).
pub(crate) async fn deleted_change(state: &Ctx, subject: &str) -> DomainResult<Option<PostChange>> {
    let s: DeletedSubject = serde_json::from_str(subject)
        .map_err(|e| DomainError::Unreachable(format!("journal entry: {e}")))?;
    if state.store.post_by_ap_id(&s.post).await?.is_some() {
        return Ok(None);
    }
    let community = state
        .store
        .community_by_ap_id(&s.community)
        .await?
        .ok_or(DomainError::NotFound("community"))?;
    Ok(Some(match s.author {
        Some(author) => PostChange::Deleted {
            ap_id: s.post,
            community,
            author: state
                .store
                .actor_by_ap_id(&author)
                .await?
                .ok_or(DomainError::NotFound("actor"))?,
        },
        None => PostChange::Removed {
            ap_id: s.post,
            community,
        },
    }))
}

/// Deletes a post: its author, or an animateur of its community (on the host).
pub async fn delete(state: &Ctx, account: &Account, ap_id: &str) -> DomainResult<()> {
    let p = post(state, ap_id).await?;
    let c = community(state, &p).await?;
    let me = me(state, account).await?;
    let by_author = require_author(&p, &me.ap_id, ONLY_AUTHOR_DELETES).is_ok();
    if !by_author {
        require_animateur(state, &c, account).await?;
    }
    // Journalled before the post is gone: the entry carries what the replay needs.
    let subject = serde_json::to_string(&DeletedSubject {
        post: ap_id.to_owned(),
        community: c.ap_id.clone(),
        author: by_author.then(|| me.ap_id.clone()),
    })
    .map_err(|e| DomainError::Unreachable(format!("journal entry: {e}")))?;
    let intent = state
        .store
        .journal_intent(super::journal::POST_DELETED, &subject)
        .await?;
    state.store.delete_post(ap_id).await?;
    let change = if by_author {
        PostChange::Deleted {
            ap_id: ap_id.to_owned(),
            community: c,
            author: me,
        }
    } else {
        PostChange::Removed {
            ap_id: ap_id.to_owned(),
            community: c,
        }
    };
    state.publisher.publish(state, Change::Post(change)).await?;
    state.store.journal_done(intent).await?;
    Ok(())
}

/// An animateur pins or locks a thread; members' nodes learn it from the group's Update.
pub async fn set_flags(
    state: &Ctx,
    account: &Account,
    ap_id: &str,
    pinned: bool,
    locked: bool,
) -> DomainResult<PostRow> {
    let p = post(state, ap_id).await?;
    let c = community(state, &p).await?;
    require_animateur(state, &c, account).await?;
    if p.kind != "Page" {
        return Err(DomainError::Conflict(
            "only threads are pinned or locked".into(),
        ));
    }
    state.store.set_post_flags(ap_id, pinned, locked).await?;
    let p = post(state, ap_id).await?;
    let change = PostChange::FlagsSet {
        post: p.clone(),
        community: c,
    };
    state.publisher.publish(state, Change::Post(change)).await?;
    Ok(p)
}

/// A post written here with its community, for the community's host or a members' node.
pub async fn for_peer(
    state: &Ctx,
    ap_id: &str,
    authority: &str,
) -> DomainResult<(PostRow, CommunityRow)> {
    let p = post(state, ap_id).await?;
    let c = community(state, &p).await?;
    require_member_node(state, &c, authority).await?;
    Ok((p, c))
}

pub async fn community(state: &Ctx, p: &PostRow) -> DomainResult<CommunityRow> {
    state
        .store
        .community_by_id(p.community_id)
        .await
        .or_not_found("community")
}

/// The threads of a community, for its members.
pub async fn threads(
    state: &crate::domain::Ctx,
    account: &Account,
    c: &CommunityRow,
) -> DomainResult<Vec<PostRow>> {
    require_member(state, c, account).await?;
    Ok(state.store.threads(c.id).await?)
}

/// The threads of one category (veille, mobilité) of a community, for its members.
pub async fn threads_of_category(
    state: &crate::domain::Ctx,
    account: &Account,
    c: &CommunityRow,
    category: &str,
) -> DomainResult<Vec<PostRow>> {
    require_member(state, c, account).await?;
    Ok(state.store.threads_of_category(c.id, category).await?)
}

/// A thread's community and replies, for the members of that community.
pub async fn replies(
    state: &crate::domain::Ctx,
    account: &Account,
    root: &PostRow,
) -> DomainResult<(CommunityRow, Vec<PostRow>)> {
    let c = community(state, root).await?;
    require_member(state, &c, account).await?;
    let replies = state.store.replies(&root.thread_ap_id).await?;
    Ok((c, replies))
}
