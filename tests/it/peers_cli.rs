//! `entrepairs admin peer …` and `admin audit` against running nodes: the CLI decides, the
//! nodes' delivery carries the handshake.

use std::process::Command;

use entrepairs::domain::peers;

use crate::support::TestNode;

/// Runs the CLI on `node`'s database (off the async runtime: the nodes must keep serving).
async fn cli(node: &TestNode, args: &[&str]) -> (bool, String) {
    let config = node_config(node);
    let mut all = vec!["--config".to_owned(), config];
    all.extend(args.iter().map(|a| (*a).to_owned()));
    let out = tokio::task::spawn_blocking(move || {
        Command::new(env!("CARGO_BIN_EXE_entrepairs"))
            .args(&all)
            .env_remove("ENTREPAIRS_DATABASE_URL")
            .output()
            .expect("run entrepairs")
    })
    .await
    .expect("join");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

fn node_config(node: &TestNode) -> String {
    let dir = node.state.config.data_dir.clone();
    let path = dir.join("cli.toml");
    let body = format!(
        "authority = \"{}\"\ndatabase_url = \"{}\"\ndata_dir = {:?}\ninstitution_name = \"{}\"\n\
         allow_http = true\nallow_private_addresses = true\n",
        node.authority,
        node.database_url,
        dir.display().to_string(),
        node.state.config.institution_name,
    );
    std::fs::write(&path, body).expect("write config");
    path.display().to_string()
}

#[tokio::test]
async fn admins_request_approve_and_revoke_federation_from_the_command_line() {
    let nodes = TestNode::spawn_many(2).await;
    let (a, b) = (&nodes[0], &nodes[1]);
    let (ok, out) = cli(
        a,
        &[
            "admin",
            "peer",
            "request",
            &b.authority,
            "--message",
            "Bonjour",
        ],
    )
    .await;
    assert!(ok, "{out}");
    assert!(out.contains("requested"), "{out}");
    TestNode::drain_all(&[a, b]).await;

    let (ok, out) = cli(b, &["admin", "peer", "list"]).await;
    assert!(ok, "{out}");
    assert!(
        out.contains(&a.authority) && out.contains("pending"),
        "{out}"
    );
    let (ok, out) = cli(b, &["admin", "peer", "approve", &a.authority]).await;
    assert!(ok, "{out}");
    TestNode::drain_all(&[a, b]).await;
    assert_eq!(
        peers::get(&a.state, &b.authority)
            .await
            .expect("peer")
            .state,
        "approved"
    );

    let (ok, out) = cli(b, &["admin", "peer", "approve", &a.authority]).await;
    assert!(!ok, "approving twice is refused: {out}");
    let (ok, out) = cli(a, &["admin", "peer", "revoke", &b.authority]).await;
    assert!(ok, "{out}");
    TestNode::drain_all(&[a, b]).await;
    assert_eq!(
        peers::get(&b.state, &a.authority)
            .await
            .expect("peer")
            .state,
        "revoked"
    );

    let (ok, out) = cli(b, &["admin", "audit"]).await;
    assert!(ok, "{out}");
    for action in ["request received", "approve", "revoked by peer"] {
        assert!(out.contains(action), "{action} in {out}");
    }
    assert!(
        out.contains("cli"),
        "CLI decisions are recorded as such: {out}"
    );

    let (ok, out) = cli(a, &["admin", "peer", "allow", "fedify.example"]).await;
    assert!(ok, "{out}");
    let (_, list) = cli(a, &["admin", "peer", "list"]).await;
    assert!(list.contains("manual (one-sided)"), "{list}");
}
