//! An agent deletes their account across three nodes: their posts are deleted everywhere, or
//! kept with their name removed everywhere; a forged Delete{Person} is refused; the last admin
//! cannot leave.

use std::time::SystemTime;

use serde_json::json;

use entrepairs::db::PostRow;
use entrepairs::domain::accounts::Account;
use entrepairs::domain::communities;
use entrepairs::domain::{memberships, moderation, posts};

use crate::communities::community_on;
use crate::support::signing::Signed;
use crate::support::{Browser, PASSWORD, TestNode, client};

struct World {
    nodes: Vec<TestNode>,
    alice: Account,
    thread: PostRow,
    alice_reply: PostRow,
    chloe_thread: PostRow,
}

/// alice (A), anna (A), bruno (B, the host) and chloe (C) in `accueil` on B; alice opens a
/// thread, chloe and alice reply; chloe opens another thread.
async fn world() -> World {
    let nodes = TestNode::spawn_many(3).await;
    let (a, b, c) = (&nodes[0], &nodes[1], &nodes[2]);
    TestNode::federate(&[a, b, c]).await;
    let alice = a.create_user("alice", false).await;
    let anna = a.create_user("anna", false).await;
    let bruno = b.create_user("bruno", false).await;
    let chloe = c.create_user("chloe", false).await;
    community_on(b, &bruno, "accueil", "open").await;
    let handle = format!("accueil@{}", b.authority);
    for (node, who) in [(a, &alice), (a, &anna), (c, &chloe)] {
        let community = communities::resolve(&node.state, &handle)
            .await
            .expect("resolve");
        memberships::join(&node.state, who, &community, "")
            .await
            .expect("join");
        TestNode::drain_all(&[a, b, c]).await;
    }
    let ca = communities::resolve(&a.state, &handle)
        .await
        .expect("cached");
    let thread = posts::create_thread(&a.state, &alice, &ca, "Horaires d'été", "Qui ouvre ?")
        .await
        .expect("thread");
    TestNode::drain_all(&[a, b, c]).await;
    let chloe_reply = posts::reply(&c.state, &chloe, &thread.ap_id, "Nous, le matin.")
        .await
        .expect("reply");
    let alice_reply = posts::reply(&a.state, &alice, &thread.ap_id, "Merci, noté.")
        .await
        .expect("reply");
    let cc = communities::resolve(&c.state, &handle)
        .await
        .expect("cached");
    let chloe_thread = posts::create_thread(&c.state, &chloe, &cc, "Planning", "Le tableau.")
        .await
        .expect("thread");
    TestNode::drain_all(&[a, b, c]).await;
    for node in [a, b, c] {
        for p in [&thread, &chloe_reply, &alice_reply, &chloe_thread] {
            assert!(stored(node, &p.ap_id).await.is_some(), "on {}", node.name);
        }
    }
    World {
        nodes,
        alice,
        thread,
        alice_reply,
        chloe_thread,
    }
}

async fn stored(node: &TestNode, ap_id: &str) -> Option<PostRow> {
    node.state.store.post_by_ap_id(ap_id).await.expect("db")
}

/// The thread's page on `node`, as `who` (a member there) sees it.
async fn thread_page(node: &TestNode, who: &str, thread: &str) -> String {
    let id = stored(node, thread).await.expect("thread stored").id;
    let mut browser = Browser::new(&node.base);
    browser.login(who, PASSWORD).await;
    let page = browser.get(&format!("/discussions/{id}")).await;
    assert_eq!(page.status, 200, "{}", page.body);
    page.body
}

#[tokio::test]
async fn deleting_an_account_with_its_posts_removes_them_and_the_member_on_every_node() {
    let w = world().await;
    let (a, b, c) = (&w.nodes[0], &w.nodes[1], &w.nodes[2]);
    let token = a.token("alice").await;
    // alice reported chloe's thread: after she leaves, the report stays but names no one.
    moderation::report(&a.state, &w.alice, &w.chloe_thread.ap_id, "hors sujet")
        .await
        .expect("report");
    TestNode::drain_all(&[a, b, c]).await;
    let mut browser = Browser::new(&a.base);
    browser.login("alice", PASSWORD).await;

    let wrong = browser
        .submit(
            "/profile",
            "/profile/delete",
            &[("posts", "delete"), ("password", "pas le bon")],
        )
        .await;
    assert_eq!(wrong.status, 422);
    assert!(wrong.body.contains("Mot de passe incorrect"));
    TestNode::drain_all(&[a, b, c]).await;
    assert!(
        stored(b, &w.thread.ap_id).await.is_some(),
        "nothing changed"
    );

    let done = browser
        .submit(
            "/profile",
            "/profile/delete",
            &[("posts", "delete"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(done.status, 303, "{}", done.body);
    TestNode::drain_all(&[a, b, c]).await;

    for node in [a, b, c] {
        for p in [&w.thread, &w.alice_reply] {
            assert!(
                stored(node, &p.ap_id).await.is_none(),
                "{} is gone on {}",
                p.ap_id,
                node.name
            );
        }
    }
    for node in [a, b, c] {
        assert!(
            stored(node, &w.chloe_thread.ap_id).await.is_some(),
            "others' threads stay on {}",
            node.name
        );
    }
    let cb = communities::resolve(&b.state, "accueil")
        .await
        .expect("local");
    let members: Vec<String> = b
        .state
        .store
        .members(cb.id, "accepted")
        .await
        .expect("members")
        .into_iter()
        .map(|m| m.ap_id)
        .collect();
    assert!(!members.contains(&w.alice.actor), "the group removed her");
    let reports = b.state.store.open_reports(cb.id).await.expect("reports");
    assert_eq!(reports.len(), 1, "the report stays");
    assert!(
        !reports[0].reporter.contains("alice"),
        "and names no one: {}",
        reports[0].reporter
    );
    assert_eq!(members.len(), 3, "bruno, anna and chloe remain");
    for node in [b, c] {
        assert!(
            node.state
                .store
                .actor_by_ap_id(&w.alice.actor)
                .await
                .expect("db")
                .is_none(),
            "{} forgot her profile",
            node.name
        );
    }
    // On her own node: no account, no login, no actor document nor WebFinger answer.
    assert!(
        entrepairs::domain::accounts::by_username(&a.state, "alice")
            .await
            .is_err(),
        "her account is gone"
    );
    let me = client()
        .get(a.url("/api/v1/me"))
        .bearer_auth(&token)
        .send()
        .await
        .expect("me");
    assert_eq!(me.status(), 401, "her tokens went with it");
    let finger = client()
        .get(a.url(&format!(
            "/.well-known/webfinger?resource=acct:alice@{}",
            a.authority
        )))
        .send()
        .await
        .expect("webfinger");
    assert_eq!(finger.status(), 404);
    let mut bruno = Browser::new(&b.base);
    bruno.login("bruno", PASSWORD).await;
    let page = bruno.get("/communities/accueil").await;
    assert_eq!(page.status, 200);
    assert!(!page.body.contains("Horaires d&#x27;été") && !page.body.contains("Horaires d'été"));
}

#[tokio::test]
async fn anonymised_posts_stay_and_the_agents_name_appears_on_no_node() {
    let w = world().await;
    let (a, b, c) = (&w.nodes[0], &w.nodes[1], &w.nodes[2]);

    // Another node cannot delete alice: neither chloe nor C's instance actor speaks for A.
    let forged = |by: &str| {
        json!({
            "@context": "https://www.w3.org/ns/activitystreams",
            "type": "Delete", "id": c.url(&format!("/activities/forged-{}", by.len())),
            "actor": by, "object": w.alice.actor, "removeData": true,
        })
    };
    let chloe = c.actor("chloe").await.ap_id;
    let body = serde_json::to_vec(&forged(&chloe)).expect("json");
    let res = Signed::post(c, "chloe", &b.url("/inbox"), &body, SystemTime::now()).await;
    assert_eq!(
        res.status().await,
        403,
        "signed by an agent of another node"
    );
    let body = serde_json::to_vec(&forged(&c.url("/actor"))).expect("json");
    let res = Signed::post_as_instance(c, &b.url("/inbox"), &body).await;
    assert_eq!(res.status().await, 403, "signed by another node");
    assert!(stored(b, &w.thread.ap_id).await.is_some());
    assert!(
        b.state
            .store
            .actor_by_ap_id(&w.alice.actor)
            .await
            .expect("db")
            .is_some(),
        "alice is still known on B"
    );

    // Shared work: alice writes the survival kit from her node; it is the community's.
    let ca = communities::resolve(&a.state, &format!("accueil@{}", b.authority))
        .await
        .expect("cached");
    entrepairs::domain::resources::create(
        &a.state,
        &w.alice,
        &ca,
        &entrepairs::domain::resources::ResourceInput {
            kind: "kit".into(),
            slug: "kit".into(),
            title: "Kit de survie".into(),
            body: "Les horaires d'été.".into(),
            summary: String::new(),
        },
    )
    .await
    .expect("resource");
    TestNode::drain_all(&[a, b, c]).await;

    let token = a.token("alice").await;
    let http = client();
    let res = http
        .delete(a.url("/api/v1/me"))
        .bearer_auth(&token)
        .json(&json!({"password": "pas le bon", "posts": "anonymise"}))
        .send()
        .await
        .expect("delete");
    assert_eq!(res.status(), 401, "a wrong password changes nothing");
    let res = http
        .delete(a.url("/api/v1/me"))
        .bearer_auth(&token)
        .json(&json!({"password": PASSWORD, "posts": "anonymise"}))
        .send()
        .await
        .expect("delete");
    assert_eq!(res.status(), 204);
    TestNode::drain_all(&[a, b, c]).await;

    for (node, viewer) in [(a, "anna"), (b, "bruno"), (c, "chloe")] {
        for p in [&w.thread, &w.alice_reply] {
            let kept = stored(node, &p.ap_id).await.expect("the post stays");
            assert_ne!(kept.attributed_to, w.alice.actor, "on {}", node.name);
        }
        let kit = node
            .state
            .store
            .resources_of(
                communities::resolve(&node.state, &format!("accueil@{}", b.authority))
                    .await
                    .map(|c| c.id)
                    .unwrap_or_default(),
            )
            .await
            .expect("db");
        let kit = kit.first().expect("the kit stays");
        let authors: Vec<String> = node
            .state
            .store
            .revisions(kit.id)
            .await
            .expect("db")
            .into_iter()
            .map(|r| r.author)
            .collect();
        assert!(
            !authors.contains(&w.alice.actor) && kit.attributed_to != w.alice.actor,
            "the kit's history names her nowhere on {}: {authors:?}",
            node.name
        );
        let html = thread_page(node, viewer, &w.thread.ap_id).await;
        assert!(html.contains("Merci, noté."), "her reply is still read");
        assert!(html.contains("Ancien agent"), "on {}", node.name);
        assert!(
            !html.to_lowercase().contains("alice"),
            "her name appears nowhere on {}",
            node.name
        );
    }
}

#[tokio::test]
async fn the_last_admin_cannot_delete_their_account() {
    let node = TestNode::spawn().await;
    node.create_user("admin", true).await;
    let token = node.token("admin").await;
    let res = client()
        .delete(node.url("/api/v1/me"))
        .bearer_auth(&token)
        .json(&json!({"password": PASSWORD, "posts": "delete"}))
        .send()
        .await
        .expect("delete");
    assert_eq!(res.status(), 409);
    let mut browser = Browser::new(&node.base);
    browser.login("admin", PASSWORD).await;
    let page = browser
        .submit(
            "/profile",
            "/profile/delete",
            &[("posts", "anonymise"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(page.status, 422);
    assert!(page.body.contains("dernier administrateur"));
    assert!(
        entrepairs::domain::accounts::by_username(&node.state, "admin")
            .await
            .is_ok(),
        "the account is still there"
    );
}
