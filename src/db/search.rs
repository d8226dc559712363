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

/// How many matches are ranked at most, newest first: more than the deepest page the search
/// serves (`search_query::MAX_PAGE` pages of `PAGE_SIZE`, plus one to know there is a next).
pub const RANKED_MATCHES: i64 = 1_024;

/// A match before ranking: its terms are counted in Rust.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SearchCandidate {
    pub id: i64,
    pub terms: String,
    pub published_at: i64,
}

#[derive(Debug, Clone, sqlx::FromRow)]
struct SearchPageRow {
    id: i64,
    kind: String,
    ap_id: String,
    title: String,
    body: String,
    url: String,
    published_at: i64,
}

/// The ids of `candidates`, best first: Okapi BM25 (k1 = 1.2, b = 0.75, as SQLite's `bm25`)
/// over the candidates, without the inverse document frequency: every candidate contains
/// every word, so it would only weigh the words against each other, and computing it means
/// reading every match of every word, which is the cost this ranking avoids. Ties go to the
/// newest, then to the last indexed, so pages never overlap.
pub fn rank(candidates: Vec<SearchCandidate>, words: &[&String]) -> Vec<i64> {
    const K1: f64 = 1.2;
    const B: f64 = 0.75;
    let counted: Vec<(i64, i64, Vec<usize>, usize)> = candidates
        .into_iter()
        .map(|c| {
            let mut tf = vec![0usize; words.len()];
            let mut length = 0;
            for token in c.terms.split(|ch: char| !ch.is_alphanumeric()) {
                if token.is_empty() {
                    continue;
                }
                length += 1;
                for (i, w) in words.iter().enumerate() {
                    if token == w.as_str() {
                        tf[i] += 1;
                    }
                }
            }
            (c.id, c.published_at, tf, length)
        })
        .collect();
    let average = if counted.is_empty() {
        1.0
    } else {
        (counted.iter().map(|c| c.3).sum::<usize>() as f64 / counted.len() as f64).max(1.0)
    };
    let mut scored: Vec<(f64, i64, i64)> = counted
        .into_iter()
        .map(|(id, published_at, tf, length)| {
            let norm = K1 * (1.0 - B + B * length as f64 / average);
            let score = tf
                .iter()
                .map(|&f| {
                    let f = f as f64;
                    f * (K1 + 1.0) / (f + norm)
                })
                .sum::<f64>();
            (score, published_at, id)
        })
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(b.1.cmp(&a.1)).then(b.2.cmp(&a.2)));
    scored.into_iter().map(|s| s.2).collect()
}

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
    ///
    /// Only the newest [`RANKED_MATCHES`] matches are ranked: a word found in most documents
    /// would otherwise have every one of its matches scored and sorted before the page is cut
    /// (over a second at 100,000 documents). Both engines read the matches newest first from
    /// the full-text index and stop there; the ranking ([`rank`]) is the same Rust code for
    /// both, so a search gives the same order on SQLite and PostgreSQL.
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
        if words.is_empty() || filter.limit <= 0 {
            return Ok(Vec::new());
        }
        let candidates = self.search_candidates(&words, reader, filter).await?;
        let ranked = rank(candidates, &words);
        let from = usize::try_from(filter.offset).unwrap_or(0);
        let count = usize::try_from(filter.limit).unwrap_or(0);
        let page: Vec<i64> = ranked.into_iter().skip(from).take(count).collect();
        self.search_rows(&page).await
    }

    /// The newest [`RANKED_MATCHES`] documents (by index id: the order they were indexed in)
    /// that contain every word, readable by `reader` and narrowed by `filter`.
    async fn search_candidates(
        &self,
        words: &[&String],
        reader: i64,
        filter: &SearchFilter,
    ) -> Result<Vec<SearchCandidate>, DbError> {
        let narrowed = "($4 = '' OR d.kind = $4 OR d.kind = $5) \
             AND ($6 = 0 OR d.community_id = $6) \
             AND ($7 = '' OR substr(d.ap_id, 1, length($7)) = $7) \
             AND d.published_at >= $8 AND d.published_at < $9 \
             AND ($10 = '' OR EXISTS (SELECT 1 FROM posts p WHERE p.ap_id = d.ap_id \
             AND p.category = $10))";
        let (sql, query) = match self.engine() {
            // FTS5 walks a word's matches by rowid, newest first, without sorting them.
            Engine::Sqlite => (
                format!(
                    "SELECT d.id, d.terms, d.published_at FROM search_fts \
                     JOIN search_docs d ON d.id = search_fts.rowid \
                     WHERE search_fts MATCH $1 AND {READABLE} AND {narrowed} \
                     ORDER BY search_fts.rowid DESC LIMIT $3"
                ),
                words
                    .iter()
                    .map(|w| format!("\"{w}\""))
                    .collect::<Vec<_>>()
                    .join(" "),
            ),
            Engine::Postgres => (
                format!(
                    "SELECT d.id, d.terms, d.published_at FROM search_docs d \
                     WHERE d.terms_tsv @@ to_tsquery('simple', $1) AND {READABLE} AND {narrowed} \
                     ORDER BY d.id DESC LIMIT $3"
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
            .bind(RANKED_MATCHES)
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

    /// The documents `ids` (one page, at most a few dozen), in the order given.
    async fn search_rows(&self, ids: &[i64]) -> Result<Vec<SearchHitRow>, DbError> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let marks: Vec<String> = (1..=ids.len()).map(|i| format!("${i}")).collect();
        let sql = format!(
            "SELECT id, kind, ap_id, title, body, url, published_at FROM search_docs \
             WHERE id IN ({})",
            marks.join(", ")
        );
        let mut q = sqlx::query_as::<_, SearchPageRow>(assembled(sql));
        for id in ids {
            q = q.bind(*id);
        }
        let mut rows = q.fetch_all(self.pool()).await?;
        rows.sort_by_key(|r| ids.iter().position(|i| *i == r.id));
        Ok(rows
            .into_iter()
            .map(|r| SearchHitRow {
                kind: r.kind,
                ap_id: r.ap_id,
                title: r.title,
                body: r.body,
                url: r.url,
                published_at: r.published_at,
            })
            .collect())
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

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(id: i64, terms: &str, published_at: i64) -> SearchCandidate {
        SearchCandidate {
            id,
            terms: terms.into(),
            published_at,
        }
    }

    #[test]
    fn more_occurrences_in_a_shorter_text_rank_first_and_ties_go_to_the_newest() {
        let usag = "usag".to_owned();
        let ranked = rank(
            vec![
                doc(1, "usag guichet accueil mairi", 10),
                doc(2, "usag usag guichet", 5),
                doc(3, "usag guichet accueil mairi", 20),
                doc(4, "usag guichet accueil mairi dossi demand delai equip", 30),
            ],
            &[&usag],
        );
        assert_eq!(ranked, [2, 3, 1, 4]);
    }

    #[test]
    fn every_word_counts_and_nothing_is_lost() {
        let (a, b) = ("format".to_owned(), "mediateur".to_owned());
        let ranked = rank(
            vec![
                doc(7, "format mediateur", 1),
                doc(8, "format format mediateur mediateur", 1),
                doc(9, "format autre mediateur autre", 1),
            ],
            &[&a, &b],
        );
        assert_eq!(ranked, [8, 7, 9]);
        assert!(rank(Vec::new(), &[&a]).is_empty());
    }
}
