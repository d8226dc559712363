//! The federation handshake between two nodes through real HTTP: request, approve, refuse,
//! revoke from either side (with purge), and what an unapproved node cannot do.

use serde_json::{Value, json};

use entrepairs::domain::peers::{self, Peer};
use entrepairs::domain::{follows, notes};

use crate::support::signing::Signed;
use crate::support::{TestNode, client};

async fn peer(node: &TestNode, other: &TestNode) -> Option<Peer> {
    peers::get(&node.state, &other.authority).await.ok()
}

async fn state_of(node: &TestNode, other: &TestNode) -> String {
    peer(node, other).await.map(|p| p.state).unwrap_or_default()
}

/// A asks B, B's admin approves: both sides approved.
pub async fn handshake(a: &TestNode, b: &TestNode) {
    peers::request(&a.state, &b.authority, "Bonjour", "admin")
        .await
        .expect("request");
    TestNode::drain_all(&[a, b]).await;
    peers::approve(&b.state, &a.authority, "admin")
        .await
        .expect("approve");
    TestNode::drain_all(&[a, b]).await;
    assert_eq!(state_of(a, b).await, "approved");
    assert_eq!(state_of(b, a).await, "approved");
}

#[tokio::test]
async fn a_request_waits_with_its_self_description_then_approval_lets_activities_flow() {
    let nodes = TestNode::spawn_many(2).await;
    let (a, b) = (&nodes[0], &nodes[1]);
    let requested = peers::request(&a.state, &b.authority, "Créons le club accueil", "admin")
        .await
        .expect("request");
    assert_eq!(requested.state, "requested");
    assert_eq!(requested.verified_institution, "Institution b");
    TestNode::drain_all(&[a, b]).await;

    let pending = peer(b, a).await.expect("B stored the request");
    assert_eq!(pending.state, "pending");
    assert_eq!(pending.institution, "Institution a");
    assert_eq!(pending.verified_institution, "Institution a");
    assert_eq!(pending.message, "Créons le club accueil");
    assert!(!pending.kind.is_empty() && pending.kind == pending.verified_kind);
    assert_eq!(state_of(a, b).await, "requested", "nothing flows yet");

    let alice = a.create_user("alice", false).await;
    b.create_user("bruno", false).await;
    let err = follows::follow(&a.state, &alice, &b.url("/users/bruno"))
        .await
        .expect_err("not approved yet");
    assert!(err.to_string().contains("not an approved peer"), "{err}");

    let approved = peers::approve(&b.state, &a.authority, "admin-b")
        .await
        .expect("approve");
    assert_eq!(approved.state, "approved");
    TestNode::drain_all(&[a, b]).await;
    assert_eq!(state_of(a, b).await, "approved");

    follows::follow(&a.state, &alice, &b.url("/users/bruno"))
        .await
        .expect("follow");
    TestNode::drain_all(&[a, b]).await;
    let bruno = b.actor("bruno").await;
    let followers = b.state.store.followers(bruno.id).await.expect("db");
    assert_eq!(followers.len(), 1, "the person follow went through");

    let audit = peers::audit::list(&b.state, 10).await.expect("audit");
    let actions: Vec<&str> = audit.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(actions, ["approve", "request received"]);
    assert_eq!(audit[0].actor, "admin-b");
}

#[tokio::test]
async fn a_refused_request_lets_nothing_flow_and_a_new_request_shows_up_as_new() {
    let nodes = TestNode::spawn_many(2).await;
    let (a, b) = (&nodes[0], &nodes[1]);
    peers::request(&a.state, &b.authority, "", "admin")
        .await
        .expect("request");
    TestNode::drain_all(&[a, b]).await;
    peers::refuse(&b.state, &a.authority, "admin")
        .await
        .expect("refuse");
    TestNode::drain_all(&[a, b]).await;
    assert_eq!(state_of(a, b).await, "refused");
    assert_eq!(state_of(b, a).await, "refused");

    b.create_user("bruno", false).await;
    let get = Signed::get(a, &b.url("/users/bruno")).await;
    assert_eq!(
        get.status().await,
        403,
        "a refused node cannot fetch a profile"
    );

    // Trying to approve again without a new request is not possible.
    assert!(
        peers::approve(&b.state, &a.authority, "admin")
            .await
            .is_err()
    );

    peers::request(&a.state, &b.authority, "Deuxième essai", "admin")
        .await
        .expect("new request");
    TestNode::drain_all(&[a, b]).await;
    let again = peer(b, a).await.expect("peer");
    assert_eq!(again.state, "pending", "the admin sees the new request");
    assert_eq!(again.message, "Deuxième essai");
}

#[tokio::test]
async fn revoking_from_the_requesting_side_stops_delivery_both_ways_and_purges_cached_content() {
    revocation_by(0).await;
}

#[tokio::test]
async fn revoking_from_the_approving_side_stops_delivery_both_ways_and_purges_cached_content() {
    revocation_by(1).await;
}

async fn revocation_by(revoker: usize) {
    let nodes = TestNode::spawn_many(2).await;
    let (a, b) = (&nodes[0], &nodes[1]);
    handshake(a, b).await;
    let alice = a.create_user("alice", false).await;
    let bruno = b.create_user("bruno", false).await;
    follows::follow(&a.state, &alice, &b.url("/users/bruno"))
        .await
        .expect("follow");
    follows::follow(&b.state, &bruno, &a.url("/users/alice"))
        .await
        .expect("follow back");
    TestNode::drain_all(&[a, b]).await;
    notes::publish(&b.state, &bruno, "Note de Bruno")
        .await
        .expect("note");
    TestNode::drain_all(&[a, b]).await;
    assert!(
        a.state
            .store
            .actor_by_ap_id(&b.url("/users/bruno"))
            .await
            .expect("db")
            .is_some()
    );
    assert!(
        !a.state
            .store
            .objects_by_author(&b.url("/users/bruno"))
            .await
            .expect("db")
            .is_empty()
    );

    // Something queued at the moment of revocation is cancelled, not sent.
    notes::publish(&a.state, &alice, "Envoyée trop tard")
        .await
        .expect("note");
    let (revoking, other) = if revoker == 0 { (a, b) } else { (b, a) };
    peers::revoke(&revoking.state, &other.authority, "admin")
        .await
        .expect("revoke");
    TestNode::drain_all(&[a, b]).await;
    assert_eq!(state_of(a, b).await, "revoked");
    assert_eq!(state_of(b, a).await, "revoked");
    assert!(
        b.state
            .store
            .objects_by_author(&a.url("/users/alice"))
            .await
            .expect("db")
            .is_empty(),
        "the queued note never arrived"
    );

    for (node, remote) in [(a, b), (b, a)] {
        let store = &node.state.store;
        for user in ["alice", "bruno"] {
            let url = remote.url(&format!("/users/{user}"));
            assert!(
                store.actor_by_ap_id(&url).await.expect("db").is_none(),
                "{url} purged"
            );
        }
        let local = node
            .actor(if node.authority == a.authority {
                "alice"
            } else {
                "bruno"
            })
            .await;
        assert!(store.followers(local.id).await.expect("db").is_empty());
        assert!(store.following(local.id).await.expect("db").is_empty());
    }
    assert!(
        a.state
            .store
            .objects_by_author(&b.url("/users/bruno"))
            .await
            .expect("db")
            .is_empty()
    );
    assert_eq!(
        b.state
            .store
            .objects_by_author(&b.url("/users/bruno"))
            .await
            .expect("db")
            .len(),
        1,
        "what our own agents wrote stays"
    );

    // Nothing flows either way any more.
    assert!(
        follows::follow(&a.state, &alice, &b.url("/users/bruno"))
            .await
            .is_err()
    );
    let create = json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": a.url("/activities/late"), "type": "Create", "actor": a.url("/users/alice"),
        "object": {"id": a.url("/notes/late"), "type": "Note", "attributedTo": a.url("/users/alice"), "content": "x"}
    });
    let body = serde_json::to_vec(&create).expect("json");
    let post = Signed::post(
        a,
        "alice",
        &b.url("/inbox"),
        &body,
        std::time::SystemTime::now(),
    )
    .await;
    assert_eq!(post.status().await, 403);
}

#[tokio::test]
async fn an_agent_of_an_unapproved_node_cannot_fetch_a_profile_or_a_collection_and_is_refused() {
    let nodes = TestNode::spawn_many(2).await;
    let (a, b) = (&nodes[0], &nodes[1]);
    a.create_user("alice", false).await;
    b.create_user("bruno", false).await;
    peers::request(&a.state, &b.authority, "", "admin")
        .await
        .expect("request");
    TestNode::drain_all(&[a, b]).await;
    for path in [
        "/users/bruno",
        "/users/bruno/followers",
        "/users/bruno/outbox",
    ] {
        let get = Signed::get(a, &b.url(path)).await;
        assert_eq!(get.status().await, 403, "{path}");
    }
    let instance = client()
        .get(b.url("/actor"))
        .header("Accept", "application/activity+json")
        .send()
        .await
        .expect("get");
    assert_eq!(instance.status(), 200, "the instance actor stays public");

    let follow = json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": a.url("/activities/f1"), "type": "Follow",
        "actor": a.url("/users/alice"), "object": b.url("/users/bruno")
    });
    let body = serde_json::to_vec(&follow).expect("json");
    let post = Signed::post(
        a,
        "alice",
        &b.url("/inbox"),
        &body,
        std::time::SystemTime::now(),
    )
    .await;
    assert_eq!(post.status().await, 403);
    assert_eq!(
        b.state.store.count_received().await.expect("db"),
        1,
        "only the request"
    );
}

#[tokio::test]
async fn a_federation_request_signed_by_a_person_key_or_too_large_is_refused_and_nothing_stored() {
    let nodes = TestNode::spawn_many(2).await;
    let (a, b) = (&nodes[0], &nodes[1]);
    a.create_user("alice", false).await;
    let request = json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": a.url("/activities/r1"), "type": "Follow",
        "actor": a.url("/actor"), "object": b.url("/actor"), "institution": "Fausse"
    });
    let body = serde_json::to_vec(&request).expect("json");
    let by_person = Signed::post(
        a,
        "alice",
        &b.url("/actor/inbox"),
        &body,
        std::time::SystemTime::now(),
    )
    .await;
    assert_eq!(by_person.status().await, 403);
    let mut as_person = request.clone();
    as_person["actor"] = Value::String(a.url("/users/alice"));
    let body2 = serde_json::to_vec(&as_person).expect("json");
    let person_actor = Signed::post(
        a,
        "alice",
        &b.url("/actor/inbox"),
        &body2,
        std::time::SystemTime::now(),
    )
    .await;
    assert_eq!(person_actor.status().await, 403);
    assert!(peer(b, a).await.is_none(), "nothing stored");

    let mut huge = request.clone();
    huge["message"] = Value::String("x".repeat(20 * 1024));
    let huge = serde_json::to_vec(&huge).expect("json");
    let oversized = Signed::post_as_instance(a, &b.url("/actor/inbox"), &huge).await;
    assert_eq!(oversized.status().await, 413, "a request is small");
    assert!(peer(b, a).await.is_none(), "nothing stored");

    let by_instance = Signed::post_as_instance(a, &b.url("/actor/inbox"), &body).await;
    assert_eq!(by_instance.status().await, 202);
    assert_eq!(state_of(b, a).await, "pending");
}
