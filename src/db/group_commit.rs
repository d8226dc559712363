//! Group commit of the inbox's hot writes: one writer thread takes every pending write and
//! commits them in one transaction, and each caller is answered only after that commit.
//!
//! Why: SQLite has one writer, and a transaction per incoming activity made the commit (and
//! the pages of every index it touches) the limit of the inbox (benches/README.md). Batching
//! what arrives while the previous batch commits costs a caller at most one commit of
//! waiting, and nothing is acknowledged before it is durable.

use std::sync::{Arc, Mutex};

use sqlx::AnyPool;
use tokio::sync::{mpsc, oneshot};

use super::{DbError, Engine, now_ms};

/// Most writes in one transaction: bounds the wait of the last one and the transaction's size.
const MAX_BATCH: usize = 512;

/// A note (or other object) to insert, owned so that it can cross to the writer.
#[derive(Debug, Clone)]
pub struct ObjectWrite {
    pub ap_id: String,
    pub kind: String,
    pub authority: String,
    pub attributed_to: String,
    pub content_html: String,
    pub in_reply_to: Option<String>,
    pub published_at: i64,
}

/// An activity id to record for deduplication.
#[derive(Debug, Clone)]
pub struct ReceivedWrite {
    pub ap_id: String,
    pub authority: String,
    pub kind: String,
}

/// One write of the hot path.
#[derive(Debug, Clone)]
pub enum HotWrite {
    /// Records an activity id; true when it was new.
    Received(ReceivedWrite),
    /// Inserts an object; true when it was new.
    Object(ObjectWrite),
    /// Records an activity id and, only when it was new, inserts its object, in the same
    /// transaction: an activity is stored with its dedup record or not at all.
    ReceivedWithObject(ReceivedWrite, ObjectWrite),
}

struct Job {
    write: HotWrite,
    answer: oneshot::Sender<Result<bool, DbError>>,
}

/// The handle on the writer thread, started at the first write of a store.
#[derive(Debug, Default)]
pub struct GroupWriter {
    sender: Mutex<Option<mpsc::UnboundedSender<Job>>>,
}

impl std::fmt::Debug for Job {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.write.fmt(f)
    }
}

impl GroupWriter {
    /// Queues `write` and waits for the commit that holds it.
    pub async fn write(
        self: &Arc<Self>,
        pool: &AnyPool,
        engine: Engine,
        write: HotWrite,
    ) -> Result<bool, DbError> {
        let (answer, wait) = oneshot::channel();
        let job = Job { write, answer };
        let sender = self.sender(pool, engine)?;
        if let Err(mpsc::error::SendError(job)) = sender.send(job) {
            // The writer thread is gone (it could not start its runtime): write alone.
            return apply_alone(pool, engine, &job.write).await;
        }
        wait.await
            .map_err(|_| DbError::Open("the writer stopped before committing".into()))?
    }

    fn sender(
        &self,
        pool: &AnyPool,
        engine: Engine,
    ) -> Result<mpsc::UnboundedSender<Job>, DbError> {
        let mut guard = self
            .sender
            .lock()
            .map_err(|_| DbError::Open("writer lock poisoned".into()))?;
        if let Some(s) = guard.as_ref().filter(|s| !s.is_closed()) {
            return Ok(s.clone());
        }
        let (tx, rx) = mpsc::unbounded_channel();
        let pool = pool.clone();
        // Its own thread and runtime: the writer outlives any one HTTP worker's runtime, and
        // stops when the last handle on the store (and so the sender) is dropped.
        std::thread::Builder::new()
            .name("db-group-writer".into())
            .spawn(move || {
                match tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                {
                    Ok(rt) => rt.block_on(run(pool, engine, rx)),
                    Err(e) => tracing::error!(error = %e, "cannot start the writer's runtime"),
                }
            })
            .map_err(|e| DbError::Open(format!("cannot start the writer thread: {e}")))?;
        *guard = Some(tx.clone());
        Ok(tx)
    }
}

/// The writer's loop: takes what is pending (at least one write), commits it, answers.
async fn run(pool: AnyPool, engine: Engine, mut rx: mpsc::UnboundedReceiver<Job>) {
    let mut batch: Vec<Job> = Vec::with_capacity(MAX_BATCH);
    while let Some(first) = rx.recv().await {
        batch.push(first);
        while batch.len() < MAX_BATCH {
            match rx.try_recv() {
                Ok(job) => batch.push(job),
                Err(_) => break,
            }
        }
        match commit(&pool, engine, &batch).await {
            Ok(results) => {
                for (job, fresh) in batch.drain(..).zip(results) {
                    let _ = job.answer.send(Ok(fresh));
                }
            }
            Err(e) => {
                // One bad write must not fail the others: each is tried again on its own,
                // and answered with its own outcome.
                tracing::warn!(error = %e, writes = batch.len(), "group commit failed; writing one by one");
                for job in batch.drain(..) {
                    let result = apply_alone(&pool, engine, &job.write).await;
                    let _ = job.answer.send(result);
                }
            }
        }
    }
}

async fn begin(
    pool: &AnyPool,
    engine: Engine,
) -> Result<sqlx::Transaction<'static, sqlx::Any>, sqlx::Error> {
    match engine {
        // Take the write lock at once (see `Store::begin_write`).
        Engine::Sqlite => pool.begin_with("BEGIN IMMEDIATE").await,
        Engine::Postgres => pool.begin().await,
    }
}

async fn commit(pool: &AnyPool, engine: Engine, batch: &[Job]) -> Result<Vec<bool>, DbError> {
    let mut tx = begin(pool, engine).await?;
    let mut results = Vec::with_capacity(batch.len());
    for job in batch {
        results.push(apply(&mut tx, &job.write).await?);
    }
    tx.commit().await?;
    Ok(results)
}

async fn apply_alone(pool: &AnyPool, engine: Engine, write: &HotWrite) -> Result<bool, DbError> {
    let mut tx = begin(pool, engine).await?;
    let fresh = apply(&mut tx, write).await?;
    tx.commit().await?;
    Ok(fresh)
}

async fn apply(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    write: &HotWrite,
) -> Result<bool, DbError> {
    match write {
        HotWrite::Received(r) => received(tx, r).await,
        HotWrite::Object(o) => object(tx, o).await,
        HotWrite::ReceivedWithObject(r, o) => {
            if !received(tx, r).await? {
                return Ok(false);
            }
            object(tx, o).await?;
            Ok(true)
        }
    }
}

async fn received(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    r: &ReceivedWrite,
) -> Result<bool, DbError> {
    let done = sqlx::query(
        "INSERT INTO received_activities (ap_id, authority, kind, received_at) \
         VALUES ($1, $2, $3, $4) ON CONFLICT (ap_id) DO NOTHING",
    )
    .bind(&r.ap_id)
    .bind(&r.authority)
    .bind(&r.kind)
    .bind(now_ms())
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

async fn object(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    o: &ObjectWrite,
) -> Result<bool, DbError> {
    let done = sqlx::query(
        "INSERT INTO objects (ap_id, kind, authority, attributed_to, content_html, in_reply_to, \
         published_at, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
         ON CONFLICT (ap_id) DO NOTHING",
    )
    .bind(&o.ap_id)
    .bind(&o.kind)
    .bind(&o.authority)
    .bind(&o.attributed_to)
    .bind(&o.content_html)
    .bind(o.in_reply_to.as_deref())
    .bind(o.published_at)
    .bind(now_ms())
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}
