//! Full-text search over what an agent may read, on three nodes: French stemming and
//! accents, members-only community posts (hosted or cached), the directory, web and API.

use entrepairs::domain::directory::{self, EntryInput};
use entrepairs::domain::search;
use entrepairs::domain::{communities, memberships, posts};

use crate::communities::community_on;
use crate::support::TestNode;

async fn titles(
    node: &TestNode,
    who: &entrepairs::domain::accounts::Account,
    q: &str,
) -> Vec<String> {
    search::search(&node.state, who, q)
        .await
        .expect("search")
        .into_iter()
        .map(|h| format!("{}:{}", h.kind, h.title))
        .collect()
}

#[tokio::test]
async fn members_find_threads_and_replies_with_stemming_and_accents_and_non_members_do_not() {
    let nodes = TestNode::spawn_many(3).await;
    let (a, b, c) = (&nodes[0], &nodes[1], &nodes[2]);
    TestNode::federate(&[a, b, c]).await;
    let alice = a.create_user("alice", false).await;
    let bruno = b.create_user("bruno", false).await;
    let gilles = b.create_user("gilles", false).await;
    let chloe = c.create_user("chloe", false).await;
    community_on(b, &bruno, "accueil", "open").await;
    let handle = format!("accueil@{}", b.authority);
    for (node, who) in [(a, &alice), (c, &chloe)] {
        let cm = communities::resolve(&node.state, &handle)
            .await
            .expect("community");
        memberships::join(&node.state, who, &cm, "")
            .await
            .expect("join");
    }
    TestNode::drain_all(&[a, b, c]).await;

    let ca = communities::resolve(&a.state, &handle).await.expect("c");
    let thread = posts::create_thread(
        &a.state,
        &alice,
        &ca,
        "Formations des agents d'accueil",
        "Qui connaît une bonne formation à la **médiation** ?",
    )
    .await
    .expect("thread");
    TestNode::drain_all(&[a, b, c]).await;
    posts::reply(
        &c.state,
        &chloe,
        &thread.ap_id,
        "La mediation sociale, au CNFPT.",
    )
    .await
    .expect("reply");
    TestNode::drain_all(&[a, b, c]).await;

    // Plural, singular, accents and case: the same words, on every member's node.
    for (node, who) in [(a, &alice), (b, &bruno), (c, &chloe)] {
        let found = titles(node, who, "formation").await;
        assert!(
            found.contains(&"thread:Formations des agents d'accueil".to_owned()),
            "on {}: {found:?}",
            node.name
        );
        let found = titles(node, who, "MÉDIATIONS").await;
        assert!(found.iter().any(|t| t.starts_with("thread:")), "{found:?}");
        assert!(found.iter().any(|t| t.starts_with("reply:")), "{found:?}");
    }
    // Every word must match.
    assert!(titles(a, &alice, "formation archives").await.is_empty());

    // gilles is on the host but not a member: nothing of the community.
    assert!(titles(b, &gilles, "formation").await.is_empty());
    assert!(titles(b, &gilles, "mediation").await.is_empty());

    // Editing reindexes; deleting removes.
    posts::edit(
        &a.state,
        &alice,
        &thread.ap_id,
        "Formations",
        "Archivage électronique",
    )
    .await
    .expect("edit");
    TestNode::drain_all(&[a, b, c]).await;
    let found = titles(c, &chloe, "archivage").await;
    assert_eq!(found, ["thread:Formations"], "the edit reached C's index");
    posts::delete(&a.state, &alice, &thread.ap_id)
        .await
        .expect("delete");
    TestNode::drain_all(&[a, b, c]).await;
    for (node, who) in [(a, &alice), (b, &bruno), (c, &chloe)] {
        assert!(
            titles(node, who, "formation").await.is_empty(),
            "{}",
            node.name
        );
        assert!(
            titles(node, who, "mediation").await.is_empty(),
            "{}",
            node.name
        );
    }
}

#[tokio::test]
async fn the_search_page_and_api_group_results_and_say_when_nothing_matches() {
    let nodes = TestNode::spawn_many(2).await;
    let (a, b) = (&nodes[0], &nodes[1]);
    TestNode::federate(&[a, b]).await;
    let alice = a.create_user("alice", false).await;
    directory::save(
        &a.state,
        &alice,
        &EntryInput {
            visibility: "circle".into(),
            skills: "Médiation".into(),
            phone_visibility: "node".into(),
            email_visibility: "node".into(),
            mobility_visibility: "node".into(),
            ..EntryInput::default()
        },
    )
    .await
    .expect("entry");
    TestNode::drain_all(&[a, b]).await;

    let mut web = b.logged_in("bruno", false).await;
    let page = web.get("/search?q=mediations").await;
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains("Annuaire") && page.body.contains("/directory/"),
        "{}",
        page.body
    );
    let page = web.get("/search?q=introuvable").await;
    assert!(page.body.contains("Aucun résultat"));

    let token = b.token("bruno").await;
    let res = crate::support::client()
        .get(b.url("/api/v1/search?q=MEDIATION"))
        .bearer_auth(&token)
        .send()
        .await
        .expect("GET");
    assert_eq!(res.status(), 200);
    let hits: Vec<serde_json::Value> = res.json().await.expect("json");
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0]["kind"], "directory");
    let anonymous = crate::support::client()
        .get(b.url("/api/v1/search?q=mediation"))
        .send()
        .await
        .expect("GET");
    assert_eq!(anonymous.status(), 401);
}

/// A measurement, not a check: `cargo test --test it -- --ignored search_latency --nocapture`.
#[tokio::test]
#[ignore]
async fn search_latency_over_ten_thousand_documents() {
    let node = TestNode::spawn().await;
    let reader = node.create_user("alice", false).await;
    let words = [
        "formation",
        "médiation",
        "accueil",
        "archives",
        "budget",
        "paie",
        "mobilité",
        "protocole",
        "usagers",
        "titres",
        "régie",
        "marchés",
        "entretien",
        "numérisation",
    ];
    let started = std::time::Instant::now();
    for i in 0..10_000usize {
        let body: Vec<&str> = (0..30)
            .map(|k| words[(i * 7 + k * 3) % words.len()])
            .collect();
        search::index(
            &node.state,
            &search::SearchDoc {
                kind: "directory",
                ap_id: format!("http://bench.test/{i}"),
                community_id: None,
                actor_id: None,
                title: format!("Document {i}"),
                body: body.join(" "),
                url: format!("/x/{i}"),
                published_at: i as i64,
            },
        )
        .await
        .expect("index");
    }
    let indexing = started.elapsed();
    let started = std::time::Instant::now();
    for q in [
        "formations",
        "médiation archives",
        "paie régies",
        "inexistant",
    ] {
        for _ in 0..5 {
            search::search(&node.state, &reader, q)
                .await
                .expect("search");
        }
    }
    let per_query = started.elapsed() / 20;
    println!(
        "{}: indexed 10,000 documents in {indexing:?}; one search (50 best): {per_query:?}",
        node.state.store.engine().name()
    );
}

#[tokio::test]
async fn a_resource_is_found_by_members_on_their_own_nodes_and_leaves_the_index_when_deleted() {
    use entrepairs::domain::resources::{self, ResourceInput};
    let nodes = TestNode::spawn_many(3).await;
    let (a, b, c) = (&nodes[0], &nodes[1], &nodes[2]);
    TestNode::federate(&[a, b, c]).await;
    let alice = a.create_user("alice", false).await;
    let bruno = b.create_user("bruno", false).await;
    let outsider = b.create_user("gilles", false).await;
    let chloe = c.create_user("chloe", false).await;
    community_on(b, &bruno, "accueil", "open").await;
    let handle = format!("accueil@{}", b.authority);
    for (node, who) in [(a, &alice), (c, &chloe)] {
        let cm = communities::resolve(&node.state, &handle)
            .await
            .expect("community");
        memberships::join(&node.state, who, &cm, "")
            .await
            .expect("join");
    }
    TestNode::drain_all(&[a, b, c]).await;

    // Written by a member of node A: it reaches the host, which announces it to C.
    let ca = communities::resolve(&a.state, &handle).await.expect("c");
    resources::create(
        &a.state,
        &alice,
        &ca,
        &ResourceInput {
            kind: "kit".into(),
            slug: "kit".into(),
            title: "Kit de survie".into(),
            body: "Les **numéros utiles** pour l'orientation des usagers.".into(),
            summary: String::new(),
        },
    )
    .await
    .expect("resource");
    TestNode::drain_all(&[a, b, c]).await;

    let want = "resource:Kit de survie".to_owned();
    for (node, who) in [(a, &alice), (b, &bruno), (c, &chloe)] {
        let found = titles(node, who, "orientation usagers").await;
        assert!(found.contains(&want), "{}: {found:?}", node.authority);
    }
    assert!(
        titles(b, &outsider, "orientation usagers").await.is_empty(),
        "a non-member of the host finds nothing"
    );

    let cb = communities::resolve(&b.state, "accueil").await.expect("c");
    let r = b
        .state
        .store
        .resource_by_slug(cb.id, "kit")
        .await
        .expect("db")
        .expect("kit on the host");
    resources::delete(&b.state, &bruno, &r)
        .await
        .expect("delete");
    TestNode::drain_all(&[a, b, c]).await;
    for (node, who) in [(a, &alice), (b, &bruno), (c, &chloe)] {
        assert!(
            titles(node, who, "orientation usagers").await.is_empty(),
            "{}: deleted resources leave the index",
            node.authority
        );
    }
}

#[tokio::test]
async fn sessions_and_action_items_are_found_by_members_on_other_nodes_only() {
    use entrepairs::domain::action_plan::{self, NewItem};
    use entrepairs::domain::events::{self, EventInput};
    let nodes = TestNode::spawn_many(2).await;
    let (a, b) = (&nodes[0], &nodes[1]);
    TestNode::federate(&[a, b]).await;
    let alice = a.create_user("alice", false).await;
    let outsider = a.create_user("damien", false).await;
    let bruno = b.create_user("bruno", false).await;
    community_on(b, &bruno, "accueil", "open").await;
    let handle = format!("accueil@{}", b.authority);
    let ca = communities::resolve(&a.state, &handle)
        .await
        .expect("community");
    memberships::join(&a.state, &alice, &ca, "")
        .await
        .expect("join");
    TestNode::drain_all(&[a, b]).await;

    let cb = communities::resolve(&b.state, "accueil").await.expect("c");
    events::create(
        &b.state,
        &bruno,
        &cb,
        &EventInput {
            title: "Atelier gestion des incivilités".into(),
            description: "Retours d'expérience et **jeux de rôle**.".into(),
            kind: "atelier".into(),
            start: "2027-03-02T09:30".into(),
            end: "2027-03-02T12:00".into(),
            address: "Salle du conseil".into(),
            ..Default::default()
        },
    )
    .await
    .expect("session");
    let ca = communities::resolve(&a.state, &handle).await.expect("c");
    action_plan::propose(
        &a.state,
        &alice,
        &ca,
        &NewItem {
            title: "Signalétique bilingue au guichet".into(),
            description: "Des panneaux traduits pour les usagers étrangers.".into(),
            owner: String::new(),
            due_on: String::new(),
        },
    )
    .await
    .expect("item");
    TestNode::drain_all(&[a, b]).await;

    for (node, who) in [(a, &alice), (b, &bruno)] {
        let found = titles(node, who, "incivilite").await;
        assert_eq!(
            found,
            vec!["event:Atelier gestion des incivilités".to_owned()],
            "{}",
            node.authority
        );
        let found = titles(node, who, "panneau etrangers").await;
        assert_eq!(
            found,
            vec!["action:Signalétique bilingue au guichet".to_owned()],
            "{}",
            node.authority
        );
    }
    assert!(titles(a, &outsider, "incivilite").await.is_empty());
    assert!(titles(a, &outsider, "panneau").await.is_empty());
}
