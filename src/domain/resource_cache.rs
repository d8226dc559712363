//! Resources on a member's node: the revisions the group announces, kept as history, and
//! the host's refusals of our agents' edits, told to them.

use super::error::{DomainError, DomainResult};
use super::notifications::{self, kind};
use super::resources::Proposal;
use crate::db::{
    AttachmentRow, CommunityRow, Expect, NewResource, NewRevision, ResourceRow, now_ms,
};
use crate::domain::Ctx;

/// A resource as received: a member's proposal (on the host) or the group's revision (on a
/// member's node). Lengths are bounded and the HTML sanitised by whoever read it.
#[derive(Debug, Clone)]
pub struct IncomingResource {
    pub proposal: Proposal,
    pub audience: String,
    pub attributed_to: String,
    pub content_html: String,
    pub revision: i64,
    pub revision_author: String,
    pub published_at: Option<i64>,
    pub updated_at: Option<i64>,
    pub files: Vec<IncomingFile>,
}

/// A file listed by the host: its name, type, size and where the host serves it.
#[derive(Debug, Clone)]
pub struct IncomingFile {
    pub name: String,
    pub media_type: String,
    pub url: String,
    pub size: i64,
}

/// Keeps a revision of a resource of community `c` that its group announced (the group
/// vouches for it: its host checked the author). Every revision stays as history; files
/// are only ever added on the host, so any announce may bring new ones.
pub async fn keep_revision(
    state: &Ctx,
    c: &CommunityRow,
    r: &IncomingResource,
) -> DomainResult<()> {
    let id = r.proposal.id.clone().unwrap_or_default();
    let author = if r.revision_author.is_empty() {
        r.attributed_to.clone()
    } else {
        r.revision_author.clone()
    };
    // Our own rendering of the Markdown: the same sanitiser as for local text.
    let html = super::markdown::render(&r.proposal.source);
    let rev = NewRevision {
        number: r.revision,
        author: &author,
        title: &r.proposal.title,
        source: &r.proposal.source,
        content_html: &html,
        summary: &r.proposal.summary,
        created_at: r.updated_at.unwrap_or_else(now_ms),
    };
    match state.store.resource_by_ap_id(&id).await? {
        Some(known) => save_cached(state, c, &known, &rev).await?,
        None => {
            let new = NewResource {
                ap_id: &id,
                community_id: c.id,
                slug: &r.proposal.slug,
                kind: &r.proposal.kind,
                attributed_to: &r.attributed_to,
                created_at: r.published_at.unwrap_or_else(now_ms),
            };
            let inserted = state.store.insert_resource(&new, &rev).await;
            if !matches!(inserted, Ok(true)) {
                // Two announces of a new resource (its Create and a first Update, or a file)
                // stored at once: the other one won the insert; this one is a revision of it.
                match state.store.resource_by_ap_id(&id).await? {
                    Some(known) => save_cached(state, c, &known, &rev).await?,
                    // Still nothing: the database error stands and the sender retries.
                    None => {
                        inserted?;
                    }
                }
            }
        }
    }
    super::search::index_resource(state, &id).await;
    cache_author(state, &author).await;
    if let Some(known) = state.store.resource_by_ap_id(&id).await? {
        let prefix = format!("{id}/attachments/");
        let files: Vec<AttachmentRow> = r
            .files
            .iter()
            .filter(|f| f.url.starts_with(&prefix))
            .map(|f| AttachmentRow {
                id: 0,
                resource_id: known.id,
                name: f.name.clone(),
                media_type: f.media_type.clone(),
                size_bytes: f.size.max(0),
                sha256: String::new(),
                uploaded_by: c.ap_id.clone(),
                created_at: now_ms(),
                url: Some(f.url.clone()),
            })
            .collect();
        state.store.add_remote_attachments(known.id, &files).await?;
    }
    Ok(())
}

async fn save_cached(
    state: &Ctx,
    c: &CommunityRow,
    known: &ResourceRow,
    rev: &NewRevision<'_>,
) -> DomainResult<()> {
    if known.community_id != c.id {
        return Err(DomainError::Forbidden(
            "the resource is for another community",
        ));
    }
    state
        .store
        .save_revision(known.id, Expect::Cache, rev)
        .await?;
    Ok(())
}

/// The group deleted a resource of community `c`: its history goes too.
pub async fn forget(state: &Ctx, c: &CommunityRow, ap_id: &str) -> DomainResult<()> {
    if let Some(r) = state.store.resource_by_ap_id(ap_id).await?
        && r.community_id == c.id
    {
        state.store.delete_resource(ap_id).await?;
    }
    Ok(())
}

/// The host refused an edit of resource `r` by `agents` (those of them who live here are
/// told, from the `group`).
pub async fn edit_refused(
    state: &Ctx,
    c: &CommunityRow,
    r: &ResourceRow,
    group: &str,
    agents: &[String],
) {
    for who in agents {
        notifications::send_to_ap_id(
            state,
            who,
            kind::RESOURCE_REFUSED,
            group,
            Some(c.id),
            Some(&r.ap_id),
        )
        .await;
    }
}

/// Fetches an unknown author once, so the history shows a name rather than a URL.
async fn cache_author(state: &Ctx, ap_id: &str) {
    if let Ok(None) = state.store.actor_by_ap_id(ap_id).await
        && let Err(e) = state.remote.actor(state, ap_id).await
    {
        tracing::info!(author = %ap_id, error = %e, "revision author not fetched");
    }
}
