//! A new agent's first hour (issue 16) on three nodes: an agent created by import signs in
//! for the first time and sees the checklist, a community of their métier and a peer mentor
//! of another institution who opted in on their directory entry.

use entrepairs::domain::accounts::{self, ProfileInput};
use entrepairs::domain::communities::{self, NewCommunityInput};
use entrepairs::domain::directory::{self, EntryInput};
use entrepairs::domain::{account_import, first_hour, memberships};

use crate::support::{Browser, TestNode};

fn entry(welcomes: bool) -> EntryInput {
    EntryInput {
        visibility: "circle".into(),
        service: "Accueil et titres".into(),
        phone_visibility: "node".into(),
        email: "mentor@mairie.example".into(),
        email_visibility: "circle".into(),
        mobility_visibility: "node".into(),
        welcomes_newcomers: welcomes.then(|| "on".into()),
        ..EntryInput::default()
    }
}

async fn agent_with_entry(node: &TestNode, username: &str, welcomes: bool) {
    let account = node.create_user(username, false).await;
    let account = accounts::update_profile(
        &node.state,
        &account,
        &ProfileInput {
            display_name: format!("Pair {username}"),
            job_title: "Agent d'accueil".into(),
            summary: String::new(),
        },
    )
    .await
    .expect("profile");
    directory::save(&node.state, &account, &entry(welcomes))
        .await
        .expect("entry");
}

#[tokio::test]
async fn an_imported_agent_signing_in_first_sees_the_checklist_a_community_and_a_mentor_of_another_node()
 {
    let nodes = TestNode::spawn_many(3).await;
    let (a, b, c) = (&nodes[0], &nodes[1], &nodes[2]);
    TestNode::federate(&[a, b, c]).await;
    // On b an agent of the same métier offers to welcome newcomers; on c one does not.
    agent_with_entry(b, "berenice", true).await;
    agent_with_entry(c, "camille", false).await;
    // On a, a community of the métier.
    let admin = a.create_user("admin", true).await;
    communities::create(
        &a.state,
        &admin,
        &NewCommunityInput {
            slug: "accueil".into(),
            name: "Accueil du public".into(),
            description: "Les agents d'accueil des trois institutions".into(),
            tags: "accueil".into(),
            join_mode: "open".into(),
            question: String::new(),
            charter: String::new(),
        },
    )
    .await
    .expect("community");
    TestNode::drain_all(&[a, b, c]).await;

    let csv = "email;prénom;nom;métier;service\nnina@ville.test;Nina;Durand;Agente d'accueil;\n";
    let plan = account_import::plan(&a.state, csv.as_bytes())
        .await
        .expect("db")
        .expect("file");
    let out = account_import::apply(&a.state, "admin", &plan, true, &|_| {})
        .await
        .expect("import");
    assert_eq!(out.created, 1);
    let (username, _, link) = out.invitations[0].clone();
    let path = link
        .split_once(a.base.as_str())
        .expect("our link")
        .1
        .to_owned();
    let accepted = reqwest::Client::new()
        .post(a.url(&path))
        .form(&[
            ("password", "un mot de passe long"),
            ("confirm", "un mot de passe long"),
        ])
        .send()
        .await
        .expect("accept");
    assert_eq!(accepted.status(), 200);

    let mut web = Browser::new(&a.base);
    web.login(&username, "un mot de passe long").await;
    // Signed in for the first time, the home page leads to the checklist, with the
    // suggested community and the peer of another institution.
    let home = web.get("/").await;
    assert!(home.body.contains("Vos premiers pas"), "{}", home.body);
    assert!(
        home.body.contains("Étapes faites : 0 sur 5."),
        "{}",
        home.body
    );
    assert!(home.body.contains("href=\"/bienvenue\""));
    assert!(
        home.body.contains("Pair berenice"),
        "the mentor of b on the home page"
    );
    let page = web.get("/bienvenue").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Vos premiers pas"), "{}", page.body);
    assert!(page.body.contains("Compléter « Ma fiche annuaire »"));
    assert!(
        page.body.contains("Accueil du public"),
        "suggested community"
    );
    assert!(page.body.contains("Pair berenice"), "the mentor of b");
    assert!(
        !page.body.contains("Pair camille"),
        "c's agent did not opt in"
    );

    // The checklist ticks itself: the entry once the service is set, the community once joined.
    let account = accounts::by_username(&a.state, &username)
        .await
        .expect("nina");
    let before = first_hour::overview(&a.state, &account)
        .await
        .expect("overview");
    assert!(before.steps.iter().all(|s| !s.done), "{:?}", before.steps);
    let mentor = before.mentor.expect("mentor");
    assert_eq!(mentor.institution, b.state.config.institution_name);
    let mut mine = entry(false);
    mine.visibility = "node".into();
    directory::save(&a.state, &account, &mine)
        .await
        .expect("entry");
    let accueil = communities::local(&a.state, "accueil")
        .await
        .expect("community");
    memberships::join(&a.state, &account, &accueil, "")
        .await
        .expect("join");
    let after = first_hour::overview(&a.state, &account)
        .await
        .expect("overview");
    let done: Vec<&str> = after
        .steps
        .iter()
        .filter(|s| s.done)
        .map(|s| s.key)
        .collect();
    assert_eq!(done, ["entry", "join"]);
    for n in nodes {
        n.stop().await;
    }
}
