//! Community resources across three nodes: the survival kit edited by agents of two nodes,
//! every node keeping the history; a stale edit refused with the conflict shown, locally and
//! by the host; diff, restore, sanitising; and what non-members get.

use serde_json::json;

use entrepairs::domain::communities;
use entrepairs::domain::resources::{self, ResourceInput, Saved};
use entrepairs::domain::{notifications, revisions};

use crate::communities::{community_on, join};
use crate::support::signing::Signed;
use crate::support::{Browser, PASSWORD, TestNode, client};

fn kit(body: &str) -> ResourceInput {
    ResourceInput {
        kind: "kit".into(),
        slug: "kit".into(),
        title: "Kit de survie de l'agent d'accueil".into(),
        body: body.into(),
        summary: "Première version".into(),
    }
}

/// The kit as `node` knows it: (current revision, its text, the numbers and authors of its
/// history, newest first).
async fn kit_on(node: &TestNode, handle: &str) -> (i64, String, Vec<(i64, String)>) {
    let c = communities::resolve(&node.state, handle)
        .await
        .expect("community");
    let r = node
        .state
        .store
        .resource_by_slug(c.id, "kit")
        .await
        .expect("db")
        .expect("the kit is known on this node");
    let history = node
        .state
        .store
        .revisions(r.id)
        .await
        .expect("db")
        .into_iter()
        .map(|v| (v.number, v.author))
        .collect();
    (r.revision, r.source, history)
}

#[tokio::test]
async fn agents_of_two_nodes_edit_the_survival_kit_every_node_keeps_both_revisions_and_a_stale_edit_is_refused()
 {
    let nodes = TestNode::spawn_many(3).await;
    let (a, b, c) = (&nodes[0], &nodes[1], &nodes[2]);
    TestNode::federate(&[a, b, c]).await;
    let alice = a.create_user("alice", false).await;
    let bruno = b.create_user("bruno", false).await;
    let chloe = c.create_user("chloe", false).await;
    community_on(b, &bruno, "accueil", "open").await;
    let handle = format!("accueil@{}", b.authority);
    join(a, &alice, &handle).await;
    join(c, &chloe, &handle).await;
    TestNode::drain_all(&[a, b, c]).await;

    // bruno writes the kit on the host; the members' nodes receive it.
    let cb = communities::resolve(&b.state, "accueil").await.expect("c");
    let Saved::Done(r) = resources::create(&b.state, &bruno, &cb, &kit("# Kit\n\nAccueil."))
        .await
        .expect("created")
    else {
        panic!("the host applies at once")
    };
    assert_eq!(r.revision, 1);
    TestNode::drain_all(&[a, b, c]).await;
    assert_eq!(kit_on(a, &handle).await.0, 1, "alice's node has the kit");

    // alice edits on her node's web page; chloe, on hers, edits the same revision 1.
    let mut web_a = Browser::new(&a.base);
    web_a.login("alice", PASSWORD).await;
    let edit_url = format!("/communities/{handle}/resources/kit/edit");
    let form = web_a.get(&edit_url).await;
    assert!(
        form.body.contains("name=\"base\" value=\"1\""),
        "{}",
        form.body
    );
    let sent = web_a
        .submit(
            &edit_url,
            &edit_url,
            &[
                ("title", "Kit de survie de l'agent d'accueil"),
                ("body", "# Kit\n\nAccueil.\n\nLe standard ouvre à 8 h 30."),
                ("summary", "Horaires du standard"),
                ("base", "1"),
            ],
        )
        .await;
    assert_eq!(sent.status, 303, "{}", sent.body);
    assert!(sent.location.unwrap_or_default().contains("envoye=1"));
    let cc = communities::resolve(&c.state, &handle).await.expect("c");
    let rc = c
        .state
        .store
        .resource_by_slug(cc.id, "kit")
        .await
        .expect("db")
        .expect("kit");
    let stale = ResourceInput {
        body: "# Kit\n\nAccueil des urgences.".into(),
        ..kit("")
    };
    assert!(matches!(
        resources::edit(&c.state, &chloe, &rc, &stale, 1).await,
        Ok(Saved::Submitted)
    ));
    // alice's edit reaches the host first; chloe's, written on revision 1, comes second.
    a.drain().await;
    c.drain().await;
    TestNode::drain_all(&[a, b, c]).await;

    let alice_id = a.actor("alice").await.ap_id;
    let bruno_id = b.actor("bruno").await.ap_id;
    for node in [a, b, c] {
        let h = if node.authority == b.authority {
            "accueil".to_owned()
        } else {
            handle.clone()
        };
        let (revision, text, history) = kit_on(node, &h).await;
        assert_eq!(revision, 2, "on {}", node.name);
        assert!(text.contains("8 h 30"), "alice's text on {}", node.name);
        assert_eq!(
            history,
            vec![(2, alice_id.clone()), (1, bruno_id.clone())],
            "both revisions, each with its author, on {}",
            node.name
        );
    }
    // chloe's node was told why her edit did not appear.
    assert!(
        notifications::list(&c.state, &chloe)
            .await
            .expect("n")
            .iter()
            .any(|n| n.kind == "resource_refused"),
        "chloe is notified of the refusal"
    );

    // The history page of alice's node shows both revisions with their authors.
    let page = web_a
        .get(&format!("/communities/{handle}/resources/kit/history"))
        .await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Révision 2") && page.body.contains("Révision 1"));
    assert!(page.body.contains("alice (") && page.body.contains("bruno ("));
    assert!(page.body.contains("Horaires du standard"));

    // bruno, on the host, saves a form opened at revision 1: refused, both texts shown.
    let mut web_b = Browser::new(&b.base);
    web_b.login("bruno", PASSWORD).await;
    let local = "/communities/accueil/resources/kit/edit";
    let refused = web_b
        .submit(
            local,
            local,
            &[
                ("title", "Kit"),
                ("body", "# Kit\n\nTexte de bruno."),
                ("base", "1"),
            ],
        )
        .await;
    assert_eq!(refused.status, 409);
    assert!(refused.body.contains("Conflit de modification"));
    assert!(refused.body.contains("Texte de bruno."), "his text is kept");
    assert!(refused.body.contains("8 h 30"), "the current text is shown");
    assert!(refused.body.contains("name=\"base\" value=\"2\""));
    assert_eq!(kit_on(b, "accueil").await.0, 2, "nothing was overwritten");
}

#[tokio::test]
async fn diff_restore_and_sanitising_of_a_resource_and_a_stale_api_edit_gets_409() {
    let b = TestNode::spawn().await;
    let bruno = b.create_user("bruno", false).await;
    community_on(&b, &bruno, "accueil", "open").await;
    let c = communities::resolve(&b.state, "accueil").await.expect("c");
    let Saved::Done(r) = resources::create(
        &b.state,
        &bruno,
        &c,
        &kit("Bonjour <script>alert(1)</script> **à tous**"),
    )
    .await
    .expect("created") else {
        panic!("local")
    };
    assert!(!r.content_html.contains("<script"), "{}", r.content_html);
    assert!(r.content_html.contains("<strong>à tous</strong>"));

    let token = b.token("bruno").await;
    let api = |path: &str| b.url(&format!("/api/v1/communities/accueil/resources{path}"));
    let res = client()
        .post(api("/kit/edit"))
        .bearer_auth(&token)
        .json(&json!({"title": "Kit", "body": "Bonjour à tous et bienvenue", "base": 1}))
        .send()
        .await
        .expect("edit");
    assert_eq!(res.status().as_u16(), 200);
    let stale = client()
        .post(api("/kit/edit"))
        .bearer_auth(&token)
        .json(&json!({"title": "Kit", "body": "Écrasement", "base": 1}))
        .send()
        .await
        .expect("edit");
    assert_eq!(stale.status().as_u16(), 409);
    let body: serde_json::Value = stale.json().await.expect("json");
    assert_eq!(body["current"]["revision"], 2);
    assert_eq!(body["current"]["source"], "Bonjour à tous et bienvenue");

    // The diff from 1 to 2 shows the insertion, escaped.
    let r = b
        .state
        .store
        .resource_by_slug(c.id, "kit")
        .await
        .expect("db")
        .expect("kit");
    let diff = revisions::diff(&b.state, &bruno, &r, 1, 2)
        .await
        .expect("diff");
    assert!(diff.contains("<ins>bienvenue</ins>"), "{diff}");
    assert!(
        diff.contains("&lt;script&gt;"),
        "the old text is escaped: {diff}"
    );
    let mut web = Browser::new(&b.base);
    web.login("bruno", PASSWORD).await;
    let page = web
        .get("/communities/accueil/resources/kit/diff?from=1&to=2")
        .await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("<ins>bienvenue</ins>"));
    assert!(!page.body.contains("<script>alert"));

    // Restoring revision 1 makes revision 3 with its text.
    let restored = web
        .submit(
            "/communities/accueil/resources/kit/history",
            "/communities/accueil/resources/kit/restore",
            &[("number", "1"), ("base", "2")],
        )
        .await;
    assert_eq!(restored.status, 303, "{}", restored.body);
    let r = b
        .state
        .store
        .resource_by_slug(c.id, "kit")
        .await
        .expect("db")
        .expect("kit");
    assert_eq!(r.revision, 3);
    assert!(r.source.starts_with("Bonjour <script>"));
    let history = b.state.store.revisions(r.id).await.expect("db");
    assert_eq!(history[0].summary, "Restauration de la révision 1");

    // The page shows the sanitised text.
    let page = web.get("/communities/accueil/resources/kit").await;
    assert_eq!(page.status, 200);
    assert!(!page.body.contains("<script>alert"));
}

#[tokio::test]
async fn a_non_member_cannot_read_a_resource_on_the_web_the_api_or_by_signed_fetch() {
    let nodes = TestNode::spawn_many(3).await;
    let (a, b, c) = (&nodes[0], &nodes[1], &nodes[2]);
    TestNode::federate(&[a, b, c]).await;
    let alice = a.create_user("alice", false).await;
    let bruno = b.create_user("bruno", false).await;
    b.create_user("gilles", false).await;
    community_on(b, &bruno, "accueil", "open").await;
    join(a, &alice, &format!("accueil@{}", b.authority)).await;
    TestNode::drain_all(&[a, b, c]).await;
    let cb = communities::resolve(&b.state, "accueil").await.expect("c");
    let Saved::Done(r) = resources::create(&b.state, &bruno, &cb, &kit("Réservé aux membres"))
        .await
        .expect("created")
    else {
        panic!("local")
    };

    // gilles, on the host but not a member.
    let mut web = Browser::new(&b.base);
    web.login("gilles", PASSWORD).await;
    for path in [
        "/communities/accueil/resources",
        "/communities/accueil/resources/kit",
        "/communities/accueil/resources/kit/history",
        "/communities/accueil/resources/kit/diff?from=1&to=1",
    ] {
        let page = web.get(path).await;
        assert_eq!(page.status, 403, "{path}");
        assert!(!page.body.contains("Réservé aux membres"));
    }
    let token = b.token("gilles").await;
    let res = client()
        .get(b.url("/api/v1/communities/accueil/resources/kit"))
        .bearer_auth(&token)
        .send()
        .await
        .expect("api");
    assert_eq!(res.status().as_u16(), 403);
    let res = client()
        .post(b.url("/api/v1/communities/accueil/resources/kit/edit"))
        .bearer_auth(&token)
        .json(&json!({"title": "Kit", "body": "Intrus", "base": 1}))
        .send()
        .await
        .expect("api");
    assert_eq!(res.status().as_u16(), 403);

    // A node without members is refused the object; a member's node gets it.
    assert_eq!(Signed::get(c, &r.ap_id).await.status().await, 403);
    assert_eq!(Signed::get(a, &r.ap_id).await.status().await, 200);
    assert_eq!(
        b.state
            .store
            .resource_by_slug(cb.id, "kit")
            .await
            .expect("db")
            .expect("kit")
            .revision,
        1,
        "nothing changed"
    );
}

#[tokio::test]
async fn the_demo_survival_kit_has_revisions_by_agents_of_the_three_nodes_on_every_node() {
    use entrepairs::demo::{
        INSTITUTIONS, communities as demo_communities, resources as demo, seed,
    };
    let nodes = TestNode::spawn_many(3).await;
    for (node, inst) in nodes.iter().zip(INSTITUTIONS.iter()) {
        seed::accounts(&node.state, inst).await.expect("accounts");
    }
    TestNode::federate(&[&nodes[0], &nodes[1], &nodes[2]]).await;
    let states = [&nodes[0].state, &nodes[1].state, &nodes[2].state];
    demo_communities::seed(states).await.expect("communities");
    demo::seed(states).await.expect("resources");
    demo::seed(states)
        .await
        .expect("a second run changes nothing");
    let handle = format!("accueil@{}", nodes[1].authority);
    for node in &nodes {
        let c = communities::resolve(&node.state, &handle).await.expect("c");
        let r = node
            .state
            .store
            .resource_by_slug(c.id, "kit-de-survie")
            .await
            .expect("db")
            .expect("the kit on every node");
        let history = node.state.store.revisions(r.id).await.expect("db");
        let mut authorities: Vec<_> = history
            .iter()
            .filter_map(|v| entrepairs::federation::authority_of_str(&v.author))
            .collect();
        authorities.sort();
        authorities.dedup();
        assert_eq!(history.len(), 3, "on {}", node.name);
        assert_eq!(
            authorities.len(),
            3,
            "authors of three nodes on {}",
            node.name
        );
        assert!(r.source.contains("À l'hôpital"));
        let all = node.state.store.resources_of(c.id).await.expect("db");
        assert_eq!(
            all.len(),
            2,
            "the kit and the best practices on {}",
            node.name
        );
    }
}

#[tokio::test]
async fn attachments_over_the_limit_or_of_a_forbidden_type_are_refused_and_files_go_only_to_members()
 {
    let b = TestNode::spawn_with("b", |raw| raw.attachments_max_bytes = Some(64 * 1024)).await;
    let bruno = b.create_user("bruno", false).await;
    b.create_user("gilles", false).await;
    community_on(&b, &bruno, "accueil", "open").await;
    let c = communities::resolve(&b.state, "accueil").await.expect("c");
    resources::create(&b.state, &bruno, &c, &kit("Le kit"))
        .await
        .expect("kit");
    let page = "/communities/accueil/resources/kit";
    let action = "/communities/accueil/resources/kit/attachments";
    let mut web = Browser::new(&b.base);
    web.login("bruno", PASSWORD).await;
    let files_dir = b.state.config.data_dir.join("attachments");

    // An executable named .pdf: its content says what it is.
    let exe = web
        .upload(
            page,
            action,
            "planning.pdf",
            b"MZ\x90\x00\x03\x00\x00\x00 not a pdf",
        )
        .await;
    assert_eq!(exe.status, 422);
    assert!(
        exe.body
            .contains("Ce type de fichier n&#39;est pas accepté")
            || exe.body.contains("Ce type de fichier n'est pas accepté"),
        "{}",
        exe.body
    );
    // Over the limit of this node's admin (64 Kio here).
    let mut big = b"%PDF-1.7\n".to_vec();
    big.resize(65 * 1024, b'x');
    let too_big = web.upload(page, action, "gros.pdf", &big).await;
    assert_eq!(too_big.status, 422);
    assert!(
        too_big.body.contains("dépasse la taille maximale"),
        "{}",
        too_big.body
    );
    assert!(too_big.body.contains("64 Kio"));
    assert!(
        !files_dir.exists() || std::fs::read_dir(&files_dir).expect("dir").count() == 0,
        "nothing stored"
    );

    // A real PDF is kept under its hash and served as an attachment, never sniffed.
    let pdf = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n";
    let ok = web.upload(page, action, "Fiche orientation.pdf", pdf).await;
    assert_eq!(ok.status, 303, "{}", ok.body);
    let shown = web.get(page).await;
    assert!(shown.body.contains("Fiche orientation.pdf"));
    let id = b
        .state
        .store
        .attachments_of(
            b.state
                .store
                .resource_by_slug(c.id, "kit")
                .await
                .expect("db")
                .expect("kit")
                .id,
        )
        .await
        .expect("db")[0]
        .id;
    let url = format!("/communities/accueil/resources/kit/attachments/{id}");
    let res = client()
        .get(b.url(&url))
        .header("Cookie", web_cookie(&mut web).await)
        .send()
        .await
        .expect("download");
    assert_eq!(res.status().as_u16(), 200);
    let h = res.headers();
    assert_eq!(h["content-type"], "application/pdf");
    assert_eq!(h["x-content-type-options"], "nosniff");
    assert!(
        h["content-disposition"]
            .to_str()
            .expect("ascii")
            .starts_with("attachment;")
    );
    assert_eq!(res.bytes().await.expect("body").as_ref(), pdf);

    // gilles is not a member: no file, no form.
    let mut other = Browser::new(&b.base);
    other.login("gilles", PASSWORD).await;
    assert_eq!(other.get(&url).await.status, 403);

    // The API: the same checks, and the resource lists its files.
    let token = b.token("bruno").await;
    let api_upload = |name: &'static str, bytes: Vec<u8>| {
        let boundary = "api-boundary-42";
        let mut body = format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; \
             filename=\"{name}\"\r\nContent-Type: image/png\r\n\r\n"
        )
        .into_bytes();
        body.extend_from_slice(&bytes);
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        client()
            .post(b.url("/api/v1/communities/accueil/resources/kit/attachments"))
            .bearer_auth(&token)
            .header(
                "Content-Type",
                format!("multipart/form-data; boundary={boundary}"),
            )
            .body(body)
            .send()
    };
    let refused = api_upload("photo.png", b"<svg onload=alert(1)>".to_vec())
        .await
        .expect("api");
    assert_eq!(refused.status().as_u16(), 403);
    let big = api_upload("gros.png", vec![0x89; 70 * 1024])
        .await
        .expect("api");
    assert_eq!(big.status().as_u16(), 422);
    let png = vec![0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0];
    let created = api_upload("photo.png", png).await.expect("api");
    assert_eq!(created.status().as_u16(), 201);
    let shown: serde_json::Value = client()
        .get(b.url("/api/v1/communities/accueil/resources/kit"))
        .bearer_auth(&token)
        .send()
        .await
        .expect("api")
        .json()
        .await
        .expect("json");
    let names: Vec<_> = shown["attachments"]
        .as_array()
        .expect("list")
        .iter()
        .map(|a| a["name"].as_str().unwrap_or_default().to_owned())
        .collect();
    assert_eq!(names, vec!["Fiche orientation.pdf", "photo.png"]);
}

/// The session cookie of a logged-in browser, for a request made with a plain client.
async fn web_cookie(web: &mut Browser) -> String {
    web.cookie_header_for_tests()
}

#[tokio::test]
async fn a_file_attached_on_the_host_is_opened_by_a_member_of_another_node_and_refused_to_other_nodes()
 {
    let nodes = TestNode::spawn_many(3).await;
    let (a, b, c) = (&nodes[0], &nodes[1], &nodes[2]);
    TestNode::federate(&[a, b, c]).await;
    let alice = a.create_user("alice", false).await;
    let bruno = b.create_user("bruno", false).await;
    community_on(b, &bruno, "accueil", "open").await;
    let handle = format!("accueil@{}", b.authority);
    join(a, &alice, &handle).await;
    TestNode::drain_all(&[a, b, c]).await;
    let cb = communities::resolve(&b.state, "accueil").await.expect("c");
    resources::create(&b.state, &bruno, &cb, &kit("Le kit"))
        .await
        .expect("kit");
    // The file is the subject here, not two announces of a new resource racing on a member
    // node (a known limit, see docs/architecture.md): the kit reaches A first.
    TestNode::drain_all(&[a, b, c]).await;
    let r = b
        .state
        .store
        .resource_by_slug(cb.id, "kit")
        .await
        .expect("db")
        .expect("kit");
    let png = [
        0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, b'I', b'H', b'D', b'R',
    ];
    let file = entrepairs::domain::attachments::add(&b.state, &bruno, &r, "plan.png", &png)
        .await
        .expect("attached");
    TestNode::drain_all(&[a, b, c]).await;

    // alice's node lists it and fetches it from the host when she opens it.
    let mut web = Browser::new(&a.base);
    web.login("alice", PASSWORD).await;
    let page = web
        .get(&format!("/communities/{handle}/resources/kit"))
        .await;
    assert!(page.body.contains("plan.png"), "{}", page.body);
    let ca = communities::resolve(&a.state, &handle).await.expect("c");
    let ra = a
        .state
        .store
        .resource_by_slug(ca.id, "kit")
        .await
        .expect("db")
        .expect("kit");
    let local = a.state.store.attachments_of(ra.id).await.expect("db");
    assert_eq!(local.len(), 1);
    let res = client()
        .get(a.url(&format!(
            "/communities/{handle}/resources/kit/attachments/{}",
            local[0].id
        )))
        .header("Cookie", web.cookie_header_for_tests())
        .send()
        .await
        .expect("download");
    assert_eq!(res.status().as_u16(), 200);
    assert_eq!(res.headers()["content-type"], "image/png");
    assert_eq!(res.headers()["x-content-type-options"], "nosniff");
    assert_eq!(res.bytes().await.expect("body").as_ref(), png);

    // A node without members gets nothing from the host.
    let url = format!("{}/attachments/{}", r.ap_id, file.id);
    assert_eq!(Signed::get(c, &url).await.status().await, 403);
    assert_eq!(Signed::get(a, &url).await.status().await, 200);

    // When a's admin revokes federation with the host, the cached kit and its files go.
    entrepairs::domain::peers::revoke(&a.state, &b.authority, "admin")
        .await
        .expect("revoke");
    assert!(
        a.state
            .store
            .resource_by_ap_id(&r.ap_id)
            .await
            .expect("db")
            .is_none(),
        "purged with the revoked host's content"
    );
}
