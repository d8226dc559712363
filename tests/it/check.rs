//! `entrepairs admin check` against real nodes, on the engine the harness picks.

use crate::cli::{entrepairs, text, write_config};
use crate::support::TestNode;

/// A config file naming the node's own database and authority.
fn config_of(dir: &std::path::Path, node: &TestNode) -> String {
    write_config(
        dir,
        &format!(
            "authority = \"{}\"\ndatabase_url = \"{}\"\nallow_http = true\n",
            node.authority, node.database_url
        ),
    )
}

#[tokio::test]
async fn admin_check_prints_ok_for_every_check_of_a_healthy_node() {
    let node = TestNode::spawn().await;
    node.create_user("admin", true).await;
    node.create_user("alice", false).await;
    let dir = tempfile::tempdir().expect("dir");
    let config = config_of(dir.path(), &node);

    let out = entrepairs(dir.path(), &["--config", &config, "admin", "check"], None);
    let said = text(&out);
    assert!(out.status.success(), "{said}");
    for line in [
        "ok   configuration valid: authority",
        "ok   database reachable:",
        "ok   migrations applied:",
        "ok   instance actor: ",
        "ok   accounts: 2 (1 active admin(s), 0 disabled)",
    ] {
        assert!(said.contains(line), "{line:?} missing from\n{said}");
    }
    assert!(!said.contains("FAIL"), "{said}");
    node.stop().await;
}

#[tokio::test]
async fn admin_check_fails_when_the_instance_key_is_unreadable() {
    let node = TestNode::spawn().await;
    let dir = tempfile::tempdir().expect("dir");
    let config = config_of(dir.path(), &node);
    sqlx::any::install_default_drivers();
    let pool = sqlx::AnyPool::connect(&node.database_url)
        .await
        .expect("connect");
    sqlx::query("UPDATE actors SET private_key_pem = $1 WHERE kind = $2")
        .bind("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n")
        .bind("Application")
        .execute(&pool)
        .await
        .expect("break the key");
    pool.close().await;

    let out = entrepairs(dir.path(), &["--config", &config, "admin", "check"], None);
    let said = text(&out);
    assert!(!out.status.success(), "{said}");
    assert!(said.contains("FAIL instance actor: private key"), "{said}");
    assert!(
        said.contains("ok   accounts:"),
        "the other checks still run: {said}"
    );
    assert!(said.contains("1 check(s) failed"), "{said}");
    node.stop().await;
}

#[test]
fn admin_check_lists_every_configuration_problem_as_a_fail_line() {
    let dir = tempfile::tempdir().expect("dir");
    let config = write_config(
        dir.path(),
        "accent_color = \"bleu\"\nmetrics_allow = [\"intranet\"]\n",
    );
    let out = entrepairs(dir.path(), &["--config", &config, "admin", "check"], None);
    let said = text(&out);
    assert!(!out.status.success());
    assert!(said.contains("FAIL configuration: accent_color"), "{said}");
    assert!(said.contains("FAIL configuration: metrics_allow"), "{said}");
}

#[test]
fn admin_check_fails_when_the_database_is_missing_and_creates_nothing() {
    let dir = tempfile::tempdir().expect("dir");
    let out = entrepairs(dir.path(), &["admin", "check"], None);
    let said = text(&out);
    assert!(!out.status.success());
    assert!(said.contains("ok   configuration valid"), "{said}");
    assert!(
        said.contains("FAIL database reachable: no database at"),
        "{said}"
    );
    assert!(!dir.path().join("data/entrepairs.db").exists());
}

#[test]
fn admin_check_shows_the_database_url_without_its_password() {
    let dir = tempfile::tempdir().expect("dir");
    // Nothing listens on port 1: the check fails, and must say so without the password.
    let config = write_config(
        dir.path(),
        "database_url = \"postgres://app:s3cr3t@127.0.0.1:1/entrepairs\"\n",
    );
    let out = entrepairs(dir.path(), &["--config", &config, "admin", "check"], None);
    let said = text(&out);
    assert!(!out.status.success());
    assert!(
        said.contains("postgres://app:***@127.0.0.1:1/entrepairs"),
        "{said}"
    );
    assert!(said.contains("FAIL database reachable"), "{said}");
    assert!(!said.contains("s3cr3t"), "{said}");
}

#[tokio::test]
async fn admin_check_probes_peers_through_nodeinfo_not_through_an_actor_only_entrepairs_serves() {
    let nodes = TestNode::spawn_many(2).await;
    let (a, b) = (&nodes[0], &nodes[1]);
    TestNode::federate(&[a, b]).await;
    let found = entrepairs::federation::probe::software(&a.state, &b.authority)
        .await
        .expect("b answers");
    assert!(found.starts_with("entrepairs "), "{found}");
    // An approved peer where nothing listens is reported, with the reason.
    entrepairs::domain::peers::allow(&a.state, "127.0.0.1:9", "test")
        .await
        .expect("allow");
    assert!(
        entrepairs::federation::probe::software(&a.state, "127.0.0.1:9")
            .await
            .is_err()
    );
    for n in nodes {
        n.stop().await;
    }
}
