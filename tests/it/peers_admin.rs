//! The admin surfaces of federation: web pages (admins only, CSRF, confirmation), the JSON
//! API (admin tokens only), and the bound on pending requests.

use entrepairs::domain::peers::{self, incoming};
use entrepairs::federation::convert::peering::SelfDescription;

use crate::peers::handshake;
use crate::support::{TestNode, client};

#[tokio::test]
async fn an_admin_requests_and_the_other_admin_approves_through_the_web_pages() {
    let nodes = TestNode::spawn_many(2).await;
    let (a, b) = (&nodes[0], &nodes[1]);
    let mut admin_a = a.logged_in("admin", true).await;
    let mut admin_b = b.logged_in("admin", true).await;

    let home = admin_a.get("/admin").await;
    assert_eq!(home.status, 200);
    assert!(home.body.contains("href=\"/admin/federation\""));
    let sent = admin_a
        .submit(
            "/admin/federation",
            "/admin/federation/request",
            &[
                ("authority", &b.authority),
                ("message", "Club des agents d'accueil"),
            ],
        )
        .await;
    assert_eq!(sent.status, 303, "{}", sent.body);
    TestNode::drain_all(&[a, b]).await;

    let page = admin_b.get("/admin/federation").await;
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains("Institution a"),
        "the request shows who asks"
    );
    assert!(
        page.body.contains("Club des agents d&#39;accueil")
            || page.body.contains("Club des agents d&#x27;accueil")
    );
    let confirm_path = format!("/admin/federation/{}/approve", a.authority);
    assert!(page.body.contains(&confirm_path));

    // Without ticking the confirmation, nothing happens.
    let unconfirmed = admin_b.submit(&confirm_path, &confirm_path, &[]).await;
    assert_eq!(unconfirmed.status, 422);
    assert_eq!(
        peers::get(&b.state, &a.authority)
            .await
            .expect("peer")
            .state,
        "pending"
    );

    let done = admin_b
        .submit(&confirm_path, &confirm_path, &[("confirm", "yes")])
        .await;
    assert_eq!(done.status, 303);
    TestNode::drain_all(&[a, b]).await;
    assert_eq!(
        peers::get(&a.state, &b.authority)
            .await
            .expect("peer")
            .state,
        "approved"
    );

    let audit = admin_b.get("/admin/audit").await;
    assert_eq!(audit.status, 200);
    assert!(audit.body.contains("approve") && audit.body.contains(&a.authority));
}

#[tokio::test]
async fn the_federation_pages_are_for_admins_and_their_forms_check_csrf() {
    let nodes = TestNode::spawn_many(2).await;
    let (a, b) = (&nodes[0], &nodes[1]);
    let mut agent = a.logged_in("alice", false).await;
    for path in ["/admin", "/admin/federation", "/admin/audit"] {
        assert_eq!(agent.get(path).await.status, 403, "{path}");
    }
    let forged = agent
        .submit(
            "/profile",
            "/admin/federation/request",
            &[("authority", &b.authority)],
        )
        .await;
    assert_eq!(forged.status, 403);

    let mut admin = a.logged_in("admin", true).await;
    admin.get("/admin/federation").await;
    let no_token = admin
        .post_raw(
            "/admin/federation/request",
            &[("authority", b.authority.as_str())],
            None,
        )
        .await;
    assert_eq!(no_token.status, 403, "no CSRF token");
    assert!(
        peers::get(&a.state, &b.authority).await.is_err(),
        "nothing requested"
    );

    let bad = admin
        .submit(
            "/admin/federation",
            "/admin/federation/request",
            &[("authority", "not an authority")],
        )
        .await;
    assert_eq!(bad.status, 422);
    assert!(
        bad.body.contains("authority-error"),
        "the error is next to the field"
    );
}

#[tokio::test]
async fn the_peers_api_is_for_admin_tokens_only() {
    let nodes = TestNode::spawn_many(2).await;
    let (a, b) = (&nodes[0], &nodes[1]);
    a.create_user("alice", false).await;
    a.create_user("admin", true).await;
    let agent = a.token("alice").await;
    let admin = a.token("admin").await;
    let refused = client()
        .get(a.url("/api/v1/admin/peers"))
        .bearer_auth(&agent)
        .send()
        .await
        .expect("api");
    assert_eq!(refused.status(), 403);

    let asked = client()
        .post(a.url("/api/v1/admin/peers"))
        .bearer_auth(&admin)
        .json(&serde_json::json!({"authority": b.authority, "message": "Bonjour"}))
        .send()
        .await
        .expect("api");
    assert_eq!(asked.status(), 202);
    let list: serde_json::Value = client()
        .get(a.url("/api/v1/admin/peers"))
        .bearer_auth(&admin)
        .send()
        .await
        .expect("api")
        .json()
        .await
        .expect("json");
    assert_eq!(list[0]["authority"], b.authority.as_str());
    assert_eq!(list[0]["state"], "requested");
    let revoke = client()
        .post(a.url(&format!("/api/v1/admin/peers/{}/revoke", b.authority)))
        .bearer_auth(&admin)
        .send()
        .await
        .expect("api");
    assert_eq!(revoke.status(), 200);
    let audit: serde_json::Value = client()
        .get(a.url("/api/v1/admin/audit"))
        .bearer_auth(&admin)
        .send()
        .await
        .expect("api")
        .json()
        .await
        .expect("json");
    assert_eq!(audit[0]["action"], "revoke");
    assert_eq!(audit[1]["actor"], "admin");
}

#[tokio::test]
async fn pending_requests_are_bounded_and_a_real_request_beyond_the_bound_is_refused() {
    let nodes = TestNode::spawn_many(3).await;
    let (a, b, c) = (&nodes[0], &nodes[1], &nodes[2]);
    handshake(c, b).await;
    let claimed = SelfDescription {
        institution: "Inconnue".into(),
        ..SelfDescription::default()
    };
    for i in 0..incoming::MAX_PENDING {
        let authority = format!("random{i}.example");
        incoming::store_request(
            &b.state,
            &incoming::IncomingRequest {
                authority: &authority,
                actor_ap_id: &format!("https://{authority}/actor"),
                request_ap_id: &format!("https://{authority}/r/1"),
                claimed: &claimed,
                verified: ("", ""),
            },
        )
        .await
        .expect("within the bound");
    }
    let beyond = incoming::store_request(
        &b.state,
        &incoming::IncomingRequest {
            authority: "one-too-many.example",
            actor_ap_id: "https://one-too-many.example/actor",
            request_ap_id: "https://one-too-many.example/r/1",
            claimed: &claimed,
            verified: ("", ""),
        },
    )
    .await;
    assert!(beyond.is_err(), "the bound holds");
    // A real signed request over HTTP is refused (429, retried later by the sender) and
    // stores nothing; approved peers are not affected.
    peers::request(&a.state, &b.authority, "", "admin")
        .await
        .expect("request");
    let stats = a.drain().await;
    assert_eq!(stats.retried, 1);
    let queued = a
        .state
        .store
        .deliveries_in_state("pending", 10)
        .await
        .expect("db");
    assert_eq!(queued[0].last_status, Some(429));
    assert!(peers::get(&b.state, &a.authority).await.is_err());
    assert_eq!(
        b.state
            .store
            .count_peers_in_state("pending")
            .await
            .expect("db"),
        incoming::MAX_PENDING
    );
    assert_eq!(
        peers::get(&b.state, &c.authority)
            .await
            .expect("peer")
            .state,
        "approved"
    );
}
