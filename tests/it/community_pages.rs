//! The community pages and API, as agents use them: create, find a partner's community, ask
//! to join, approve, post and reply through forms; members-only pages and endpoints.

use serde_json::{Value, json};

use crate::support::{TestNode, client};

#[tokio::test]
async fn agents_create_join_and_discuss_through_the_web_pages_across_two_nodes() {
    let nodes = TestNode::spawn_many(2).await;
    let (a, b) = (&nodes[0], &nodes[1]);
    TestNode::federate(&[a, b]).await;
    let mut bruno = b.logged_in("bruno", false).await;
    let mut alice = a.logged_in("alice", false).await;

    let created = bruno
        .submit(
            "/communities",
            "/communities",
            &[
                ("slug", "accueil"),
                ("name", "Accueil du public"),
                ("description", "Les agents d'accueil"),
                ("tags", "accueil"),
                ("join_mode", "request"),
                ("question", "Votre service ?"),
                ("charter", "Bienveillance"),
            ],
        )
        .await;
    assert_eq!(created.status, 303, "{}", created.body);
    assert_eq!(created.location.as_deref(), Some("/communities/accueil"));
    let duplicate = bruno
        .submit(
            "/communities",
            "/communities",
            &[
                ("slug", "accueil"),
                ("name", "Autre accueil"),
                ("join_mode", "open"),
            ],
        )
        .await;
    assert_eq!(
        duplicate.status, 422,
        "a taken slug is shown next to its field"
    );
    assert!(duplicate.body.contains("slug-error"));

    // alice finds it by its address and asks to join, answering the question.
    let handle = format!("accueil@{}", b.authority);
    let found = alice
        .submit("/communities", "/communities/find", &[("handle", &handle)])
        .await;
    assert_eq!(found.status, 303);
    let page_url = found.location.expect("location");
    let page = alice.get(&page_url).await;
    assert!(page.body.contains("Votre service ?") && page.body.contains("Demander à rejoindre"));
    alice
        .submit(
            &page_url,
            &format!("{page_url}/join"),
            &[("answer", "Accueil mairie")],
        )
        .await;
    TestNode::drain_all(&[a, b]).await;
    assert!(
        alice
            .get(&page_url)
            .await
            .body
            .contains("Demande en attente")
    );

    // bruno sees the request with the answer and approves it.
    let cpage = bruno.get("/communities/accueil").await;
    assert!(
        cpage.body.contains("Accueil mairie"),
        "the answer is shown to the animateur"
    );
    let alice_actor = a.url("/users/alice");
    let approved = bruno
        .submit(
            "/communities/accueil",
            "/communities/accueil/members",
            &[("actor", &alice_actor), ("action", "approve")],
        )
        .await;
    assert_eq!(approved.status, 303);
    let landed = approved.location.clone().unwrap_or_default();
    let told = bruno.get(&landed).await;
    assert!(
        told.body
            .contains("Demande acceptée : la personne est maintenant membre"),
        "{landed}: {}",
        told.body
    );
    TestNode::drain_all(&[a, b]).await;

    // alice posts a thread with a script; bruno replies; both see both, sanitised.
    let posted = alice
        .submit(
            &page_url,
            &format!("{page_url}/threads"),
            &[
                ("title", "Kit de survie"),
                ("body", "Bienvenue <script>alert('x')</script> **à tous**"),
            ],
        )
        .await;
    assert_eq!(posted.status, 303, "{}", posted.body);
    TestNode::drain_all(&[a, b]).await;
    let home = bruno.get("/").await;
    assert!(
        home.body.contains("Kit de survie"),
        "the thread is in bruno's feed"
    );
    let cpage = bruno.get("/communities/accueil").await;
    let at = cpage.body.find("/discussions/").expect("a thread link");
    let id: String = cpage.body[at + 13..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    let thread_url = format!("/discussions/{id}");
    let replied = bruno
        .submit(
            &thread_url,
            &format!("{thread_url}/reply"),
            &[("body", "Merci !")],
        )
        .await;
    assert_eq!(replied.status, 303);
    TestNode::drain_all(&[a, b]).await;
    let alice_thread = alice.get(posted.location.as_deref().expect("thread")).await;
    assert_eq!(alice_thread.status, 200);
    assert!(
        alice_thread.body.contains("Merci !")
            && alice_thread.body.contains("<strong>à tous</strong>")
    );
    assert!(
        !alice_thread.body.contains("alert('x')"),
        "the script is gone"
    );
    assert!(alice.get("/notifications").await.body.contains("a répondu"));

    // A non-member of b sees neither the threads nor a thread page.
    let mut chloe = b.logged_in("chloe", false).await;
    let outsider = chloe.get("/communities/accueil").await;
    assert_eq!(outsider.status, 200);
    assert!(!outsider.body.contains("Kit de survie"));
    assert_eq!(chloe.get(&thread_url).await.status, 403);
    assert_eq!(chloe.get("/communities/accueil/members").await.status, 403);
    for n in nodes {
        n.stop().await;
    }
}

#[tokio::test]
async fn the_api_creates_joins_posts_and_refuses_non_members() {
    let node = TestNode::spawn().await;
    node.create_user("bruno", false).await;
    node.create_user("chloe", false).await;
    node.create_user("farida", false).await;
    let (bruno, chloe, farida) = (
        node.token("bruno").await,
        node.token("chloe").await,
        node.token("farida").await,
    );
    let http = client();
    let api = |p: &str| node.url(&format!("/api/v1{p}"));
    let res = http
        .post(api("/communities"))
        .bearer_auth(&bruno)
        .json(
            &json!({"slug": "assistants", "name": "Assistants de direction", "join_mode": "open"}),
        )
        .send()
        .await
        .expect("create");
    assert_eq!(res.status(), 201);
    let bad = http
        .post(api("/communities"))
        .bearer_auth(&bruno)
        .json(&json!({"slug": "x y", "name": "Nom", "join_mode": "open"}))
        .send()
        .await
        .expect("create");
    assert_eq!(bad.status(), 422);
    let res = http
        .post(api("/communities/assistants/join"))
        .bearer_auth(&chloe)
        .json(&json!({}))
        .send()
        .await
        .expect("join");
    assert_eq!(res.status(), 202);
    let joined: Value = res.json().await.expect("json");
    assert_eq!(
        joined["membership"], "accepted",
        "an open community accepts at once"
    );
    let res = http
        .post(api("/communities/assistants/threads"))
        .bearer_auth(&chloe)
        .json(&json!({"title": "Agenda partagé", "body": "Vos outils ?"}))
        .send()
        .await
        .expect("thread");
    assert_eq!(res.status(), 201);
    let post: Value = res.json().await.expect("json");
    let id = post["id"].as_i64().expect("id");
    let feed: Value = http
        .get(api("/feed"))
        .bearer_auth(&bruno)
        .send()
        .await
        .expect("feed")
        .json()
        .await
        .expect("json");
    assert_eq!(feed["items"][0]["title"], "Agenda partagé");

    // farida is not a member: no threads, no post, no posting.
    for path in [
        "/communities/assistants/threads".to_owned(),
        format!("/posts/{id}"),
        "/communities/assistants/members".to_owned(),
    ] {
        let res = http
            .get(api(&path))
            .bearer_auth(&farida)
            .send()
            .await
            .expect("get");
        assert_eq!(res.status(), 403, "{path}");
    }
    let res = http
        .post(api(&format!("/posts/{id}/replies")))
        .bearer_auth(&farida)
        .json(&json!({"body": "Moi aussi"}))
        .send()
        .await
        .expect("reply");
    assert_eq!(res.status(), 403);
    node.stop().await;
}

#[tokio::test]
async fn a_community_and_an_agent_of_one_node_never_share_a_webfinger_name() {
    let node = TestNode::spawn().await;
    node.create_user("bruno", false).await;
    let bruno = node.token("bruno").await;
    let http = client();
    let create = |slug: &str| {
        http.post(node.url("/api/v1/communities"))
            .bearer_auth(&bruno)
            .json(&json!({"slug": slug, "name": "Accueil du public", "join_mode": "open"}))
            .send()
    };
    let clash = create("bruno").await.expect("create");
    assert_eq!(
        clash.status(),
        409,
        "a community cannot take an agent's name"
    );
    assert_eq!(create("accueil").await.expect("create").status(), 201);
    let agent = entrepairs::domain::accounts::create(
        &node.state,
        entrepairs::domain::accounts::NewAccountInput {
            username: "accueil".into(),
            display_name: String::new(),
            email: "accueil@mairie.test".into(),
            job_title: String::new(),
            admin: false,
            password: Some("un-mot-de-passe-assez-long".into()),
        },
    )
    .await;
    assert!(
        matches!(agent, Err(entrepairs::domain::DomainError::Conflict(_))),
        "an agent cannot take a community's name: {agent:?}"
    );
    for (name, kind) in [("bruno", "Person"), ("accueil", "Group")] {
        let finger: Value = http
            .get(node.url(&format!(
                "/.well-known/webfinger?resource=acct:{name}@{}",
                node.authority
            )))
            .send()
            .await
            .expect("webfinger")
            .json()
            .await
            .expect("json");
        let href = finger["links"]
            .as_array()
            .and_then(|l| l.iter().find(|x| x["rel"] == "self"))
            .and_then(|x| x["href"].as_str())
            .expect("self link")
            .to_owned();
        let expected = if kind == "Group" { "/c/" } else { "/users/" };
        assert!(href.contains(expected), "{name} is a {kind}: {href}");
    }
}
