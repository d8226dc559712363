//! Two and three nodes federating through real HTTP: discovery, authorized fetch, follows,
//! delivery (one request per node), and delivery across downtime and restarts.

use serde_json::Value;

use entrepairs::domain::{follows, notes};
use entrepairs::federation::fetch::{FetchBudget, fetch_json};

use crate::support::signing::Signed;
use crate::support::{TestNode, client};

#[tokio::test]
async fn webfinger_and_nodeinfo_describe_the_node_and_its_agents() {
    let node = TestNode::spawn().await;
    node.create_user("alice", false).await;
    let jrd: Value = client()
        .get(node.url(&format!(
            "/.well-known/webfinger?resource=acct:alice@{}",
            node.authority
        )))
        .send()
        .await
        .expect("webfinger")
        .json()
        .await
        .expect("json");
    assert_eq!(jrd["subject"], format!("acct:alice@{}", node.authority));
    let self_link = jrd["links"]
        .as_array()
        .expect("links")
        .iter()
        .find(|l| l["rel"] == "self")
        .expect("self link");
    assert_eq!(self_link["type"], "application/activity+json");
    assert_eq!(self_link["href"], node.url("/users/alice"));

    let missing = client()
        .get(node.url(&format!(
            "/.well-known/webfinger?resource=acct:nobody@{}",
            node.authority
        )))
        .send()
        .await
        .expect("wf");
    assert_eq!(missing.status(), 404);
    let bad = client()
        .get(node.url("/.well-known/webfinger"))
        .send()
        .await
        .expect("wf");
    assert_eq!(bad.status(), 400);

    let links: Value = client()
        .get(node.url("/.well-known/nodeinfo"))
        .send()
        .await
        .expect("ni")
        .json()
        .await
        .expect("json");
    let href = links["links"][0]["href"].as_str().expect("href").to_owned();
    let info: Value = client()
        .get(href)
        .send()
        .await
        .expect("ni")
        .json()
        .await
        .expect("json");
    assert_eq!(info["software"]["name"], "entrepairs");
    assert_eq!(info["protocols"][0], "activitypub");
    assert_eq!(info["usage"]["users"]["total"], 1);
    assert_eq!(info["openRegistrations"], false);
    node.stop().await;
}

#[tokio::test]
async fn the_instance_actor_and_key_documents_are_public_but_persons_need_a_signed_fetch_from_an_approved_peer()
 {
    let nodes = TestNode::spawn_many(3).await;
    let (a, b, c) = (&nodes[0], &nodes[1], &nodes[2]);
    TestNode::federate(&[a, b]).await;
    b.create_user("bruno", false).await;

    let instance: Value = client()
        .get(b.url("/actor"))
        .header("Accept", "application/activity+json")
        .send()
        .await
        .expect("actor")
        .json()
        .await
        .expect("json");
    assert_eq!(instance["type"], "Application");
    assert!(
        instance["publicKey"]["publicKeyPem"]
            .as_str()
            .expect("pem")
            .contains("BEGIN PUBLIC KEY")
    );

    let person_url = b.url("/users/bruno");
    let unsigned = client()
        .get(&person_url)
        .header("Accept", "application/activity+json")
        .send()
        .await
        .expect("get");
    assert_eq!(
        unsigned.status(),
        200,
        "an unsigned fetch of a person gets its public key document"
    );
    let public: Value = unsigned.json().await.expect("json");
    assert_eq!(public["type"], "Person");
    assert_eq!(public["id"], person_url);
    assert_eq!(public["inbox"], b.url("/users/bruno/inbox"));
    assert_eq!(public["preferredUsername"], "bruno");
    assert_eq!(public["publicKey"]["owner"], person_url);
    assert!(
        public["publicKey"]["publicKeyPem"]
            .as_str()
            .expect("pem")
            .contains("BEGIN PUBLIC KEY")
    );
    for private in [
        "jobTitle",
        "institution",
        "inDirectory",
        "followers",
        "following",
        "summary",
    ] {
        assert!(public.get(private).is_none(), "{private} is not public");
    }
    let followers = client()
        .get(b.url("/users/bruno/followers"))
        .header("Accept", "application/activity+json")
        .send()
        .await
        .expect("get");
    assert_eq!(followers.status(), 401, "collections stay signed");

    let from_c = Signed::get(c, &person_url).await.status().await;
    assert_eq!(
        from_c, 403,
        "a signed fetch from a node that is not approved is refused"
    );

    // Through a's real fetcher: signed with its instance actor, verified by b.
    let doc = fetch_json(&a.state, &person_url, &FetchBudget::default())
        .await
        .expect("fetch from an approved peer");
    assert_eq!(doc["type"], "Person");
    assert_eq!(doc["preferredUsername"], "bruno");
    assert_eq!(doc["inbox"], b.url("/users/bruno/inbox"));
    assert_eq!(doc["endpoints"]["sharedInbox"], b.url("/inbox"));
    assert_eq!(doc["jobTitle"], "Agent d'accueil");
    assert_eq!(doc["publicKey"]["owner"], person_url);
    let ctx = doc["@context"].to_string();
    assert!(
        ctx.contains("https://www.w3.org/ns/activitystreams")
            && ctx.contains("entrepairs:jobTitle")
    );

    let browser = client()
        .get(&person_url)
        .header("Accept", "text/html")
        .send()
        .await
        .expect("get");
    assert_eq!(
        browser.status(),
        303,
        "a browser is sent to the profile page"
    );
    for n in nodes {
        n.stop().await;
    }
}

#[tokio::test]
async fn an_agent_follows_an_agent_of_another_node_which_accepts_and_undo_removes_it() {
    let nodes = TestNode::spawn_many(2).await;
    let (a, b) = (&nodes[0], &nodes[1]);
    TestNode::federate(&[a, b]).await;
    let alice = a.create_user("alice", false).await;
    b.create_user("bruno", false).await;

    follows::follow(&a.state, &alice, &b.handle_of("bruno"))
        .await
        .expect("follow through webfinger");
    let alice_actor = a.actor("alice").await;
    let bruno_on_a = a
        .state
        .store
        .actor_by_ap_id(&b.url("/users/bruno"))
        .await
        .expect("db")
        .expect("cached");
    let pending = a
        .state
        .store
        .follow_between(alice_actor.id, bruno_on_a.id)
        .await
        .expect("db")
        .expect("follow");
    assert_eq!(
        pending.state, "pending",
        "a follow counts only once accepted"
    );

    TestNode::drain_all(&[a, b]).await;
    let accepted = a
        .state
        .store
        .follow_between(alice_actor.id, bruno_on_a.id)
        .await
        .expect("db")
        .expect("follow");
    assert_eq!(accepted.state, "accepted");

    let followers_url = b.url("/users/bruno/followers");
    let followers = fetch_json(&a.state, &followers_url, &FetchBudget::default())
        .await
        .expect("followers");
    assert_eq!(followers["totalItems"], 1);
    assert_eq!(followers["orderedItems"][0], a.url("/users/alice"));
    let following = fetch_json(
        &b.state,
        &a.url("/users/alice/following"),
        &FetchBudget::default(),
    )
    .await
    .expect("following");
    assert_eq!(following["orderedItems"][0], b.url("/users/bruno"));

    follows::unfollow(&a.state, &alice, &b.handle_of("bruno"))
        .await
        .expect("unfollow");
    TestNode::drain_all(&[a, b]).await;
    let followers = fetch_json(&a.state, &followers_url, &FetchBudget::default())
        .await
        .expect("followers");
    assert_eq!(
        followers["totalItems"], 0,
        "Undo removed the follow on the followed side"
    );
    for n in nodes {
        n.stop().await;
    }
}

#[tokio::test]
async fn a_note_reaches_each_node_in_one_request_whatever_the_number_of_followers_there() {
    let nodes = TestNode::spawn_many(3).await;
    let (a, b, c) = (&nodes[0], &nodes[1], &nodes[2]);
    TestNode::federate(&[a, b, c]).await;
    let alice = a.create_user("alice", false).await;
    for (node, names) in [
        (b, ["bruno", "benoit", "berthe"]),
        (c, ["chloe", "claire", "cyril"]),
    ] {
        for name in names {
            let acc = node.create_user(name, false).await;
            follows::follow(&node.state, &acc, &a.handle_of("alice"))
                .await
                .expect("follow");
        }
    }
    TestNode::drain_all(&[a, b, c]).await;
    assert_eq!(
        a.state
            .store
            .followers(a.actor("alice").await.id)
            .await
            .expect("db")
            .len(),
        6
    );

    let note = notes::publish(&a.state, &alice, "Réunion du club accueil jeudi à 14 h")
        .await
        .expect("publish");
    let queued = a
        .state
        .store
        .deliveries_in_state("pending", 100)
        .await
        .expect("db");
    assert_eq!(queued.len(), 2, "one delivery per node, not per follower");
    assert!(
        queued
            .iter()
            .all(|d| d.inbox_url.ends_with("/inbox") && !d.inbox_url.contains("/users/")),
        "shared inboxes"
    );
    let stats = a.drain().await;
    assert_eq!(stats.delivered, 2);
    for n in [b, c] {
        let stored = n
            .state
            .store
            .object_by_ap_id(&note.ap_id)
            .await
            .expect("db")
            .expect("the note reached the node");
        assert!(stored.content_html.contains("Réunion du club accueil"));
    }
    for n in nodes {
        n.stop().await;
    }
}

#[tokio::test]
async fn a_delivery_to_a_node_that_is_down_arrives_after_it_comes_back_even_across_a_sender_restart()
 {
    let nodes = TestNode::spawn_many(2).await;
    let mut nodes = nodes.into_iter();
    let (a, b) = (nodes.next().expect("a"), nodes.next().expect("b"));
    TestNode::federate(&[&a, &b]).await;
    let alice = a.create_user("alice", false).await;
    b.create_user("bruno", false).await;
    let bruno_url = b.url("/users/bruno");
    // a learns bruno while b is up, then b goes down.
    entrepairs::federation::remote::actor(&a.state, &bruno_url, &FetchBudget::default())
        .await
        .expect("fetch bruno");
    let b = b.stop().await;

    follows::follow(&a.state, &alice, &bruno_url)
        .await
        .expect("follow queued while b is down");
    let stats = a.drain().await;
    assert_eq!(
        stats.retried, 1,
        "the failed attempt is kept for a retry: {stats:?}"
    );
    let pending = a
        .state
        .store
        .deliveries_in_state("pending", 10)
        .await
        .expect("db");
    assert_eq!(pending.len(), 1);
    assert!(pending[0].last_error.is_some(), "the error stays visible");

    // The sender restarts: the queue lives in its database.
    let a = a.stop().await.restart().await;
    let b = b.restart().await;
    let due = a.state.store.retry_deliveries_now(None).await.expect("db");
    assert_eq!(due, 1);
    TestNode::drain_all(&[&a, &b]).await;
    let bruno = b.actor("bruno").await;
    let followers = b.state.store.followers(bruno.id).await.expect("db");
    assert_eq!(followers.len(), 1, "delivered exactly once");
    assert_eq!(followers[0].ap_id, a.url("/users/alice"));
    assert_eq!(
        a.state.store.count_deliveries("pending").await.expect("db"),
        0
    );
    a.stop().await;
    b.stop().await;
}

#[tokio::test]
async fn the_background_worker_delivers_without_being_asked() {
    let a = TestNode::spawn_with("a", |_| {}).await;
    let b = TestNode::spawn().await;
    TestNode::federate(&[&a, &b]).await;
    let alice = a.create_user("alice", false).await;
    b.create_user("bruno", false).await;
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let worker = tokio::spawn(entrepairs::federation::delivery::run_worker(
        a.state.clone(),
        std::time::Duration::from_millis(200),
        stopped,
    ));
    follows::follow(&a.state, &alice, &b.url("/users/bruno"))
        .await
        .expect("follow");
    let bruno = b.actor("bruno").await;
    let mut delivered = false;
    for _ in 0..100 {
        if !b
            .state
            .store
            .followers(bruno.id)
            .await
            .expect("db")
            .is_empty()
        {
            delivered = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    stop.send(true).expect("stop the worker");
    tokio::time::timeout(std::time::Duration::from_secs(5), worker)
        .await
        .expect("the worker stops when asked")
        .expect("no panic");
    assert!(delivered, "the worker sent the Follow on its own");
    a.stop().await;
    b.stop().await;
}

#[tokio::test]
async fn nothing_is_fetched_from_or_delivered_to_a_peer_that_is_not_allowed() {
    let nodes = TestNode::spawn_many(2).await;
    let (a, b) = (&nodes[0], &nodes[1]);
    let alice = a.create_user("alice", false).await;
    b.create_user("bruno", false).await;
    let err = follows::follow(&a.state, &alice, &b.url("/users/bruno"))
        .await
        .expect_err("not approved");
    assert!(
        matches!(err, entrepairs::domain::DomainError::Forbidden(_)),
        "{err:?}"
    );
    assert_eq!(
        a.state.store.count_deliveries("pending").await.expect("db"),
        0
    );

    // Denying a peer cancels what was queued for it.
    TestNode::federate(&[a, b]).await;
    follows::follow(&a.state, &alice, &b.url("/users/bruno"))
        .await
        .expect("follow");
    assert_eq!(
        a.state.store.count_deliveries("pending").await.expect("db"),
        1
    );
    entrepairs::domain::peers::deny(&a.state, &b.authority, "test")
        .await
        .expect("deny");
    assert_eq!(
        a.state.store.count_deliveries("pending").await.expect("db"),
        0
    );
    assert_eq!(
        a.state
            .store
            .count_deliveries("cancelled")
            .await
            .expect("db"),
        1
    );
    for n in nodes {
        n.stop().await;
    }
}

#[tokio::test]
async fn a_fetch_to_a_private_address_is_refused_unless_the_configuration_allows_it() {
    let strict =
        TestNode::spawn_with("strict", |raw| raw.allow_private_addresses = Some(false)).await;
    let other = TestNode::spawn().await;
    entrepairs::domain::peers::allow(&strict.state, &other.authority, "test")
        .await
        .expect("allow");
    let err = fetch_json(&strict.state, &other.url("/actor"), &FetchBudget::default())
        .await
        .expect_err("private");
    assert!(
        matches!(
            err,
            entrepairs::federation::FederationError::PrivateAddress(_)
        ),
        "{err:?}"
    );
    strict.stop().await;
    other.stop().await;
}
