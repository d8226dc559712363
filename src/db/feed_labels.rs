//! What the home feed shows beside its posts, read for the whole page in one statement each:
//! the communities' names and the threads' local ids (not one lookup per post).

use std::collections::HashMap;

use super::{DbError, Store, assembled};

/// `$1, $2, …` for `n` values.
fn placeholders(n: usize) -> String {
    (1..=n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

impl Store {
    /// The names of these communities, by id (an id not stored is absent).
    pub async fn community_names(&self, ids: &[i64]) -> Result<HashMap<i64, String>, DbError> {
        if ids.is_empty() {
            return Ok(HashMap::new());
        }
        let sql = format!(
            "SELECT id, name FROM communities WHERE id IN ({})",
            placeholders(ids.len())
        );
        let mut q = sqlx::query_as::<_, (i64, String)>(assembled(sql));
        for id in ids {
            q = q.bind(*id);
        }
        Ok(q.fetch_all(self.pool()).await?.into_iter().collect())
    }

    /// The local ids of these posts, by ActivityPub id (an id not stored is absent).
    pub async fn post_ids_by_ap_id(
        &self,
        ap_ids: &[&str],
    ) -> Result<HashMap<String, i64>, DbError> {
        if ap_ids.is_empty() {
            return Ok(HashMap::new());
        }
        let sql = format!(
            "SELECT ap_id, id FROM posts WHERE ap_id IN ({})",
            placeholders(ap_ids.len())
        );
        let mut q = sqlx::query_as::<_, (String, i64)>(assembled(sql));
        for ap_id in ap_ids {
            q = q.bind(*ap_id);
        }
        Ok(q.fetch_all(self.pool()).await?.into_iter().collect())
    }
}
