//! Co-animation from any node (issue 18), across three nodes: bruno hosts `accueil` at the
//! Mairie (B) and names chloe, of the CHU (C), animateur; from her own node she schedules a
//! session, moves it, answers a request to join and cancels; alice, a plain member at the
//! Sous-préfecture (A), sees each change, and is refused (by her node, and by the host when
//! she forges the activity) when she tries the same.

use std::time::SystemTime;

use serde_json::{Value, json};

use entrepairs::db::EventRow;
use entrepairs::domain::accounts::Account;
use entrepairs::domain::communities;
use entrepairs::domain::memberships;

use crate::communities::{community_on, join};
use crate::support::browser::Browser;
use crate::support::signing::Signed;
use crate::support::{PASSWORD, TestNode, client};

async fn api(n: &TestNode, token: &str, method: &str, path: &str, body: Value) -> (u16, Value) {
    let req = match method {
        "GET" => client().get(n.url(path)),
        "PUT" => client().put(n.url(path)).json(&body),
        _ => client().post(n.url(path)).json(&body),
    };
    let res = req.bearer_auth(token).send().await.expect("API request");
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

/// The sessions of `accueil` as node `n` holds them (hosted or cached).
async fn sessions(n: &TestNode, handle: &str) -> Vec<EventRow> {
    let c = communities::resolve(&n.state, handle)
        .await
        .expect("community known");
    n.state.store.community_events(c.id, 0).await.expect("db")
}

async fn membership(n: &TestNode, handle: &str, who: &Account) -> Option<(String, String)> {
    let c = communities::resolve(&n.state, handle)
        .await
        .expect("community known");
    n.state
        .store
        .membership(c.id, who.actor_id)
        .await
        .expect("db")
        .map(|m| (m.role, m.state))
}

/// bruno hosts `accueil` (on request) on B; alice (A) and chloe (C) are members, chloe
/// animateur.
async fn world() -> (Vec<TestNode>, Account, Account, Account, String) {
    let nodes = TestNode::spawn_many(3).await;
    let (a, b, c) = (&nodes[0], &nodes[1], &nodes[2]);
    TestNode::federate(&[a, b, c]).await;
    let alice = a.create_user("alice", false).await;
    let bruno = b.create_user("bruno", false).await;
    let chloe = c.create_user("chloe", false).await;
    community_on(b, &bruno, "accueil", "request").await;
    let handle = format!("accueil@{}", b.authority);
    join(a, &alice, &handle).await;
    join(c, &chloe, &handle).await;
    TestNode::drain_all(&[a, b, c]).await;
    let cb = communities::local(&b.state, "accueil")
        .await
        .expect("local");
    for who in [&alice, &chloe] {
        memberships::decide(&b.state, &bruno, &cb, &who.actor, true)
            .await
            .expect("bruno admits");
    }
    TestNode::drain_all(&[a, b, c]).await;
    memberships::set_role(&b.state, &bruno, &cb, &chloe.actor, true)
        .await
        .expect("bruno names chloe animateur");
    TestNode::drain_all(&[a, b, c]).await;
    (nodes, alice, bruno, chloe, handle)
}

#[tokio::test]
async fn an_animateur_of_another_node_schedules_moves_and_cancels_a_session_and_answers_a_request_from_her_own_node()
 {
    let (nodes, alice, _bruno, chloe, handle) = world().await;
    let (a, b, c) = (&nodes[0], &nodes[1], &nodes[2]);
    assert_eq!(
        membership(c, &handle, &chloe).await,
        Some(("animateur".into(), "accepted".into())),
        "the CHU learnt from the group that chloe is an animateur"
    );
    assert_eq!(
        membership(a, &handle, &alice).await,
        Some(("member".into(), "accepted".into()))
    );

    // chloe schedules a session through her own node's API: sent to the host.
    let token_c = c.token("chloe").await;
    let (status, _) = api(
        c,
        &token_c,
        "POST",
        &format!("/api/v1/communities/{handle}/events"),
        json!({"title": "Atelier du CHU", "start": "2027-04-06T09:30",
               "end": "2027-04-06T12:00", "address": "CHU, salle Garonne", "capacity": 12}),
    )
    .await;
    assert_eq!(status, 202, "sent to the host, not created here");
    TestNode::drain_all(&[a, b, c]).await;
    let on_b = sessions(b, "accueil").await;
    let created = on_b
        .iter()
        .find(|e| e.title == "Atelier du CHU")
        .expect("the host created chloe's session");
    assert_eq!(created.organizer, chloe.actor, "organized by chloe");
    assert_eq!(created.capacity, Some(12));
    let ap_id = created.ap_id.clone();
    let on_a = sessions(a, &handle).await;
    let seen = on_a
        .iter()
        .find(|e| e.ap_id == ap_id)
        .expect("alice's node, at the Sous-préfecture, holds it");
    let first_start = seen.starts_at;

    // Her node shows her the animateurs' buttons; alice's node does not show them to alice.
    let mut web_c = Browser::new(&c.base);
    web_c.login("chloe", PASSWORD).await;
    let list = web_c.get(&format!("/communities/{handle}/sessions")).await;
    assert_eq!(list.status, 200);
    assert!(
        list.body.contains("new-session-title"),
        "the form is offered"
    );
    assert!(list.body.contains("hébergée par une autre institution"));
    let id_c = sessions(c, &handle)
        .await
        .into_iter()
        .find(|e| e.ap_id == ap_id)
        .expect("the CHU holds it too")
        .id;
    let page = web_c.get(&format!("/sessions/{id_c}")).await;
    assert!(page.body.contains(&format!("/sessions/{id_c}/edit")));
    let mut web_a = Browser::new(&a.base);
    web_a.login("alice", PASSWORD).await;
    let list_a = web_a.get(&format!("/communities/{handle}/sessions")).await;
    assert!(!list_a.body.contains("new-session-title"));

    // chloe moves it by an hour, through the API of her node.
    let (status, _) = api(
        c,
        &token_c,
        "PUT",
        &format!("/api/v1/events/{id_c}"),
        json!({"title": "Atelier du CHU", "start": "2027-04-06T10:30",
               "end": "2027-04-06T13:00", "address": "CHU, salle Garonne", "capacity": 12}),
    )
    .await;
    assert_eq!(status, 200);
    TestNode::drain_all(&[a, b, c]).await;
    let moved = sessions(a, &handle)
        .await
        .into_iter()
        .find(|e| e.ap_id == ap_id)
        .expect("still there");
    assert_eq!(
        moved.starts_at - first_start,
        3_600_000,
        "alice sees the new time"
    );

    // A plain member is refused by her own node, on the API and the web (a French sentence).
    let token_a = a.token("alice").await;
    let (status, _) = api(
        a,
        &token_a,
        "POST",
        &format!("/api/v1/communities/{handle}/events"),
        json!({"title": "Séance pirate", "start": "2027-04-07T09:30",
               "end": "2027-04-07T12:00", "address": "Sous-préfecture"}),
    )
    .await;
    assert_eq!(status, 403);
    let refused = web_a
        .submit(
            &format!("/sessions/{}", moved.id),
            &format!("/communities/{handle}/sessions"),
            &[
                ("title", "Séance pirate"),
                ("start", "2027-04-07T09:30"),
                ("end", "2027-04-07T12:00"),
                ("address", "Sous-préfecture"),
            ],
        )
        .await;
    assert_eq!(refused.status, 403);
    assert!(refused.body.contains("réservée"), "{}", refused.body);

    // Forged from her node straight to the host: refused there, nothing written.
    let alice_actor = a.actor("alice").await;
    let group = b.url("/c/accueil");
    let before = sessions(b, "accueil").await.len();
    let forged = json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": a.url(&format!("/activities/{}", uuid::Uuid::now_v7())),
        "type": "Create", "actor": alice.actor, "to": [group],
        "object": {"type": "Event", "name": "Séance pirate", "attributedTo": group,
                   "to": [group], "startTime": "2027-04-07T07:30:00Z",
                   "endTime": "2027-04-07T10:00:00Z",
                   "location": {"type": "Place", "name": "Sous-préfecture"}},
    });
    let body = serde_json::to_vec(&forged).expect("json");
    let status = Signed::post_by(
        &alice_actor,
        &b.url("/c/accueil/inbox"),
        &body,
        SystemTime::now(),
    )
    .status()
    .await;
    assert_eq!(status, 403, "the host checks the animateur's role");
    assert_eq!(
        sessions(b, "accueil").await.len(),
        before,
        "nothing created"
    );
    let cancel = json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": a.url(&format!("/activities/{}", uuid::Uuid::now_v7())),
        "type": "Delete", "actor": alice.actor, "to": [group], "object": ap_id,
    });
    let body = serde_json::to_vec(&cancel).expect("json");
    let status = Signed::post_by(
        &alice_actor,
        &b.url("/c/accueil/inbox"),
        &body,
        SystemTime::now(),
    )
    .status()
    .await;
    assert_eq!(status, 403);
    let kept = sessions(b, "accueil").await;
    assert!(
        kept.iter()
            .any(|e| e.ap_id == ap_id && e.status == "confirmed"),
        "not cancelled by a plain member"
    );

    // dora, at the Sous-préfecture, asks to join; chloe answers from the CHU.
    let dora = a.create_user("dora", false).await;
    join(a, &dora, &handle).await;
    TestNode::drain_all(&[a, b, c]).await;
    let (status, members) = api(
        c,
        &token_c,
        "GET",
        &format!("/api/v1/communities/{handle}/members"),
        Value::Null,
    )
    .await;
    assert_eq!(status, 200);
    let request = members["requests"]
        .as_array()
        .and_then(|r| r.iter().find(|m| m["actor"] == dora.actor.as_str()))
        .cloned()
        .expect("chloe's node lists dora's request, read from the host");
    let follow = request["follow_id"].as_str().expect("follow id").to_owned();
    // alice's forged acceptance of the same request is refused by the host.
    let forged = json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": a.url(&format!("/activities/{}", uuid::Uuid::now_v7())),
        "type": "Accept", "actor": alice.actor, "to": [group],
        "object": {"type": "Follow", "id": follow, "object": group},
    });
    let body = serde_json::to_vec(&forged).expect("json");
    let status = Signed::post_by(
        &alice_actor,
        &b.url("/c/accueil/inbox"),
        &body,
        SystemTime::now(),
    )
    .status()
    .await;
    assert_eq!(status, 403);
    assert_eq!(
        membership(b, "accueil", &dora_on(b, &dora).await).await,
        Some(("member".into(), "pending".into())),
        "still waiting"
    );
    // Her node's page lists the request with the buttons.
    let community = web_c.get(&format!("/communities/{handle}")).await;
    assert!(community.body.contains(&follow), "{}", community.body);
    let (status, _) = api(
        c,
        &token_c,
        "POST",
        &format!("/api/v1/communities/{handle}/requests"),
        json!({"actor": dora.actor, "approve": true, "follow_id": follow}),
    )
    .await;
    assert_eq!(status, 202);
    TestNode::drain_all(&[a, b, c]).await;
    assert_eq!(
        membership(b, "accueil", &dora_on(b, &dora).await).await,
        Some(("member".into(), "accepted".into())),
        "the host applied chloe's decision"
    );
    assert_eq!(
        membership(a, &handle, &dora).await,
        Some(("member".into(), "accepted".into())),
        "and dora's node learnt it"
    );

    // chloe cancels from her node's page; alice's node shows it cancelled.
    let done = web_c
        .submit(
            &format!("/sessions/{id_c}"),
            &format!("/sessions/{id_c}"),
            &[("action", "cancel")],
        )
        .await;
    assert_eq!(done.status, 303);
    assert!(
        done.location
            .as_deref()
            .unwrap_or_default()
            .contains("done=sent"),
        "{:?}",
        done.location
    );
    TestNode::drain_all(&[a, b, c]).await;
    let cancelled = sessions(a, &handle)
        .await
        .into_iter()
        .find(|e| e.ap_id == ap_id)
        .expect("still listed");
    assert_eq!(cancelled.status, "cancelled");
}

/// dora's row as the host caches it (for `membership`, which reads `actor_id`).
async fn dora_on(b: &TestNode, dora: &Account) -> Account {
    let row = b
        .state
        .store
        .actor_by_ap_id(&dora.actor)
        .await
        .expect("db")
        .expect("the host knows dora");
    Account {
        actor_id: row.id,
        ..dora.clone()
    }
}
