//! Prometheus metrics: the name of every series and the functions the rest of the code calls
//! to record them. Rendering for `/metrics` is in `recorder`; HTTP recording in `http::metrics`.
//!
//! Every label value is bounded so that a peer or a client cannot grow the number of series:
//! routes are patterns, methods and activity types fall back to `other`, reasons and outcomes
//! are `&'static str` chosen in our code, and peers are approved nodes only.

mod recorder;

pub use recorder::{PoolStats, install, render};

use std::time::Duration;

/// Counter `{method, route, status}`: HTTP requests answered.
pub const HTTP_REQUESTS: &str = "http_requests_total";
/// Histogram `{method, route}`: time from request to response head, in seconds.
pub const HTTP_DURATION: &str = "http_request_duration_seconds";
/// Counter `{peer}`: deliveries put in the outgoing queue (one per destination inbox).
pub const DELIVERIES_QUEUED: &str = "entrepairs_deliveries_queued_total";
/// Counter `{peer}`: deliveries the peer accepted (2xx).
pub const DELIVERIES_SENT: &str = "entrepairs_deliveries_sent_total";
/// Counter `{peer, final}`: failed delivery attempts; `final="true"` when the queue gave up.
pub const DELIVERIES_FAILED: &str = "entrepairs_deliveries_failed_total";
/// Counter `{type, outcome}`: activities received in an inbox.
pub const INBOX_ACTIVITIES: &str = "entrepairs_inbox_activities_total";
/// Counter `{reason}`: HTTP signatures refused.
pub const SIGNATURE_FAILURES: &str = "entrepairs_signature_failures_total";
/// Gauge: connections the database pool holds open (idle or in use).
pub const DB_POOL_CONNECTIONS: &str = "entrepairs_db_pool_connections";
/// Gauge: open connections that are idle.
pub const DB_POOL_IDLE: &str = "entrepairs_db_pool_idle_connections";
/// Gauge: the most connections the pool may open.
pub const DB_POOL_MAX: &str = "entrepairs_db_pool_max_connections";

/// Counter: mail messages queued in the outbox.
pub const MAIL_QUEUED: &str = "entrepairs_mail_queued_total";
/// Counter: mail messages the relay accepted.
pub const MAIL_SENT: &str = "entrepairs_mail_sent_total";
/// Counter `{final}`: failed mail attempts; `final="true"` when the message was given up.
pub const MAIL_FAILED: &str = "entrepairs_mail_failed_total";

/// Upper bounds of the latency buckets, in seconds: from a cached page (a few ms) to a
/// request that waits for a remote fetch or a busy database (tens of seconds).
pub const HTTP_DURATION_BUCKETS: [f64; 12] = [
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0,
];

/// Route label of a request that matched no route (404s of unknown paths, scanners).
pub const UNMATCHED_ROUTE: &str = "unmatched";

/// Records one answered HTTP request. `route` is the matched pattern
/// (`/users/{username}`), never the raw path, or [`UNMATCHED_ROUTE`].
pub fn http_request(method: &str, route: &str, status: u16, elapsed: Duration) {
    let method = bounded_method(method);
    ::metrics::counter!(
        HTTP_REQUESTS,
        "method" => method,
        "route" => route.to_owned(),
        "status" => status.to_string()
    )
    .increment(1);
    ::metrics::histogram!(HTTP_DURATION, "method" => method, "route" => route.to_owned())
        .record(elapsed.as_secs_f64());
}

/// An activity was queued for delivery to `peer` (its authority, `host[:port]`). Call once
/// per queued row, that is once per destination shared inbox. `peer` must be a node we
/// deliver to (an approved peer), never a value taken unchecked from a request.
pub fn deliveries_queued(peer: &str) {
    ::metrics::counter!(DELIVERIES_QUEUED, "peer" => peer.to_owned()).increment(1);
}

/// `peer` accepted a delivery (answered 2xx).
pub fn delivery_sent(peer: &str) {
    ::metrics::counter!(DELIVERIES_SENT, "peer" => peer.to_owned()).increment(1);
}

/// A delivery attempt to `peer` failed. `is_final` is true when the queue gives up on it
/// (retries exhausted, or a permanent refusal such as 4xx), false when it will retry.
pub fn delivery_failed(peer: &str, is_final: bool) {
    let last = if is_final { "true" } else { "false" };
    ::metrics::counter!(DELIVERIES_FAILED, "peer" => peer.to_owned(), "final" => last).increment(1);
}

/// An activity arrived in an inbox. `kind` is its `type` as received (unknown types are
/// counted as `other`); `outcome` is what we did with it, one of a fixed set such as
/// `accepted`, `duplicate`, `unapproved_peer`, `unauthorized`, `invalid`, `error`.
pub fn inbox_activity(kind: &str, outcome: &'static str) {
    ::metrics::counter!(
        INBOX_ACTIVITIES,
        "type" => bounded_activity_type(kind),
        "outcome" => outcome
    )
    .increment(1);
}

/// An HTTP signature was refused. `reason` is one of a fixed set such as `missing`,
/// `malformed`, `date_out_of_window`, `digest_mismatch`, `unknown_key`, `bad_signature`,
/// `unapproved_peer`.
pub fn signature_failure(reason: &'static str) {
    ::metrics::counter!(SIGNATURE_FAILURES, "reason" => reason).increment(1);
}

/// The method as a label: the standard ones, anything else (`FOO`, `PROPFIND`) as `other`.
fn bounded_method(method: &str) -> &'static str {
    const KNOWN: [&str; 7] = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];
    KNOWN.into_iter().find(|m| *m == method).unwrap_or("other")
}

/// The ActivityStreams activity types peers send us (Mastodon, Lemmy, Mobilizon, FEP-1b12);
/// anything else is `other`.
fn bounded_activity_type(kind: &str) -> &'static str {
    const KNOWN: [&str; 18] = [
        "Create",
        "Update",
        "Delete",
        "Follow",
        "Accept",
        "Reject",
        "TentativeAccept",
        "Undo",
        "Announce",
        "Like",
        "Dislike",
        "Flag",
        "Block",
        "Join",
        "Leave",
        "Add",
        "Remove",
        "Move",
    ];
    KNOWN.into_iter().find(|k| *k == kind).unwrap_or("other")
}

#[cfg(test)]
mod tests;

/// A message was queued in the mail outbox.
pub fn mail_queued() {
    ::metrics::counter!(MAIL_QUEUED).increment(1);
}

/// The relay accepted a message.
pub fn mail_sent() {
    ::metrics::counter!(MAIL_SENT).increment(1);
}

/// A mail attempt failed; `is_final` when the message is given up (5xx or retries spent).
pub fn mail_failed(is_final: bool) {
    let last = if is_final { "true" } else { "false" };
    ::metrics::counter!(MAIL_FAILED, "final" => last).increment(1);
}
