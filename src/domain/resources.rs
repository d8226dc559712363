//! Community resources (the survival kit, the guide, the best practices): Markdown documents
//! any member edits and animateurs delete. The community's host is the arbiter: it numbers
//! the revisions and refuses an edit written on a revision that is no longer current, so no
//! edit ever silently overwrites another. A member's node sends its agent's edit to the
//! host and applies nothing itself: it stores the revision when the group announces it, and
//! tells its agent when the host refuses it (`Reject`).

use serde_json::json;

use super::accounts::Account;
use super::communities::{group_of, require_animateur, require_member, unreachable};
use super::error::{DomainError, DomainResult, Rule};
use super::{markdown, names};
use crate::db::{CommunityRow, Expect, NewResource, NewRevision, ResourceRow, now_ms};
use crate::federation::convert::resources::{Proposal, proposal_object, resource_object};
use crate::federation::convert::to_as::activity;
use crate::federation::outbox;
use crate::state::AppState;

/// Longest Markdown body of a resource, in characters.
pub const MAX_BODY: usize = 100_000;
/// The kinds of resources, as stored and federated.
pub const KINDS: [&str; 4] = ["guide", "kit", "pratiques", "autre"];

/// What an agent typed, unchecked.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
pub struct ResourceInput {
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub slug: String,
    pub title: String,
    pub body: String,
    #[serde(default)]
    pub summary: String,
}

/// The result of a create, edit or restore.
#[derive(Debug, Clone)]
pub enum Saved {
    /// Applied here (we host the community): the resource at its new revision.
    Done(Box<ResourceRow>),
    /// Sent to the community's host, which will announce it (or refuse it).
    Submitted,
}

/// Checks an input into a proposal; `creating` also checks the kind and the short name.
pub fn check(input: &ResourceInput, creating: bool) -> DomainResult<Proposal> {
    let title = names::line("title", &input.title, 2, 200)?;
    let source = names::text("body", &input.body, MAX_BODY)?;
    if source.trim().is_empty() {
        return Err(DomainError::invalid(
            "body",
            Rule::Length {
                min: 1,
                max: MAX_BODY,
            },
        ));
    }
    let summary = names::line("summary", &input.summary, 0, 300)?;
    let (kind, slug) = if creating {
        let kind = input.kind.trim().to_owned();
        if !KINDS.contains(&kind.as_str()) {
            return Err(DomainError::invalid("kind", Rule::Reserved));
        }
        let slug = super::communities::CommunitySlug::parse(&input.slug)?;
        (kind, slug.as_str().to_owned())
    } else {
        (String::new(), String::new())
    };
    Ok(Proposal {
        id: None,
        kind,
        slug,
        title,
        source,
        summary,
        base: 0,
    })
}

pub async fn community_of(state: &AppState, r: &ResourceRow) -> DomainResult<CommunityRow> {
    state
        .store
        .community_by_id(r.community_id)
        .await?
        .ok_or(DomainError::NotFound("community"))
}

/// A resource of community `c`, for a member.
pub async fn find(
    state: &AppState,
    account: &Account,
    c: &CommunityRow,
    slug: &str,
) -> DomainResult<ResourceRow> {
    require_member(state, c, account).await?;
    state
        .store
        .resource_by_slug(c.id, slug)
        .await?
        .ok_or(DomainError::NotFound("resource"))
}

/// The resources of a community, for a member.
pub async fn list(
    state: &AppState,
    account: &Account,
    c: &CommunityRow,
) -> DomainResult<Vec<ResourceRow>> {
    require_member(state, c, account).await?;
    Ok(state.store.resources_of(c.id).await?)
}

/// A member creates a resource.
pub async fn create(
    state: &AppState,
    account: &Account,
    c: &CommunityRow,
    input: &ResourceInput,
) -> DomainResult<Saved> {
    require_member(state, c, account).await?;
    let p = check(input, true)?;
    if state.store.resource_by_slug(c.id, &p.slug).await?.is_some() {
        return Err(DomainError::Conflict(
            "a resource with this short name exists".into(),
        ));
    }
    submit(state, account, c, &p, "Create").await
}

/// A member edits a resource, naming the revision the edit was written on.
pub async fn edit(
    state: &AppState,
    account: &Account,
    r: &ResourceRow,
    input: &ResourceInput,
    base: i64,
) -> DomainResult<Saved> {
    let c = community_of(state, r).await?;
    require_member(state, &c, account).await?;
    let mut p = check(input, false)?;
    // Our copy may already know that the base is stale: say so before asking the host.
    if r.revision != base {
        return Err(stale(r.revision, base));
    }
    p.id = Some(r.ap_id.clone());
    p.kind = r.kind.clone();
    p.slug = r.slug.clone();
    p.base = base;
    submit(state, account, &c, &p, "Update").await
}

/// A member restores an old revision: a new revision with its title and text, written on
/// `base` like any edit.
pub async fn restore(
    state: &AppState,
    account: &Account,
    r: &ResourceRow,
    number: i64,
    base: i64,
) -> DomainResult<Saved> {
    let old = super::revisions::revision(state, account, r, number).await?;
    let input = ResourceInput {
        title: old.title,
        body: old.source,
        summary: format!("Restauration de la révision {number}"),
        ..ResourceInput::default()
    };
    edit(state, account, r, &input, base).await
}

/// An animateur deletes a resource and its history, on the host; members' nodes follow.
pub async fn delete(state: &AppState, account: &Account, r: &ResourceRow) -> DomainResult<()> {
    let c = community_of(state, r).await?;
    require_animateur(state, &c, account).await?;
    state.store.delete_resource(&r.ap_id).await?;
    let group = group_of(state, &c).await?;
    let del = activity(
        "Delete",
        &state.urls.new_activity(),
        &group.ap_id,
        json!(r.ap_id),
        &[&c.ap_id],
    );
    crate::federation::publish::announce::announce(state, &c, &del).await
}

pub fn stale(current: i64, base: i64) -> DomainError {
    DomainError::Conflict(format!(
        "revision {current} is current; this edit was written on revision {base}"
    ))
}

async fn submit(
    state: &AppState,
    account: &Account,
    c: &CommunityRow,
    p: &Proposal,
    kind: &str,
) -> DomainResult<Saved> {
    let me = state
        .store
        .actor_by_id(account.actor_id)
        .await?
        .ok_or(DomainError::NotFound("actor"))?;
    if c.is_local == 1 {
        return Ok(Saved::Done(Box::new(apply(state, c, &me.ap_id, p).await?)));
    }
    let group = group_of(state, c).await?;
    let doc = activity(
        kind,
        &state.urls.new_activity(),
        &me.ap_id,
        proposal_object(p, &me.ap_id, &c.ap_id),
        &[&c.ap_id],
    );
    outbox::send(state, &me, &doc, std::slice::from_ref(&group))
        .await
        .map_err(unreachable)?;
    Ok(Saved::Submitted)
}

/// On the host: applies a checked proposal by `author` (a member), numbering the new
/// revision, then the group announces it. A stale base is a conflict and changes nothing.
pub async fn apply(
    state: &AppState,
    c: &CommunityRow,
    author: &str,
    p: &Proposal,
) -> DomainResult<ResourceRow> {
    let html = markdown::render(&p.source);
    let now = now_ms();
    let (r, created) = match &p.id {
        None => {
            let ap_id = format!("{}/resources/{}", c.ap_id, p.slug);
            let rev = NewRevision {
                number: 1,
                author,
                title: &p.title,
                source: &p.source,
                content_html: &html,
                summary: &p.summary,
                created_at: now,
            };
            let new = NewResource {
                ap_id: &ap_id,
                community_id: c.id,
                slug: &p.slug,
                kind: &p.kind,
                attributed_to: author,
                created_at: now,
            };
            if !state.store.insert_resource(&new, &rev).await? {
                return Err(DomainError::Conflict(
                    "a resource with this short name exists".into(),
                ));
            }
            (ap_id, true)
        }
        Some(id) => {
            let r = state
                .store
                .resource_by_ap_id(id)
                .await?
                .filter(|r| r.community_id == c.id)
                .ok_or(DomainError::NotFound("resource"))?;
            let rev = NewRevision {
                number: p.base + 1,
                author,
                title: &p.title,
                source: &p.source,
                content_html: &html,
                summary: &p.summary,
                created_at: now,
            };
            if !state
                .store
                .save_revision(r.id, Expect::Current(p.base), &rev)
                .await?
            {
                return Err(stale(r.revision, p.base));
            }
            (r.ap_id, false)
        }
    };
    let r = state
        .store
        .resource_by_ap_id(&r)
        .await?
        .ok_or(DomainError::NotFound("resource"))?;
    super::search::index_resource(state, &r.ap_id).await;
    announce(state, c, &r, if created { "Create" } else { "Update" }).await?;
    Ok(r)
}

/// The group announces the resource as it is now (current revision and files).
pub async fn announce(
    state: &AppState,
    c: &CommunityRow,
    r: &ResourceRow,
    kind: &str,
) -> DomainResult<()> {
    let rev = state
        .store
        .revision(r.id, r.revision)
        .await?
        .ok_or(DomainError::NotFound("revision"))?;
    let files = state.store.attachments_of(r.id).await?;
    let group = group_of(state, c).await?;
    let doc = activity(
        kind,
        &state.urls.new_activity(),
        &group.ap_id,
        resource_object(r, &rev, &c.ap_id, &files),
        &[&c.ap_id],
    );
    crate::federation::publish::announce::announce(state, c, &doc).await
}
