//! What the inbox refuses: each case gets its status and leaves the database unchanged.

use std::time::{Duration, SystemTime};

use serde_json::json;

use crate::support::TestNode;
use crate::support::signing::Signed;

struct Pair {
    a: TestNode,
    b: TestNode,
    inbox: String,
}

/// a and b federated; alice on a, bruno on b, bruno's key known to b.
async fn pair() -> Pair {
    let nodes = TestNode::spawn_many(2).await;
    let mut it = nodes.into_iter();
    let (a, b) = (it.next().expect("a"), it.next().expect("b"));
    TestNode::federate(&[&a, &b]).await;
    a.create_user("alice", false).await;
    b.create_user("bruno", false).await;
    let inbox = b.url("/users/bruno/inbox");
    Pair { a, b, inbox }
}

fn follow(a: &TestNode, b: &TestNode, n: u32) -> Vec<u8> {
    json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": a.url(&format!("/activities/test-follow-{n}")),
        "type": "Follow",
        "actor": a.url("/users/alice"),
        "object": b.url("/users/bruno"),
    })
    .to_string()
    .into_bytes()
}

async fn received(b: &TestNode) -> i64 {
    b.state.store.count_received().await.expect("db")
}

async fn followers(b: &TestNode) -> usize {
    b.state
        .store
        .followers(b.actor("bruno").await.id)
        .await
        .expect("db")
        .len()
}

impl Pair {
    async fn stop(self) {
        self.a.stop().await;
        self.b.stop().await;
    }
}

#[tokio::test]
async fn a_correctly_signed_follow_is_accepted_with_202_and_processed_once_when_replayed() {
    let p = pair().await;
    let req = Signed::post(
        &p.a,
        "alice",
        &p.inbox,
        &follow(&p.a, &p.b, 1),
        SystemTime::now(),
    )
    .await;
    assert_eq!(req.status().await, 202);
    assert_eq!(followers(&p.b).await, 1);
    assert_eq!(received(&p.b).await, 1);
    // Replay: same id, a new valid signature.
    let again = Signed::post(
        &p.a,
        "alice",
        &p.inbox,
        &follow(&p.a, &p.b, 1),
        SystemTime::now(),
    )
    .await;
    assert_eq!(again.status().await, 202);
    assert_eq!(received(&p.b).await, 1);
    assert_eq!(
        p.b.state
            .store
            .count_deliveries("pending")
            .await
            .expect("db"),
        1,
        "one Accept, not two"
    );
    p.stop().await;
}

#[tokio::test]
async fn unsigned_tampered_or_stale_requests_get_401_and_change_nothing() {
    let p = pair().await;
    let body = follow(&p.a, &p.b, 2);
    let now = SystemTime::now();
    let good = Signed::post(&p.a, "alice", &p.inbox, &body, now).await;

    let unsigned = good.clone_without_signature();
    assert_eq!(unsigned.status().await, 401, "unsigned");

    let mut altered = Signed::post(&p.a, "alice", &p.inbox, &body, now).await;
    altered.body = follow(&p.a, &p.b, 3);
    assert_eq!(altered.status().await, 401, "body altered after signing");

    let wrong_digest = Signed::post(&p.a, "alice", &p.inbox, &body, now)
        .await
        .set_header(
            "Digest",
            "SHA-256=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=",
        );
    assert_eq!(wrong_digest.status().await, 401, "wrong digest");

    let old = Signed::post(
        &p.a,
        "alice",
        &p.inbox,
        &body,
        now - Duration::from_secs(13 * 3600),
    )
    .await;
    assert_eq!(old.status().await, 401, "date too old");
    let future = Signed::post(
        &p.a,
        "alice",
        &p.inbox,
        &body,
        now + Duration::from_secs(2 * 3600),
    )
    .await;
    assert_eq!(future.status().await, 401, "date in the future");

    let other_path = Signed::post(&p.a, "alice", &p.b.url("/inbox"), &body, now).await;
    let mut moved = Signed::post(&p.a, "alice", &p.inbox, &body, now).await;
    moved.headers = other_path.headers.clone();
    assert_eq!(moved.status().await, 401, "signature made for another path");

    assert_eq!(received(&p.b).await, 0);
    assert_eq!(followers(&p.b).await, 0);
    p.stop().await;
}

#[tokio::test]
async fn an_activity_that_speaks_for_someone_else_gets_403_and_changes_nothing() {
    let p = pair().await;
    p.a.create_user("armelle", false).await;
    let now = SystemTime::now();

    // Signed by armelle, claims to be alice's.
    let by_other_key = Signed::post(&p.a, "armelle", &p.inbox, &follow(&p.a, &p.b, 4), now).await;
    assert_eq!(by_other_key.status().await, 403, "keyId of another actor");

    // Actor on another authority than the signer.
    let foreign_actor = json!({
        "id": p.a.url("/activities/x5"), "type": "Follow",
        "actor": "https://elsewhere.example/users/eve", "object": p.b.url("/users/bruno"),
    });
    let req = Signed::post(
        &p.a,
        "alice",
        &p.inbox,
        foreign_actor.to_string().as_bytes(),
        now,
    )
    .await;
    assert_eq!(req.status().await, 403, "actor on another authority");

    // An activity id on another origin.
    let foreign_id = json!({
        "id": "https://elsewhere.example/activities/6", "type": "Follow",
        "actor": p.a.url("/users/alice"), "object": p.b.url("/users/bruno"),
    });
    let req = Signed::post(
        &p.a,
        "alice",
        &p.inbox,
        foreign_id.to_string().as_bytes(),
        now,
    )
    .await;
    assert_eq!(req.status().await, 403, "activity id on another origin");

    // Creating an object that claims to live on another node.
    let foreign_object = json!({
        "id": p.a.url("/activities/7"), "type": "Create", "actor": p.a.url("/users/alice"),
        "to": [p.b.url("/users/bruno")],
        "object": {"id": p.b.url("/notes/forged"), "type": "Note", "attributedTo": p.a.url("/users/alice"), "content": "x"},
    });
    let req = Signed::post(
        &p.a,
        "alice",
        &p.inbox,
        foreign_object.to_string().as_bytes(),
        now,
    )
    .await;
    assert_eq!(req.status().await, 403, "object id on another origin");
    assert!(
        p.b.state
            .store
            .object_by_ap_id(&p.b.url("/notes/forged"))
            .await
            .expect("db")
            .is_none()
    );

    assert_eq!(received(&p.b).await, 0);
    assert_eq!(followers(&p.b).await, 0);
    p.stop().await;
}

#[tokio::test]
async fn a_node_that_is_not_allowed_gets_403() {
    let p = pair().await;
    let c = TestNode::spawn_named("c").await;
    c.create_user("chloe", false).await;
    entrepairs::domain::peers::allow(&c.state, &p.b.authority, "test")
        .await
        .expect("c allows b, not the reverse");
    let body = json!({
        "id": c.url("/activities/1"), "type": "Follow",
        "actor": c.url("/users/chloe"), "object": p.b.url("/users/bruno"),
    });
    let req = Signed::post(
        &c,
        "chloe",
        &p.inbox,
        body.to_string().as_bytes(),
        SystemTime::now(),
    )
    .await;
    assert_eq!(req.status().await, 403);
    assert_eq!(received(&p.b).await, 0);
    assert!(
        p.b.state
            .store
            .actor_by_ap_id(&c.url("/users/chloe"))
            .await
            .expect("db")
            .is_none(),
        "nothing fetched from it"
    );
    c.stop().await;
    p.stop().await;
}

#[tokio::test]
async fn malformed_json_gets_400_and_an_oversized_body_413() {
    let p = pair().await;
    let now = SystemTime::now();
    let req = Signed::post(&p.a, "alice", &p.inbox, b"{\"type\": \"Follow\",", now).await;
    assert_eq!(req.status().await, 400);
    let no_id = Signed::post(&p.a, "alice", &p.inbox, br#"{"type":"Follow"}"#, now).await;
    assert_eq!(no_id.status().await, 400);

    let huge = vec![b' '; 1024 * 1024 + 10];
    let req = Signed::post(&p.a, "alice", &p.inbox, &huge, now).await;
    assert_eq!(req.status().await, 413);
    assert_eq!(received(&p.b).await, 0);
    p.stop().await;
}

#[tokio::test]
async fn unknown_activity_types_are_accepted_and_ignored() {
    let p = pair().await;
    let body = json!({
        "id": p.a.url("/activities/emoji-1"), "type": "EmojiReact",
        "actor": p.a.url("/users/alice"), "object": p.b.url("/users/bruno"),
    });
    let req = Signed::post(
        &p.a,
        "alice",
        &p.inbox,
        body.to_string().as_bytes(),
        SystemTime::now(),
    )
    .await;
    assert_eq!(req.status().await, 202);
    p.stop().await;
}

#[tokio::test]
async fn html_in_a_remote_note_is_sanitised_before_it_is_stored() {
    let p = pair().await;
    let body = json!({
        "id": p.a.url("/activities/note-1/create"), "type": "Create", "actor": p.a.url("/users/alice"),
        "to": [p.b.url("/users/bruno")],
        "object": {
            "id": p.a.url("/notes/xss"), "type": "Note", "attributedTo": p.a.url("/users/alice"),
            "to": [p.b.url("/users/bruno")],
            "content": "<p>Bonjour<script>alert(document.cookie)</script><img src=x onerror=alert(1)></p>"
        },
    });
    let req = Signed::post(
        &p.a,
        "alice",
        &p.inbox,
        body.to_string().as_bytes(),
        SystemTime::now(),
    )
    .await;
    assert_eq!(req.status().await, 202);
    let stored =
        p.b.state
            .store
            .object_by_ap_id(&p.a.url("/notes/xss"))
            .await
            .expect("db")
            .expect("stored");
    assert!(stored.content_html.contains("Bonjour"));
    assert!(
        !stored.content_html.contains("script") && !stored.content_html.contains("onerror"),
        "{}",
        stored.content_html
    );
    p.stop().await;
}

#[tokio::test]
async fn a_note_addressed_to_nobody_here_from_an_actor_nobody_here_follows_is_not_stored() {
    let p = pair().await;
    let followers = p.a.url("/users/alice/followers");
    let body = json!({
        "id": p.a.url("/activities/note-2/create"), "type": "Create", "actor": p.a.url("/users/alice"),
        "to": [followers],
        "object": {
            "id": p.a.url("/notes/not-for-b"), "type": "Note", "attributedTo": p.a.url("/users/alice"),
            "to": [followers], "content": "<p>Bonjour</p>"
        },
    });
    let req = Signed::post(
        &p.a,
        "alice",
        &p.inbox,
        body.to_string().as_bytes(),
        SystemTime::now(),
    )
    .await;
    assert_eq!(req.status().await, 202, "accepted and ignored");
    let stored =
        p.b.state
            .store
            .object_by_ap_id(&p.a.url("/notes/not-for-b"))
            .await
            .expect("db");
    assert!(stored.is_none(), "nobody on b follows alice");
    p.stop().await;
}

#[tokio::test]
async fn many_first_contacts_at_once_from_a_new_peer_are_all_accepted() {
    let p = pair().await;
    for i in 0..6 {
        p.a.create_user(&format!("agent{i}"), false).await;
    }
    // Every agent of a is unknown to b: their first requests make b fetch and store them
    // concurrently.
    let mut sends = Vec::new();
    for round in 0..3 {
        for i in 0..6 {
            let body = json!({
                "id": p.a.url(&format!("/activities/burst-{round}-{i}")), "type": "Follow",
                "actor": p.a.url(&format!("/users/agent{i}")), "object": p.b.url("/users/bruno"),
            });
            let req = Signed::post(
                &p.a,
                &format!("agent{i}"),
                &p.inbox,
                body.to_string().as_bytes(),
                SystemTime::now(),
            )
            .await;
            sends.push(async move { req.status().await });
        }
    }
    let statuses = futures_util::future::join_all(sends).await;
    assert!(statuses.iter().all(|s| *s == 202), "{statuses:?}");
    assert_eq!(followers(&p.b).await, 6);
    p.stop().await;
}
