//! Discussions: threads (`Page`) and replies (`Note`) written by local agents in a community,
//! edited or deleted by their author or removed by an animateur, and the one rule for storing
//! a post whatever node it comes from.

use serde_json::{Value, json};

use super::accounts::Account;
use super::communities::{group_of, require_animateur, require_member, unreachable};
use super::error::{DomainError, DomainResult, Rule};
use super::notifications::{self, kind};
use super::{markdown, names, relay};
use crate::db::{ActorRow, CommunityRow, NewPost, PostRow, now_ms};
use crate::federation::convert::posts::{IncomingPost, post_object};
use crate::federation::convert::to_as::activity;
use crate::federation::{FederationError, outbox};
use crate::state::AppState;

async fn me(state: &AppState, account: &Account) -> DomainResult<ActorRow> {
    state
        .store
        .actor_by_id(account.actor_id)
        .await?
        .ok_or(DomainError::NotFound("actor"))
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
async fn mentioned(state: &AppState, text: &str) -> DomainResult<Vec<(String, String)>> {
    let budget = crate::federation::fetch::FetchBudget::new(10);
    let mut out = Vec::new();
    for (user, authority) in markdown::mentions(text) {
        let handle = format!("{user}@{authority}");
        match crate::federation::remote::resolve(state, &handle, &budget).await {
            Ok(a) if a.kind == "Person" => out.push((a.ap_id, format!("@{handle}"))),
            Ok(_) => {}
            Err(e) => tracing::debug!(%handle, error = %e, "mention not resolved"),
        }
    }
    Ok(out)
}

pub async fn post(state: &AppState, ap_id: &str) -> DomainResult<PostRow> {
    state
        .store
        .post_by_ap_id(ap_id)
        .await?
        .ok_or(DomainError::NotFound("post"))
}

/// Opens a thread in a community the agent is a member of.
pub async fn create_thread(
    state: &AppState,
    account: &Account,
    c: &CommunityRow,
    title: &str,
    text: &str,
) -> DomainResult<PostRow> {
    require_member(state, c, account).await?;
    let title = names::line("title", title, 2, 200)?;
    let text = body(text)?;
    write(state, account, c, "Page", &title, &text, None).await
}

/// Replies in a thread that is not locked.
pub async fn reply(
    state: &AppState,
    account: &Account,
    thread_ap_id: &str,
    text: &str,
) -> DomainResult<PostRow> {
    let thread = post(state, thread_ap_id).await?;
    let c = community(state, &thread).await?;
    require_member(state, &c, account).await?;
    if thread.locked == 1 {
        return Err(DomainError::Forbidden("this thread is locked"));
    }
    let text = body(text)?;
    write(
        state,
        account,
        &c,
        "Note",
        "",
        &text,
        Some(&thread.thread_ap_id),
    )
    .await
}

async fn write(
    state: &AppState,
    account: &Account,
    c: &CommunityRow,
    kind: &str,
    title: &str,
    text: &str,
    thread: Option<&str>,
) -> DomainResult<PostRow> {
    let me = me(state, account).await?;
    let id = state.urls.new_post();
    let mentions = mentioned(state, text).await?;
    let incoming = IncomingPost {
        id: id.clone(),
        kind: kind.into(),
        authority: state.config.authority.clone(),
        attributed_to: me.ap_id.clone(),
        audience: c.ap_id.clone(),
        in_reply_to: thread.map(str::to_owned),
        title: title.into(),
        source: text.into(),
        content_html: markdown::render(text),
        published_at: Some(now_ms()),
        mentions: mentions.iter().map(|(a, _)| a.clone()).collect(),
    };
    let p = store_incoming(state, c, &incoming)
        .await
        .map_err(refused)?
        .ok_or(DomainError::Conflict("post already exists".into()))?;
    let doc = post_object(&p, &c.ap_id, &mentions);
    let create = activity(
        "Create",
        &format!("{id}#create"),
        &me.ap_id,
        doc,
        &[&c.ap_id],
    );
    submit(state, c, &me, &create).await?;
    Ok(p)
}

/// Sends a member's activity to the group: delivered to a remote host, or relayed at once
/// when the group is ours.
async fn submit(
    state: &AppState,
    c: &CommunityRow,
    me: &ActorRow,
    doc: &Value,
) -> DomainResult<()> {
    if c.is_local == 1 {
        return relay::announce(state, c, doc).await;
    }
    let group = group_of(state, c).await?;
    outbox::send(state, me, doc, std::slice::from_ref(&group))
        .await
        .map_err(unreachable)?;
    Ok(())
}

/// The author changes their post.
pub async fn edit(
    state: &AppState,
    account: &Account,
    ap_id: &str,
    title: &str,
    text: &str,
) -> DomainResult<PostRow> {
    let p = post(state, ap_id).await?;
    let me = me(state, account).await?;
    if p.attributed_to != me.ap_id {
        return Err(DomainError::Forbidden("only the author may edit a post"));
    }
    let c = community(state, &p).await?;
    require_member(state, &c, account).await?;
    let title = if p.kind == "Page" {
        names::line("title", title, 2, 200)?
    } else {
        String::new()
    };
    let text = body(text)?;
    let html = markdown::render(&text);
    state.store.update_post(ap_id, &title, &text, &html).await?;
    let p = post(state, ap_id).await?;
    let mentions = mentioned(state, &text).await?;
    let doc = post_object(&p, &c.ap_id, &mentions);
    let update = activity(
        "Update",
        &state.urls.new_activity(),
        &me.ap_id,
        doc,
        &[&c.ap_id],
    );
    submit(state, &c, &me, &update).await?;
    Ok(p)
}

/// Deletes a post: its author, or an animateur of its community (on the host).
pub async fn delete(state: &AppState, account: &Account, ap_id: &str) -> DomainResult<()> {
    let p = post(state, ap_id).await?;
    let c = community(state, &p).await?;
    let me = me(state, account).await?;
    if p.attributed_to == me.ap_id {
        state.store.delete_post(ap_id).await?;
        let del = activity(
            "Delete",
            &state.urls.new_activity(),
            &me.ap_id,
            json!(ap_id),
            &[&c.ap_id],
        );
        return submit(state, &c, &me, &del).await;
    }
    require_animateur(state, &c, account).await?;
    state.store.delete_post(ap_id).await?;
    let group = group_of(state, &c).await?;
    let del = activity(
        "Delete",
        &state.urls.new_activity(),
        &group.ap_id,
        json!(ap_id),
        &[&c.ap_id],
    );
    relay::announce(state, &c, &del).await
}

/// An animateur pins or locks a thread; members' nodes learn it from the group's Update.
pub async fn set_flags(
    state: &AppState,
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
    let group = group_of(state, &c).await?;
    let doc = post_object(&p, &c.ap_id, &[]);
    let update = activity(
        "Update",
        &state.urls.new_activity(),
        &group.ap_id,
        doc,
        &[&c.ap_id],
    );
    relay::announce(state, &c, &update).await?;
    Ok(p)
}

pub async fn community(state: &AppState, p: &PostRow) -> DomainResult<CommunityRow> {
    state
        .store
        .community_by_id(p.community_id)
        .await?
        .ok_or(DomainError::NotFound("community"))
}

fn refused(e: FederationError) -> DomainError {
    match e {
        FederationError::Db(d) => DomainError::Db(d),
        other => DomainError::Conflict(other.to_string()),
    }
}

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
        })
        .await?;
    if !stored {
        return Ok(None);
    }
    // Cache the author once, so pages show a name rather than a URL.
    if state
        .store
        .actor_by_ap_id(&p.attributed_to)
        .await?
        .is_none()
    {
        let budget = crate::federation::fetch::FetchBudget::new(2);
        if let Err(e) = crate::federation::remote::actor(state, &p.attributed_to, &budget).await {
            tracing::info!(author = %p.attributed_to, error = %e, "post author not fetched");
        }
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
