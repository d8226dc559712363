use super::*;

fn scrape() -> String {
    render(PoolStats {
        open: 3,
        idle: 2,
        max: 8,
    })
}

/// The value of the first line of `text` that starts with `series` (name and labels).
fn value(text: &str, series: &str) -> Option<f64> {
    text.lines()
        .find(|l| l.starts_with(series))
        .and_then(|l| l.rsplit(' ').next())
        .and_then(|v| v.parse().ok())
}

#[test]
fn federation_series_appear_with_their_labels() {
    install();
    deliveries_queued("unit.example");
    delivery_sent("unit.example");
    delivery_failed("unit.example", true);
    inbox_activity("Create", "accepted");
    signature_failure("unit_test_reason");
    let text = scrape();
    for series in [
        "entrepairs_deliveries_queued_total{peer=\"unit.example\"}",
        "entrepairs_deliveries_sent_total{peer=\"unit.example\"}",
        "entrepairs_deliveries_failed_total{peer=\"unit.example\",final=\"true\"}",
        "entrepairs_inbox_activities_total{type=\"Create\",outcome=\"accepted\"}",
        "entrepairs_signature_failures_total{reason=\"unit_test_reason\"}",
    ] {
        assert!(
            value(&text, series).is_some_and(|v| v >= 1.0),
            "{series} in\n{text}"
        );
    }
}

#[test]
fn the_pool_gauges_are_those_of_the_scraped_node() {
    let text = scrape();
    assert_eq!(value(&text, "entrepairs_db_pool_connections "), Some(3.0));
    assert_eq!(
        value(&text, "entrepairs_db_pool_idle_connections "),
        Some(2.0)
    );
    assert_eq!(
        value(&text, "entrepairs_db_pool_max_connections "),
        Some(8.0)
    );
    assert!(text.contains("# TYPE entrepairs_db_pool_connections gauge"));
}

#[test]
fn labels_from_peers_and_clients_cannot_grow_the_number_of_series() {
    install();
    inbox_activity("x-attacker-type-1234", "unit_bounded");
    http_request("BREW", "/unit/{id}", 418, Duration::from_millis(3));
    let text = scrape();
    assert!(!text.contains("x-attacker-type-1234"));
    assert!(
        text.contains("type=\"other\",outcome=\"unit_bounded\""),
        "{text}"
    );
    assert!(
        text.contains("method=\"other\",route=\"/unit/{id}\""),
        "{text}"
    );
}

#[test]
fn request_latency_is_a_histogram_with_the_configured_buckets() {
    install();
    http_request("GET", "/unit/latency", 200, Duration::from_millis(30));
    let text = scrape();
    assert!(
        text.contains("# TYPE http_request_duration_seconds histogram"),
        "{text}"
    );
    let le = "http_request_duration_seconds_bucket{method=\"GET\",route=\"/unit/latency\",le=";
    assert_eq!(value(&text, &format!("{le}\"0.025\"}}")), Some(0.0));
    assert_eq!(value(&text, &format!("{le}\"0.05\"}}")), Some(1.0));
    assert_eq!(value(&text, &format!("{le}\"+Inf\"}}")), Some(1.0));
}
