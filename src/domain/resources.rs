//! Community resources (the survival kit, the guide, the best practices): Markdown documents
//! any member edits and animateurs delete. The community's host is the arbiter: it numbers
//! the revisions and refuses an edit written on a revision that is no longer current, so no
//! edit ever silently overwrites another. A member's node sends its agent's edit to the
//! host and applies nothing itself: it stores the revision when the group announces it, and
//! tells its agent when the host refuses it (`Reject`).

use super::accounts::Account;
use super::changes::{Change, ResourceChange};
use super::communities::{require_animateur, require_member, require_member_node};
use super::error::{DomainError, DomainResult, OrNotFound, Rule};
use super::{markdown, names};
use crate::db::{
    ActorRow, AttachmentRow, CommunityRow, Expect, NewResource, NewRevision, ResourceRow,
    RevisionRow, now_ms,
};
use crate::domain::Ctx;

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

/// What a member proposes to the group: a new resource (`id` absent, `base` 0) or a new
/// revision written on revision `base`.
#[derive(Debug, Clone, Default)]
pub struct Proposal {
    pub id: Option<String>,
    pub kind: String,
    pub slug: String,
    pub title: String,
    pub source: String,
    pub summary: String,
    pub base: i64,
}

/// A resource as the host publishes it: its current revision and its files.
#[derive(Debug, Clone)]
pub struct Published {
    pub community: CommunityRow,
    pub resource: ResourceRow,
    pub revision: RevisionRow,
    pub files: Vec<AttachmentRow>,
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

pub async fn community_of(state: &Ctx, r: &ResourceRow) -> DomainResult<CommunityRow> {
    state
        .store
        .community_by_id(r.community_id)
        .await
        .or_not_found("community")
}

/// A resource of community `c`, for a member.
pub async fn find(
    state: &Ctx,
    account: &Account,
    c: &CommunityRow,
    slug: &str,
) -> DomainResult<ResourceRow> {
    require_member(state, c, account).await?;
    state
        .store
        .resource_by_slug(c.id, slug)
        .await
        .or_not_found("resource")
}

/// A resource of a community hosted here, for a members' node.
pub async fn for_peer(
    state: &Ctx,
    c: &CommunityRow,
    slug: &str,
    authority: &str,
) -> DomainResult<ResourceRow> {
    require_member_node(state, c, authority).await?;
    state
        .store
        .resource_by_slug(c.id, slug)
        .await
        .or_not_found("resource")
}

/// The resources of a community, for a member.
pub async fn list(
    state: &Ctx,
    account: &Account,
    c: &CommunityRow,
) -> DomainResult<Vec<ResourceRow>> {
    require_member(state, c, account).await?;
    Ok(state.store.resources_of(c.id).await?)
}

/// A member creates a resource.
pub async fn create(
    state: &Ctx,
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
    submit(state, account, c, &p).await
}

/// A member edits a resource, naming the revision the edit was written on.
pub async fn edit(
    state: &Ctx,
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
    submit(state, account, &c, &p).await
}

/// A member restores an old revision: a new revision with its title and text, written on
/// `base` like any edit.
pub async fn restore(
    state: &Ctx,
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
pub async fn delete(state: &Ctx, account: &Account, r: &ResourceRow) -> DomainResult<()> {
    let c = community_of(state, r).await?;
    require_animateur(state, &c, account).await?;
    state.store.delete_resource(&r.ap_id).await?;
    let change = ResourceChange::Deleted {
        community: Box::new(c),
        resource: r.ap_id.clone(),
    };
    state
        .publisher
        .publish(state, Change::Resource(change))
        .await
}

pub fn stale(current: i64, base: i64) -> DomainError {
    DomainError::Conflict(format!(
        "revision {current} is current; this edit was written on revision {base}"
    ))
}

async fn submit(
    state: &Ctx,
    account: &Account,
    c: &CommunityRow,
    p: &Proposal,
) -> DomainResult<Saved> {
    let me = state
        .store
        .actor_by_id(account.actor_id)
        .await?
        .ok_or(DomainError::NotFound("actor"))?;
    if c.is_local == 1 {
        return Ok(Saved::Done(Box::new(apply(state, c, &me.ap_id, p).await?)));
    }
    let change = ResourceChange::Proposed {
        community: Box::new(c.clone()),
        author: Box::new(me),
        proposal: Box::new(p.clone()),
    };
    state
        .publisher
        .publish(state, Change::Resource(change))
        .await?;
    Ok(Saved::Submitted)
}

/// On the host: a member's proposal that arrived from their node, `creating` a resource or
/// revising the one it names. The same checks as a local edit; a stale base is a conflict.
pub async fn receive_proposal(
    state: &Ctx,
    c: &CommunityRow,
    member: &ActorRow,
    incoming: &Proposal,
    creating: bool,
) -> DomainResult<ResourceRow> {
    let input = ResourceInput {
        kind: incoming.kind.clone(),
        slug: incoming.slug.clone(),
        title: incoming.title.clone(),
        body: incoming.source.clone(),
        summary: incoming.summary.clone(),
    };
    let mut p = check(&input, creating)?;
    if !creating {
        let id = incoming
            .id
            .as_deref()
            .ok_or(DomainError::invalid("id", Rule::Reserved))?;
        let current = state
            .store
            .resource_by_ap_id(id)
            .await?
            .filter(|x| x.community_id == c.id)
            .ok_or(DomainError::Forbidden("unknown resource"))?;
        p.id = Some(current.ap_id);
        p.kind = current.kind;
        p.slug = current.slug;
        p.base = incoming.base;
    }
    apply(state, c, &member.ap_id, &p).await
}

/// On the host: applies a checked proposal by `author` (a member), numbering the new
/// revision, then the group announces it. A stale base is a conflict and changes nothing.
pub async fn apply(
    state: &Ctx,
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

/// A resource as it is now: its current revision and its files.
pub async fn current(
    state: &Ctx,
    r: &ResourceRow,
) -> DomainResult<(RevisionRow, Vec<AttachmentRow>)> {
    let rev = state
        .store
        .revision(r.id, r.revision)
        .await
        .or_not_found("revision")?;
    let files = state.store.attachments_of(r.id).await?;
    Ok((rev, files))
}

/// On the host: members' nodes learn the resource as it is now (current revision and
/// files). `kind` is `Create` for a new resource, anything else a revision (a new file, for
/// `attachments`).
pub async fn announce(
    state: &Ctx,
    c: &CommunityRow,
    r: &ResourceRow,
    kind: &str,
) -> DomainResult<()> {
    let (revision, files) = current(state, r).await?;
    let published = Box::new(Published {
        community: c.clone(),
        resource: r.clone(),
        revision,
        files,
    });
    let change = if kind == "Create" {
        ResourceChange::Created(published)
    } else {
        ResourceChange::Revised(published)
    };
    state
        .publisher
        .publish(state, Change::Resource(change))
        .await
}
