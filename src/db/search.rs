//! The search index (`search_docs`): one generic table for every readable thing, and the
//! only engine-specific query besides the delivery claim: SQLite FTS5 or PostgreSQL
//! full-text search over the same pre-normalised terms (see `domain::search`).

use super::{DbError, Engine, Store, assembled};

/// What goes into the index; `terms` is already normalised.
#[derive(Debug, Clone)]
pub struct NewSearchDoc<'a> {
    pub kind: &'a str,
    pub ap_id: &'a str,
    pub community_id: Option<i64>,
    pub actor_id: Option<i64>,
    pub title: &'a str,
    pub body: &'a str,
    pub url: &'a str,
    pub published_at: i64,
    pub terms: &'a str,
    /// The version of the Rust stemmer that made `terms`.
    pub stemmer: i64,
}

/// What narrows a search, already checked by the domain; empty strings and `None` narrow
/// nothing.
#[derive(Debug, Clone, Default)]
pub struct SearchFilter {
    /// One or two kinds (`thread` and `reply` for discussions); empty: every kind.
    pub kinds: Vec<&'static str>,
    /// A thread category (`veille`, `mobilite`: `posts.category`); empty: any.
    pub category: &'static str,
    pub community_id: Option<i64>,
    /// The start of the ids of one institution's objects (`https://authority/`).
    pub id_prefix: String,
    /// Published at or after (milliseconds).
    pub from: Option<i64>,
    /// Published before (milliseconds).
    pub until: Option<i64>,
    pub limit: i64,
    pub offset: i64,
}

/// A document whose terms an older stemmer made.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct StaleSearchDoc {
    pub id: i64,
    pub title: String,
    pub body: String,
}

/// A match, best first.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SearchHitRow {
    pub kind: String,
    pub ap_id: String,
    pub title: String,
    pub body: String,
    pub url: String,
    pub published_at: i64,
}

/// A post not in the index yet (backfill), with where its page is.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct UnindexedPost {
    pub id: i64,
    pub ap_id: String,
}

/// Who may read a document: everything not tied to a community (the directory holds only
/// what this node may show its agents), and the posts of communities where the reader is an
/// accepted member, the rule of `domain::communities::require_member`.
const READABLE: &str = "(d.community_id IS NULL OR EXISTS (SELECT 1 FROM memberships m \
    WHERE m.community_id = d.community_id AND m.actor_id = $2 AND m.state = 'accepted'))";

impl Store {
    /// Adds a document or replaces the one with the same `ap_id`.
    pub async fn upsert_search_doc(&self, d: &NewSearchDoc<'_>) -> Result<(), DbError> {
        sqlx::query(
            "INSERT INTO search_docs (kind, ap_id, community_id, actor_id, title, body, url, \
             published_at, terms, stemmer) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) \
             ON CONFLICT (ap_id) DO UPDATE SET kind = $1, community_id = $3, actor_id = $4, \
             title = $5, body = $6, url = $7, published_at = $8, terms = $9, stemmer = $10",
        )
        .bind(d.kind)
        .bind(d.ap_id)
        .bind(d.community_id)
        .bind(d.actor_id)
        .bind(d.title)
        .bind(d.body)
        .bind(d.url)
        .bind(d.published_at)
        .bind(d.terms)
        .bind(d.stemmer)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    pub async fn delete_search_doc(&self, ap_id: &str) -> Result<(), DbError> {
        sqlx::query("DELETE FROM search_docs WHERE ap_id = $1")
            .bind(ap_id)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// Documents readable by the agent `reader` (an actor id) containing every one of
    /// `terms` (normalised words: letters and digits only, so they are safe in both query
    /// languages), best first.
    pub async fn search(
        &self,
        terms: &[String],
        reader: i64,
        limit: i64,
    ) -> Result<Vec<SearchHitRow>, DbError> {
        let filter = SearchFilter {
            limit,
            ..SearchFilter::default()
        };
        self.search_filtered(terms, reader, &filter).await
    }

    /// [`Store::search`] narrowed by `filter` and paged (`limit` from `offset`). Every filter
    /// is a bound parameter that narrows nothing when empty, so the statement is the same
    /// text whatever the agent chose.
    pub async fn search_filtered(
        &self,
        terms: &[String],
        reader: i64,
        filter: &SearchFilter,
    ) -> Result<Vec<SearchHitRow>, DbError> {
        let words: Vec<&String> = terms
            .iter()
            .filter(|t| !t.is_empty() && t.chars().all(char::is_alphanumeric))
            .collect();
        if words.is_empty() {
            return Ok(Vec::new());
        }
        let cols = "d.kind, d.ap_id, d.title, d.body, d.url, d.published_at";
        let narrowed = "($5 = '' OR d.kind = $5 OR d.kind = $6) \
             AND ($7 = 0 OR d.community_id = $7) \
             AND ($8 = '' OR substr(d.ap_id, 1, length($8)) = $8) \
             AND d.published_at >= $9 AND d.published_at < $10 \
             AND ($11 = '' OR EXISTS (SELECT 1 FROM posts p WHERE p.ap_id = d.ap_id \
             AND p.category = $11))";
        let (sql, query) = match self.engine() {
            Engine::Sqlite => (
                format!(
                    "SELECT {cols} FROM search_fts JOIN search_docs d ON d.id = search_fts.rowid \
                     WHERE search_fts MATCH $1 AND {READABLE} AND {narrowed} \
                     ORDER BY search_fts.rank, d.published_at DESC LIMIT $3 OFFSET $4"
                ),
                words
                    .iter()
                    .map(|w| format!("\"{w}\""))
                    .collect::<Vec<_>>()
                    .join(" "),
            ),
            Engine::Postgres => (
                format!(
                    "SELECT {cols} FROM search_docs d \
                     WHERE d.terms_tsv @@ to_tsquery('simple', $1) AND {READABLE} AND {narrowed} \
                     ORDER BY ts_rank(d.terms_tsv, to_tsquery('simple', $1)) DESC, \
                     d.published_at DESC LIMIT $3 OFFSET $4"
                ),
                words
                    .iter()
                    .map(|w| w.as_str())
                    .collect::<Vec<_>>()
                    .join(" & "),
            ),
        };
        let first = filter.kinds.first().copied().unwrap_or("");
        let second = filter.kinds.get(1).copied().unwrap_or(first);
        Ok(sqlx::query_as(assembled(sql))
            .bind(query)
            .bind(reader)
            .bind(filter.limit)
            .bind(filter.offset)
            .bind(first)
            .bind(second)
            .bind(filter.community_id.unwrap_or(0))
            .bind(filter.id_prefix.as_str())
            .bind(filter.from.unwrap_or(i64::MIN))
            .bind(filter.until.unwrap_or(i64::MAX))
            .bind(filter.category)
            .fetch_all(self.pool())
            .await?)
    }

    /// Documents whose terms a stemmer older than `current` made, a batch at a time.
    pub async fn stale_search_docs(
        &self,
        current: i64,
        limit: i64,
    ) -> Result<Vec<StaleSearchDoc>, DbError> {
        Ok(sqlx::query_as(
            "SELECT id, title, body FROM search_docs WHERE stemmer < $1 ORDER BY id LIMIT $2",
        )
        .bind(current)
        .bind(limit)
        .fetch_all(self.pool())
        .await?)
    }

    /// Replaces a document's terms (the full-text index follows: trigger or generated column).
    pub async fn restem_search_doc(
        &self,
        id: i64,
        terms: &str,
        stemmer: i64,
    ) -> Result<(), DbError> {
        sqlx::query("UPDATE search_docs SET terms = $1, stemmer = $2 WHERE id = $3")
            .bind(terms)
            .bind(stemmer)
            .bind(id)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// Posts stored before the index existed (or while it failed), for the backfill.
    pub async fn unindexed_posts(&self, limit: i64) -> Result<Vec<UnindexedPost>, DbError> {
        Ok(sqlx::query_as(
            "SELECT p.id, p.ap_id FROM posts p WHERE NOT EXISTS \
             (SELECT 1 FROM search_docs d WHERE d.ap_id = p.ap_id) ORDER BY p.id LIMIT $1",
        )
        .bind(limit)
        .fetch_all(self.pool())
        .await?)
    }
}
