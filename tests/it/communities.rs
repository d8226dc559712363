//! Communities across three nodes (FEP-1b12): join on request, post, reply, moderation
//! delete, leave; and what non-members, forgers and banned members get.

use std::time::SystemTime;

use serde_json::json;

use entrepairs::domain::accounts::Account;
use entrepairs::domain::communities::{self, NewCommunityInput};
use entrepairs::domain::{memberships, moderation, notifications, posts};
use entrepairs::federation::fetch::{FetchBudget, fetch_json};

use crate::support::TestNode;
use crate::support::signing::Signed;

/// A community on `host`, owned by `owner`.
pub async fn community_on(host: &TestNode, owner: &Account, slug: &str, mode: &str) {
    communities::create(
        &host.state,
        owner,
        &NewCommunityInput {
            slug: slug.into(),
            name: format!("Communauté {slug}"),
            description: "Les agents d'accueil du bassin".into(),
            tags: "accueil".into(),
            join_mode: mode.into(),
            question: "Dans quel service travaillez-vous ?".into(),
            charter: "Bienveillance.".into(),
        },
    )
    .await
    .expect("community created");
}

/// `who` asks to join the community `handle` from their own node.
pub async fn join(node: &TestNode, who: &Account, handle: &str) {
    let c = communities::resolve(&node.state, handle)
        .await
        .expect("resolve community");
    memberships::join(&node.state, who, &c, "Accueil général")
        .await
        .expect("join");
}

async fn titles(node: &TestNode, handle: &str) -> Vec<String> {
    let c = communities::resolve(&node.state, handle)
        .await
        .expect("community");
    node.state
        .store
        .threads(c.id)
        .await
        .expect("threads")
        .into_iter()
        .map(|p| p.title)
        .collect()
}

#[tokio::test]
async fn an_agent_joins_on_request_posts_and_a_third_node_replies_then_moderation_and_leaving_reach_every_node()
 {
    let nodes = TestNode::spawn_many(3).await;
    let (a, b, c) = (&nodes[0], &nodes[1], &nodes[2]);
    TestNode::federate(&[a, b, c]).await;
    let alice = a.create_user("alice", false).await;
    let bruno = b.create_user("bruno", false).await;
    let chloe = c.create_user("chloe", false).await;
    community_on(b, &bruno, "accueil", "request").await;
    let handle = format!("accueil@{}", b.authority);

    // WebFinger finds the group.
    let group = entrepairs::federation::remote::resolve(&a.state, &handle, &FetchBudget::default())
        .await
        .expect("webfinger resolves the group");
    assert_eq!(group.kind, "Group");

    // alice asks; bruno (owner, animateur) sees the request with her answer and approves.
    join(a, &alice, &handle).await;
    TestNode::drain_all(&[a, b, c]).await;
    let cb = communities::resolve(&b.state, "accueil")
        .await
        .expect("local");
    let pending = b
        .state
        .store
        .members(cb.id, "pending")
        .await
        .expect("pending");
    assert_eq!(pending.len(), 1);
    assert_eq!(pending[0].answer, "Accueil général");
    let notes = notifications::list(&b.state, &bruno)
        .await
        .expect("notifications");
    assert!(notes.iter().any(|n| n.kind == "membership_request"));
    memberships::decide(&b.state, &bruno, &cb, &alice.actor, true)
        .await
        .expect("approve");
    TestNode::drain_all(&[a, b, c]).await;
    let ca = communities::resolve(&a.state, &handle)
        .await
        .expect("cached");
    let mine = a
        .state
        .store
        .membership(ca.id, alice.actor_id)
        .await
        .expect("db")
        .expect("membership");
    assert_eq!(mine.state, "accepted", "alice's node learns the decision");
    assert!(
        notifications::list(&a.state, &alice)
            .await
            .expect("n")
            .iter()
            .any(|n| n.kind == "membership_accepted")
    );

    // chloe on C joins too (bruno approves), then alice posts a thread.
    join(c, &chloe, &handle).await;
    TestNode::drain_all(&[a, b, c]).await;
    memberships::decide(&b.state, &bruno, &cb, &chloe.actor, true)
        .await
        .expect("approve");
    TestNode::drain_all(&[a, b, c]).await;
    let thread = posts::create_thread(
        &a.state,
        &alice,
        &ca,
        "Kit de survie",
        "**Bienvenue** <script>alert(1)</script>",
    )
    .await
    .expect("thread");
    let before = a.drain().await;
    assert_eq!(before.delivered, 1, "one delivery: to the group's node");
    let announce = b.drain().await;
    assert_eq!(
        announce.delivered, 2,
        "the group announces once per member node (a and c)"
    );
    TestNode::drain_all(&[a, b, c]).await;
    for node in [a, b, c] {
        assert_eq!(
            titles(node, &handle).await,
            vec!["Kit de survie".to_owned()],
            "on {}",
            node.name
        );
        let p = node
            .state
            .store
            .post_by_ap_id(&thread.ap_id)
            .await
            .expect("db")
            .expect("post");
        assert!(
            p.content_html.contains("<strong>Bienvenue</strong>")
                && !p.content_html.contains("script")
        );
    }

    // chloe replies from C, mentioning alice; everyone sees it; alice is notified.
    let reply = posts::reply(
        &c.state,
        &chloe,
        &thread.ap_id,
        &format!("Merci @alice@{} !", a.authority),
    )
    .await
    .expect("reply");
    TestNode::drain_all(&[a, b, c]).await;
    for node in [a, b, c] {
        let replies = node
            .state
            .store
            .replies(&thread.ap_id)
            .await
            .expect("replies");
        assert_eq!(replies.len(), 1, "the reply is on {}", node.name);
    }
    let kinds: Vec<String> = notifications::list(&a.state, &alice)
        .await
        .expect("n")
        .into_iter()
        .map(|n| n.kind)
        .collect();
    assert!(
        kinds.contains(&"reply".to_owned()) && kinds.contains(&"mention".to_owned()),
        "{kinds:?}"
    );

    // chloe reports it across nodes; bruno sees the report, then removes the reply everywhere.
    moderation::report(&c.state, &chloe, &reply.ap_id, "hors sujet")
        .await
        .expect("report");
    TestNode::drain_all(&[a, b, c]).await;
    let queue = moderation::queue(&b.state, &bruno, &cb)
        .await
        .expect("queue");
    assert_eq!(queue.len(), 1);
    assert_eq!(queue[0].reason, "hors sujet");
    posts::delete(&b.state, &bruno, &reply.ap_id)
        .await
        .expect("animateur deletes");
    TestNode::drain_all(&[a, b, c]).await;
    for node in [a, b, c] {
        assert!(
            node.state
                .store
                .post_by_ap_id(&reply.ap_id)
                .await
                .expect("db")
                .is_none(),
            "gone on {}",
            node.name
        );
    }

    // alice leaves: b delivers nothing more for that community to a.
    memberships::leave(&a.state, &alice, &ca)
        .await
        .expect("leave");
    TestNode::drain_all(&[a, b, c]).await;
    let remote_alice = b
        .state
        .store
        .actor_by_ap_id(&alice.actor)
        .await
        .expect("db")
        .expect("cached");
    assert!(
        b.state
            .store
            .membership(cb.id, remote_alice.id)
            .await
            .expect("db")
            .is_none()
    );
    posts::create_thread(&b.state, &bruno, &cb, "Réunion de juin", "Ordre du jour")
        .await
        .expect("thread");
    let stats = b.drain().await;
    assert_eq!(
        stats.delivered, 1,
        "only c's node still receives the community"
    );
    TestNode::drain_all(&[a, b, c]).await;
    assert_eq!(titles(c, &handle).await.len(), 2);
    assert_eq!(
        titles(a, &handle).await.len(),
        1,
        "a received nothing after leaving"
    );
    for n in nodes {
        n.stop().await;
    }
}

#[tokio::test]
async fn non_members_cannot_read_or_post_forged_announces_are_refused_and_banned_members_are_refused()
 {
    let nodes = TestNode::spawn_many(3).await;
    let (a, b, c) = (&nodes[0], &nodes[1], &nodes[2]);
    TestNode::federate(&[a, b, c]).await;
    let alice = a.create_user("alice", false).await;
    let bruno = b.create_user("bruno", false).await;
    let chloe = c.create_user("chloe", false).await;
    community_on(b, &bruno, "assistants", "open").await;
    community_on(b, &bruno, "autre", "open").await;
    let handle = format!("assistants@{}", b.authority);
    join(a, &alice, &handle).await;
    TestNode::drain_all(&[a, b, c]).await;
    let cb = communities::resolve(&b.state, "assistants")
        .await
        .expect("local");
    let thread = posts::create_thread(&b.state, &bruno, &cb, "Secret", "Réservé aux membres")
        .await
        .expect("post");
    TestNode::drain_all(&[a, b, c]).await;

    // Signed fetches: a (a member lives there) may read; c (approved, no member) may not.
    let members_url = b.url("/c/assistants/followers");
    assert!(
        fetch_json(&a.state, &members_url, &FetchBudget::default())
            .await
            .is_ok()
    );
    assert_eq!(Signed::get(c, &members_url).await.status().await, 403);
    assert_eq!(Signed::get(c, &thread.ap_id).await.status().await, 403);
    assert_eq!(Signed::get(a, &thread.ap_id).await.status().await, 200);
    // The group itself is public to approved peers, so that agents can decide to join.
    assert_eq!(
        Signed::get(c, &b.url("/c/assistants")).await.status().await,
        200
    );
    // Unsigned: the group's key document only (what a default Fedify fetches to verify
    // the group's Accept and Announce), none of its community fields.
    let unsigned = crate::support::client()
        .get(b.url("/c/assistants"))
        .header("Accept", "application/activity+json")
        .send()
        .await
        .expect("get");
    assert_eq!(unsigned.status(), 200);
    let public: serde_json::Value = unsigned.json().await.expect("json");
    assert_eq!(public["type"], "Group");
    assert_eq!(public["publicKey"]["owner"], cb.ap_id);
    for private in [
        "joinMode",
        "question",
        "charter",
        "tags",
        "followers",
        "summary",
    ] {
        assert!(public.get(private).is_none(), "{private} is not public");
    }
    let members = crate::support::client()
        .get(&members_url)
        .header("Accept", "application/activity+json")
        .send()
        .await
        .expect("get");
    assert_eq!(
        members.status(),
        401,
        "its members stay behind authorized fetch"
    );

    // chloe is not a member: reading and posting are refused, by her node and by the group.
    let cc = communities::resolve(&c.state, &handle)
        .await
        .expect("cached");
    assert!(
        posts::create_thread(&c.state, &chloe, &cc, "Intrus", "x")
            .await
            .is_err()
    );
    let create = json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "type": "Create", "id": c.url("/activities/forged-1"), "actor": chloe.actor,
        "to": [cb.ap_id],
        "object": {"type": "Page", "id": c.url("/posts/forged-1"), "name": "Intrus",
                   "attributedTo": chloe.actor, "audience": cb.ap_id, "content": "x"},
    });
    let body = serde_json::to_vec(&create).expect("json");
    let res = Signed::post(
        c,
        "chloe",
        &b.url("/c/assistants/inbox"),
        &body,
        SystemTime::now(),
    )
    .await;
    assert_eq!(res.status().await, 403, "the group refuses a non-member");
    assert_eq!(b.drain().await.delivered, 0, "and announces nothing");

    // An Announce claiming to come from the group but signed by someone else is refused.
    let forged = json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "type": "Announce", "id": b.url("/activities/forged-2"), "actor": cb.ap_id,
        "object": {"type": "Create", "id": b.url("/activities/x"), "actor": bruno.actor,
                   "object": {"type": "Page", "id": b.url("/posts/x"), "name": "Faux",
                              "attributedTo": bruno.actor, "audience": cb.ap_id, "content": "x"}},
    });
    let body = serde_json::to_vec(&forged).expect("json");
    let res = Signed::post(b, "bruno", &a.url("/inbox"), &body, SystemTime::now()).await;
    assert_eq!(res.status().await, 403);
    assert!(
        a.state
            .store
            .post_by_ap_id(&b.url("/posts/x"))
            .await
            .expect("db")
            .is_none()
    );

    // An animateur of one community has no power in another.
    let other = communities::resolve(&b.state, "autre")
        .await
        .expect("local");
    let bea = b.create_user("bea", false).await;
    memberships::join(&b.state, &bea, &other, "")
        .await
        .expect("join");
    memberships::set_role(&b.state, &bruno, &other, &bea.actor, true)
        .await
        .expect("animateur of autre");
    assert!(posts::delete(&b.state, &bea, &thread.ap_id).await.is_err());
    assert!(
        memberships::ban(&b.state, &bea, &cb, &alice.actor)
            .await
            .is_err()
    );

    // A banned member's new activities are refused.
    let remote_alice = b
        .state
        .store
        .actor_by_ap_id(&alice.actor)
        .await
        .expect("db")
        .expect("cached");
    memberships::ban(&b.state, &bruno, &cb, &remote_alice.ap_id)
        .await
        .expect("ban");
    TestNode::drain_all(&[a, b, c]).await;
    let post = json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "type": "Create", "id": a.url("/activities/after-ban"), "actor": alice.actor,
        "to": [cb.ap_id],
        "object": {"type": "Page", "id": a.url("/posts/after-ban"), "name": "Encore",
                   "attributedTo": alice.actor, "audience": cb.ap_id, "content": "x"},
    });
    let body = serde_json::to_vec(&post).expect("json");
    let res = Signed::post(
        a,
        "alice",
        &b.url("/c/assistants/inbox"),
        &body,
        SystemTime::now(),
    )
    .await;
    assert_eq!(res.status().await, 403);
    let ca = communities::resolve(&a.state, &handle)
        .await
        .expect("cached");
    assert!(memberships::join(&a.state, &alice, &ca, "").await.is_ok());
    TestNode::drain_all(&[a, b, c]).await;
    let m = b
        .state
        .store
        .membership(cb.id, remote_alice.id)
        .await
        .expect("db")
        .expect("row");
    assert_eq!(
        m.state, "banned",
        "a new request from a banned member is refused"
    );
    for n in nodes {
        n.stop().await;
    }
}

#[tokio::test]
async fn an_invited_agent_joins_an_invitation_only_community_edits_travel_and_a_locked_thread_takes_no_reply()
 {
    let nodes = TestNode::spawn_many(2).await;
    let (a, b) = (&nodes[0], &nodes[1]);
    TestNode::federate(&[a, b]).await;
    let alice = a.create_user("alice", false).await;
    let damien = a.create_user("damien", false).await;
    let bruno = b.create_user("bruno", false).await;
    community_on(b, &bruno, "direction", "invitation").await;
    let handle = format!("direction@{}", b.authority);

    // Without an invitation the group refuses.
    join(a, &damien, &handle).await;
    TestNode::drain_all(&[a, b]).await;
    let ca = communities::resolve(&a.state, &handle)
        .await
        .expect("cached");
    assert!(
        a.state
            .store
            .membership(ca.id, damien.actor_id)
            .await
            .expect("db")
            .is_none()
    );
    assert!(
        notifications::list(&a.state, &damien)
            .await
            .expect("n")
            .iter()
            .any(|n| n.kind == "membership_rejected")
    );

    // bruno invites alice by handle; her node tells her; she joins and is accepted at once.
    let cb = communities::resolve(&b.state, "direction")
        .await
        .expect("local");
    memberships::invite(&b.state, &bruno, &cb, &a.handle_of("alice"))
        .await
        .expect("invite");
    TestNode::drain_all(&[a, b]).await;
    assert!(
        notifications::list(&a.state, &alice)
            .await
            .expect("n")
            .iter()
            .any(|n| n.kind == "invited")
    );
    let mine = a
        .state
        .store
        .membership(ca.id, alice.actor_id)
        .await
        .expect("db")
        .expect("invitation");
    assert_eq!(mine.state, "invited");
    memberships::join(&a.state, &alice, &ca, "")
        .await
        .expect("accept the invitation");
    TestNode::drain_all(&[a, b]).await;
    let mine = a
        .state
        .store
        .membership(ca.id, alice.actor_id)
        .await
        .expect("db")
        .expect("member");
    assert_eq!(mine.state, "accepted");

    // bruno's thread; alice edits her reply and the edit reaches b; bruno locks the thread.
    let thread = posts::create_thread(&b.state, &bruno, &cb, "Parapheurs", "Circuit de signature")
        .await
        .expect("t");
    TestNode::drain_all(&[a, b]).await;
    let reply = posts::reply(&a.state, &alice, &thread.ap_id, "Premier jet")
        .await
        .expect("reply");
    TestNode::drain_all(&[a, b]).await;
    posts::edit(&a.state, &alice, &reply.ap_id, "", "Version *corrigée*")
        .await
        .expect("edit");
    TestNode::drain_all(&[a, b]).await;
    let on_b = b
        .state
        .store
        .post_by_ap_id(&reply.ap_id)
        .await
        .expect("db")
        .expect("reply on b");
    assert!(
        on_b.content_html.contains("<em>corrigée</em>"),
        "{}",
        on_b.content_html
    );
    assert!(
        posts::edit(&b.state, &bruno, &reply.ap_id, "", "piraté")
            .await
            .is_err(),
        "only the author edits"
    );
    posts::set_flags(&b.state, &bruno, &thread.ap_id, true, true)
        .await
        .expect("lock");
    TestNode::drain_all(&[a, b]).await;
    let on_a = a
        .state
        .store
        .post_by_ap_id(&thread.ap_id)
        .await
        .expect("db")
        .expect("thread on a");
    assert_eq!(
        (on_a.pinned, on_a.locked),
        (1, 1),
        "pin and lock reach members' nodes"
    );
    assert!(
        posts::reply(&a.state, &alice, &thread.ap_id, "Encore")
            .await
            .is_err()
    );
    for n in nodes {
        n.stop().await;
    }
}

#[tokio::test]
async fn denying_a_peer_purges_its_community_content_from_the_cache_and_keeps_ours() {
    let nodes = TestNode::spawn_many(2).await;
    let (a, b) = (&nodes[0], &nodes[1]);
    TestNode::federate(&[a, b]).await;
    let alice = a.create_user("alice", false).await;
    let bruno = b.create_user("bruno", false).await;
    community_on(b, &bruno, "accueil", "open").await;
    let handle = format!("accueil@{}", b.authority);
    join(a, &alice, &handle).await;
    TestNode::drain_all(&[a, b]).await;
    let cb = communities::resolve(&b.state, "accueil")
        .await
        .expect("local");
    let theirs = posts::create_thread(&b.state, &bruno, &cb, "De la mairie", "x")
        .await
        .expect("t");
    TestNode::drain_all(&[a, b]).await;
    let ca = communities::resolve(&a.state, &handle)
        .await
        .expect("cached");
    let ours = posts::create_thread(&a.state, &alice, &ca, "De la préfecture", "y")
        .await
        .expect("t");
    TestNode::drain_all(&[a, b]).await;
    assert!(
        a.state
            .store
            .post_by_ap_id(&theirs.ap_id)
            .await
            .expect("db")
            .is_some()
    );

    entrepairs::domain::peers::deny(&a.state, &b.authority, "test")
        .await
        .expect("deny");
    assert!(
        a.state
            .store
            .post_by_ap_id(&theirs.ap_id)
            .await
            .expect("db")
            .is_none(),
        "purged"
    );
    assert!(
        a.state
            .store
            .post_by_ap_id(&ours.ap_id)
            .await
            .expect("db")
            .is_some(),
        "ours stays"
    );
    for n in nodes {
        n.stop().await;
    }
}
