//! Private messages between agents across approved nodes (issue 14, item 5): held only on
//! the participants' nodes, notified, deletable by their author only, Mastodon's
//! direct-message shape read, refused from unapproved nodes and by agents who accept only
//! their institution's, purged on revocation.

use std::time::SystemTime;

use serde_json::{Value, json};

use entrepairs::domain::messages;
use entrepairs::domain::notifications::kind;

use crate::communities::{community_on, join};
use crate::support::signing::Signed;
use crate::support::{Browser, PASSWORD, TestNode, client};

async fn send(from: &TestNode, username: &str, inbox: &str, body: &Value) -> u16 {
    let bytes = serde_json::to_vec(body).expect("json");
    Signed::post(from, username, inbox, &bytes, SystemTime::now())
        .await
        .status()
        .await
}

async fn browser_of(node: &TestNode, username: &str) -> Browser {
    let mut b = Browser::new(&node.base);
    b.login(username, PASSWORD).await;
    b
}

async fn held(node: &TestNode, id: &str) -> bool {
    node.state.store.count_messages_with(id).await.expect("db") == 1
}

#[tokio::test]
async fn a_message_from_alice_to_chloe_and_her_reply_are_on_both_nodes_and_nowhere_else() {
    let nodes = TestNode::spawn_many(3).await;
    let (a, b, c) = (&nodes[0], &nodes[1], &nodes[2]);
    TestNode::federate(&[a, b, c]).await;
    let alice = a.create_user("alice", false).await;
    let bruno = b.create_user("bruno", false).await;
    let chloe = c.create_user("chloe", false).await;
    // Their community is hosted on node 2: it must learn nothing of their messages.
    community_on(b, &bruno, "accueil", "open").await;
    let handle = format!("accueil@{}", b.authority);
    join(a, &alice, &handle).await;
    join(c, &chloe, &handle).await;
    TestNode::drain_all(&[a, b, c]).await;

    let first = messages::send(
        &a.state,
        &alice,
        &c.handle_of("chloe"),
        "Bonjour Chloé, as-tu le modèle de convention ?",
    )
    .await
    .expect("sent");
    TestNode::drain_all(&[a, b, c]).await;
    assert!(held(a, &first.ap_id).await && held(c, &first.ap_id).await);
    let (conversation, on_c) = messages::conversation(&c.state, &chloe, &first.conversation)
        .await
        .expect("chloe reads the conversation");
    assert_eq!(conversation.others, vec![alice.actor.clone()]);
    assert!(on_c[0].content_html.contains("modèle de convention"));
    let notes = c.state.store.notifications(chloe.id).await.expect("db");
    assert!(
        notes
            .iter()
            .any(|n| n.kind == kind::MESSAGE
                && n.post_ap_id.as_deref() == Some(first.ap_id.as_str())),
        "chloe is notified"
    );

    // Chloé answers through the API, in the same conversation.
    let token = c.token("chloe").await;
    let res = client()
        .post(c.url("/api/v1/conversations"))
        .bearer_auth(&token)
        .json(&json!({"conversation": first.conversation, "content": "Oui, je te l'envoie."}))
        .send()
        .await
        .expect("post");
    assert_eq!(res.status(), 201);
    let reply: Value = res.json().await.expect("json");
    let reply_id = reply["id"].as_str().expect("id").to_owned();
    assert_eq!(reply["conversation"], first.conversation.as_str());
    TestNode::drain_all(&[a, b, c]).await;
    assert!(held(a, &reply_id).await && held(c, &reply_id).await);
    let (_, on_a) = messages::conversation(&a.state, &alice, &first.conversation)
        .await
        .expect("alice reads it");
    assert_eq!(on_a.len(), 2, "both messages in one conversation on node 1");
    assert_eq!(on_a[1].in_reply_to.as_deref(), Some(first.ap_id.as_str()));

    // Node 2, host of their community, holds no row of it; nor does anyone's search.
    for id in [&first.ap_id, &reply_id] {
        assert!(!held(b, id).await);
        assert!(
            b.state
                .store
                .object_by_ap_id(id)
                .await
                .expect("db")
                .is_none()
        );
    }
    let listed: Value = client()
        .get(c.url("/api/v1/conversations"))
        .bearer_auth(&token)
        .send()
        .await
        .expect("get")
        .json()
        .await
        .expect("json");
    assert_eq!(listed[0]["id"], first.conversation.as_str());
    assert_eq!(listed[0]["messages"], 2);
    let found: Value = client()
        .get(c.url("/api/v1/search?q=convention"))
        .bearer_auth(&token)
        .send()
        .await
        .expect("search")
        .json()
        .await
        .expect("json");
    assert!(
        !found.to_string().contains(&first.ap_id),
        "messages are never indexed: {found}"
    );

    // The web pages: the conversation list and the thread.
    let mut web = a.logged_in("alice2", false).await;
    let page = web.get("/messages").await;
    assert_eq!(page.status, 200);
    assert!(
        !page.body.contains("modèle de convention"),
        "alice2 is no participant"
    );
    let mut web = browser_of(a, "alice").await;
    let page = web.get("/messages").await;
    assert!(page.body.contains("chloe"), "{}", page.body);
    let page = web.get(&format!("/messages/{}", first.conversation)).await;
    assert!(
        page.body.contains("je te l&#x27;envoie") || page.body.contains("je te l'envoie"),
        "{}",
        page.body
    );

    // Only its author deletes a message; the deletion reaches the other node.
    assert!(
        messages::delete(&c.state, &chloe, &first.ap_id)
            .await
            .is_err()
    );
    messages::delete(&a.state, &alice, &first.ap_id)
        .await
        .expect("deleted by alice");
    TestNode::drain_all(&[a, b, c]).await;
    assert!(!held(a, &first.ap_id).await && !held(c, &first.ap_id).await);
    assert!(held(c, &reply_id).await, "chloe's reply stays");

    for n in nodes {
        n.stop().await;
    }
}

#[tokio::test]
async fn forged_or_unwanted_messages_are_refused_and_nothing_is_written() {
    let nodes = TestNode::spawn_many(3).await;
    let (a, c, d) = (&nodes[0], &nodes[1], &nodes[2]);
    // d (played by hand, as Mastodon would write) is approved by a only.
    TestNode::federate(&[a, c]).await;
    TestNode::federate(&[a, d]).await;
    let alice = a.create_user("alice", false).await;
    let chloe = c.create_user("chloe", false).await;
    d.create_user("dora", false).await;
    let dora = d.url("/users/dora");
    let inbox_a = a.url("/inbox");
    let inbox_c = c.url("/inbox");

    // Bad input: nothing written, nothing sent.
    for (to, text) in [(c.handle_of("chloe"), "   "), (String::new(), "Bonjour")] {
        assert!(messages::send(&a.state, &alice, &to, text).await.is_err());
    }
    assert!(
        a.state
            .store
            .conversations_of(&alice.actor)
            .await
            .expect("db")
            .is_empty()
    );
    assert_eq!(a.drain().await.delivered, 0);

    // Mastodon's direct message from dora to alice: a conversation alice can answer.
    let note = d.url("/users/dora/statuses/1");
    let dm = json!({
        "id": format!("{note}/activity"), "type": "Create", "actor": dora,
        "to": [alice.actor], "cc": [],
        "object": {"id": note, "type": "Note", "attributedTo": dora, "to": [alice.actor], "cc": [],
                   "content": "<p><span class=\"h-card\"><a href=\"#\" class=\"u-url mention\">@alice</a></span> Bonjour !<script>x()</script></p>",
                   "tag": [{"type": "Mention", "href": alice.actor, "name": "@alice"}]},
    });
    assert_eq!(send(d, "dora", &inbox_a, &dm).await, 202);
    let convs = messages::conversations(&a.state, &alice)
        .await
        .expect("list");
    assert_eq!(convs.len(), 1);
    assert_eq!(convs[0].others, vec![dora.clone()]);
    let (_, held_a) = messages::conversation(&a.state, &alice, &convs[0].key)
        .await
        .expect("read");
    assert!(!held_a[0].content_html.contains("script"), "sanitised");
    messages::reply(&a.state, &alice, &convs[0].key, "Bonjour Dora")
        .await
        .expect("answer");
    TestNode::drain_all(&[a, d]).await;
    let on_d = d.state.store.conversations_of(&dora).await.expect("db");
    assert_eq!(on_d.len(), 1, "the answer reached dora's node");

    // From a node chloe's node has not approved: refused, nothing stored.
    let forged = json!({
        "id": d.url("/users/dora/statuses/2/activity"), "type": "Create", "actor": dora,
        "to": [chloe.actor],
        "object": {"id": d.url("/users/dora/statuses/2"), "type": "Note", "attributedTo": dora,
                   "to": [chloe.actor], "content": "<p>Bonjour</p>"},
    });
    assert_eq!(send(d, "dora", &inbox_c, &forged).await, 403);
    assert!(
        c.state
            .store
            .conversations_of(&chloe.actor)
            .await
            .expect("db")
            .is_empty()
    );

    // Delete of someone else's message: another agent of the author's node, then another
    // node; the message stays.
    let m = messages::send(&a.state, &alice, &c.handle_of("chloe"), "Réunion jeudi ?")
        .await
        .expect("sent");
    TestNode::drain_all(&[a, c]).await;
    assert!(held(c, &m.ap_id).await);
    a.create_user("albert", false).await;
    let by_albert = json!({"id": a.url("/users/albert#delete-1"), "type": "Delete",
        "actor": a.url("/users/albert"), "to": [chloe.actor],
        "object": {"id": m.ap_id, "type": "Tombstone"}});
    assert_eq!(send(a, "albert", &inbox_c, &by_albert).await, 202);
    assert!(held(c, &m.ap_id).await, "not albert's to delete");
    let by_chloe = json!({"id": c.url("/users/chloe#delete-1"), "type": "Delete",
        "actor": chloe.actor, "to": [alice.actor],
        "object": {"id": m.ap_id, "type": "Tombstone"}});
    let status = send(c, "chloe", &inbox_a, &by_chloe).await;
    assert!(status == 202 || status == 403, "{status}");
    assert!(held(a, &m.ap_id).await, "not chloe's to delete");

    // Chloé accepts only her institution's messages: alice's next one is refused by her node.
    let mut web = browser_of(c, "chloe").await;
    let page = web
        .submit(
            "/messages",
            "/messages/preferences",
            &[("institution_only", "1")],
        )
        .await;
    assert_eq!(page.status, 303, "{}", page.body);
    let refused = messages::send(&a.state, &alice, &c.handle_of("chloe"), "Encore moi")
        .await
        .expect("sent from node 1");
    TestNode::drain_all(&[a, c]).await;
    assert!(!held(c, &refused.ap_id).await, "refused by chloe's node");

    // Revoking node 1 purges its agents' messages on node 3.
    entrepairs::domain::peers::revoke(&c.state, &a.authority, "admin")
        .await
        .expect("revoke");
    assert!(!held(c, &m.ap_id).await, "purged with the peer");

    for n in nodes {
        n.stop().await;
    }
}

#[tokio::test]
async fn the_domain_stores_and_announces_a_message_and_refuses_bad_ones_without_a_trace() {
    use entrepairs::domain::changes::{Change, MessageChange};
    let node = crate::support::DomainNode::new("messages").await;
    let alice = node.create_user("alice", false).await;
    let bruno = node.create_user("bruno", false).await;
    node.published.take();
    for (to, text) in [("bruno", ""), ("", "Bonjour"), ("alice", "À moi-même")] {
        assert!(
            messages::send(&node.state, &alice, to, text).await.is_err(),
            "{to}/{text}"
        );
    }
    assert!(node.published.take().is_empty(), "nothing is published");
    assert!(
        node.state
            .store
            .conversations_of(&alice.actor)
            .await
            .expect("db")
            .is_empty()
    );
    let m = messages::send(&node.state, &alice, "bruno", "Bonjour <b>Bruno</b>")
        .await
        .expect("sent");
    assert_eq!(
        m.content_html, "<p>Bonjour &lt;b&gt;Bruno&lt;/b&gt;</p>",
        "text, escaped"
    );
    assert!(matches!(
        node.published.take().as_slice(),
        [Change::Message(MessageChange::Sent { recipients, .. })] if recipients[0].ap_id == bruno.actor
    ));
    let (_, seen) = messages::conversation(&node.state, &bruno, &m.conversation)
        .await
        .expect("bruno reads it");
    assert_eq!(seen.len(), 1);
    assert!(
        messages::delete(&node.state, &bruno, &m.ap_id)
            .await
            .is_err(),
        "not his"
    );
    assert!(node.published.take().is_empty());
}
