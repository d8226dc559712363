//! The delivery worker: claims due deliveries from the database queue, signs and sends them,
//! with bounded concurrency per peer, and reschedules failures with exponential backoff.
//! Nothing is dropped silently: a final failure stays in the table with its last error.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use tokio::sync::Semaphore;
use tokio::task::JoinSet;

use super::signatures::sign_request;
use super::{FederationError, authority_of_str};
use crate::db::{DeliveryRow, now_ms};
use crate::state::AppState;

/// Requests in flight to one peer at most: a slow peer must not take all the workers.
pub const PER_PEER_CONCURRENCY: usize = 4;
/// Requests in flight in all.
pub const TOTAL_CONCURRENCY: usize = 64;
/// How long a claim lasts; a worker that dies mid-send leaves the row to be claimed again.
const LEASE_MS: i64 = 60_000;
/// First retry after a minute, doubling, capped at a day: 16 attempts span about five days
/// (34 h to reach the cap, then one a day), long enough for a weekend outage.
const FIRST_RETRY_MS: i64 = 60_000;
const MAX_RETRY_MS: i64 = 24 * 3600 * 1000;
pub const MAX_ATTEMPTS: i64 = 16;

/// What a drain did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct DrainStats {
    pub delivered: u64,
    pub retried: u64,
    pub failed: u64,
    pub cancelled: u64,
}

enum Outcome {
    Delivered(u16),
    /// The error, the status if the peer answered, and its Retry-After in seconds if it gave one.
    Retry(String, Option<u16>, Option<u64>),
    Final(String, Option<u16>),
    Cancelled,
}

/// What a peer answered one POST.
struct Answer {
    status: u16,
    retry_after_secs: Option<u64>,
}

/// Attempts for which a peer's Retry-After may bring the retry forward: enough to cover an
/// activity that overtook the one it depends on, too few for a peer that always says "now"
/// to use up a delivery's attempts in a minute.
const EARLY_RETRIES: i64 = 3;
/// The soonest a retry is sent, whatever the peer says.
const MIN_RETRY_MS: i64 = 5_000;

/// When attempt `attempts + 1` is due: the peer's Retry-After when it gives one (sooner than
/// our backoff only for the first attempts), our backoff otherwise.
pub fn retry_delay_ms(attempts: i64, retry_after_secs: Option<u64>) -> i64 {
    let ours = backoff_ms(attempts);
    let Some(secs) = retry_after_secs else {
        return ours;
    };
    let theirs = i64::try_from(secs.saturating_mul(1000))
        .unwrap_or(MAX_RETRY_MS)
        .clamp(MIN_RETRY_MS, MAX_RETRY_MS);
    if attempts < EARLY_RETRIES {
        theirs
    } else {
        theirs.max(ours)
    }
}

/// The delay before attempt `attempts + 1`, with ±20 % jitter so that retries to a peer that
/// comes back do not arrive all at once.
pub fn backoff_ms(attempts: i64) -> i64 {
    let exp = FIRST_RETRY_MS.saturating_mul(1_i64 << attempts.clamp(0, 20));
    let base = exp.min(MAX_RETRY_MS);
    let jitter = 0.8 + rand::random::<f64>() * 0.4;
    (base as f64 * jitter) as i64
}

/// Whether a status is worth retrying: server errors, timeouts and rate limits are; other
/// client errors mean the peer refused and will refuse again.
pub fn is_retryable(status: u16) -> bool {
    status >= 500 || status == 408 || status == 429
}

/// Sends every delivery that is due now, until none is left; used by the worker and by
/// tests that need deliveries to happen at a known moment.
pub async fn drain(state: &AppState) -> Result<DrainStats, FederationError> {
    let mut stats = DrainStats::default();
    let total = Arc::new(Semaphore::new(TOTAL_CONCURRENCY));
    let mut per_peer: HashMap<String, Arc<Semaphore>> = HashMap::new();
    loop {
        // Whoever claims is alive: a claim is never taken for the claim of a gone process.
        state.store.heartbeat_instance().await?;
        let batch = state
            .store
            .claim_deliveries(TOTAL_CONCURRENCY as i64, LEASE_MS)
            .await?;
        if batch.is_empty() {
            return Ok(stats);
        }
        let mut tasks = JoinSet::new();
        for row in batch {
            let peer = per_peer
                .entry(row.authority.clone())
                .or_insert_with(|| Arc::new(Semaphore::new(PER_PEER_CONCURRENCY)))
                .clone();
            let total = total.clone();
            let state = state.clone();
            tasks.spawn(async move {
                let _global = total.acquire_owned().await;
                let _peer = peer.acquire_owned().await;
                let outcome = attempt(&state, &row).await;
                record(&state, &row, outcome).await
            });
        }
        while let Some(done) = tasks.join_next().await {
            match done {
                Ok(Ok(o)) => match o {
                    Recorded::Delivered => stats.delivered += 1,
                    Recorded::Retried => stats.retried += 1,
                    Recorded::Failed => stats.failed += 1,
                    Recorded::Cancelled => stats.cancelled += 1,
                },
                Ok(Err(e)) => tracing::error!(error = %e, "recording a delivery failed"),
                Err(e) => tracing::error!(error = %e, "a delivery task panicked"),
            }
        }
    }
}

enum Recorded {
    Delivered,
    Retried,
    Failed,
    Cancelled,
}

#[tracing::instrument(skip_all, fields(id = %row.activity_ap_id, peer = %row.authority, attempt = row.attempts + 1))]
async fn attempt(state: &AppState, row: &DeliveryRow) -> Outcome {
    // Handshake activities are what makes (or unmakes) the approval: they must pass.
    let allowed = if row.handshake == 1 {
        Ok(true)
    } else {
        state.fed.policy.allows(&state.store, &row.authority).await
    };
    match allowed {
        Ok(true) => {}
        Ok(false) => return Outcome::Cancelled,
        Err(e) => return Outcome::Retry(e.to_string(), None, None),
    }
    match send(state, row).await {
        Ok(Answer { status, .. }) if (200..300).contains(&status) => Outcome::Delivered(status),
        Ok(Answer {
            status,
            retry_after_secs,
        }) if is_retryable(status) => Outcome::Retry(
            format!("peer answered {status}"),
            Some(status),
            retry_after_secs,
        ),
        Ok(Answer { status, .. }) => {
            Outcome::Final(format!("peer refused with {status}"), Some(status))
        }
        Err(e) => Outcome::Retry(e.to_string(), None, None),
    }
}

async fn record(
    state: &AppState,
    row: &DeliveryRow,
    outcome: Outcome,
) -> Result<Recorded, FederationError> {
    let store = &state.store;
    Ok(match outcome {
        Outcome::Delivered(status) => {
            store.mark_delivered(row.id, i64::from(status)).await?;
            crate::metrics::delivery_sent(&row.authority);
            tracing::debug!(peer = %row.authority, "delivered");
            Recorded::Delivered
        }
        Outcome::Retry(error, status, retry_after) if row.attempts + 1 < MAX_ATTEMPTS => {
            let next = now_ms() + retry_delay_ms(row.attempts, retry_after);
            tracing::info!(peer = %row.authority, attempt = row.attempts + 1, %error, "delivery will be retried");
            store
                .mark_attempt_failed(row.id, &error, status.map(i64::from), Some(next))
                .await?;
            crate::metrics::delivery_failed(&row.authority, false);
            Recorded::Retried
        }
        Outcome::Retry(error, status, _) | Outcome::Final(error, status) => {
            tracing::warn!(peer = %row.authority, %error, "delivery failed for good");
            store
                .mark_attempt_failed(row.id, &error, status.map(i64::from), None)
                .await?;
            crate::metrics::delivery_failed(&row.authority, true);
            Recorded::Failed
        }
        Outcome::Cancelled => {
            store.cancel_deliveries_to(&row.authority).await?;
            Recorded::Cancelled
        }
    })
}

/// The HTTP signature schemes a delivery can be signed with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scheme {
    /// draft-cavage-http-signatures-12, what Mastodon and most of the fediverse verify.
    Cavage,
    /// RFC 9421 HTTP Message Signatures with `Content-Digest`, Fedify's first knock.
    Rfc9421,
}

impl Scheme {
    /// The name kept in `peers.signature_scheme`.
    pub fn name(self) -> &'static str {
        match self {
            Self::Cavage => "cavage",
            Self::Rfc9421 => "rfc9421",
        }
    }

    fn from_name(name: &str) -> Option<Self> {
        match name {
            "cavage" => Some(Self::Cavage),
            "rfc9421" => Some(Self::Rfc9421),
            _ => None,
        }
    }

    fn other(self) -> Self {
        match self {
            Self::Cavage => Self::Rfc9421,
            Self::Rfc9421 => Self::Cavage,
        }
    }
}

/// One delivery, signed with the scheme the peer accepted last (draft-cavage when not known
/// yet). A 401 may only mean the peer does not verify that scheme: we knock once more with
/// the other one, as Fedify does, and remember whichever the peer accepted.
async fn send(state: &AppState, row: &DeliveryRow) -> Result<Answer, FederationError> {
    let sender = state
        .store
        .actor_by_id(row.sender_id)
        .await?
        .ok_or_else(|| FederationError::Internal("sender vanished".into()))?;
    // The first signed delivery as an agent makes their key pair.
    let sender = crate::domain::actor_keys::ensure(state, sender).await?;
    let signer = Arc::new(state.fed.keys.signer(&sender)?);
    let url =
        url::Url::parse(&row.inbox_url).map_err(|e| FederationError::Malformed(e.to_string()))?;
    if row.handshake == 1 {
        super::fetch::check_address(state, &url)?;
    } else {
        super::fetch::check_target(state, &url).await?;
    }
    let known = state.store.peer_signature_scheme(&row.authority).await?;
    let first = Scheme::from_name(&known).unwrap_or(Scheme::Cavage);
    let mut used = first;
    let mut answer = post(state, row, &url, &signer, first).await?;
    if answer.status == 401 {
        used = first.other();
        answer = post(state, row, &url, &signer, used).await?;
        tracing::info!(peer = %row.authority, scheme = used.name(), status = answer.status, "knocked again with the other signature scheme");
    }
    if (200..300).contains(&answer.status) && known != used.name() {
        state
            .store
            .set_peer_signature_scheme(&row.authority, used.name())
            .await?;
    }
    Ok(answer)
}

/// One POST of the delivery's body, signed with `scheme`.
async fn post(
    state: &AppState,
    row: &DeliveryRow,
    url: &url::Url,
    signer: &Arc<super::keycache::Signer>,
    scheme: Scheme,
) -> Result<Answer, FederationError> {
    let host = authority_of_str(&row.inbox_url).unwrap_or_default();
    // An RSA-2048 signature costs about a quarter of a millisecond of CPU: on the blocking
    // pool, so that a burst of deliveries does not hold the runtime's few threads (which also
    // serve the inbox and the pages) for that long each.
    let headers: Vec<(&'static str, String)> = {
        let (signer, url, host, body) = (
            Arc::clone(signer),
            url.clone(),
            host.clone(),
            row.body.clone(),
        );
        tokio::task::spawn_blocking(move || signed_headers(scheme, &signer, &url, &host, &body))
            .await
            .map_err(|e| FederationError::Internal(format!("signing task: {e}")))??
    };
    let mut request = state
        .fed
        .http
        .post(url.clone())
        .header("Host", host.clone())
        .header("Content-Type", CONTENT_TYPE)
        .header("Accept", "application/activity+json");
    for (name, value) in headers {
        request = request.header(name, value);
    }
    let res = request
        .body(row.body.clone())
        .send()
        .await
        .map_err(|e| FederationError::Remote(e.to_string()))?;
    // Seconds only: no peer we know of sends an HTTP date here, and one would fall back to
    // our own backoff.
    let retry_after_secs = res
        .headers()
        .get("Retry-After")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse().ok());
    Ok(Answer {
        status: res.status().as_u16(),
        retry_after_secs,
    })
}

const CONTENT_TYPE: &str = "application/activity+json";

/// The signature headers of one POST of `body` to `url`, in `scheme`.
fn signed_headers(
    scheme: Scheme,
    signer: &super::keycache::Signer,
    url: &url::Url,
    host: &str,
    body: &str,
) -> Result<Vec<(&'static str, String)>, FederationError> {
    Ok(match scheme {
        Scheme::Cavage => {
            let path = match url.query() {
                Some(q) => format!("{}?{q}", url.path()),
                None => url.path().to_owned(),
            };
            let signed = sign_request(
                "POST",
                host,
                &path,
                Some(body.as_bytes()),
                Some(CONTENT_TYPE),
                &signer.key_id,
                &signer.key,
                SystemTime::now(),
            )?;
            vec![
                ("Date", signed.date),
                ("Digest", signed.digest.unwrap_or_default()),
                ("Signature", signed.signature),
            ]
        }
        Scheme::Rfc9421 => {
            let signed = super::rfc9421::sign(
                &super::rfc9421::Request {
                    method: "POST",
                    target_uri: url.as_str(),
                    body: Some(body.as_bytes()),
                },
                &signer.key_id,
                &signer.key,
                SystemTime::now(),
            )?;
            vec![
                ("Date", httpdate::fmt_http_date(SystemTime::now())),
                ("Content-Digest", signed.content_digest.unwrap_or_default()),
                ("Signature-Input", signed.signature_input),
                ("Signature", signed.signature),
            ]
        }
    })
}

/// Registers this process as a delivering instance and replays what an interrupted run left
/// in the publish journal, before the worker's first claim.
pub async fn start_instance(state: &AppState) {
    match state.store.register_instance().await {
        Ok(0) => {}
        Ok(released) => {
            tracing::info!(released, "deliveries claimed by a previous run released");
        }
        Err(e) => tracing::error!(error = %e, "registering the delivery instance failed"),
    }
    replay_journal(state).await;
}

async fn replay_journal(state: &AppState) {
    if let Err(e) = crate::domain::journal::replay(state).await {
        tracing::warn!(error = %e, "replaying the publish journal failed; tried again soon");
    }
}

/// Keeps this process's heartbeat (so others do not take over its claims) and replays the
/// publish journal now and then, until `stop`.
pub async fn run_instance(state: AppState, mut stop: tokio::sync::watch::Receiver<bool>) {
    let beat = Duration::from_millis((crate::db::INSTANCE_STALE_MS / 3) as u64);
    let mut beats = 0_u64;
    loop {
        tokio::select! {
            _ = tokio::time::sleep(beat) => {}
            _ = stop.changed() => return,
        }
        if *stop.borrow() {
            return;
        }
        if let Err(e) = state.store.heartbeat_instance().await {
            tracing::warn!(error = %e, "delivery heartbeat failed");
        }
        beats += 1;
        if beats.is_multiple_of(3) {
            replay_journal(&state).await;
        }
    }
}

/// A clean stop: this process's claims are released for whoever delivers next.
pub async fn stop_instance(state: &AppState) {
    if let Err(e) = state.store.retire_instance().await {
        tracing::warn!(error = %e, "retiring the delivery instance failed");
    }
}

/// The background worker of a node: drains, then sleeps until woken by an enqueue or until
/// the next delivery is due (at most `poll`). Stops between two drains when `stop` turns true.
pub async fn run_worker(state: AppState, poll: Duration, stop: tokio::sync::watch::Receiver<bool>) {
    let state = &state;
    crate::worker::run(
        "delivery",
        poll,
        stop,
        &state.fed.wakeup,
        move || drain(state),
        move || async move { state.store.next_delivery_due().await.ok().flatten() },
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_peers_retry_after_brings_the_first_retries_forward_but_never_below_five_seconds() {
        // "Not yet, in 10 s": the first three retries come in 10 s, not a minute.
        for attempts in 0..EARLY_RETRIES {
            assert_eq!(retry_delay_ms(attempts, Some(10)), 10_000);
        }
        // A peer that always says "now" cannot burn the attempts in a few seconds.
        assert_eq!(retry_delay_ms(0, Some(0)), MIN_RETRY_MS);
        let later = retry_delay_ms(EARLY_RETRIES, Some(0));
        assert!(
            later >= (backoff_base(EARLY_RETRIES) as f64 * 0.8) as i64,
            "{later}"
        );
        // A longer one postpones, up to a day.
        assert_eq!(retry_delay_ms(0, Some(7200)), 7_200_000);
        assert_eq!(retry_delay_ms(0, Some(u64::MAX)), MAX_RETRY_MS);
        // No hint: our own backoff.
        assert!((48_000..=72_000).contains(&retry_delay_ms(0, None)));
    }

    fn backoff_base(attempts: i64) -> i64 {
        FIRST_RETRY_MS
            .saturating_mul(1 << attempts)
            .min(MAX_RETRY_MS)
    }

    #[test]
    fn backoff_doubles_from_a_minute_and_stops_at_a_day() {
        let a0 = backoff_ms(0);
        assert!((48_000..=72_000).contains(&a0), "{a0}");
        let a3 = backoff_ms(3);
        assert!((384_000..=576_000).contains(&a3), "{a3}");
        let a20 = backoff_ms(20);
        assert!(a20 <= (MAX_RETRY_MS as f64 * 1.2) as i64);
        let total: i64 = (0..MAX_ATTEMPTS - 1)
            .map(|n| FIRST_RETRY_MS.saturating_mul(1 << n).min(MAX_RETRY_MS))
            .sum();
        assert!(
            total > 3 * 24 * 3600 * 1000,
            "retries span several days: {total}"
        );
    }

    #[test]
    fn only_server_errors_timeouts_and_rate_limits_are_retried() {
        for s in [500, 502, 503, 408, 429] {
            assert!(is_retryable(s), "{s}");
        }
        for s in [400, 401, 403, 404, 410, 413, 422] {
            assert!(!is_retryable(s), "{s}");
        }
    }
}
