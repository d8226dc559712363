//! What the database holds, as one comparable value per table: a refused request must leave
//! every table as it was (rows added, removed or changed).

use std::collections::BTreeMap;
use std::hash::{DefaultHasher, Hash, Hasher};

use sqlx::{AnyPool, Column, Row};

/// Tables a refused request may touch by design: the session's last use, and the refused
/// logins' own counters.
const MOVING: &[&str] = &["sessions", "_sqlx_migrations"];

/// Columns a refused request may change by design: when a valid token was last used.
const MOVING_COLUMNS: &[&str] = &["last_used_at"];

pub struct Db {
    pool: AnyPool,
    tables: Vec<String>,
    /// Per table, what `print` reads: every column, except on PostgreSQL the `tsvector`
    /// ones (derived from other columns, and a type the Any driver cannot decode).
    selects: BTreeMap<String, String>,
}

/// Table → (row count, hash of every value of every row, in a stable order).
pub type Print = BTreeMap<String, (usize, u64)>;

impl Db {
    pub async fn open(url: &str) -> Db {
        sqlx::any::install_default_drivers();
        let pool = sqlx::pool::PoolOptions::<sqlx::Any>::new()
            .max_connections(2)
            .connect(url)
            .await
            .expect("open the node's database");
        let sql = if url.starts_with("sqlite") {
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' \
             AND name NOT LIKE 'search_fts%' ORDER BY name"
        } else {
            "SELECT CAST(table_name AS TEXT) FROM information_schema.tables \
             WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1"
        };
        let tables = sqlx::query_scalar::<_, String>(sql)
            .fetch_all(&pool)
            .await
            .expect("list tables")
            .into_iter()
            .filter(|t| !MOVING.contains(&t.as_str()))
            .collect::<Vec<String>>();
        let mut selects = BTreeMap::new();
        for t in &tables {
            let select = if url.starts_with("sqlite") {
                format!("SELECT * FROM {t}")
            } else {
                let columns = sqlx::query_scalar::<_, String>(
                    "SELECT CAST(column_name AS TEXT) FROM information_schema.columns \
                     WHERE table_schema = 'public' AND table_name = $1 \
                     AND data_type <> 'tsvector' ORDER BY ordinal_position",
                )
                .bind(t)
                .fetch_all(&pool)
                .await
                .expect("list columns");
                format!("SELECT {} FROM {t}", columns.join(", "))
            };
            selects.insert(t.clone(), select);
        }
        Db {
            pool,
            tables,
            selects,
        }
    }

    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// The row count of every table, in one statement.
    pub async fn counts(&self) -> Print {
        let sql = self
            .tables
            .iter()
            .map(|t| format!("SELECT '{t}', CAST(COUNT(*) AS BIGINT) FROM {t}"))
            .collect::<Vec<_>>()
            .join(" UNION ALL ");
        sqlx::query_as::<_, (String, i64)>(sqlx::AssertSqlSafe(sql))
            .fetch_all(&self.pool)
            .await
            .expect("count rows")
            .into_iter()
            .map(|(t, n)| (t, (usize::try_from(n).unwrap_or(0), 0)))
            .collect()
    }

    pub async fn print(&self) -> Print {
        let mut out = Print::new();
        for t in &self.tables {
            let rows = sqlx::query(sqlx::AssertSqlSafe(self.selects[t].clone()))
                .fetch_all(&self.pool)
                .await
                .unwrap_or_else(|e| panic!("read {t}: {e}"));
            let mut hashes: Vec<u64> = rows.iter().map(row_hash).collect();
            hashes.sort_unstable();
            let mut h = DefaultHasher::new();
            hashes.hash(&mut h);
            out.insert(t.clone(), (rows.len(), h.finish()));
        }
        out
    }
}

fn row_hash(row: &sqlx::any::AnyRow) -> u64 {
    let mut h = DefaultHasher::new();
    for (i, column) in row.columns().iter().enumerate() {
        if MOVING_COLUMNS.contains(&column.name()) {
            continue;
        }
        if let Ok(v) = row.try_get::<Option<String>, _>(i) {
            v.hash(&mut h);
        } else if let Ok(v) = row.try_get::<Option<i64>, _>(i) {
            v.hash(&mut h);
        } else if let Ok(v) = row.try_get::<Option<f64>, _>(i) {
            v.map(f64::to_bits).hash(&mut h);
        } else if let Ok(v) = row.try_get::<Option<bool>, _>(i) {
            v.hash(&mut h);
        } else if let Ok(v) = row.try_get::<Option<Vec<u8>>, _>(i) {
            v.hash(&mut h);
        } else {
            "?".hash(&mut h);
        }
    }
    h.finish()
}

/// The tables whose content differs.
pub fn changed(before: &Print, after: &Print) -> Vec<String> {
    after
        .iter()
        .filter(|(t, v)| before.get(*t) != Some(*v))
        .map(|(t, _)| t.clone())
        .collect()
}
