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

#[tokio::test]
async fn the_author_edits_an_item_from_her_node_and_the_new_owner_is_told_on_hers() {
    let nodes = TestNode::spawn_many(3).await;
    let (a, b, c) = (&nodes[0], &nodes[1], &nodes[2]);
    TestNode::federate(&[a, b, c]).await;
    let mut alice_web = a.logged_in("alice", false).await;
    let mut chloe_web = c.logged_in("chloe", false).await;
    let mut bruno_web = b.logged_in("bruno", false).await;
    let account = |n: &TestNode, name: &'static str| {
        let state = n.state.clone();
        async move {
            entrepairs::domain::accounts::by_username(&state, name)
                .await
                .expect(name)
        }
    };
    let (alice, bruno, chloe) = (
        account(a, "alice").await,
        account(b, "bruno").await,
        account(c, "chloe").await,
    );
    community_on(b, &bruno, "accueil", "open").await;
    let handle = format!("accueil@{}", b.authority);
    for (n, who) in [(a, &alice), (c, &chloe)] {
        let group = communities::resolve(&n.state, &handle)
            .await
            .expect("group");
        memberships::join(&n.state, who, &group, "")
            .await
            .expect("join");
    }
    TestNode::drain_all(&[a, b, c]).await;

    let plan = format!("/communities/{handle}/plan");
    let page = alice_web
        .submit(&plan, &plan, &[("title", "Badges visiteurs")])
        .await;
    assert_eq!(page.status, 303, "{}", page.body);
    let on_a = item_id(&page.location);
    TestNode::drain_all(&[a, b, c]).await;
    let ap_id = a
        .state
        .store
        .action_item_by_id(on_a)
        .await
        .expect("db")
        .expect("item")
        .ap_id;
    let on = |n: &TestNode| {
        let (state, ap_id) = (n.state.clone(), ap_id.clone());
        async move {
            state
                .store
                .action_item_by_ap_id(&ap_id)
                .await
                .expect("db")
                .expect("item reached the node")
        }
    };
    let on_c = on(c).await.id;

    // chloe is a plain member, not the author: no form, and the API refuses her.
    let page = chloe_web.get(&format!("/plan/items/{on_c}")).await;
    assert_eq!(page.status, 200);
    assert!(!page.body.contains("/edit\""), "no edit form for chloe");
    let res = client()
        .put(c.url(&format!("/api/v1/actions/{on_c}")))
        .bearer_auth(c.token("chloe").await)
        .json(&json!({"title": "Repris par chloe", "owner": "chloe"}))
        .send()
        .await
        .expect("put");
    assert_eq!(res.status(), 403);

    // A bad due date: the form comes back with the error next to the field, nothing changed.
    let item_a = format!("/plan/items/{on_a}");
    let page = alice_web.get(&item_a).await;
    assert!(
        page.body.contains("value=\"Badges visiteurs\""),
        "the edit form is prefilled"
    );
    let chloe_handle = format!("@chloe@{}", c.authority);
    let page = alice_web
        .submit(
            &item_a,
            &format!("{item_a}/edit"),
            &[
                ("title", "Badges visiteurs pour tous"),
                ("owner", &chloe_handle),
                ("due_on", "31/02/2027"),
            ],
        )
        .await;
    assert_eq!(page.status, 422, "{}", page.body);
    assert!(page.body.contains("id=\"due_on-error\""), "{}", page.body);
    assert!(page.body.contains("value=\"Badges visiteurs pour tous\""));
    let res = client()
        .put(a.url(&format!("/api/v1/actions/{on_a}")))
        .bearer_auth(a.token("alice").await)
        .json(&json!({"title": "Badges visiteurs pour tous", "due_on": "2027-13-01"}))
        .send()
        .await
        .expect("put");
    assert_eq!(res.status(), 422);
    TestNode::drain_all(&[a, b, c]).await;
    for n in [a, b, c] {
        let i = on(n).await;
        assert_eq!(
            i.title, "Badges visiteurs",
            "{}: nothing changed",
            n.authority
        );
        assert_eq!(i.owner, "");
    }

    // alice retitles it, names chloe owner; the description tries XSS.
    let page = alice_web
        .submit(
            &item_a,
            &format!("{item_a}/edit"),
            &[
                ("title", "Badges visiteurs pour tous"),
                (
                    "description",
                    "**Vite** <script>alert(1)</script><img src=x onerror=alert(2)>",
                ),
                ("owner", &chloe_handle),
                ("due_on", "2027-02-28"),
            ],
        )
        .await;
    assert_eq!(page.status, 303, "{}", page.body);
    TestNode::drain_all(&[a, b, c]).await;

    let on_b = on(b).await.id;
    for (node, page) in [
        ("host", bruno_web.get(&format!("/plan/items/{on_b}")).await),
        (
            "owner's node",
            chloe_web.get(&format!("/plan/items/{on_c}")).await,
        ),
    ] {
        assert_eq!(page.status, 200, "{node}");
        assert!(
            page.body.contains("<h1>Badges visiteurs pour tous</h1>"),
            "{node}: {}",
            page.body
        );
        // The owner is named and leads to this node's page about her (issue 17: the address
        // shows only in that page's « Adresse » field).
        assert!(
            page.body.contains(&format!(
                "href=\"/profiles{}\"",
                chloe_handle.replacen('@', "/", 1)
            )),
            "{node}: owner shown"
        );
        assert!(page.body.contains("28/02/2027"), "{node}: due date");
        // The rendered description (the edit form's textarea holds the escaped source).
        let shown = page
            .body
            .split("<div class=\"post-body\">")
            .nth(1)
            .and_then(|rest| rest.split("</div>").next())
            .unwrap_or_default();
        assert!(shown.contains("<strong>Vite</strong>"), "{node}: {shown}");
        assert!(
            !shown.contains("<script") && !shown.contains("onerror"),
            "{node}: {shown}"
        );
        assert!(!page.body.contains("<script>alert"), "{node}");
    }
    let page = bruno_web.get(&format!("/plan/items/{on_b}")).await;
    assert!(
        page.body.contains(&format!("/plan/items/{on_b}/edit\"")),
        "the host's animateur may edit too"
    );

    let page = chloe_web.get("/notifications").await;
    assert!(
        page.body
            .contains("Vous êtes désormais responsable d&#39;une action du plan"),
        "{}",
        page.body
    );
    // The notification's link opens it (read from now on) and lands on the item.
    let opener = page
        .body
        .split("href=\"/notifications/")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("a link to open the notification")
        .to_owned();
    let opened = chloe_web.get(&format!("/notifications/{opener}")).await;
    assert_eq!(
        opened.location.as_deref(),
        Some(format!("/plan/items/{on_c}").as_str())
    );
    let page = bruno_web.get("/notifications").await;
    assert!(
        !page.body.contains("Vous êtes désormais responsable"),
        "only the owner is told"
    );
}
