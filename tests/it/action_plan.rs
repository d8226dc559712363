//! The action plan across three nodes: an agent of node A proposes an item in a community
//! hosted on node B, an animateur on B escalates it, both nodes print it and export it; and
//! what plain members and non-members are refused.

use std::time::SystemTime;

use serde_json::json;

use entrepairs::domain::DomainError;
use entrepairs::domain::action_plan;
use entrepairs::domain::communities;
use entrepairs::domain::memberships;

use crate::communities::community_on;
use crate::support::signing::Signed;
use crate::support::{TestNode, client};

fn item_id(location: &Option<String>) -> i64 {
    location
        .as_deref()
        .and_then(|l| l.strip_prefix("/plan/items/"))
        .and_then(|n| n.parse().ok())
        .expect("redirected to the new item")
}

#[tokio::test]
async fn an_item_proposed_on_a_member_node_is_escalated_on_the_host_and_printed_on_both_nodes() {
    let nodes = TestNode::spawn_many(3).await;
    let (a, b, c) = (&nodes[0], &nodes[1], &nodes[2]);
    TestNode::federate(&[a, b, c]).await;
    let mut alice_web = a.logged_in("alice", false).await;
    let mut bruno_web = b.logged_in("bruno", false).await;
    let alice = entrepairs::domain::accounts::by_username(&a.state, "alice")
        .await
        .expect("alice");
    let bruno = entrepairs::domain::accounts::by_username(&b.state, "bruno")
        .await
        .expect("bruno");
    community_on(b, &bruno, "accueil", "open").await;
    let handle = format!("accueil@{}", b.authority);
    let ca = communities::resolve(&a.state, &handle)
        .await
        .expect("group");
    memberships::join(&a.state, &alice, &ca, "")
        .await
        .expect("join");
    TestNode::drain_all(&[a, b, c]).await;

    // alice proposes an item on her node, naming herself owner; the description tries XSS.
    let plan = format!("/communities/{handle}/plan");
    let page = alice_web
        .submit(
            &plan,
            &plan,
            &[
                ("title", "Badges visiteurs en nombre suffisant"),
                (
                    "description",
                    "**Urgent** <script>alert(1)</script><img src=x onerror=alert(2)>",
                ),
                ("owner", "alice"),
                ("due_on", "2027-01-31"),
            ],
        )
        .await;
    assert_eq!(page.status, 303, "{}", page.body);
    let on_a = item_id(&page.location);
    TestNode::drain_all(&[a, b, c]).await;

    let cb = communities::resolve(&b.state, "accueil")
        .await
        .expect("local");
    let items = b.state.store.action_items(cb.id).await.expect("db");
    assert_eq!(items.len(), 1, "the host holds the item");
    assert_eq!(items[0].status, "proposed");
    assert_eq!(items[0].owner, alice.actor);
    let on_b = items[0].id;
    for html in [
        &items[0].content_html,
        &a.state
            .store
            .action_item_by_id(on_a)
            .await
            .expect("db")
            .expect("cached")
            .content_html,
    ] {
        assert!(html.contains("<strong>Urgent</strong>"), "{html}");
        assert!(
            !html.contains("<script") && !html.contains("onerror"),
            "{html}"
        );
    }

    // A plain member cannot escalate: not from her node, not by sending the change herself.
    let refused = action_plan::escalate(&a.state, &alice, &items[0].ap_id, "", "DRH").await;
    assert!(
        matches!(refused, Err(DomainError::Forbidden(_))),
        "{refused:?}"
    );
    let mut forged = entrepairs::federation::convert::actions::item_object(&items[0], &cb.ap_id);
    forged["escalatedOn"] = json!("2027-01-01");
    forged["escalatedTo"] = json!("Préfet");
    let update = json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "type": "Update", "id": a.url("/activities/forged-escalation"),
        "actor": alice.actor, "to": [cb.ap_id], "object": forged,
    });
    let body = serde_json::to_vec(&update).expect("json");
    let res = Signed::post(
        a,
        "alice",
        &b.url("/c/accueil/inbox"),
        &body,
        SystemTime::now(),
    )
    .await;
    assert_eq!(
        res.status().await,
        403,
        "the group refuses a member's escalation"
    );
    let kept = b
        .state
        .store
        .action_item_by_id(on_b)
        .await
        .expect("db")
        .expect("item");
    assert_eq!(kept.escalated_on, "", "nothing changed");

    // Comments from both nodes; bruno (animateur on the host) escalates and starts it.
    let item_b = format!("/plan/items/{on_b}");
    let page = bruno_web
        .submit(
            &item_b,
            &format!("{item_b}/comment"),
            &[("body", "Je relance la direction.")],
        )
        .await;
    assert_eq!(page.status, 303, "{}", page.body);
    let res = client()
        .post(a.url(&format!("/api/v1/actions/{on_a}/comments")))
        .bearer_auth(a.token("alice").await)
        .json(&json!({"body": "Merci !"}))
        .send()
        .await
        .expect("comment");
    assert_eq!(res.status(), 201);
    let page = bruno_web
        .submit(
            &item_b,
            &format!("{item_b}/escalate"),
            &[
                ("escalated_to", "Secrétaire général"),
                ("escalated_on", "2027-03-12"),
            ],
        )
        .await;
    assert_eq!(page.status, 303, "{}", page.body);
    let page = bruno_web
        .submit(
            &item_b,
            &format!("{item_b}/status"),
            &[("status", "in_progress")],
        )
        .await;
    assert_eq!(page.status, 303, "{}", page.body);
    TestNode::drain_all(&[a, b, c]).await;

    let escalation = "Escaladé le 12/03/2027 à Secrétaire général";
    let print = "/plan/print";
    let b_print = bruno_web.get(&format!("/communities/accueil{print}")).await;
    let a_print = alice_web
        .get(&format!("/communities/{handle}{print}"))
        .await;
    for (node, page) in [("host", &b_print), ("member node", &a_print)] {
        assert_eq!(page.status, 200, "{node}");
        assert!(
            page.body.contains("Communauté accueil"),
            "{node}: community name"
        );
        assert!(
            page.body.contains("Badges visiteurs en nombre suffisant"),
            "{node}"
        );
        assert!(page.body.contains(escalation), "{node}: {}", page.body);
        assert!(page.body.contains("En cours"), "{node}: status");
        assert!(page.body.contains("31/01/2027"), "{node}: due date");
        assert!(
            !page.body.contains("<nav"),
            "{node}: no navigation on paper"
        );
    }
    let a_item = alice_web.get(&format!("/plan/items/{on_a}")).await;
    assert!(
        a_item.body.contains("Je relance la direction."),
        "host's comment reached A"
    );
    assert!(a_item.body.contains("Merci !"));
    assert!(
        !a_item.body.contains("Marquer comme remontée"),
        "no escalation form for alice"
    );
    let b_item = bruno_web.get(&item_b).await;
    assert!(
        b_item.body.contains("Merci !"),
        "A's comment reached the host"
    );

    // alice owns the item: she closes it from her node; the host checks and relays it.
    let res = client()
        .post(a.url(&format!("/api/v1/actions/{on_a}/status")))
        .bearer_auth(a.token("alice").await)
        .json(&json!({"status": "done"}))
        .send()
        .await
        .expect("status");
    assert_eq!(res.status(), 200);
    TestNode::drain_all(&[a, b, c]).await;
    let done = b
        .state
        .store
        .action_item_by_id(on_b)
        .await
        .expect("db")
        .expect("item");
    assert_eq!(done.status, "done");
    assert_eq!(
        done.escalated_to, "Secrétaire général",
        "the escalation stays"
    );

    // The plan's status filter.
    let title = "Badges visiteurs en nombre suffisant";
    let done_only = alice_web
        .get(&format!("/communities/{handle}/plan?status=done"))
        .await;
    assert!(done_only.body.contains(title));
    let started = alice_web
        .get(&format!("/communities/{handle}/plan?status=in_progress"))
        .await;
    assert!(!started.body.contains(title), "filtered out");

    // The CSV export opens in French Excel: BOM, `;`, the expected columns.
    let csv = alice_web
        .get(&format!("/communities/{handle}/plan.csv"))
        .await;
    assert_eq!(csv.status, 200);
    assert!(csv.body.starts_with('\u{feff}'), "UTF-8 BOM");
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b';')
        .from_reader(csv.body.trim_start_matches('\u{feff}').as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .expect("headers")
        .iter()
        .map(str::to_owned)
        .collect();
    assert_eq!(
        headers,
        [
            "Intitulé",
            "Statut",
            "Responsable",
            "Échéance",
            "Escaladé le",
            "À qui",
            "Description"
        ]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
    assert_eq!(rows.len(), 1);
    let row: Vec<&str> = rows[0].iter().collect();
    assert_eq!(row[0], "Badges visiteurs en nombre suffisant");
    assert_eq!(row[1], "Faite");
    assert!(row[2].starts_with("alice"), "{row:?}");
    assert_eq!(
        &row[3..6],
        ["31/01/2027", "12/03/2027", "Secrétaire général"]
    );

    // Its author deletes it from her node: gone on the host too.
    let res = client()
        .delete(a.url(&format!("/api/v1/actions/{on_a}")))
        .bearer_auth(a.token("alice").await)
        .send()
        .await
        .expect("delete");
    assert_eq!(res.status(), 204);
    TestNode::drain_all(&[a, b, c]).await;
    assert!(
        b.state
            .store
            .action_items(cb.id)
            .await
            .expect("db")
            .is_empty()
    );
}

#[tokio::test]
async fn a_non_member_sees_no_plan_and_the_group_refuses_their_items() {
    let nodes = TestNode::spawn_many(3).await;
    let (a, b, c) = (&nodes[0], &nodes[1], &nodes[2]);
    TestNode::federate(&[a, b, c]).await;
    let alice = a.create_user("alice", false).await;
    let bruno = b.create_user("bruno", false).await;
    let mut dora_web = c.logged_in("dora", false).await;
    let dora = entrepairs::domain::accounts::by_username(&c.state, "dora")
        .await
        .expect("dora");
    community_on(b, &bruno, "accueil", "request").await;
    let handle = format!("accueil@{}", b.authority);
    let ca = communities::resolve(&a.state, &handle)
        .await
        .expect("group");
    memberships::join(&a.state, &alice, &ca, "")
        .await
        .expect("join");
    TestNode::drain_all(&[a, b, c]).await;
    let cb = communities::resolve(&b.state, "accueil")
        .await
        .expect("local");
    memberships::decide(&b.state, &bruno, &cb, &alice.actor, true)
        .await
        .expect("approve");
    TestNode::drain_all(&[a, b, c]).await;
    let item = action_plan::propose(
        &a.state,
        &alice,
        &ca,
        &action_plan::NewItem {
            title: "Accueil téléphonique".into(),
            ..Default::default()
        },
    )
    .await
    .expect("proposed");
    TestNode::drain_all(&[a, b, c]).await;

    // dora, on C, is no member: no plan on the web, the API or by signed fetch.
    let cc = communities::resolve(&c.state, &handle)
        .await
        .expect("group");
    for path in ["plan", "plan/print", "plan.csv"] {
        let page = dora_web.get(&format!("/communities/{handle}/{path}")).await;
        assert_eq!(page.status, 403, "{path}");
        assert!(!page.body.contains("Accueil téléphonique"));
    }
    let res = client()
        .get(c.url(&format!("/api/v1/communities/{handle}/actions")))
        .bearer_auth(c.token("dora").await)
        .send()
        .await
        .expect("api");
    assert_eq!(res.status(), 403);
    assert_eq!(
        Signed::get(c, &item.ap_id).await.status().await,
        403,
        "C has no member"
    );
    assert_eq!(
        Signed::get(b, &item.ap_id).await.status().await,
        200,
        "the host may fetch"
    );
    assert!(matches!(
        action_plan::propose(
            &c.state,
            &dora,
            &cc,
            &action_plan::NewItem {
                title: "Moi aussi".into(),
                ..Default::default()
            }
        )
        .await,
        Err(DomainError::Forbidden(_))
    ));

    // Sent straight to the group, her item is refused and announced nowhere.
    let forged = json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "type": "Create", "id": c.url("/actions/x#create"), "actor": dora.actor, "to": [cb.ap_id],
        "object": {"type": "Page", "actionItem": true, "id": c.url("/actions/x"),
                   "attributedTo": dora.actor, "audience": cb.ap_id, "name": "Intrus",
                   "content": "x", "actionStatus": "proposed"},
    });
    let body = serde_json::to_vec(&forged).expect("json");
    let res = Signed::post(
        c,
        "dora",
        &b.url("/c/accueil/inbox"),
        &body,
        SystemTime::now(),
    )
    .await;
    assert_eq!(res.status().await, 403, "the group refuses a non-member");
    assert_eq!(b.drain().await.delivered, 0, "and announces nothing");
    assert_eq!(
        b.state.store.action_items(cb.id).await.expect("db").len(),
        1
    );

    // When the host stops federating with A, what A's agents wrote leaves the host.
    entrepairs::domain::peers::deny(&b.state, &a.authority, "test")
        .await
        .expect("deny");
    assert!(
        b.state
            .store
            .action_items(cb.id)
            .await
            .expect("db")
            .is_empty(),
        "items from a revoked node are purged"
    );
}

#[tokio::test]
async fn the_demo_plan_has_an_escalated_item_that_the_chu_sees_with_comments_of_two_nodes() {
    use entrepairs::demo::{INSTITUTIONS, communities as demo_communities, seed};
    let nodes = TestNode::spawn_many(3).await;
    for (node, inst) in nodes.iter().zip(INSTITUTIONS.iter()) {
        seed::accounts(&node.state, inst).await.expect("accounts");
    }
    TestNode::federate(&[&nodes[0], &nodes[1], &nodes[2]]).await;
    let states = [&nodes[0].state, &nodes[1].state, &nodes[2].state];
    demo_communities::seed(states).await.expect("communities");
    entrepairs::demo::action_plan::seed(states)
        .await
        .expect("plan");
    entrepairs::demo::action_plan::seed(states)
        .await
        .expect("a second run changes nothing");
    let mairie = &nodes[1].state;
    let accueil = mairie
        .store
        .local_community("accueil")
        .await
        .expect("db")
        .expect("accueil");
    assert_eq!(
        mairie
            .store
            .action_items(accueil.id)
            .await
            .expect("db")
            .len(),
        3
    );
    let chu = &nodes[2].state;
    let cached = chu
        .store
        .community_by_ap_id(&accueil.ap_id)
        .await
        .expect("db")
        .expect("cached");
    let items = chu.store.action_items(cached.id).await.expect("db");
    assert_eq!(items.len(), 3, "the CHU's node caches the whole plan");
    let escalated: Vec<_> = items
        .iter()
        .filter(|i| !i.escalated_on.is_empty())
        .collect();
    assert_eq!(escalated.len(), 1);
    assert_eq!(escalated[0].escalated_on, "2026-11-12");
    assert_eq!(escalated[0].status, "in_progress");
    let comments = chu
        .store
        .action_comments(escalated[0].id)
        .await
        .expect("db");
    let mut origins: Vec<_> = comments.iter().map(|m| m.attributed_to.clone()).collect();
    origins.dedup();
    assert_eq!(
        origins.len(),
        2,
        "comments from the mairie and the sous-préfecture"
    );
}
