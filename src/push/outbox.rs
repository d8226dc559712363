//! The push outbox's worker: claims due pushes, encrypts each for its device, signs with the
//! node's VAPID key and POSTs it through the federation's guarded client (no private address
//! unless `allow_private_addresses`, no redirect). A device whose service answers 404 or 410
//! is gone: it is forgotten with what waited for it. Server errors, rate limits and silence
//! are retried with the delivery backoff; other refusals fail that push only.

use std::time::Duration;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use tokio::task::JoinSet;
use web_push_native::{Auth, p256};

use super::vapid;
use crate::db::{DbError, PushKeyRow, PushRow, PushSubscriptionRow, now_ms};
use crate::federation::delivery::backoff_ms;
use crate::state::AppState;

/// Pushes sent at once.
const CONCURRENCY: i64 = 16;
/// How long a claim lasts: longer than the client's timeout.
const LEASE_MS: i64 = 60_000;
/// About four hours with the delivery backoff: a push that late is no longer news.
pub const MAX_ATTEMPTS: i64 = 8;
/// How long the push service keeps a push for a device that is off (RFC 8030 `TTL`), seconds.
const TTL_SECS: u64 = 24 * 3600;

/// What a drain did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct PushStats {
    pub sent: u64,
    pub retried: u64,
    pub failed: u64,
    /// Devices forgotten because their service said they are gone (404/410).
    pub gone: u64,
}

enum Outcome {
    Sent,
    Gone(u16),
    Retry(String),
    Refused(String),
}

/// Sends every push due now, until none is left.
pub async fn drain(state: &AppState) -> Result<PushStats, DbError> {
    let mut stats = PushStats::default();
    let mut key: Option<PushKeyRow> = None;
    loop {
        // The domain's clock, as for mail: a push held by quiet hours leaves at its 08:00.
        let now = state.clock.now_ms();
        let batch = state
            .store
            .claim_push_at(now, CONCURRENCY, LEASE_MS)
            .await?;
        if batch.is_empty() {
            return Ok(stats);
        }
        if key.is_none() {
            key = Some(
                crate::domain::push::key(state)
                    .await
                    .map_err(|e| DbError::Open(e.to_string()))?,
            );
        }
        let mut tasks = JoinSet::new();
        for row in batch {
            let state = state.clone();
            let key = key.clone();
            tasks.spawn(async move {
                let sub = state.store.push_subscription(row.subscription_id).await?;
                let outcome = match (sub.as_ref(), key.as_ref()) {
                    (Some(sub), Some(key)) => send(&state, key, sub, &row).await,
                    _ => Outcome::Refused("the device is no longer registered".into()),
                };
                record(&state, &row, outcome).await
            });
        }
        while let Some(done) = tasks.join_next().await {
            match done {
                Ok(Ok(Recorded::Sent)) => stats.sent += 1,
                Ok(Ok(Recorded::Retried)) => stats.retried += 1,
                Ok(Ok(Recorded::Failed)) => stats.failed += 1,
                Ok(Ok(Recorded::Gone)) => stats.gone += 1,
                Ok(Err(e)) => tracing::error!(error = %e, "recording a push failed"),
                Err(e) => tracing::error!(error = %e, "a push task panicked"),
            }
        }
    }
}

/// The payload: a title and a link, nothing else (a locked screen shows it).
pub fn payload(row: &PushRow) -> Vec<u8> {
    serde_json::json!({ "title": row.title, "link": row.link })
        .to_string()
        .into_bytes()
}

/// Who sends, for the push service's operator: the node's mail sender, else its address.
fn subject(state: &AppState) -> String {
    let email = state.config.mail.from.email.to_string();
    if email.contains('@') {
        format!("mailto:{email}")
    } else {
        state.urls.base().to_owned()
    }
}

async fn send(
    state: &AppState,
    key: &PushKeyRow,
    sub: &PushSubscriptionRow,
    row: &PushRow,
) -> Outcome {
    let Ok(endpoint) = url::Url::parse(&sub.endpoint) else {
        return Outcome::Refused("the endpoint is not a URL".into());
    };
    let ua_public = URL_SAFE_NO_PAD
        .decode(&sub.p256dh)
        .ok()
        .and_then(|k| p256::PublicKey::from_sec1_bytes(&k).ok());
    let ua_auth = URL_SAFE_NO_PAD
        .decode(&sub.auth)
        .ok()
        .filter(|a| a.len() == 16)
        .map(|a| Auth::clone_from_slice(&a));
    let (Some(ua_public), Some(ua_auth)) = (ua_public, ua_auth) else {
        return Outcome::Refused("the device's keys are unreadable".into());
    };
    let body = match web_push_native::encrypt(payload(row), &ua_public, &ua_auth) {
        Ok(b) => b,
        Err(e) => return Outcome::Refused(format!("encryption failed: {e}")),
    };
    let authorization = match vapid::authorization(key, &endpoint, &subject(state), now_ms() / 1000)
    {
        Ok(a) => a,
        Err(e) => return Outcome::Refused(e),
    };
    let response = state
        .fed
        .http
        .post(endpoint)
        .header("Authorization", authorization)
        .header("TTL", TTL_SECS.to_string())
        .header("Urgency", "normal")
        .header("Content-Encoding", "aes128gcm")
        .header("Content-Type", "application/octet-stream")
        .body(body)
        .send()
        .await;
    match response {
        Ok(r) if r.status().is_success() => Outcome::Sent,
        Ok(r) if matches!(r.status().as_u16(), 404 | 410) => Outcome::Gone(r.status().as_u16()),
        Ok(r) if r.status().is_server_error() || r.status().as_u16() == 429 => {
            Outcome::Retry(format!("push service answered {}", r.status()))
        }
        Ok(r) => Outcome::Refused(format!("push service answered {}", r.status())),
        Err(e) => Outcome::Retry(format!("push service unreachable: {e}")),
    }
}

enum Recorded {
    Sent,
    Retried,
    Failed,
    Gone,
}

#[tracing::instrument(skip_all, fields(push = row.id, attempt = row.attempts + 1))]
async fn record(state: &AppState, row: &PushRow, outcome: Outcome) -> Result<Recorded, DbError> {
    let store = &state.store;
    Ok(match outcome {
        Outcome::Sent => {
            store.mark_push_sent(row.id, row.subscription_id).await?;
            Recorded::Sent
        }
        Outcome::Gone(status) => {
            tracing::info!(status, "push endpoint gone: device forgotten");
            store.forget_push_subscription(row.subscription_id).await?;
            Recorded::Gone
        }
        Outcome::Retry(error) if row.attempts + 1 < MAX_ATTEMPTS => {
            tracing::info!(%error, "push will be retried");
            let next = state.clock.now_ms() + backoff_ms(row.attempts);
            store
                .mark_push_attempt_failed(row.id, &error, Some(next))
                .await?;
            Recorded::Retried
        }
        Outcome::Retry(error) | Outcome::Refused(error) => {
            tracing::warn!(%error, "push failed for good");
            store.mark_push_attempt_failed(row.id, &error, None).await?;
            Recorded::Failed
        }
    })
}

/// The background worker: drains, then sleeps until the next push is due (at most `poll`).
/// Stops between two drains when `stop` turns true.
pub async fn run_worker(state: AppState, poll: Duration, stop: tokio::sync::watch::Receiver<bool>) {
    let state = &state;
    // Pushes are queued by the domain, which cannot ring this worker: it looks every `poll`.
    let wakeup = tokio::sync::Notify::new();
    crate::worker::run(
        "push",
        poll,
        stop,
        &wakeup,
        move || drain(state),
        move || async move { state.store.next_push_due().await.ok().flatten() },
    )
    .await
}
