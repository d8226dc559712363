//! Watch (veille) and mobility threads across three nodes: each appears in its own view on
//! remote member nodes, hashtags filter them, the thread federates as a plain Page with
//! `Hashtag` tags and our `postCategory` term, and non-members see nothing.

use serde_json::{Value, json};

use entrepairs::domain::accounts;
use entrepairs::domain::{communities, memberships, posts};

use crate::communities::community_on;
use crate::support::signing::Signed;
use crate::support::{TestNode, client};

#[tokio::test]
async fn veille_and_mobility_threads_appear_in_their_own_views_on_remote_member_nodes() {
    let nodes = TestNode::spawn_many(3).await;
    let (a, b, c) = (&nodes[0], &nodes[1], &nodes[2]);
    TestNode::federate(&[a, b, c]).await;
    let mut alice_web = a.logged_in("alice", false).await;
    let mut chloe_web = c.logged_in("chloe", false).await;
    let mut dora_web = c.logged_in("dora", false).await;
    let bruno = b.create_user("bruno", false).await;
    community_on(b, &bruno, "accueil", "open").await;
    let handle = format!("accueil@{}", b.authority);
    for (node, name) in [(a, "alice"), (c, "chloe")] {
        let who = accounts::by_username(&node.state, name)
            .await
            .expect("agent");
        let cached = communities::resolve(&node.state, &handle)
            .await
            .expect("group");
        memberships::join(&node.state, &who, &cached, "")
            .await
            .expect("join");
    }
    TestNode::drain_all(&[a, b, c]).await;

    // alice posts a watch note from the web form, chloe a mobility offer through the API,
    // bruno a plain discussion.
    let home = format!("/communities/{handle}");
    let page = alice_web
        .submit(
            &home,
            &format!("{home}/threads"),
            &[
                ("title", "Circulaire sur le télétravail"),
                ("body", "Parue hier, voir l'article 3."),
                ("category", "veille"),
                ("tags", "RH, #circulaire"),
            ],
        )
        .await;
    assert_eq!(page.status, 303, "{}", page.body);
    let res = client()
        .post(c.url(&format!("/api/v1/communities/{handle}/threads")))
        .bearer_auth(c.token("chloe").await)
        .json(&json!({
            "title": "Agent d'accueil des urgences — CHU de Montauban",
            "body": "Poste de catégorie C, à pourvoir en février.",
            "category": "mobilite", "tags": ["mobilite-interne"], "deadline": "2027-01-15",
        }))
        .send()
        .await
        .expect("api");
    assert_eq!(res.status(), 201);
    let offer: Value = res.json().await.expect("json");
    assert_eq!(offer["category"], "mobilite");
    let cb = communities::resolve(&b.state, "accueil")
        .await
        .expect("local");
    posts::create_thread(&b.state, &bruno, &cb, "Pause de midi", "Qui mange où ?")
        .await
        .expect("discussion");
    TestNode::drain_all(&[a, b, c]).await;

    // On chloe's node (C), each view shows its own kind only.
    let veille = chloe_web.get(&format!("{home}/veille")).await;
    assert_eq!(veille.status, 200);
    assert!(veille.body.contains("Circulaire sur le télétravail"));
    assert!(veille.body.contains("#circulaire"));
    assert!(!veille.body.contains("urgences"));
    assert!(!veille.body.contains("Pause de midi"));
    let mobilite = chloe_web.get(&format!("{home}/mobilite")).await;
    assert!(mobilite.body.contains("urgences"), "{}", mobilite.body);
    assert!(mobilite.body.contains("15/01/2027"), "deadline shown");
    assert!(!mobilite.body.contains("Circulaire") && !mobilite.body.contains("Pause de midi"));
    // On alice's node (A), the offer written on C is in the mobility view too.
    let on_a = alice_web.get(&format!("{home}/mobilite")).await;
    assert!(on_a.body.contains("urgences"));
    assert!(!on_a.body.contains("Circulaire"));
    // Tags filter.
    let tagged = chloe_web.get(&format!("{home}/veille?tag=rh")).await;
    assert!(tagged.body.contains("Circulaire sur le télétravail"));
    let other = chloe_web.get(&format!("{home}/veille?tag=paie")).await;
    assert!(!other.body.contains("Circulaire sur le télétravail"));

    // The thread federates as a Page with Hashtag tags and the category term.
    let kept = b.state.store.threads(cb.id).await.expect("db");
    let circulaire = kept
        .iter()
        .find(|p| p.title.starts_with("Circulaire"))
        .expect("on the host");
    assert_eq!(
        (circulaire.category.as_str(), circulaire.tags.as_str()),
        ("veille", " rh circulaire ")
    );
    let doc: Value = Signed::get(b, &circulaire.ap_id)
        .await
        .send()
        .await
        .json()
        .await
        .expect("post document");
    assert_eq!(doc["type"], "Page");
    assert_eq!(doc["postCategory"], "veille");
    let names: Vec<&str> = doc["tag"]
        .as_array()
        .expect("tags")
        .iter()
        .filter(|t| t["type"] == "Hashtag")
        .filter_map(|t| t["name"].as_str())
        .collect();
    assert_eq!(names, ["#rh", "#circulaire"]);

    // A non-member sees no view; an unknown category is refused, nothing stored.
    assert_eq!(dora_web.get(&format!("{home}/veille")).await.status, 403);
    let page = alice_web
        .submit(
            &home,
            &format!("{home}/threads"),
            &[("title", "Annonce"), ("body", "x"), ("category", "annonce")],
        )
        .await;
    assert_eq!(page.status, 422);
    TestNode::drain_all(&[a, b, c]).await;
    assert_eq!(b.state.store.threads(cb.id).await.expect("db").len(), 3);
}
