//! Search that serves (issue 19): « usager » finds « usagères », filters by kind, community,
//! institution and dates, pages of 20, highlighted words, and every odd query answered with
//! a page that says what to change; logged-out visitors get nothing. Runs on the engine the
//! harness picks (SQLite locally, PostgreSQL too in CI).

use entrepairs::domain::directory::{self, EntryInput};
use entrepairs::domain::post_kinds::{Category, PostKind};
use entrepairs::domain::search::{self, SearchDoc};
use entrepairs::domain::search_query::{self, Asked};
use entrepairs::domain::{communities, posts};

use crate::communities::community_on;
use crate::support::TestNode;

/// Milliseconds of 2026-06-15 12:00 UTC, and one day.
const JUNE_15: i64 = 1_781_524_800_000;
const DAY: i64 = 86_400_000;

fn doc(kind: &'static str, n: usize, title: &str, body: &str, published_at: i64) -> SearchDoc {
    SearchDoc {
        kind,
        ap_id: format!("http://elsewhere.test/docs/{kind}/{n}"),
        community_id: None,
        actor_id: None,
        title: title.to_owned(),
        body: body.to_owned(),
        url: format!("/x/{kind}/{n}"),
        published_at,
    }
}

fn asked(q: &str) -> Asked {
    Asked {
        q: q.into(),
        ..Asked::default()
    }
}

fn query(pairs: &[(&str, &str)]) -> String {
    format!(
        "/search?{}",
        serde_urlencoded::to_string(pairs).expect("query string")
    )
}

#[tokio::test]
async fn usager_finds_the_plural_and_feminine_forms_and_the_index_is_restemmed() {
    let node = TestNode::spawn().await;
    let alice = node.create_user("alice", false).await;
    for (n, body) in [
        (1, "Accueil des usagers au guichet unique"),
        (2, "Les usagères du service social"),
        (3, "Un usager mécontent"),
        (4, "Les animatrices territoriales"),
    ] {
        search::index(&node.state, &doc("resource", n, "Fiche", body, JUNE_15))
            .await
            .expect("index");
    }
    let found = search_query::run(&node.state, &alice, &asked("usager"))
        .await
        .expect("search");
    assert_eq!(found.hits.len(), 3, "{:?}", found.hits);
    let found = search_query::run(&node.state, &alice, &asked("animateur territorial"))
        .await
        .expect("search");
    assert_eq!(found.hits.len(), 1, "{:?}", found.hits);

    // A document indexed by the previous stemmer ("usagers" -> "usager", "usager" -> "usag")
    // is found once the startup pass has stemmed it again.
    sqlx::any::install_default_drivers();
    let pool = sqlx::AnyPool::connect(&node.database_url)
        .await
        .expect("db");
    sqlx::query(
        "UPDATE search_docs SET terms = 'accueil de usager au guichet uniqu', stemmer = 1 \
         WHERE ap_id = $1",
    )
    .bind("http://elsewhere.test/docs/resource/1")
    .execute(&pool)
    .await
    .expect("old terms");
    let found = search_query::run(&node.state, &alice, &asked("usager"))
        .await
        .expect("search");
    assert_eq!(found.hits.len(), 2, "the stale document is not found yet");
    // The directory's own search text is stemmed again with it.
    directory::save(
        &node.state,
        &alice,
        &EntryInput {
            visibility: "node".into(),
            skills: "Accueil des usagères".into(),
            phone_visibility: "node".into(),
            email_visibility: "node".into(),
            mobility_visibility: "node".into(),
            ..EntryInput::default()
        },
    )
    .await
    .expect("entry");
    sqlx::query("UPDATE directory_entries SET search_text = ' written by an old stemmer'")
        .execute(&pool)
        .await
        .expect("old text");
    assert!(
        directory::find(&node.state, "usager")
            .await
            .expect("find")
            .is_empty()
    );
    assert_eq!(search::backfill(&node.state).await.expect("backfill"), 0);
    assert_eq!(search::restem(&node.state).await.expect("restem"), 0);
    let found = search_query::run(&node.state, &alice, &asked("usager"))
        .await
        .expect("search");
    assert_eq!(
        found.hits.len(),
        4,
        "three resources and the directory entry"
    );
    assert_eq!(
        directory::find(&node.state, "usager")
            .await
            .expect("find")
            .len(),
        1
    );
}

#[tokio::test]
async fn kind_community_dates_and_pages_narrow_the_results() {
    let node = TestNode::spawn().await;
    let alice = node.create_user("alice", false).await;
    let outsider = node.create_user("gilles", false).await;
    community_on(&node, &alice, "accueil", "open").await;
    community_on(&node, &alice, "archives", "open").await;
    let accueil = communities::resolve(&node.state, "accueil")
        .await
        .expect("c");
    let archives = communities::resolve(&node.state, "archives")
        .await
        .expect("c");
    posts::create_thread(
        &node.state,
        &alice,
        &accueil,
        "Guichet",
        "Orientation des usagers",
    )
    .await
    .expect("thread");
    posts::create_thread(
        &node.state,
        &alice,
        &archives,
        "Salle",
        "Consultation par les usagers",
    )
    .await
    .expect("thread");
    posts::create_thread_of_kind(
        &node.state,
        &alice,
        &accueil,
        "Nouveau décret",
        "Ce qui change pour les usagers",
        &PostKind {
            category: Category::Veille,
            ..PostKind::default()
        },
    )
    .await
    .expect("veille");
    for n in 0..25 {
        search::index(
            &node.state,
            &doc(
                "resource",
                n,
                &format!("Fiche {n}"),
                "Accueil des usagers",
                JUNE_15 + (n as i64) * DAY,
            ),
        )
        .await
        .expect("index");
    }

    // Everything: 28 matches, pages of 20.
    let first = search_query::run(&node.state, &alice, &asked("usagers"))
        .await
        .expect("search");
    assert_eq!(
        (first.hits.len(), first.has_next, first.page),
        (20, true, 1)
    );
    let second = search_query::run(
        &node.state,
        &alice,
        &Asked {
            page: "2".into(),
            ..asked("usagers")
        },
    )
    .await
    .expect("page 2");
    assert_eq!((second.hits.len(), second.has_next), (8, false));
    let mut all: Vec<String> = first
        .hits
        .iter()
        .chain(&second.hits)
        .map(|h| h.id.clone())
        .collect();
    all.sort();
    all.dedup();
    assert_eq!(all.len(), 28, "no result twice, none lost across pages");

    // By kind: the three threads, then the watch note only.
    let discussions = search_query::run(
        &node.state,
        &alice,
        &Asked {
            kind: "discussion".into(),
            ..asked("usagers")
        },
    )
    .await
    .expect("kind");
    assert_eq!(discussions.hits.len(), 3);
    assert!(discussions.hits.iter().all(|h| h.kind == "thread"));
    let veille = search_query::run(
        &node.state,
        &alice,
        &Asked {
            kind: "veille".into(),
            ..asked("usagers")
        },
    )
    .await
    .expect("veille");
    let titles: Vec<&str> = veille.hits.iter().map(|h| h.title.as_str()).collect();
    assert_eq!(titles, ["Nouveau décret"]);

    // By community: one thread.
    let one = search_query::run(
        &node.state,
        &alice,
        &Asked {
            community: archives.id.to_string(),
            ..asked("usagers")
        },
    )
    .await
    .expect("community");
    assert_eq!(one.hits.len(), 1);
    assert_eq!(one.hits[0].title, "Salle");
    // Someone who is not a member is refused the filter, and finds none of the posts anyway.
    let refused = search_query::run(
        &node.state,
        &outsider,
        &Asked {
            community: archives.id.to_string(),
            ..asked("usagers")
        },
    )
    .await;
    assert!(refused.is_err());
    let theirs = search_query::run(
        &node.state,
        &outsider,
        &Asked {
            kind: "discussion".into(),
            ..asked("usagers")
        },
    )
    .await
    .expect("outsider");
    assert!(theirs.hits.is_empty());

    // By dates, both ends included: 16 to 18 June are three resources.
    let dated = search_query::run(
        &node.state,
        &alice,
        &Asked {
            kind: "resource".into(),
            from: "16/06/2026".into(),
            to: "2026-06-18".into(),
            ..asked("usagers")
        },
    )
    .await
    .expect("dates");
    let mut titles: Vec<&str> = dated.hits.iter().map(|h| h.title.as_str()).collect();
    titles.sort();
    assert_eq!(titles, ["Fiche 1", "Fiche 2", "Fiche 3"]);
}

#[tokio::test]
async fn the_institution_filter_keeps_what_one_node_published() {
    let nodes = TestNode::spawn_many(2).await;
    let (a, b) = (&nodes[0], &nodes[1]);
    TestNode::federate(&[a, b]).await;
    let alice = a.create_user("alice", false).await;
    let bruno = b.create_user("bruno", false).await;
    for who in [(&a, &alice), (&b, &bruno)] {
        directory::save(
            &who.0.state,
            who.1,
            &EntryInput {
                visibility: "circle".into(),
                skills: "Médiation avec les usagers".into(),
                phone_visibility: "node".into(),
                email_visibility: "node".into(),
                mobility_visibility: "node".into(),
                ..EntryInput::default()
            },
        )
        .await
        .expect("entry");
    }
    TestNode::drain_all(&[a, b]).await;
    let both = search_query::run(&b.state, &bruno, &asked("médiations usagère"))
        .await
        .expect("search");
    assert_eq!(both.hits.len(), 2, "{:?}", both.hits);
    let from_a = search_query::run(
        &b.state,
        &bruno,
        &Asked {
            institution: a.authority.clone(),
            ..asked("médiation")
        },
    )
    .await
    .expect("institution");
    assert_eq!(from_a.hits.len(), 1);
    assert!(
        from_a.hits[0].id.contains(&a.authority),
        "{:?}",
        from_a.hits
    );
    let unknown = search_query::run(
        &b.state,
        &bruno,
        &Asked {
            institution: "unknown.test".into(),
            ..asked("médiation")
        },
    )
    .await;
    assert!(unknown.is_err(), "an institution not connected is refused");
}

#[tokio::test]
async fn the_page_highlights_pages_and_answers_every_odd_query_with_a_sentence() {
    let node = TestNode::spawn().await;
    for n in 0..22 {
        search::index(
            &node.state,
            &doc(
                "resource",
                n,
                &format!("Fiche {n}"),
                "Accueil des usagères",
                JUNE_15,
            ),
        )
        .await
        .expect("index");
    }
    let mut web = node.logged_in("alice", false).await;

    let page = web.get(&query(&[("q", "usager")])).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("<mark>usagères</mark>"), "{}", page.body);
    assert!(page.body.contains("Page suivante"), "{}", page.body);
    let next = web.get(&query(&[("q", "usager"), ("page", "2")])).await;
    assert!(next.body.contains("Page précédente") && !next.body.contains("Page suivante"));
    assert_eq!(
        next.body.matches("<mark>").count(),
        2,
        "two results on page 2"
    );

    // Operators, quotes, FTS and SQL syntax are plain words; nothing breaks.
    for q in [
        "\"usagers\"",
        "usagers OR 1=1",
        "usag*",
        "NEAR(usagers accueil)",
        "'; DROP TABLE search_docs; --",
        "usagers -accueil",
        "(usagers",
        "terms:usagers",
    ] {
        let page = web.get(&query(&[("q", q)])).await;
        assert_eq!(page.status, 200, "{q}: {}", page.body);
    }
    let quoted = web.get(&query(&[("q", "« usagers » \"accueil\"")])).await;
    assert!(
        quoted.body.contains("<mark>"),
        "quotes are dropped, the words searched"
    );

    // Nothing to look for: said so.
    let page = web.get(&query(&[("q", "\"\" * - ()")])).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("aucun mot à chercher"), "{}", page.body);
    // Very long: cut, and said so.
    let long = format!("usagers {}", "mot ".repeat(500));
    let page = web.get(&query(&[("q", &long)])).await;
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains("seuls ses 8 premiers mots"),
        "{}",
        page.body
    );

    // Unusable filters: a sentence, not an error page.
    for (pairs, sentence) in [
        (
            vec![("q", "usagers"), ("from", "32/13/2026")],
            "pas lisible",
        ),
        (
            vec![
                ("q", "usagers"),
                ("from", "2026-06-20"),
                ("to", "2026-06-01"),
            ],
            "inversez-les",
        ),
        (vec![("q", "usagers"), ("kind", "'; --")], "Ce type"),
        (vec![("q", "usagers"), ("community", "999")], "pas membre"),
        (
            vec![("q", "usagers"), ("institution", "evil.test")],
            "pas reliée",
        ),
        (
            vec![("q", "usagers"), ("page", "9999")],
            "Cette page de résultats",
        ),
    ] {
        let page = web.get(&query(&pairs)).await;
        assert_eq!(page.status, 200, "{pairs:?}");
        assert!(page.body.contains(sentence), "{pairs:?}: {}", page.body);
        assert!(
            !page.body.contains("<mark>"),
            "nothing searched with {pairs:?}"
        );
    }

    // Logged out: nothing, on the page and in the API.
    let res = crate::support::client()
        .get(node.url(&query(&[("q", "usagers")])))
        .send()
        .await
        .expect("GET");
    assert!(res.status().is_redirection(), "{}", res.status());
    let body = res.text().await.expect("body");
    assert!(!body.contains("Fiche"), "{body}");
    let res = crate::support::client()
        .get(node.url("/api/v1/search?q=usagers"))
        .send()
        .await
        .expect("GET");
    assert_eq!(res.status(), 401);

    // The API pages and refuses unusable filters with the field.
    let token = node.token("alice").await;
    let res = crate::support::client()
        .get(node.url("/api/v1/search?q=usagers&page=2"))
        .bearer_auth(&token)
        .send()
        .await
        .expect("GET");
    assert_eq!(res.status(), 200);
    let hits: Vec<serde_json::Value> = res.json().await.expect("json");
    assert_eq!(hits.len(), 2);
    let res = crate::support::client()
        .get(node.url("/api/v1/search?q=usagers&from=demain"))
        .bearer_auth(&token)
        .send()
        .await
        .expect("GET");
    assert_eq!(res.status(), 422);
    assert!(res.text().await.expect("body").contains("from"));
}
