//! Writing aids (issue 19): the « Aperçu » renders with the publishing rules and writes
//! nothing; mention completion proposes the community's members and the directory's shown
//! persons of approved nodes, never a hidden entry nor an agent of a node no longer approved.

use serde_json::Value;

use entrepairs::domain::accounts::{self, ProfileInput};
use entrepairs::domain::directory::{self, EntryInput};

use crate::support::{TestNode, browser::Browser};

fn entry(visibility: &str) -> EntryInput {
    EntryInput {
        visibility: visibility.into(),
        branch: "fpt".into(),
        service: "Accueil".into(),
        phone: String::new(),
        phone_visibility: "hidden".into(),
        email: String::new(),
        email_visibility: "hidden".into(),
        skills: "Médiation".into(),
        mobility: None,
        mobility_visibility: "hidden".into(),
        welcomes_newcomers: None,
    }
}

/// The handles proposed to `who` for `@q` (in `community` when given).
async fn proposed(b: &mut Browser, q: &str, community: Option<i64>) -> Vec<String> {
    let path = match community {
        Some(c) => format!("/compose/mentions?q={q}&community={c}"),
        None => format!("/compose/mentions?q={q}"),
    };
    let page = b.get(&path).await;
    assert_eq!(page.status, 200, "{}", page.body);
    let list: Vec<Value> = serde_json::from_str(&page.body).expect("JSON list");
    list.iter()
        .map(|m| m["handle"].as_str().expect("handle").to_owned())
        .collect()
}

#[tokio::test]
async fn the_preview_renders_like_a_post_and_refuses_without_session_or_token() {
    let a = TestNode::spawn().await;
    let mut alice = a.logged_in("alice", false).await;
    let shown = alice
        .submit(
            "/",
            "/compose/preview",
            &[(
                "body",
                "## Ordre du jour\n**Accueil** des _usagers_\n- un\n- deux\n<script>alert(1)</script>",
            )],
        )
        .await;
    assert_eq!(shown.status, 200, "{}", shown.body);
    assert!(
        shown.body.contains("<h4>Ordre du jour</h4>"),
        "{}",
        shown.body
    );
    assert!(shown.body.contains("<strong>Accueil</strong>"));
    assert!(shown.body.contains("<em>usagers</em>"));
    assert!(shown.body.contains("<li>deux</li>"));
    assert!(!shown.body.contains("<script"), "{}", shown.body);

    // Without the form's token: refused. Logged out: sent to the login page.
    let forged = alice
        .post_raw("/compose/preview", &[("body", "x")], Some(&a.base))
        .await;
    assert_eq!(forged.status, 403);
    let mut anonymous = Browser::new(&a.base);
    let out = anonymous
        .post_raw("/compose/preview", &[("body", "x")], Some(&a.base))
        .await;
    assert_eq!(out.status, 303);
    let out = anonymous.get("/compose/mentions?q=ali").await;
    assert_eq!(out.status, 303);

    // The pages that publish carry the marked text area and the script.
    let home = alice.get("/").await;
    assert!(home.body.contains("/static/compose.js"));
    let script = alice.get("/static/compose.js").await;
    assert_eq!(script.status, 200);
    assert!(script.body.contains("role', 'toolbar'"));
}

#[tokio::test]
async fn mentions_propose_members_and_shown_directory_persons_of_approved_nodes_only() {
    let nodes = TestNode::spawn_many(3).await;
    let (a, b, c) = (&nodes[0], &nodes[1], &nodes[2]);
    TestNode::federate(&[a, b, c]).await;

    // On A: Hélène shows her entry to the node, Hugo hides his, Marc has none but is a
    // member of the community.
    let helene = a.create_user("helene", false).await;
    let helene = accounts::update_profile(
        &a.state,
        &helene,
        &ProfileInput {
            display_name: "Hélène Roux".into(),
            job_title: "Médiatrice sociale".into(),
            summary: String::new(),
        },
    )
    .await
    .expect("profile");
    directory::save(&a.state, &helene, &entry("node"))
        .await
        .expect("entry");
    let hugo = a.create_user("hugo", false).await;
    directory::save(&a.state, &hugo, &entry("hidden"))
        .await
        .expect("entry");
    // On B and C: one agent each in the circle's directory.
    let hermine = b.create_user("hermine", false).await;
    directory::save(&b.state, &hermine, &entry("circle"))
        .await
        .expect("entry");
    let hector = c.create_user("hector", false).await;
    directory::save(&c.state, &hector, &entry("circle"))
        .await
        .expect("entry");
    TestNode::drain_all(&[a, b, c]).await;

    let mut alice = a.logged_in("alice", false).await;
    let created = alice
        .submit(
            "/communities",
            "/communities",
            &[
                ("slug", "accueil"),
                ("name", "Accueil"),
                ("description", "Entraide"),
                ("join_mode", "open"),
            ],
        )
        .await;
    assert_eq!(created.status, 303, "{}", created.body);
    let mut marc = a.logged_in("hmarc", false).await;
    let joined = marc
        .submit("/communities/accueil", "/communities/accueil/join", &[])
        .await;
    assert_eq!(joined.status, 303, "{}", joined.body);
    let community = a
        .state
        .store
        .local_community("accueil")
        .await
        .expect("db")
        .expect("community")
        .id;

    let mut found = proposed(&mut alice, "h", Some(community)).await;
    found.sort();
    let mut expected = vec![
        format!("@helene@{}", a.authority),
        format!("@hermine@{}", b.authority),
        format!("@hector@{}", c.authority),
        format!("@hmarc@{}", a.authority),
    ];
    expected.sort();
    assert_eq!(found, expected, "hidden Hugo is never proposed");
    // By métier too, and the member only where the text is written in the community.
    assert_eq!(
        proposed(&mut alice, "m%C3%A9diatrice", None).await,
        [format!("@helene@{}", a.authority)]
    );
    assert!(
        !proposed(&mut alice, "hmarc", None)
            .await
            .contains(&format!("@hmarc@{}", a.authority))
    );
    // A community one is not a member of adds no one.
    let mut outsider = a.logged_in("olivier", false).await;
    assert!(
        proposed(&mut outsider, "hmarc", Some(community))
            .await
            .is_empty()
    );

    // C no longer approved: its agent is proposed no more.
    entrepairs::domain::peers::revoke(&a.state, &c.authority, "test")
        .await
        .expect("revoke");
    let found = proposed(&mut alice, "h", Some(community)).await;
    assert!(
        !found.iter().any(|h| h.ends_with(&c.authority)),
        "{found:?}"
    );
    assert_eq!(found.len(), 3, "{found:?}");

    // Nonsense or overlong queries answer an empty list, never an error.
    for q in ["%25%27%22", "", &"x".repeat(500)] {
        assert!(proposed(&mut alice, q, None).await.is_empty(), "{q}");
    }
}
