//! Attacks and faults of the hardening issue (13), each reproduced against real nodes: an
//! unapproved authority before its signature holds, races, stale keys, retention.

use std::time::SystemTime;

use serde_json::json;

use entrepairs::domain::peers;
use entrepairs::federation::keys::PrivateKey;
use entrepairs::federation::signatures::sign_request;

use crate::support::TestNode;
use crate::support::signing::Signed;

async fn state_of(node: &TestNode, other: &TestNode) -> String {
    peers::get(&node.state, &other.authority)
        .await
        .map(|p| p.state)
        .unwrap_or_default()
}

/// A federation request to `to` claimed by the instance actor of `authority`, signed with
/// `key` (which is not that authority's).
fn forged_follow(to: &TestNode, authority: &str, key: &PrivateKey) -> Signed {
    let actor = format!("http://{authority}/actor");
    let body = serde_json::to_vec(&json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": format!("http://{authority}/activities/1"), "type": "Follow",
        "actor": actor, "object": to.url("/actor"),
    }))
    .expect("json");
    let s = sign_request(
        "POST",
        &to.authority,
        "/actor/inbox",
        Some(&body),
        Some("application/activity+json"),
        &format!("{actor}#main-key"),
        key,
        SystemTime::now(),
    )
    .expect("sign");
    Signed {
        method: "POST",
        url: to.url("/actor/inbox"),
        headers: vec![
            ("Host".into(), to.authority.clone()),
            ("Date".into(), s.date),
            ("Digest".into(), s.digest.expect("digest")),
            ("Content-Type".into(), "application/activity+json".into()),
            ("Signature".into(), s.signature),
        ],
        body,
    }
}

async fn instance_key(node: &TestNode) -> PrivateKey {
    let actor = entrepairs::domain::instance::ensure(&node.state)
        .await
        .expect("instance actor");
    PrivateKey::from_pkcs8_pem(actor.private_key_pem.as_deref().expect("key")).expect("key")
}

#[tokio::test]
async fn sixty_requests_from_invented_authorities_do_not_block_a_genuine_one() {
    let nodes = TestNode::spawn_many(2).await;
    let (a, b) = (&nodes[0], &nodes[1]);
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port();
    let key = instance_key(a).await;
    for i in 0..60 {
        // Loopback addresses nobody listens on: the key fetch fails at once.
        let authority = format!("127.0.0.{}:{closed}", i + 2);
        let status = forged_follow(b, &authority, &key).status().await;
        assert_ne!(status, 202, "{authority}");
    }
    peers::request(&a.state, &b.authority, "", "admin")
        .await
        .expect("request");
    a.drain().await;
    assert_eq!(
        state_of(b, a).await,
        "pending",
        "the genuine request got in"
    );
}

#[tokio::test]
async fn a_bad_signature_from_an_unapproved_node_is_neither_counted_nor_stored() {
    let nodes = TestNode::spawn_many(2).await;
    let (a, b) = (&nodes[0], &nodes[1]);
    // Signed by an agent's key while claiming the instance actor's: the signature is bad.
    a.create_user("mallory", false).await;
    let wrong = a.actor("mallory").await;
    let wrong =
        PrivateKey::from_pkcs8_pem(wrong.private_key_pem.as_deref().expect("key")).expect("key");
    for _ in 0..=entrepairs::federation::request_limits::PER_AUTHORITY {
        let status = forged_follow(b, &a.authority, &wrong).status().await;
        assert_eq!(status, 401);
    }
    let stored = b
        .state
        .store
        .actor_by_ap_id(&a.url("/actor"))
        .await
        .expect("db");
    assert!(stored.is_none(), "no actor row before the signature holds");
    peers::request(&a.state, &b.authority, "", "admin")
        .await
        .expect("request");
    a.drain().await;
    assert_eq!(
        state_of(b, a).await,
        "pending",
        "the genuine request got in"
    );
}

#[tokio::test]
async fn an_owner_on_a_third_node_changes_the_status_and_every_node_converges() {
    use entrepairs::domain::accounts::by_username;
    use entrepairs::domain::action_plan::{self, NewItem, Status};
    use entrepairs::domain::{communities, memberships};
    let nodes = TestNode::spawn_many(3).await;
    let (a, b, c) = (&nodes[0], &nodes[1], &nodes[2]);
    TestNode::federate(&[a, b, c]).await;
    a.create_user("alice", false).await;
    b.create_user("bruno", false).await;
    c.create_user("chloe", false).await;
    let alice = by_username(&a.state, "alice").await.expect("alice");
    let bruno = by_username(&b.state, "bruno").await.expect("bruno");
    let chloe = by_username(&c.state, "chloe").await.expect("chloe");
    crate::communities::community_on(b, &bruno, "accueil", "open").await;
    let handle = format!("accueil@{}", b.authority);
    let mut groups = Vec::new();
    for (n, who) in [(a, &alice), (c, &chloe)] {
        let group = communities::resolve(&n.state, &handle)
            .await
            .expect("group");
        memberships::join(&n.state, who, &group, "")
            .await
            .expect("join");
        groups.push(group);
    }
    TestNode::drain_all(&[a, b, c]).await;
    // alice, on A, proposes an item in B's community and names chloe, on C, its owner.
    let item = action_plan::propose(
        &a.state,
        &alice,
        &groups[0],
        &NewItem {
            title: "Badges visiteurs".into(),
            owner: format!("chloe@{}", c.authority),
            ..NewItem::default()
        },
    )
    .await
    .expect("proposed");
    TestNode::drain_all(&[a, b, c]).await;
    action_plan::set_status(&c.state, &chloe, &item.ap_id, Status::Done)
        .await
        .expect("the owner changes the status");
    let stats = c.drain().await;
    assert_eq!(stats.failed, 0, "the host accepted the owner's change");
    TestNode::drain_all(&[a, b, c]).await;
    for n in [a, b, c] {
        let i = n
            .state
            .store
            .action_item_by_ap_id(&item.ap_id)
            .await
            .expect("db")
            .expect("item");
        assert_eq!(i.status, "done", "{}", n.name);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn leaving_and_registering_at_once_never_overfill_a_session() {
    use entrepairs::domain::events::{self, EventInput};
    use entrepairs::domain::participation;
    let host = TestNode::spawn().await;
    let owner = host.create_user("animatrice", false).await;
    crate::communities::community_on(&host, &owner, "accueil", "open").await;
    let mut agents = Vec::new();
    for i in 0..16 {
        let who = host.create_user(&format!("agent{i}"), false).await;
        crate::communities::join(&host, &who, "accueil").await;
        agents.push(who);
    }
    let c = entrepairs::domain::communities::resolve(&host.state, "accueil")
        .await
        .expect("community");
    const CAP: i64 = 2;
    let session = events::create(
        &host.state,
        &owner,
        &c,
        &EventInput {
            title: "Permanence".into(),
            kind: "seance".into(),
            start: "2030-03-02T09:30".into(),
            end: "2030-03-02T12:00".into(),
            address: "Mairie".into(),
            capacity: CAP.to_string(),
            ..Default::default()
        },
    )
    .await
    .expect("session")
    .remove(0);
    // Two seats taken, two waiting; then each round one seated agent leaves while two
    // newcomers register: promotion and registration race for the freed seat.
    for who in &agents[..4] {
        participation::join(&host.state, who, session.id)
            .await
            .expect("join");
    }
    let accepted = |state: entrepairs::state::AppState| async move {
        state
            .store
            .participants(session.id)
            .await
            .expect("db")
            .iter()
            .filter(|p| p.state == "accepted")
            .count() as i64
    };
    let mut seated: Vec<usize> = vec![0, 1];
    for round in 0..6 {
        let leaver = agents[seated.remove(0)].clone();
        let newcomers = [agents[4 + 2 * round].clone(), agents[5 + 2 * round].clone()];
        let mut tasks = Vec::new();
        let state = host.state.clone();
        tasks.push(tokio::spawn(async move {
            participation::leave(&state, &leaver, session.id)
                .await
                .expect("leave");
        }));
        for who in newcomers {
            let state = host.state.clone();
            tasks.push(tokio::spawn(async move {
                participation::join(&state, &who, session.id)
                    .await
                    .expect("join");
            }));
        }
        for t in tasks {
            t.await.expect("task");
        }
        let n = accepted(host.state.clone()).await;
        assert!(n <= CAP, "round {round}: {n} seated for {CAP} seats");
        let list = host.state.store.participants(session.id).await.expect("db");
        seated = agents
            .iter()
            .enumerate()
            .filter(|(_, a)| {
                list.iter()
                    .any(|p| p.actor_ap_id == a.actor && p.state == "accepted")
            })
            .map(|(i, _)| i)
            .collect();
    }
}

#[tokio::test]
async fn a_cached_remote_key_is_fetched_again_after_its_configured_age() {
    let a = TestNode::spawn_named("a").await;
    let b = TestNode::spawn_with("b", |raw| raw.remote_key_max_age_secs = Some(1)).await;
    TestNode::federate(&[&a, &b]).await;
    a.create_user("alice", false).await;
    let alice = a.actor("alice").await;
    let like = |n: u32| {
        serde_json::to_vec(&json!({
            "@context": "https://www.w3.org/ns/activitystreams",
            "id": a.url(&format!("/activities/like-{n}")), "type": "Like",
            "actor": alice.ap_id, "object": b.url("/actor"),
        }))
        .expect("json")
    };
    let fetched_at = || async {
        b.state
            .store
            .actor_by_ap_id(&alice.ap_id)
            .await
            .expect("db")
            .and_then(|r| r.fetched_at)
            .expect("alice cached on b")
    };
    let inbox = b.url("/inbox");
    let send = |n: u32| {
        let (body, inbox) = (like(n), inbox.clone());
        let a = &a;
        async move {
            Signed::post(a, "alice", &inbox, &body, SystemTime::now())
                .await
                .status()
                .await
        }
    };
    assert_eq!(send(1).await, 202);
    let first = fetched_at().await;
    assert_eq!(send(2).await, 202);
    assert_eq!(fetched_at().await, first, "fresh: not fetched again");
    tokio::time::sleep(std::time::Duration::from_millis(1300)).await;
    assert_eq!(send(3).await, 202);
    assert!(fetched_at().await > first, "stale: fetched again");
}

#[tokio::test]
async fn maintenance_prunes_old_rows_after_their_periods_and_keeps_recent_ones() {
    use entrepairs::domain::retention::prune;
    let nodes = TestNode::spawn_many(2).await;
    let (a, b) = (&nodes[0], &nodes[1]);
    // A real handshake: deliveries delivered, ids received and audit entries on both sides.
    peers::request(&a.state, &b.authority, "", "admin")
        .await
        .expect("a asks");
    peers::request(&b.state, &a.authority, "", "admin")
        .await
        .expect("b asks");
    TestNode::drain_all(&[a, b]).await;
    let alice = a.create_user("alice", false).await;
    let store = &a.state.store;
    store
        .notify(alice.actor_id, "seat", "x", None, None)
        .await
        .expect("db");
    store.mark_notifications_read(alice.id).await.expect("db");
    store
        .notify(alice.actor_id, "seat", "y", None, None)
        .await
        .expect("db");
    // A delivery still pending (to a node that is down) is never pruned.
    store
        .enqueue_deliveries(
            "http://127.0.0.1:1/activities/x",
            alice.actor_id,
            "{}",
            &[("http://127.0.0.1:1/inbox".into(), "127.0.0.1:1".into())],
            true,
        )
        .await
        .expect("db");
    let delivered = store.count_deliveries("delivered").await.expect("db");
    let received = store.count_received().await.expect("db");
    let audit = store.list_audit(1000).await.expect("db").len();
    assert!(delivered > 0 && received > 0 && audit > 0);
    let day = 24 * 3600 * 1000;
    let now = entrepairs::db::now_ms();

    // Yesterday's rows are recent for every period.
    let p = prune(&a.state, now + day).await.expect("prune");
    assert_eq!(p, Default::default(), "nothing recent goes");

    // 31 days on: deliveries and received ids (30 days) go; notifications (90) and audit
    // (365) stay; pending deliveries always stay.
    let p = prune(&a.state, now + 31 * day).await.expect("prune");
    assert_eq!(p.deliveries as i64, delivered);
    assert_eq!(p.received as i64, received);
    assert_eq!((p.notifications, p.audit), (0, 0));
    assert_eq!(store.count_deliveries("delivered").await.expect("db"), 0);
    assert_eq!(store.count_deliveries("pending").await.expect("db"), 1);
    assert_eq!(store.count_received().await.expect("db"), 0);

    // A year on: the read notification and the audit go, the unread one stays.
    let p = prune(&a.state, now + 366 * day).await.expect("prune");
    assert_eq!(p.notifications, 1);
    assert!(p.audit as usize >= audit);
    let left = store.notifications(alice.id).await.expect("db");
    assert_eq!(left.len(), 1);
    assert!(left[0].read_at.is_none());
    assert_eq!(store.count_deliveries("pending").await.expect("db"), 1);
}

#[tokio::test]
async fn the_ssrf_guard_holds_when_a_system_proxy_is_set() {
    use entrepairs::federation::guard;
    if std::env::var("ENTREPAIRS_PROXY_CHILD").is_ok() {
        // The child, with HTTP_PROXY set: a name the guarded resolver refuses.
        let res = guard::client(false, false)
            .get("http://internal.invalid/")
            .send()
            .await;
        assert!(res.is_err());
        return;
    }
    // The environment is per process: run this test again in a child process with a
    // "proxy" listening, and check that nothing reached it.
    let proxy = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = proxy.local_addr().expect("addr").port();
    let out = std::process::Command::new(std::env::current_exe().expect("exe"))
        .args([
            "hardening::the_ssrf_guard_holds_when_a_system_proxy_is_set",
            "--exact",
            "--nocapture",
        ])
        .env("ENTREPAIRS_PROXY_CHILD", "1")
        .env("HTTP_PROXY", format!("http://127.0.0.1:{port}"))
        .env("http_proxy", format!("http://127.0.0.1:{port}"))
        .env_remove("NO_PROXY")
        .env_remove("no_proxy")
        .output()
        .expect("child");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    proxy.set_nonblocking(true).expect("nonblocking");
    assert!(
        proxy.accept().is_err(),
        "the request went through the proxy, around the address checks"
    );
}

#[tokio::test]
async fn a_key_id_naming_a_members_only_collection_is_not_echoed() {
    let nodes = TestNode::spawn_many(2).await;
    let (a, b) = (&nodes[0], &nodes[1]);
    TestNode::federate(&[a, b]).await;
    let alice = a.create_user("alice", false).await;
    let bruno = b.create_user("bruno", false).await;
    crate::communities::community_on(b, &bruno, "accueil", "open").await;
    crate::communities::join(a, &alice, &format!("accueil@{}", b.authority)).await;
    TestNode::drain_all(&[a, b]).await;
    // Nobody's signature, with a keyId naming the collection a may read as a member's node.
    let key_id = b.url("/c/accueil/followers#main-key");
    let body = br#"{"type":"Like"}"#.to_vec();
    let forged = Signed::post(a, "alice", &a.url("/inbox"), &body, SystemTime::now())
        .await
        .set_header(
            "Signature",
            &format!(
                "keyId=\"{key_id}\",algorithm=\"rsa-sha256\",\
                 headers=\"(request-target) host date digest\",signature=\"AAAA\""
            ),
        );
    let res = forged.send().await;
    assert_eq!(res.status(), 401);
    let text = res.text().await.expect("text");
    assert!(!text.contains("Collection"), "{text}");
    assert!(!text.contains("followers"), "{text}");
}
