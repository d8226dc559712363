//! RFC 9421 HTTP Message Signatures on the inbox (Fedify's first knock): a good one is
//! verified and processed; a tampered, stale, misdirected or forged one gets 401 and changes
//! nothing; draft-cavage keeps working beside it.

use std::time::{Duration, SystemTime};

use serde_json::json;

use entrepairs::federation::keys::PrivateKey;
use entrepairs::federation::rfc9421::{Request, sign};

use crate::support::signing::Signed;
use crate::support::{TestNode, client};

/// POSTs `body` to `url`, signed with RFC 9421 by `key` under `key_id` at `at`; `sent_body`
/// replaces the body after signing (a tampered request).
async fn post_9421(
    url: &str,
    body: &[u8],
    sent_body: &[u8],
    key_id: &str,
    key: &PrivateKey,
    at: SystemTime,
) -> u16 {
    let req = Request {
        method: "POST",
        target_uri: url,
        body: Some(body),
    };
    let s = sign(&req, key_id, key, at).expect("sign");
    client()
        .post(url)
        .header("Content-Type", "application/activity+json")
        .header("Content-Digest", s.content_digest.expect("digest"))
        .header("Signature-Input", s.signature_input)
        .header("Signature", s.signature)
        .body(sent_body.to_vec())
        .send()
        .await
        .expect("send")
        .status()
        .as_u16()
}

#[tokio::test]
async fn an_rfc9421_signed_follow_is_processed_and_forged_or_stale_ones_get_401() {
    let nodes = TestNode::spawn_many(2).await;
    let (a, b) = (&nodes[0], &nodes[1]);
    TestNode::federate(&[a, b]).await;
    a.create_user("alice", false).await;
    b.create_user("bruno", false).await;
    let alice = a.actor("alice").await;
    let key =
        PrivateKey::from_pkcs8_pem(alice.private_key_pem.as_deref().expect("key")).expect("key");
    let inbox = b.url("/users/bruno/inbox");
    let follow = |n: u32| {
        serde_json::to_vec(&json!({
            "@context": "https://www.w3.org/ns/activitystreams",
            "id": a.url(&format!("/follows/9421-{n}")), "type": "Follow",
            "actor": alice.ap_id, "object": b.url("/users/bruno"),
        }))
        .expect("json")
    };
    let followers = || async {
        entrepairs::domain::follows::followers_of(&b.state, &b.actor("bruno").await)
            .await
            .expect("followers")
    };
    let now = SystemTime::now();

    // Forged variants first: each gets 401 and writes nothing.
    let other = PrivateKey::generate().expect("key");
    let stale = now - Duration::from_secs(2 * 24 * 3600);
    let tampered = post_9421(
        &inbox,
        &follow(1),
        &follow(2),
        &alice.public_key_id,
        &key,
        now,
    )
    .await;
    assert_eq!(tampered, 401, "tampered body");
    let old = post_9421(
        &inbox,
        &follow(3),
        &follow(3),
        &alice.public_key_id,
        &key,
        stale,
    )
    .await;
    assert_eq!(old, 401, "stale");
    let forged = post_9421(
        &inbox,
        &follow(4),
        &follow(4),
        &alice.public_key_id,
        &other,
        now,
    )
    .await;
    assert_eq!(forged, 401, "signed with another key");
    // Signed for the shared inbox, posted to bruno's: the target is covered.
    let req = Request {
        method: "POST",
        target_uri: &b.url("/inbox"),
        body: Some(&follow(5)),
    };
    let s = sign(&req, &alice.public_key_id, &key, now).expect("sign");
    let status = client()
        .post(&inbox)
        .header("Content-Type", "application/activity+json")
        .header("Content-Digest", s.content_digest.expect("digest"))
        .header("Signature-Input", s.signature_input)
        .header("Signature", s.signature)
        .body(follow(5))
        .send()
        .await
        .expect("send")
        .status()
        .as_u16();
    assert_eq!(status, 401, "a signature for another path");
    assert!(followers().await.is_empty(), "nothing written");

    // The good one.
    assert_eq!(
        post_9421(
            &inbox,
            &follow(7),
            &follow(7),
            &alice.public_key_id,
            &key,
            now
        )
        .await,
        202
    );
    assert!(followers().await.contains(&alice.ap_id));

    // draft-cavage keeps working beside it.
    let undo = serde_json::to_vec(&json!({
        "id": a.url("/follows/9421-7#undo"), "type": "Undo", "actor": alice.ap_id,
        "object": {"id": a.url("/follows/9421-7"), "type": "Follow", "actor": alice.ap_id,
                   "object": b.url("/users/bruno")},
    }))
    .expect("json");
    let status = Signed::post(a, "alice", &inbox, &undo, SystemTime::now())
        .await
        .status()
        .await;
    assert_eq!(status, 202);
    assert!(!followers().await.contains(&alice.ap_id));
    for n in nodes {
        n.stop().await;
    }
}

/// Sending (issue 14, point 6): a peer that verifies only RFC 9421 answers our draft-cavage
/// knock with 401; the delivery knocks again with RFC 9421 at once, gets through, and the
/// peer's scheme is remembered so that the next delivery knocks with RFC 9421 first.
#[tokio::test]
async fn deliveries_to_a_peer_that_only_verifies_rfc9421_knock_again_and_remember_it() {
    use std::sync::atomic::Ordering;

    let nodes = TestNode::spawn_many(2).await;
    let (a, b) = (&nodes[0], &nodes[1]);
    TestNode::federate(&[a, b]).await;
    b.state.fed.refuse_cavage.store(true, Ordering::Relaxed);
    let alice_account = a.create_user("alice", false).await;
    let bruno_account = b.create_user("bruno", false).await;
    let alice = a.actor("alice").await;
    let bruno = b.actor("bruno").await;

    // b's Follow reaches a with draft-cavage (a verifies both); a's Accept must knock twice.
    entrepairs::domain::follows::follow(&b.state, &bruno_account, &alice.ap_id)
        .await
        .expect("follow");
    TestNode::drain_all(&[a, b]).await;
    let following = entrepairs::domain::follows::following_of(&b.state, &bruno)
        .await
        .expect("following");
    assert!(
        following.contains(&alice.ap_id),
        "a's Accept reached b, signed with RFC 9421: {following:?}"
    );
    assert_eq!(
        a.state
            .store
            .peer_signature_scheme(&b.authority)
            .await
            .expect("db"),
        "rfc9421",
        "a remembers that b accepts RFC 9421"
    );
    assert_eq!(
        b.state
            .store
            .peer_signature_scheme(&a.authority)
            .await
            .expect("db"),
        "cavage",
        "b remembers that a accepted draft-cavage at the first knock"
    );

    // The next delivery knocks with RFC 9421 first: delivered, nothing retried or failed.
    let note = entrepairs::domain::notes::publish(&a.state, &alice_account, "Bonjour Bruno")
        .await
        .expect("publish");
    let stats = a.drain().await;
    assert_eq!((stats.delivered, stats.retried, stats.failed), (1, 0, 0));
    assert!(
        b.state
            .store
            .object_by_ap_id(&note.ap_id)
            .await
            .expect("db")
            .is_some(),
        "b stored alice's note"
    );
}
