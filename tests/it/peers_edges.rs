//! Edges of the handshake: both admins asking at once, a denied institution asking, a
//! request withdrawn before the other admin decides, answers nobody asked for.

use serde_json::json;

use entrepairs::domain::peers;

use crate::support::TestNode;
use crate::support::signing::Signed;

async fn state_of(node: &TestNode, other: &TestNode) -> String {
    peers::get(&node.state, &other.authority)
        .await
        .map(|p| p.state)
        .unwrap_or_default()
}

#[tokio::test]
async fn two_admins_asking_each_other_at_once_end_up_approved_on_both_sides() {
    let nodes = TestNode::spawn_many(2).await;
    let (a, b) = (&nodes[0], &nodes[1]);
    peers::request(&a.state, &b.authority, "", "admin")
        .await
        .expect("a asks");
    peers::request(&b.state, &a.authority, "", "admin")
        .await
        .expect("b asks");
    TestNode::drain_all(&[a, b]).await;
    assert_eq!(state_of(a, b).await, "approved");
    assert_eq!(state_of(b, a).await, "approved");
}

#[tokio::test]
async fn a_denied_institution_cannot_even_ask() {
    let nodes = TestNode::spawn_many(2).await;
    let (a, b) = (&nodes[0], &nodes[1]);
    peers::deny(&b.state, &a.authority, "admin")
        .await
        .expect("deny");
    peers::request(&a.state, &b.authority, "", "admin")
        .await
        .expect("request");
    let stats = a.drain().await;
    assert_eq!(stats.failed, 1, "403 is final");
    assert_eq!(state_of(b, a).await, "denied");
    assert_eq!(state_of(a, b).await, "requested");
}

#[tokio::test]
async fn a_request_withdrawn_before_the_decision_is_no_longer_pending() {
    let nodes = TestNode::spawn_many(2).await;
    let (a, b) = (&nodes[0], &nodes[1]);
    peers::request(&a.state, &b.authority, "", "admin")
        .await
        .expect("request");
    TestNode::drain_all(&[a, b]).await;
    assert_eq!(state_of(b, a).await, "pending");
    peers::revoke(&a.state, &b.authority, "admin")
        .await
        .expect("withdraw");
    TestNode::drain_all(&[a, b]).await;
    assert_eq!(state_of(b, a).await, "revoked");
    assert!(
        peers::approve(&b.state, &a.authority, "admin")
            .await
            .is_err()
    );
}

#[tokio::test]
async fn an_accept_that_answers_no_request_of_ours_is_refused() {
    let nodes = TestNode::spawn_many(2).await;
    let (a, b) = (&nodes[0], &nodes[1]);
    // B never asked A: an Accept from A's instance actor has nothing to answer.
    let accept = json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": a.url("/activities/acc"), "type": "Accept", "actor": a.url("/actor"),
        "object": {"type": "Follow", "id": b.url("/activities/never"), "actor": b.url("/actor"), "object": a.url("/actor")}
    });
    let body = serde_json::to_vec(&accept).expect("json");
    let post = Signed::post_as_instance(a, &b.url("/actor/inbox"), &body).await;
    assert_eq!(post.status().await, 403);
    assert_eq!(state_of(b, a).await, "", "nothing stored");
}
