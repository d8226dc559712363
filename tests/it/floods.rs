//! Floods (issue 13): an approved peer that floods our inboxes is held to its budget (429 with
//! `Retry-After`) without slowing the other peers, and our own sender waits as told and loses
//! nothing.

use std::time::{Duration, Instant, SystemTime};

use serde_json::json;

use entrepairs::domain::messages;

use crate::support::TestNode;
use crate::support::signing::Signed;

/// A private note from `username` of `from` to bruno of `to`, with its own id.
fn note_to_bruno(from: &TestNode, username: &str, to: &TestNode, n: usize) -> (String, Vec<u8>) {
    let actor = from.url(&format!("/users/{username}"));
    let note = from.url(&format!("/notes/flood-{n}"));
    let body = json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": format!("{note}/create"), "type": "Create", "actor": actor,
        "to": [to.url("/users/bruno")],
        "object": {
            "id": note, "type": "Note", "attributedTo": actor,
            "to": [to.url("/users/bruno")], "content": format!("<p>Message {n}</p>"),
        },
    });
    (note, body.to_string().into_bytes())
}

/// Whether the note is held, as a private message or as a note.
async fn stored(node: &TestNode, id: &str) -> bool {
    let store = &node.state.store;
    store.count_messages_with(id).await.expect("db") == 1
        || store.object_by_ap_id(id).await.expect("db").is_some()
}

#[tokio::test]
async fn a_peer_past_its_inbox_budget_gets_429_with_retry_after_and_other_peers_pass() {
    let a = TestNode::spawn_named("a").await;
    // Five at once, then one a minute (slow enough for a loaded machine not to earn one
    // during the test).
    let b = TestNode::spawn_with("b", |raw| {
        raw.inbox_peer_burst = Some(5);
        raw.inbox_peer_per_minute = Some(1);
    })
    .await;
    let c = TestNode::spawn_named("c").await;
    TestNode::federate(&[&a, &b, &c]).await;
    a.create_user("alice", false).await;
    b.create_user("bruno", false).await;
    c.create_user("chloe", false).await;
    let inbox = b.url("/users/bruno/inbox");
    let before = b.state.store.count_received().await.expect("db");

    let mut statuses = Vec::new();
    let mut ids = Vec::new();
    for n in 0..8 {
        let (id, body) = note_to_bruno(&a, "alice", &b, n);
        let res = Signed::post(&a, "alice", &inbox, &body, SystemTime::now())
            .await
            .send()
            .await;
        if res.status() == 429 {
            let wait: Option<u64> = res
                .headers()
                .get("Retry-After")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.parse().ok());
            assert!(
                wait.is_some_and(|s| (1..=60).contains(&s)),
                "the time to earn one more activity: {wait:?}"
            );
        }
        statuses.push(res.status().as_u16());
        ids.push(id);
    }
    assert_eq!(statuses, [202, 202, 202, 202, 202, 429, 429, 429]);
    for (n, id) in ids.iter().enumerate() {
        assert_eq!(stored(&b, id).await, n < 5, "message {n}");
    }
    assert_eq!(
        b.state.store.count_received().await.expect("db") - before,
        5,
        "a refused activity leaves nothing, not even its id"
    );

    // Another approved peer is not affected.
    let (id, body) = note_to_bruno(&c, "chloe", &b, 0);
    let status = Signed::post(&c, "chloe", &inbox, &body, SystemTime::now())
        .await
        .status()
        .await;
    assert_eq!(status, 202);
    assert!(stored(&b, &id).await);

    for n in [a, b, c] {
        n.stop().await;
    }
}

#[tokio::test]
async fn our_sender_waits_as_a_busy_peer_says_and_every_message_arrives_once() {
    let a = TestNode::spawn_named("a").await;
    // Five at once, then one a second: our sender waits at least 5 s before trying again.
    let b = TestNode::spawn_with("b", |raw| {
        raw.inbox_peer_burst = Some(5);
        raw.inbox_peer_per_minute = Some(60);
    })
    .await;
    TestNode::federate(&[&a, &b]).await;
    let alice = a.create_user("alice", false).await;
    b.create_user("bruno", false).await;
    let mut sent = Vec::new();
    for n in 0..12 {
        let m = messages::send(
            &a.state,
            &alice,
            &b.handle_of("bruno"),
            &format!("Message {n}"),
        )
        .await
        .expect("sent");
        sent.push(m.ap_id);
    }

    let start = Instant::now();
    let (mut retried, mut failed, mut delivered) = (0, 0, 0);
    while delivered < sent.len() as u64 && start.elapsed() < Duration::from_secs(90) {
        let s = a.drain().await;
        retried += s.retried;
        failed += s.failed;
        delivered += s.delivered;
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    let took = start.elapsed();
    eprintln!(
        "12 messages past a budget of 5: {delivered} delivered, {retried} retries, {failed} failed, {:.1} s",
        took.as_secs_f64()
    );
    assert_eq!(failed, 0, "a 429 is never final");
    assert!(retried > 0, "the budget was reached");
    assert!(
        took >= Duration::from_secs(4),
        "retried when the peer said, not at once: {took:?}"
    );
    for (n, id) in sent.iter().enumerate() {
        assert_eq!(
            b.state.store.count_messages_with(id).await.expect("db"),
            1,
            "message {n} arrived once"
        );
    }
    a.stop().await;
    b.stop().await;
}
