//! Resources arriving by federation. On the host: a member's proposal (`Create` or `Update`
//! to the group), checked like a local edit and refused with a `Reject` to its author when
//! its base revision is stale. On a member's node: the revisions the group announces, kept
//! as history, and the host's refusals, told to the agent who wrote the edit.

use serde_json::{Value, json};

use super::DomainError;
use super::notifications::{self, kind};
use super::resources::{KINDS, ResourceInput, apply, check};
use crate::db::{ActorRow, AttachmentRow, CommunityRow, Expect, NewResource, NewRevision, now_ms};
use crate::federation::convert::from_as::id_of;
use crate::federation::convert::resources::{is_resource, read_resource};
use crate::federation::convert::to_as::activity;
use crate::federation::fetch::FetchBudget;
use crate::federation::inbox::Activity;
use crate::federation::{FederationError, authority_of_str, outbox, remote};
use crate::state::AppState;

/// True when a member's activity to the group concerns a resource (handled here).
pub async fn concerns_resource(state: &AppState, a: &Activity) -> Result<bool, FederationError> {
    if is_resource(&a.object) {
        return Ok(true);
    }
    Ok(a.kind == "Delete"
        && match id_of(&a.object) {
            Some(id) => state.store.resource_by_ap_id(id).await?.is_some(),
            None => false,
        })
}

fn refused(e: DomainError) -> FederationError {
    match e {
        DomainError::Db(d) => FederationError::Db(d),
        other => FederationError::Refused(other.to_string()),
    }
}

/// On the host, `member` (already checked to be an accepted member) proposes a resource or
/// an edit of one.
pub async fn on_proposal(
    state: &AppState,
    a: &Activity,
    c: &CommunityRow,
    member: &ActorRow,
) -> Result<(), FederationError> {
    if a.kind == "Delete" {
        // Deleting is the animateurs' and happens on the host.
        return Err(FederationError::Refused(
            "resources are deleted by animateurs on the host".into(),
        ));
    }
    let r = read_resource(&a.object)?;
    if !r.audience.is_empty() && r.audience != c.ap_id {
        return Err(FederationError::Refused(
            "the resource is for another community".into(),
        ));
    }
    let input = ResourceInput {
        kind: r.proposal.kind.clone(),
        slug: r.proposal.slug.clone(),
        title: r.proposal.title.clone(),
        body: r.proposal.source.clone(),
        summary: r.proposal.summary.clone(),
    };
    let creating = a.kind == "Create";
    let mut p = check(&input, creating).map_err(refused)?;
    if !creating {
        let id = r
            .proposal
            .id
            .clone()
            .ok_or_else(|| FederationError::Malformed("an edit names its resource".into()))?;
        let current = state
            .store
            .resource_by_ap_id(&id)
            .await?
            .filter(|x| x.community_id == c.id)
            .ok_or_else(|| FederationError::Refused("unknown resource".into()))?;
        p.id = Some(current.ap_id);
        p.kind = current.kind;
        p.slug = current.slug;
        p.base = r.proposal.base;
    }
    match apply(state, c, &member.ap_id, &p).await {
        Ok(_) => Ok(()),
        Err(DomainError::Conflict(why)) => reject(state, a, c, member, p.id.as_deref(), &why).await,
        Err(e) => Err(refused(e)),
    }
}

/// The host refuses an edit: the author's node learns it from the group's `Reject`.
async fn reject(
    state: &AppState,
    a: &Activity,
    c: &CommunityRow,
    member: &ActorRow,
    resource: Option<&str>,
    why: &str,
) -> Result<(), FederationError> {
    let group = super::communities::group_of(state, c)
        .await
        .map_err(refused)?;
    let mut doc = activity(
        "Reject",
        &state.urls.new_activity(),
        &group.ap_id,
        json!(a.id),
        &[&member.ap_id],
    );
    doc["content"] = json!(why);
    if let Some(r) = resource {
        doc["target"] = json!(r);
    }
    outbox::send(state, &group, &doc, std::slice::from_ref(member)).await?;
    Ok(())
}

/// On a member's node: the group's `Reject` of one of our agents' edits. True when it was
/// about a resource.
pub async fn on_reject(state: &AppState, a: &Activity) -> Result<bool, FederationError> {
    let Some(target) = a.raw.get("target").and_then(id_of) else {
        return Ok(false);
    };
    let Some(r) = state.store.resource_by_ap_id(target).await? else {
        return Ok(false);
    };
    let Some(c) = state.store.community_by_id(r.community_id).await? else {
        return Ok(false);
    };
    // Only the group of that resource may refuse, and only an activity we sent.
    let ours = id_of(&a.object).and_then(authority_of_str);
    if c.ap_id != a.actor || ours.as_deref() != Some(state.config.authority.as_str()) {
        return Err(FederationError::OriginMismatch(
            "a Reject of an edit comes from the resource's group".into(),
        ));
    }
    for who in crate::federation::convert::from_as::addressees(&a.raw) {
        notifications::send_to_ap_id(
            state,
            &who,
            kind::RESOURCE_REFUSED,
            &a.actor,
            Some(c.id),
            Some(&r.ap_id),
        )
        .await;
    }
    Ok(true)
}

/// On a member's node: what the group announces about a resource of community `c`. The
/// group vouches for the revision (its host checked the author); we check that the resource
/// is the group's own and keep every revision as history.
pub async fn on_announced(
    state: &AppState,
    c: &CommunityRow,
    kind: &str,
    inner_actor: &str,
    object: &Value,
) -> Result<(), FederationError> {
    if inner_actor != c.ap_id {
        return Err(FederationError::OriginMismatch(
            "resources are announced by their group".into(),
        ));
    }
    if kind == "Delete" {
        let id = id_of(object).unwrap_or_default();
        if let Some(r) = state.store.resource_by_ap_id(id).await?
            && r.community_id == c.id
        {
            state.store.delete_resource(id).await?;
        }
        return Ok(());
    }
    let r = read_resource(object)?;
    let id = r.proposal.id.clone().unwrap_or_default();
    if authority_of_str(&id).as_deref() != Some(c.authority.as_str()) || r.audience != c.ap_id {
        return Err(FederationError::OriginMismatch(
            "a resource lives on its community's host".into(),
        ));
    }
    if !KINDS.contains(&r.proposal.kind.as_str()) || r.revision < 1 {
        return Err(FederationError::Malformed(
            "resource kind or revision".into(),
        ));
    }
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
        Some(known) if known.community_id == c.id => {
            state
                .store
                .save_revision(known.id, Expect::Cache, &rev)
                .await?;
        }
        Some(_) => {
            return Err(FederationError::Refused(
                "the resource is for another community".into(),
            ));
        }
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
                    Some(known) if known.community_id == c.id => {
                        state
                            .store
                            .save_revision(known.id, Expect::Cache, &rev)
                            .await?;
                    }
                    Some(_) => {
                        return Err(FederationError::Refused(
                            "the resource is for another community".into(),
                        ));
                    }
                    // Still nothing: the database error stands and the sender retries.
                    None => {
                        inserted?;
                    }
                }
            }
        }
    }
    super::search::index_resource(state, &id).await;
    // A name for the history; the revision stands without it.
    let _ = remote::remember(state, &author, &FetchBudget::new(2)).await;
    // Files are only ever added on the host: any announce may bring new ones.
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
