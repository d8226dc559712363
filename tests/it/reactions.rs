//! Reactions across three nodes (issue 19): a member on C thanks a reply written on B in a
//! community hosted on A; the host counts and announces, so B shows the count and who
//! reacted; `Undo` removes it. Non-members and doubles are refused on the web, the API and
//! the inbox, and nothing is written.

use std::time::SystemTime;

use serde_json::json;

use entrepairs::db::CommunityRow;
use entrepairs::domain::{accounts, communities, posts};

use crate::communities::{community_on, join};
use crate::support::signing::Signed;
use crate::support::{TestNode, client};

async fn community(node: &TestNode, handle: &str) -> CommunityRow {
    communities::resolve(&node.state, handle)
        .await
        .expect("community")
}

/// `(object, kind, actor)` of every reaction a node holds in a community.
async fn held(node: &TestNode, handle: &str) -> Vec<(String, String, String)> {
    let c = community(node, handle).await;
    node.state
        .store
        .community_reactions(c.id)
        .await
        .expect("db")
        .into_iter()
        .map(|r| (r.object_ap_id, r.kind, r.actor_ap_id))
        .collect()
}

#[tokio::test]
async fn a_thank_you_on_c_is_counted_by_the_host_seen_on_b_and_undone() {
    let nodes = TestNode::spawn_many(3).await;
    let (a, b, c) = (&nodes[0], &nodes[1], &nodes[2]);
    TestNode::federate(&[a, b, c]).await;
    let alice = a.create_user("alice", false).await;
    let mut bruno_web = b.logged_in("bruno", false).await;
    let bruno = accounts::by_username(&b.state, "bruno")
        .await
        .expect("bruno");
    let mut chloe_web = c.logged_in("chloe", false).await;
    let chloe = accounts::by_username(&c.state, "chloe")
        .await
        .expect("chloe");
    let dan = b.create_user("dan", false).await;
    community_on(a, &alice, "accueil", "open").await;
    let handle = format!("accueil@{}", a.authority);
    join(b, &bruno, &handle).await;
    join(c, &chloe, &handle).await;
    TestNode::drain_all(&[a, b, c]).await;
    let ca = community(a, "accueil").await;
    let thread = posts::create_thread(&a.state, &alice, &ca, "Horaires", "Quels horaires ?")
        .await
        .expect("thread");
    TestNode::drain_all(&[a, b, c]).await;
    let reply = posts::reply(&b.state, &bruno, &thread.ap_id, "De 9 h à 17 h.")
        .await
        .expect("reply");
    TestNode::drain_all(&[a, b, c]).await;

    // Chloé, on C, thanks Bruno's reply with the form button (no script needed).
    let on_c = c
        .state
        .store
        .post_by_ap_id(&thread.ap_id)
        .await
        .expect("db")
        .expect("thread on C");
    let page_c = format!("/discussions/{}", on_c.id);
    let shown = chloe_web.get(&page_c).await;
    assert!(shown.body.contains("value=\"add:merci\""), "{}", shown.body);
    let thank = [
        ("object", reply.ap_id.as_str()),
        ("reaction", "add:merci"),
        ("back", page_c.as_str()),
    ];
    let done = chloe_web.submit(&page_c, "/reactions", &thank).await;
    assert_eq!(done.status, 303, "{}", done.body);
    assert_eq!(done.location.as_deref(), Some(page_c.as_str()));
    // Twice: refused, counted once.
    let twice = chloe_web.submit(&page_c, "/reactions", &thank).await;
    assert_eq!(twice.status, 409);
    assert!(twice.body.contains("Rechargez"), "{}", twice.body);
    TestNode::drain_all(&[a, b, c]).await;
    let one = vec![(reply.ap_id.clone(), "merci".to_owned(), chloe.actor.clone())];
    assert_eq!(held(a, "accueil").await, one, "the host counts it");
    assert_eq!(held(b, &handle).await, one, "the host announced it");
    assert_eq!(held(c, &handle).await, one);

    // Bruno, on B, sees the count and who thanked him.
    let on_b = b
        .state
        .store
        .post_by_ap_id(&thread.ap_id)
        .await
        .expect("db")
        .expect("thread on B");
    let page_b = bruno_web.get(&format!("/discussions/{}", on_b.id)).await;
    assert!(
        page_b.body.contains(
            "Merci <span class=\"reaction-count\">1<span class=\"visually-hidden\"> réaction</span>"
        ),
        "{}",
        page_b.body
    );
    assert!(page_b.body.contains("Qui a réagi ?"));
    assert!(page_b.body.contains("Merci : chloe"), "{}", page_b.body);
    assert!(!page_b.body.contains("Merci : http"), "never an address");

    // Through the API: « Bravo » on the thread, once.
    let token = b.token("bruno").await;
    let api = |body: serde_json::Value| {
        client()
            .post(b.url("/api/v1/reactions"))
            .bearer_auth(&token)
            .json(&body)
            .send()
    };
    let bravo = json!({"object": thread.ap_id, "reaction": "bravo"});
    assert_eq!(api(bravo.clone()).await.expect("POST").status(), 204);
    assert_eq!(api(bravo).await.expect("POST").status(), 409);
    let bad = json!({"object": thread.ap_id, "reaction": "coeur"});
    assert_eq!(api(bad).await.expect("POST").status(), 400);
    TestNode::drain_all(&[a, b, c]).await;
    assert_eq!(held(c, &handle).await.len(), 2);

    // Not a member: refused on the web, the API and the inbox; nothing written.
    let mut olivier = a.logged_in("olivier", false).await;
    let refused = olivier
        .submit(
            "/",
            "/reactions",
            &[("object", thread.ap_id.as_str()), ("reaction", "add:plus1")],
        )
        .await;
    assert_eq!(refused.status, 403, "{}", refused.body);
    let olivier_token = a.token("olivier").await;
    let res = client()
        .post(a.url("/api/v1/reactions"))
        .bearer_auth(&olivier_token)
        .json(&json!({"object": thread.ap_id, "reaction": "plus1"}))
        .send()
        .await
        .expect("POST");
    assert_eq!(res.status(), 403);
    let like = json!({"id": b.url("/activities/dan-like"), "type": "Like",
                      "actor": dan.actor, "object": thread.ap_id});
    let bytes = serde_json::to_vec(&like).expect("json");
    let status = Signed::post(b, "dan", &a.url("/inbox"), &bytes, SystemTime::now())
        .await
        .status()
        .await;
    assert_eq!(status, 403);
    // A member's second « Merci » under another id: refused.
    let again = json!({"id": c.url("/activities/chloe-again"), "type": "Like",
                       "actor": chloe.actor, "object": reply.ap_id});
    let bytes = serde_json::to_vec(&again).expect("json");
    let status = Signed::post(c, "chloe", &a.url("/inbox"), &bytes, SystemTime::now())
        .await
        .status()
        .await;
    assert!((400..500).contains(&status), "{status}");
    assert_eq!(held(a, "accueil").await.len(), 2);

    // Chloé takes her thanks back: gone on every node.
    let undo = [
        ("object", reply.ap_id.as_str()),
        ("reaction", "remove:merci"),
        ("back", page_c.as_str()),
    ];
    let done = chloe_web.submit(&page_c, "/reactions", &undo).await;
    assert_eq!(done.status, 303, "{}", done.body);
    TestNode::drain_all(&[a, b, c]).await;
    for (node, h) in [(a, "accueil"), (b, handle.as_str()), (c, handle.as_str())] {
        let kinds: Vec<String> = held(node, h).await.into_iter().map(|r| r.1).collect();
        assert_eq!(kinds, ["bravo"], "{}", node.authority);
    }
    for n in nodes {
        n.stop().await;
    }
}
