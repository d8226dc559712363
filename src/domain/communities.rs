//! Communities: a métier community is an ActivityPub `Group` hosted by one node. This file
//! owns creating one, finding one (local, or remote through its group actor), and who may
//! read it or act on it.

use serde::Serialize;

use super::accounts::{Account, new_key_pair};
use super::error::{DomainError, DomainResult, OrNotFound, Rule};
use super::names;
use crate::db::{ActorRow, CommunityRow, DbError, MembershipRow, NewCommunity};
use crate::domain::Ctx;

/// How agents join: at once, after an animateur's approval, or only when invited.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum JoinMode {
    Open,
    Request,
    Invitation,
}

impl JoinMode {
    pub fn parse(s: &str) -> DomainResult<Self> {
        match s {
            "open" => Ok(JoinMode::Open),
            "request" => Ok(JoinMode::Request),
            "invitation" => Ok(JoinMode::Invitation),
            _ => Err(DomainError::invalid("join_mode", Rule::Reserved)),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            JoinMode::Open => "open",
            JoinMode::Request => "request",
            JoinMode::Invitation => "invitation",
        }
    }
}

/// A community's short name: it is the group's username, in its URL and `acct:` handle.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommunitySlug(String);

impl CommunitySlug {
    pub fn parse(raw: &str) -> DomainResult<Self> {
        let s = raw.trim().to_ascii_lowercase();
        if s.len() < 2 || s.len() > 40 {
            return Err(DomainError::invalid(
                "slug",
                Rule::Length { min: 2, max: 40 },
            ));
        }
        if !s
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            || !s.starts_with(|c: char| c.is_ascii_alphanumeric())
        {
            return Err(DomainError::invalid("slug", Rule::UsernameCharacters));
        }
        Ok(Self(s))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Input of [`create`], unchecked.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
pub struct NewCommunityInput {
    pub slug: String,
    pub name: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub tags: String,
    pub join_mode: String,
    #[serde(default)]
    pub question: String,
    #[serde(default)]
    pub charter: String,
}

/// Creates a community hosted here, with its group actor; its creator is its owner.
pub async fn create(
    state: &Ctx,
    creator: &Account,
    input: &NewCommunityInput,
) -> DomainResult<CommunityRow> {
    let slug = CommunitySlug::parse(&input.slug)?;
    let name = names::line("name", &input.name, 2, 120)?;
    let description = names::text("description", &input.description, 2000)?;
    let tags = names::line("tags", &input.tags, 0, 200)?;
    let mode = JoinMode::parse(&input.join_mode)?;
    let question = names::line("question", &input.question, 0, 300)?;
    let charter = names::text("charter", &input.charter, 10_000)?;
    if state.store.local_community(slug.as_str()).await?.is_some()
        || state
            .store
            .local_actor(slug.as_str(), "Group")
            .await?
            .is_some()
    {
        return Err(DomainError::Conflict(format!(
            "the community {} already exists",
            slug.as_str()
        )));
    }
    // WebFinger answers `acct:NAME@node` with one actor.
    if state
        .store
        .local_actor(slug.as_str(), "Person")
        .await?
        .is_some()
    {
        return Err(DomainError::Conflict(format!(
            "{} is the username of an agent of this node",
            slug.as_str()
        )));
    }
    let (private_pem, public_pem) = new_key_pair().await?;
    let actor = super::local_actor::new_row(
        state,
        super::local_actor::Identity {
            kind: "Group",
            username: slug.as_str(),
            ap_id: state.urls.community(slug.as_str()),
            display_name: name.clone(),
            summary: description.clone(),
            job_title: String::new(),
        },
        Some((private_pem, public_pem)),
    );
    let actor = state
        .store
        .insert_actor(state.store.pool(), &actor)
        .await
        .map_err(|e| match e {
            DbError::Duplicate(_) => DomainError::Conflict("this community already exists".into()),
            other => other.into(),
        })?;
    let community = state
        .store
        .upsert_community(&NewCommunity {
            actor_id: actor.id,
            slug: slug.as_str(),
            name: &name,
            description: &description,
            tags: &tags,
            join_mode: mode.as_str(),
            question: &question,
            charter: &charter,
            is_local: true,
        })
        .await?;
    state
        .store
        .upsert_membership(
            community.id,
            creator.actor_id,
            "owner",
            "accepted",
            None,
            "",
        )
        .await?;
    tracing::info!(slug = %community.slug, "community created");
    Ok(community)
}

/// A community by the id of its group actor, as this node knows it.
pub async fn by_ap_id(state: &Ctx, ap_id: &str) -> DomainResult<CommunityRow> {
    state
        .store
        .community_by_ap_id(ap_id)
        .await
        .or_not_found("community")
}

/// A community by `slug` (hosted here), `slug@authority` or the group's URL, fetching and
/// caching a remote group on first use.
pub async fn resolve(state: &Ctx, target: &str) -> DomainResult<CommunityRow> {
    let target = target
        .trim()
        .trim_start_matches("acct:")
        .trim_start_matches('!');
    let local_slug = match target.split_once('@') {
        None if !target.contains('/') => Some(target),
        Some((slug, authority)) if authority == state.config.authority => Some(slug),
        _ => None,
    };
    if let Some(slug) = local_slug {
        let slug = CommunitySlug::parse(slug)?;
        return state
            .store
            .local_community(slug.as_str())
            .await
            .or_not_found("community");
    }
    if let Some(c) = state.store.community_by_ap_id(target).await? {
        return Ok(c);
    }
    let group = state.remote.resolve(state, target).await?;
    if group.kind != "Group" {
        return Err(DomainError::NotFound("community"));
    }
    if group.is_local == 1 {
        return state
            .store
            .community_by_actor(group.id)
            .await
            .or_not_found("community");
    }
    refresh_remote(state, &group).await
}

/// Caches the description of a remote community from its group document.
pub async fn refresh_remote(state: &Ctx, group: &ActorRow) -> DomainResult<CommunityRow> {
    let profile = state.remote.group(state, &group.ap_id).await?;
    Ok(cache_remote(state, group, &profile).await?)
}

/// What a remote group says of its community, as read from its document: unchecked.
#[derive(Debug, Clone, Default)]
pub struct GroupProfile {
    pub name: String,
    pub description: String,
    pub tags: String,
    pub join_mode: String,
    pub question: String,
    pub charter: String,
}

/// Stores what a remote group says of its community, each field cut to its bound.
pub async fn cache_remote(
    state: &Ctx,
    group: &ActorRow,
    profile: &GroupProfile,
) -> Result<CommunityRow, DbError> {
    let cut = |s: &str, max: usize| -> String { s.chars().take(max).collect() };
    let mode = JoinMode::parse(if profile.join_mode.is_empty() {
        "request"
    } else {
        &profile.join_mode
    })
    .unwrap_or(JoinMode::Request);
    state
        .store
        .upsert_community(&NewCommunity {
            actor_id: group.id,
            slug: &group.username,
            name: &cut(&profile.name, 120),
            description: &cut(&profile.description, 2000),
            tags: &cut(&profile.tags, 200),
            join_mode: mode.as_str(),
            question: &cut(&profile.question, 300),
            charter: &cut(&profile.charter, 10_000),
            is_local: false,
        })
        .await
}

/// The group actor of a community.
pub async fn group_of(state: &Ctx, c: &CommunityRow) -> DomainResult<ActorRow> {
    state
        .store
        .actor_by_id(c.actor_id)
        .await
        .or_not_found("community")
}

/// The membership of a local agent, as this node knows it.
pub async fn membership_of(
    state: &Ctx,
    c: &CommunityRow,
    account: &Account,
) -> DomainResult<Option<MembershipRow>> {
    Ok(state.store.membership(c.id, account.actor_id).await?)
}

/// Members-only content: only accepted members read it.
pub async fn require_member(
    state: &Ctx,
    c: &CommunityRow,
    account: &Account,
) -> DomainResult<MembershipRow> {
    membership_of(state, c, account)
        .await?
        .filter(|m| m.state == "accepted")
        .ok_or(DomainError::Forbidden(
            "this content is for the community's members",
        ))
}

/// A community hosted here, by its slug (any case).
pub async fn local(state: &Ctx, slug: &str) -> DomainResult<CommunityRow> {
    state
        .store
        .local_community(&slug.to_ascii_lowercase())
        .await
        .or_not_found("community")
}

/// Members-only content leaves this node only for the community's host and the nodes where
/// it has accepted members (a node's instance actor fetches on its agents' behalf).
pub async fn require_member_node(
    state: &Ctx,
    c: &CommunityRow,
    authority: &str,
) -> DomainResult<()> {
    if c.authority == authority || state.store.has_member_on(c.id, authority).await? {
        return Ok(());
    }
    Err(DomainError::Forbidden("members-only content"))
}

/// The members collection of a community, as actor ids, for a members' node.
pub async fn members_for_peer(
    state: &Ctx,
    c: &CommunityRow,
    authority: &str,
) -> DomainResult<Vec<String>> {
    require_member_node(state, c, authority).await?;
    Ok(state
        .store
        .member_actors(c.id)
        .await?
        .into_iter()
        .map(|a| a.ap_id)
        .collect())
}

/// Animateur powers: an accepted owner or animateur of *this* community, which must be
/// hosted here (the host decides).
pub async fn require_animateur(
    state: &Ctx,
    c: &CommunityRow,
    account: &Account,
) -> DomainResult<MembershipRow> {
    let m = require_member(state, c, account).await?;
    if c.is_local == 1 && matches!(m.role.as_str(), "owner" | "animateur") {
        Ok(m)
    } else {
        Err(DomainError::Forbidden(
            "only this community's animateurs may do that",
        ))
    }
}

/// Co-animation from any node (issue 18): an accepted owner or animateur of `c` as this node
/// knows it: on the host its own record, on a member's node the role the host told us
/// (`Add`/`Remove` of the group's moderators). The host checks again when the proposal
/// arrives (`require_animateur_actor`): this only decides what the agent is offered here.
pub async fn require_coanimateur(
    state: &Ctx,
    c: &CommunityRow,
    account: &Account,
) -> DomainResult<MembershipRow> {
    let m = require_member(state, c, account).await?;
    if super::membership_state::Role::of(&m).runs_community() {
        Ok(m)
    } else {
        Err(DomainError::Forbidden(
            "only this community's animateurs may do that",
        ))
    }
}

/// On the host: whether `who` (an agent of any node) is an accepted owner or animateur of
/// `c`, hosted here. The rule every animateur's activity from another node passes.
pub async fn require_animateur_actor(
    state: &Ctx,
    c: &CommunityRow,
    who: &ActorRow,
) -> DomainResult<MembershipRow> {
    let m = state.store.membership(c.id, who.id).await?;
    match m {
        Some(m)
            if c.is_local == 1
                && m.state == "accepted"
                && super::membership_state::Role::of(&m).runs_community() =>
        {
            Ok(m)
        }
        _ => Err(DomainError::Forbidden(
            "only this community's animateurs may do that",
        )),
    }
}

/// A pending request to join, as the host lists it for an animateur's node (issue 18).
#[derive(Debug, Clone, Serialize)]
pub struct RemoteRequest {
    /// The agent's `Follow` of the group: what a decision answers.
    pub follow_id: String,
    pub actor: String,
    pub display_name: String,
    pub institution: String,
    pub answer: String,
}

/// On the host: the pending requests to join `c`, for a node where it has an accepted
/// animateur (that node shows them to its animateurs only, `remote_requests`).
pub async fn requests_for_peer(
    state: &Ctx,
    c: &CommunityRow,
    authority: &str,
) -> DomainResult<Vec<RemoteRequest>> {
    if c.is_local != 1 || !state.store.has_animateur_on(c.id, authority).await? {
        return Err(DomainError::Forbidden(
            "only this community's animateurs may do that",
        ));
    }
    let mut out = Vec::new();
    for m in state.store.members(c.id, "pending").await? {
        let follow = state
            .store
            .membership(c.id, m.actor_id)
            .await?
            .and_then(|r| r.follow_ap_id);
        if let Some(follow_id) = follow {
            out.push(RemoteRequest {
                follow_id,
                actor: m.ap_id,
                display_name: m.display_name,
                institution: m.institution,
                answer: m.answer,
            });
        }
    }
    Ok(out)
}

/// On an animateur's own node: the pending requests to join `c`, hosted elsewhere, read
/// from its host now (issue 18).
pub async fn remote_requests(
    state: &Ctx,
    c: &CommunityRow,
    account: &Account,
) -> DomainResult<Vec<RemoteRequest>> {
    require_coanimateur(state, c, account).await?;
    if c.is_local == 1 {
        return Ok(Vec::new());
    }
    state.remote.requests(state, &c.ap_id).await
}

/// When federation with `authority` is revoked, what its node wrote or hosts leaves our
/// caches: its agents' posts and the posts of its communities (ours stay ours).
pub async fn purge_authority(state: &Ctx, authority: &str) -> DomainResult<u64> {
    let here = &state.config.authority;
    let n = state.store.purge_posts_of(authority, here).await?;
    let resources = state.store.purge_resources_of(authority).await?;
    let actions = state.store.purge_action_items_of(authority, here).await?;
    let sessions = state.store.purge_events_of(authority, here).await?;
    let messages = state.store.purge_messages_of(authority).await?;
    tracing::info!(
        messages,
        %authority,
        posts = n,
        resources,
        actions,
        sessions,
        "community content of a revoked peer purged"
    );
    Ok(n + actions)
}

/// The accepted members of a community, for its members.
pub async fn members(
    state: &crate::domain::Ctx,
    c: &CommunityRow,
    account: &Account,
) -> DomainResult<Vec<crate::db::MemberRow>> {
    require_member(state, c, account).await?;
    Ok(state.store.members(c.id, "accepted").await?)
}

/// The pending requests to join a community, for its animateurs.
pub async fn requests(
    state: &crate::domain::Ctx,
    c: &CommunityRow,
    account: &Account,
) -> DomainResult<Vec<crate::db::MemberRow>> {
    require_animateur(state, c, account).await?;
    Ok(state.store.members(c.id, "pending").await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_short_lowercase_and_url_safe() {
        assert_eq!(
            CommunitySlug::parse(" Accueil ").map(|s| s.0).ok(),
            Some("accueil".into())
        );
        for bad in ["a", "un club", "é", "-x", "x/y", "a.b"] {
            assert!(CommunitySlug::parse(bad).is_err(), "{bad:?}");
        }
    }
}
