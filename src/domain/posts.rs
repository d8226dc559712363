//! Discussions: threads (`Page`) and replies (`Note`) written by local agents in a community,
//! edited or deleted by their author, removed, pinned or locked by an animateur. Storing
//! (for every origin) is `post_store`.

use super::accounts::actor_of as me;
use serde_json::{Value, json};

use super::accounts::Account;
use super::communities::{
    group_of, require_animateur, require_member, require_member_node, unreachable,
};
use super::error::{DomainError, DomainResult, OrNotFound, Rule};
use super::post_kinds::PostKind;
use super::{markdown, names};
use crate::db::{ActorRow, CommunityRow, PostRow, now_ms};

pub use super::post_store::store_incoming;
use crate::federation::convert::posts::{IncomingPost, post_object};
use crate::federation::convert::to_as::activity;
use crate::federation::{FederationError, outbox};
use crate::state::AppState;

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
    state.store.post_by_ap_id(ap_id).await.or_not_found("post")
}

/// Opens a thread in a community the agent is a member of.
pub async fn create_thread(
    state: &AppState,
    account: &Account,
    c: &CommunityRow,
    title: &str,
    text: &str,
) -> DomainResult<PostRow> {
    create_thread_of_kind(state, account, c, title, text, &PostKind::default()).await
}

/// Opens a thread of a kind: a discussion, a watch note or a mobility offer, with tags.
pub async fn create_thread_of_kind(
    state: &AppState,
    account: &Account,
    c: &CommunityRow,
    title: &str,
    text: &str,
    kind_of: &PostKind,
) -> DomainResult<PostRow> {
    require_member(state, c, account).await?;
    let title = names::line("title", title, 2, 200)?;
    let text = body(text)?;
    write(state, account, c, "Page", &title, &text, None, kind_of).await
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
        &PostKind::default(),
    )
    .await
}

#[allow(clippy::too_many_arguments)]
async fn write(
    state: &AppState,
    account: &Account,
    c: &CommunityRow,
    kind: &str,
    title: &str,
    text: &str,
    thread: Option<&str>,
    kind_of: &PostKind,
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
        content_html: markdown::render_with_mentions(text, &mentions),
        published_at: Some(now_ms()),
        mentions: mentions.iter().map(|(a, _)| a.clone()).collect(),
        kind_of: kind_of.clone(),
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
pub(super) async fn submit(
    state: &AppState,
    c: &CommunityRow,
    me: &ActorRow,
    doc: &Value,
) -> DomainResult<()> {
    if c.is_local == 1 {
        return crate::federation::publish::announce::announce(state, c, doc).await;
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
    let mentions = mentioned(state, &text).await?;
    let html = markdown::render_with_mentions(&text, &mentions);
    state.store.update_post(ap_id, &title, &text, &html).await?;
    super::search::index_post(state, ap_id).await;
    let p = post(state, ap_id).await?;
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
    crate::federation::publish::announce::announce(state, &c, &del).await
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
    crate::federation::publish::announce::announce(state, &c, &update).await?;
    Ok(p)
}

/// A post written here with its community, for the community's host or a members' node.
pub async fn for_peer(
    state: &AppState,
    ap_id: &str,
    authority: &str,
) -> DomainResult<(PostRow, CommunityRow)> {
    let p = post(state, ap_id).await?;
    let c = community(state, &p).await?;
    require_member_node(state, &c, authority).await?;
    Ok((p, c))
}

pub async fn community(state: &AppState, p: &PostRow) -> DomainResult<CommunityRow> {
    state
        .store
        .community_by_id(p.community_id)
        .await
        .or_not_found("community")
}

fn refused(e: FederationError) -> DomainError {
    match e {
        FederationError::Db(d) => DomainError::Db(d),
        other => DomainError::Conflict(other.to_string()),
    }
}
