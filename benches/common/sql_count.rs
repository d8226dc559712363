//! Counts the SQL statements a request runs (sqlx's `sqlx::query` events), to see N+1 queries.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::Mutex;

use tracing::field::{Field, Visit};
use tracing_subscriber::Layer;
use tracing_subscriber::layer::{Context, SubscriberExt};
use tracing_subscriber::util::SubscriberInitExt;

/// The statements seen since the last `take`: (SQL, seconds).
static SEEN: Mutex<Vec<(String, f64)>> = Mutex::new(Vec::new());

struct Counter;

#[derive(Default)]
struct Statement {
    summary: String,
    sql: String,
    secs: f64,
}

impl Visit for Statement {
    fn record_str(&mut self, field: &Field, value: &str) {
        match field.name() {
            "summary" => self.summary = value.to_owned(),
            "db.statement" => self.sql = value.trim().to_owned(),
            _ => {}
        }
    }
    fn record_f64(&mut self, field: &Field, value: f64) {
        if field.name() == "elapsed_secs" {
            self.secs = value;
        }
    }
    fn record_debug(&mut self, _: &Field, _: &dyn std::fmt::Debug) {}
}

impl<S: tracing::Subscriber> Layer<S> for Counter {
    fn on_event(&self, event: &tracing::Event<'_>, _: Context<'_, S>) {
        let mut s = Statement::default();
        event.record(&mut s);
        let sql = if s.sql.is_empty() { s.summary } else { s.sql };
        if let Ok(mut seen) = SEEN.lock() {
            seen.push((sql, s.secs));
        }
    }
}

/// Starts counting (only sqlx's statement events reach the layer, so the rest costs nothing).
pub fn install() {
    let only_sql = tracing_subscriber::filter::Targets::new()
        .with_target("sqlx::query", tracing::Level::TRACE);
    let _ = tracing_subscriber::registry()
        .with(Counter.with_filter(only_sql))
        .try_init();
}

/// Forgets what was counted so far.
pub fn reset() {
    if let Ok(mut seen) = SEEN.lock() {
        seen.clear();
    }
}

/// The statements counted since `reset`: their number, their total ms, and a listing of the
/// distinct ones (count, total ms, first 160 characters), the costliest first.
pub fn take() -> (usize, f64, String) {
    let seen = SEEN
        .lock()
        .map(|mut s| std::mem::take(&mut *s))
        .unwrap_or_default();
    let total: f64 = seen.iter().map(|(_, s)| s).sum::<f64>() * 1000.0;
    let mut by: HashMap<String, (usize, f64)> = HashMap::new();
    for (sql, secs) in &seen {
        let one_line: String = sql.split_whitespace().collect::<Vec<_>>().join(" ");
        let e = by.entry(one_line).or_default();
        e.0 += 1;
        e.1 += secs * 1000.0;
    }
    let mut rows: Vec<_> = by.into_iter().collect();
    rows.sort_by(|a, b| b.1.1.total_cmp(&a.1.1));
    let mut listing = String::new();
    for (sql, (n, ms)) in rows {
        let short: String = sql.chars().take(160).collect();
        let _ = writeln!(listing, "    {n:>3} × {ms:>8.2} ms  {short}");
    }
    (seen.len(), total, listing)
}
