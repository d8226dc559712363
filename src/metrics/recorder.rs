//! The process-wide Prometheus recorder, installed once, and the text `/metrics` answers.
//!
//! The `metrics` facade has one global recorder per process, while tests and `entrepairs demo`
//! run several nodes in one process. So the recorder is installed once (`OnceLock`) and shared:
//! in such a process every node's `/metrics` shows the counters of all its nodes together. A
//! real deployment runs one node per process, where this is exact. The pool gauges are the
//! exception: they are read from the scraped node's own pool at render time, so they are
//! exact even then.

use std::fmt::Write as _;
use std::sync::OnceLock;
use std::time::Duration;

use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};

use super::{
    DB_POOL_CONNECTIONS, DB_POOL_IDLE, DB_POOL_MAX, DELIVERIES_FAILED, DELIVERIES_QUEUED,
    DELIVERIES_SENT, HTTP_DURATION, HTTP_DURATION_BUCKETS, HTTP_REQUESTS, INBOX_ACTIVITIES,
    SIGNATURE_FAILURES,
};

static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();

/// How often histograms are folded into their buckets when nobody scrapes: without it, the
/// raw samples of an unscraped node would grow without bound.
const UPKEEP_EVERY: Duration = Duration::from_secs(5);

/// Installs the recorder on the first call; later calls return the same handle. Call it
/// before recording anything: what is recorded before is lost.
pub fn install() -> &'static PrometheusHandle {
    HANDLE.get_or_init(|| {
        // Only fails on an empty bucket list, which the constant is not; summaries then.
        let builder = PrometheusBuilder::new()
            .set_buckets_for_metric(Matcher::Full(HTTP_DURATION.into()), &HTTP_DURATION_BUCKETS)
            .unwrap_or_else(|_| PrometheusBuilder::new());
        let recorder = builder.build_recorder();
        let handle = recorder.handle();
        if ::metrics::set_global_recorder(recorder).is_err() {
            // A program embedding us installed its own recorder; ours then stays empty.
            tracing::warn!("another metrics recorder is installed; /metrics will be empty");
        }
        describe();
        let upkeep = handle.clone();
        let spawned = std::thread::Builder::new()
            .name("metrics-upkeep".into())
            .spawn(move || {
                loop {
                    std::thread::sleep(UPKEEP_EVERY);
                    upkeep.run_upkeep();
                }
            });
        if let Err(e) = spawned {
            tracing::warn!(error = %e, "cannot start the metrics upkeep thread");
        }
        handle
    })
}

/// The `# HELP` lines.
fn describe() {
    use ::metrics::{Unit, describe_counter, describe_histogram};
    describe_counter!(
        HTTP_REQUESTS,
        "HTTP requests answered, by route pattern and status."
    );
    describe_histogram!(
        HTTP_DURATION,
        Unit::Seconds,
        "Time to answer an HTTP request, by route pattern."
    );
    describe_counter!(
        DELIVERIES_QUEUED,
        "Activities queued for delivery, by peer."
    );
    describe_counter!(DELIVERIES_SENT, "Deliveries accepted by the peer.");
    describe_counter!(
        DELIVERIES_FAILED,
        "Failed delivery attempts; final=true when the queue gave up."
    );
    describe_counter!(
        INBOX_ACTIVITIES,
        "Activities received, by type and outcome."
    );
    describe_counter!(SIGNATURE_FAILURES, "HTTP signatures refused, by reason.");
}

/// The database pool of the scraped node, read at scrape time.
#[derive(Debug, Clone, Copy)]
pub struct PoolStats {
    pub open: u32,
    pub idle: usize,
    pub max: u32,
}

/// The Prometheus text exposition of every series, then the pool gauges of this node.
pub fn render(pool: PoolStats) -> String {
    let mut out = install().render();
    let gauges: [(&str, &str, String); 3] = [
        (
            DB_POOL_CONNECTIONS,
            "Connections the database pool holds open.",
            pool.open.to_string(),
        ),
        (
            DB_POOL_IDLE,
            "Open database connections that are idle.",
            pool.idle.to_string(),
        ),
        (
            DB_POOL_MAX,
            "Most connections the database pool may open.",
            pool.max.to_string(),
        ),
    ];
    for (name, help, value) in gauges {
        // Writing to a String cannot fail.
        let _ = write!(
            out,
            "# HELP {name} {help}\n# TYPE {name} gauge\n{name} {value}\n\n"
        );
    }
    out
}
