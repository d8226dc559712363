//! The `communities` and `memberships` tables.

use super::error::unique_as;
use super::{ActorRow, DbError, Store, assembled, now_ms};

/// A community as stored (local, or a cache of a remote one).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CommunityRow {
    pub id: i64,
    pub actor_id: i64,
    pub slug: String,
    pub name: String,
    pub description: String,
    pub tags: String,
    pub join_mode: String,
    pub question: String,
    pub charter: String,
    pub members_only: i64,
    pub is_local: i64,
    pub ap_id: String,
    pub authority: String,
    pub created_at: i64,
}

impl CommunityRow {
    /// How this node's pages name it: `slug` when hosted here, `slug@authority` otherwise.
    pub fn handle(&self) -> String {
        if self.is_local == 1 {
            self.slug.clone()
        } else {
            format!("{}@{}", self.slug, self.authority)
        }
    }
}

/// What describes a community (insert or refresh).
#[derive(Debug, Clone)]
pub struct NewCommunity<'a> {
    pub actor_id: i64,
    pub slug: &'a str,
    pub name: &'a str,
    pub description: &'a str,
    pub tags: &'a str,
    pub join_mode: &'a str,
    pub question: &'a str,
    pub charter: &'a str,
    pub is_local: bool,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MembershipRow {
    pub id: i64,
    pub community_id: i64,
    pub actor_id: i64,
    pub role: String,
    pub state: String,
    pub follow_ap_id: Option<String>,
    pub answer: String,
    pub created_at: i64,
}

/// A membership with its actor, for member lists and requests.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MemberRow {
    pub membership_id: i64,
    pub role: String,
    pub state: String,
    pub answer: String,
    pub actor_id: i64,
    pub ap_id: String,
    pub username: String,
    pub authority: String,
    pub display_name: String,
    pub institution: String,
    pub is_local: i64,
}

const C_COLUMNS: &str = "c.id, c.actor_id, c.slug, c.name, c.description, c.tags, c.join_mode, \
    c.question, c.charter, c.members_only, c.is_local, a.ap_id, a.authority, c.created_at";
const M_COLUMNS: &str = "id, community_id, actor_id, role, state, follow_ap_id, answer, created_at";
const ACTOR_COLUMNS: &str = "a.id, a.ap_id, a.kind, a.username, a.authority, a.is_local, \
    a.display_name, a.summary, a.job_title, a.institution, a.inbox_url, a.shared_inbox_url, \
    a.outbox_url, a.followers_url, a.following_url, a.public_key_id, a.public_key_pem, \
    a.private_key_pem, a.fetched_at, a.created_at, a.updated_at";

impl Store {
    /// Inserts a community, or refreshes the description of a cached one.
    pub async fn upsert_community(&self, c: &NewCommunity<'_>) -> Result<CommunityRow, DbError> {
        let now = now_ms();
        sqlx::query(
            "INSERT INTO communities (actor_id, slug, name, description, tags, join_mode, \
             question, charter, members_only, is_local, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1, $9, $10, $10) \
             ON CONFLICT (actor_id) DO UPDATE SET name = $3, description = $4, tags = $5, \
             join_mode = $6, question = $7, charter = $8, updated_at = $10",
        )
        .bind(c.actor_id)
        .bind(c.slug)
        .bind(c.name)
        .bind(c.description)
        .bind(c.tags)
        .bind(c.join_mode)
        .bind(c.question)
        .bind(c.charter)
        .bind(i64::from(c.is_local))
        .bind(now)
        .execute(self.pool())
        .await
        .map_err(unique_as("community"))?;
        self.community_by_actor(c.actor_id)
            .await?
            .ok_or(DbError::Duplicate("community"))
    }

    async fn community_where(&self, cond: &str, v: &str) -> Result<Option<CommunityRow>, DbError> {
        let sql = format!(
            "SELECT {C_COLUMNS} FROM communities c JOIN actors a ON a.id = c.actor_id WHERE {cond}"
        );
        Ok(sqlx::query_as(assembled(sql))
            .bind(v)
            .fetch_optional(self.pool())
            .await?)
    }

    pub async fn community_by_actor(&self, actor_id: i64) -> Result<Option<CommunityRow>, DbError> {
        let sql = format!(
            "SELECT {C_COLUMNS} FROM communities c JOIN actors a ON a.id = c.actor_id \
             WHERE c.actor_id = $1"
        );
        Ok(sqlx::query_as(assembled(sql))
            .bind(actor_id)
            .fetch_optional(self.pool())
            .await?)
    }

    pub async fn community_by_id(&self, id: i64) -> Result<Option<CommunityRow>, DbError> {
        let sql = format!(
            "SELECT {C_COLUMNS} FROM communities c JOIN actors a ON a.id = c.actor_id \
             WHERE c.id = $1"
        );
        Ok(sqlx::query_as(assembled(sql))
            .bind(id)
            .fetch_optional(self.pool())
            .await?)
    }

    pub async fn community_by_ap_id(&self, ap_id: &str) -> Result<Option<CommunityRow>, DbError> {
        self.community_where("a.ap_id = $1", ap_id).await
    }

    pub async fn local_community(&self, slug: &str) -> Result<Option<CommunityRow>, DbError> {
        self.community_where("c.is_local = 1 AND c.slug = $1", slug)
            .await
    }

    /// Every community this node knows (its own and those its agents joined), by name.
    pub async fn list_communities(&self) -> Result<Vec<CommunityRow>, DbError> {
        let sql = format!(
            "SELECT {C_COLUMNS} FROM communities c JOIN actors a ON a.id = c.actor_id \
             ORDER BY c.name"
        );
        Ok(sqlx::query_as(assembled(sql))
            .fetch_all(self.pool())
            .await?)
    }

    /// Creates or replaces the membership of an actor.
    pub async fn upsert_membership(
        &self,
        community_id: i64,
        actor_id: i64,
        role: &str,
        state: &str,
        follow_ap_id: Option<&str>,
        answer: &str,
    ) -> Result<MembershipRow, DbError> {
        let sql = format!(
            "INSERT INTO memberships (community_id, actor_id, role, state, follow_ap_id, answer, \
             created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7) \
             ON CONFLICT (community_id, actor_id) DO UPDATE SET role = $3, state = $4, \
             follow_ap_id = $5, answer = $6, updated_at = $7 RETURNING {M_COLUMNS}"
        );
        sqlx::query_as(assembled(sql))
            .bind(community_id)
            .bind(actor_id)
            .bind(role)
            .bind(state)
            .bind(follow_ap_id)
            .bind(answer)
            .bind(now_ms())
            .fetch_one(self.pool())
            .await
            .map_err(unique_as("membership"))
    }

    pub async fn membership(
        &self,
        community_id: i64,
        actor_id: i64,
    ) -> Result<Option<MembershipRow>, DbError> {
        let sql = format!(
            "SELECT {M_COLUMNS} FROM memberships WHERE community_id = $1 AND actor_id = $2"
        );
        Ok(sqlx::query_as(assembled(sql))
            .bind(community_id)
            .bind(actor_id)
            .fetch_optional(self.pool())
            .await?)
    }

    pub async fn membership_by_follow(
        &self,
        follow: &str,
    ) -> Result<Option<MembershipRow>, DbError> {
        let sql = format!("SELECT {M_COLUMNS} FROM memberships WHERE follow_ap_id = $1");
        Ok(sqlx::query_as(assembled(sql))
            .bind(follow)
            .fetch_optional(self.pool())
            .await?)
    }

    pub async fn set_membership(&self, id: i64, role: &str, state: &str) -> Result<(), DbError> {
        sqlx::query("UPDATE memberships SET role = $1, state = $2, updated_at = $3 WHERE id = $4")
            .bind(role)
            .bind(state)
            .bind(now_ms())
            .bind(id)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    pub async fn delete_membership(&self, id: i64) -> Result<(), DbError> {
        sqlx::query("DELETE FROM memberships WHERE id = $1")
            .bind(id)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// Members of a community in one state, with their actors.
    pub async fn members(&self, community_id: i64, state: &str) -> Result<Vec<MemberRow>, DbError> {
        Ok(sqlx::query_as(
            "SELECT m.id AS membership_id, m.role, m.state, m.answer, a.id AS actor_id, a.ap_id, \
             a.username, a.authority, a.display_name, a.institution, a.is_local \
             FROM memberships m JOIN actors a ON a.id = m.actor_id \
             WHERE m.community_id = $1 AND m.state = $2 ORDER BY m.role, a.display_name",
        )
        .bind(community_id)
        .bind(state)
        .fetch_all(self.pool())
        .await?)
    }

    /// Accepted members' actors: the followers the group announces to.
    pub async fn member_actors(&self, community_id: i64) -> Result<Vec<ActorRow>, DbError> {
        Ok(sqlx::query_as(assembled(format!(
            "SELECT {ACTOR_COLUMNS} FROM memberships m JOIN actors a ON a.id = m.actor_id \
             WHERE m.community_id = $1 AND m.state = 'accepted' ORDER BY m.id"
        )))
        .bind(community_id)
        .fetch_all(self.pool())
        .await?)
    }

    /// True when an accepted member lives on `authority` (authorized fetch of content).
    pub async fn has_member_on(&self, community_id: i64, authority: &str) -> Result<bool, DbError> {
        self.has_membership_on(community_id, authority, "accepted")
            .await
    }

    /// Whether an actor of `authority` asked to join and waits for the answer.
    pub async fn has_pending_member_on(
        &self,
        community_id: i64,
        authority: &str,
    ) -> Result<bool, DbError> {
        self.has_membership_on(community_id, authority, "pending")
            .await
    }

    /// Whether an actor of `authority` is an accepted owner or animateur of the community:
    /// that node may read its pending requests (issue 18).
    pub async fn has_animateur_on(
        &self,
        community_id: i64,
        authority: &str,
    ) -> Result<bool, DbError> {
        let (n,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM memberships m JOIN actors a ON a.id = m.actor_id \
             WHERE m.community_id = $1 AND m.state = 'accepted' \
             AND m.role IN ('owner', 'animateur') AND a.authority = $2",
        )
        .bind(community_id)
        .bind(authority)
        .fetch_one(self.pool())
        .await?;
        Ok(n > 0)
    }

    async fn has_membership_on(
        &self,
        community_id: i64,
        authority: &str,
        state: &str,
    ) -> Result<bool, DbError> {
        let (n,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM memberships m JOIN actors a ON a.id = m.actor_id \
             WHERE m.community_id = $1 AND m.state = $3 AND a.authority = $2",
        )
        .bind(community_id)
        .bind(authority)
        .bind(state)
        .fetch_one(self.pool())
        .await?;
        Ok(n > 0)
    }

    /// Communities where an actor has a membership in `state`.
    pub async fn communities_of(
        &self,
        actor_id: i64,
        state: &str,
    ) -> Result<Vec<CommunityRow>, DbError> {
        let sql = format!(
            "SELECT {C_COLUMNS} FROM communities c JOIN actors a ON a.id = c.actor_id \
             JOIN memberships m ON m.community_id = c.id \
             WHERE m.actor_id = $1 AND m.state = $2 ORDER BY c.name"
        );
        Ok(sqlx::query_as(assembled(sql))
            .bind(actor_id)
            .bind(state)
            .fetch_all(self.pool())
            .await?)
    }
}
