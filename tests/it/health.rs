use crate::support::{TestNode, client};

#[tokio::test]
async fn a_fresh_node_is_healthy_and_ready_with_its_migrations_applied() {
    let node = TestNode::spawn().await;
    let health = client()
        .get(node.url("/healthz"))
        .send()
        .await
        .expect("healthz");
    assert_eq!(health.status(), 200);
    let ready: serde_json::Value = client()
        .get(node.url("/readyz"))
        .send()
        .await
        .expect("readyz")
        .json()
        .await
        .expect("json");
    assert_eq!(ready["status"], "ready");
    let expected = if crate::support::postgres_admin_url().is_some() {
        "postgres"
    } else {
        "sqlite"
    };
    assert_eq!(ready["database"], expected);
    assert!(node.state.store.is_ready().await);
    node.stop().await;
}

#[tokio::test]
async fn readiness_fails_when_the_database_is_gone() {
    let node = TestNode::spawn().await;
    node.state.store.close().await;
    let res = client()
        .get(node.url("/readyz"))
        .send()
        .await
        .expect("readyz");
    assert_eq!(res.status(), 503);
}

#[tokio::test]
async fn migrating_twice_applies_nothing_the_second_time() {
    let node = TestNode::spawn().await;
    assert_eq!(node.state.store.migrate().await.expect("migrate"), 0);
    node.stop().await;
}

#[tokio::test]
async fn a_restarted_node_keeps_its_accounts_and_instance_key() {
    let node = TestNode::spawn().await;
    node.create_user("alice", false).await;
    let key_before = entrepairs::domain::instance::ensure(&node.state)
        .await
        .expect("actor")
        .public_key_pem;
    let node = node.stop().await.restart().await;
    assert!(
        node.state
            .store
            .account_by_username("alice")
            .await
            .expect("db")
            .is_some()
    );
    let key_after = entrepairs::domain::instance::ensure(&node.state)
        .await
        .expect("actor")
        .public_key_pem;
    assert_eq!(
        key_before, key_after,
        "the instance actor keeps its key across restarts"
    );
    node.stop().await;
}

#[tokio::test]
async fn unknown_pages_answer_404_in_the_shape_the_client_asked_for() {
    let node = TestNode::spawn().await;
    let html = client()
        .get(node.url("/nowhere"))
        .header("Accept", "text/html")
        .send()
        .await
        .expect("get");
    assert_eq!(html.status(), 404);
    assert!(html.text().await.expect("body").contains("lang=\"fr\""));
    let json: serde_json::Value = client()
        .get(node.url("/api/v1/nowhere"))
        .send()
        .await
        .expect("get")
        .json()
        .await
        .expect("json error body");
    assert_eq!(json["error"]["code"], "not_found");
}
