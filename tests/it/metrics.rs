//! `/metrics`: what Prometheus sees, and who may see it.
//!
//! Every node of the test process shares one recorder (see `src/metrics/recorder.rs`), so
//! these tests look for series that exist, never for exact counts.

use std::net::TcpListener;

use entrepairs::app::{Application, NodeOptions};
use entrepairs::config::IpAllowList;

use crate::support::{TestNode, client, config_for, fresh_database_url};

async fn scrape(node: &TestNode) -> String {
    let res = client()
        .get(node.url("/metrics"))
        .send()
        .await
        .expect("metrics");
    assert_eq!(res.status(), 200);
    let content_type = res
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert!(content_type.starts_with("text/plain"), "{content_type}");
    res.text().await.expect("body")
}

/// The value of the line that starts with `series`.
fn value(text: &str, series: &str) -> Option<f64> {
    text.lines()
        .find(|l| l.starts_with(series))
        .and_then(|l| l.rsplit(' ').next())
        .and_then(|v| v.parse().ok())
}

#[tokio::test]
async fn requests_are_counted_by_route_pattern_and_status_never_by_raw_path() {
    let node = TestNode::spawn().await;
    let http = client();
    http.get(node.url("/healthz"))
        .send()
        .await
        .expect("healthz");
    let refused = http
        .post(node.url("/api/v1/users/zoe-metrics-test/disable"))
        .send()
        .await
        .expect("disable");
    assert_eq!(refused.status(), 401);
    http.get(node.url("/no-such-page-metrics-test"))
        .send()
        .await
        .expect("404");

    let text = scrape(&node).await;
    for series in [
        "http_requests_total{method=\"GET\",route=\"/healthz\",status=\"200\"}",
        "http_requests_total{method=\"POST\",route=\"/api/v1/users/{username}/disable\",status=\"401\"}",
        "http_requests_total{method=\"GET\",route=\"unmatched\",status=\"404\"}",
        "http_request_duration_seconds_count{method=\"GET\",route=\"/healthz\"}",
        "http_request_duration_seconds_bucket{method=\"GET\",route=\"/healthz\",le=\"+Inf\"}",
    ] {
        assert!(
            value(&text, series).is_some_and(|v| v >= 1.0),
            "{series} missing from\n{text}"
        );
    }
    assert!(
        !text.contains("zoe-metrics-test"),
        "raw paths are not labels"
    );
    assert!(!text.contains("no-such-page-metrics-test"));
    node.stop().await;
}

#[tokio::test]
async fn the_database_pool_of_the_scraped_node_is_reported() {
    let node = TestNode::spawn().await;
    let text = scrape(&node).await;
    let open = value(&text, "entrepairs_db_pool_connections ").expect("open gauge");
    let idle = value(&text, "entrepairs_db_pool_idle_connections ").expect("idle gauge");
    let max = value(&text, "entrepairs_db_pool_max_connections ").expect("max gauge");
    assert!(
        open >= 1.0 && idle <= open && open <= max,
        "{open} {idle} {max}"
    );
    node.stop().await;
}

#[tokio::test]
async fn a_request_forwarded_by_a_proxy_for_an_outside_client_is_refused() {
    let node = TestNode::spawn().await;
    for (header, value) in [
        ("X-Forwarded-For", "203.0.113.7"),
        ("X-Forwarded-For", "127.0.0.1, 203.0.113.7"),
        ("X-Real-IP", "203.0.113.7"),
        ("Forwarded", "for=203.0.113.7;proto=https"),
        ("X-Forwarded-For", "unknown"),
    ] {
        let res = client()
            .get(node.url("/metrics"))
            .header(header, value)
            .send()
            .await
            .expect("metrics");
        assert_eq!(res.status(), 403, "{header}: {value}");
    }
    let local = client()
        .get(node.url("/metrics"))
        .header("X-Forwarded-For", "127.0.0.1")
        .send()
        .await
        .expect("metrics");
    assert_eq!(
        local.status(),
        200,
        "a loopback client through a proxy is allowed"
    );
    node.stop().await;
}

#[tokio::test]
async fn a_node_whose_metrics_allow_omits_the_client_answers_403() {
    let dir = tempfile::tempdir().expect("dir");
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let url = fresh_database_url(dir.path()).await;
    let mut config = config_for("metrics", port, dir.path(), &url);
    config.metrics_allow = IpAllowList::parse(&["10.0.0.0/8"]).expect("valid");
    let app = Application::build_with_listener(config, listener, quiet())
        .await
        .expect("node starts");
    let handle = app.handle();
    let store = app.state().store.clone();
    tokio::spawn(app.run_until_stopped());

    let res = client()
        .get(format!("http://127.0.0.1:{port}/metrics"))
        .send()
        .await
        .expect("metrics");
    assert_eq!(res.status(), 403);
    let body: serde_json::Value = res.json().await.expect("json error");
    assert_eq!(body["error"]["code"], "forbidden");
    handle.stop(true).await;
    store.close().await;
}

/// One HTTP worker and no background delivery: these tests federate with nobody.
fn quiet() -> NodeOptions {
    NodeOptions {
        http_workers: 1,
        delivery_worker: false,
    }
}

#[tokio::test]
async fn refused_and_accepted_inbox_activities_and_signature_failures_are_counted() {
    use crate::support::signing::Signed;
    let nodes = TestNode::spawn_many(2).await;
    let (a, b) = (&nodes[0], &nodes[1]);
    TestNode::federate(&[a, b]).await;
    a.create_user("alice", false).await;
    b.create_user("bruno", false).await;
    let body = serde_json::json!({
        "id": a.url("/activities/metrics-follow"), "type": "Follow",
        "actor": a.url("/users/alice"), "object": b.url("/users/bruno"),
    })
    .to_string();
    let good = Signed::post(
        a,
        "alice",
        &b.url("/users/bruno/inbox"),
        body.as_bytes(),
        std::time::SystemTime::now(),
    )
    .await;
    assert_eq!(good.status().await, 202);
    assert_eq!(good.clone_without_signature().status().await, 401);
    let text = crate::support::client()
        .get(b.url("/metrics"))
        .send()
        .await
        .expect("metrics")
        .text()
        .await
        .expect("text");
    assert!(
        text.contains("entrepairs_inbox_activities_total{type=\"Follow\",outcome=\"accepted\"}"),
        "{text}"
    );
    assert!(
        text.contains("entrepairs_signature_failures_total{reason=\"missing_signature\"}"),
        "{text}"
    );
    assert!(
        text.contains("entrepairs_deliveries_queued_total"),
        "the Accept was queued: {text}"
    );
    for n in nodes {
        n.stop().await;
    }
}
