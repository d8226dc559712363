//! The node's administration pages: accounts, invitations, deliveries.

use crate::support::{Browser, PASSWORD, TestNode};

fn link_in(body: &str) -> String {
    let start = body
        .find("/invitation/")
        .expect("an invitation link on the page");
    let rest = &body[start..];
    rest[..rest.find('<').expect("end of link")].to_owned()
}

#[tokio::test]
async fn an_admin_invites_an_agent_who_chooses_a_password_once_and_logs_in() {
    let node = TestNode::spawn().await;
    let mut admin = node.logged_in("admin", true).await;
    let created = admin
        .submit(
            "/admin/accounts",
            "/admin/accounts",
            &[
                ("username", "Farida"),
                ("display_name", "Farida Benali"),
                ("email", "farida@mairie.test"),
                ("job_title", "Chargée RH"),
            ],
        )
        .await;
    assert_eq!(created.status, 201, "{}", created.body);
    let link = link_in(&created.body);
    assert!(created.body.contains("farida"));

    let mut farida = Browser::new(&node.base);
    let form = farida.get(&link).await;
    assert_eq!(form.status, 200);
    assert!(form.body.contains("<strong>farida</strong>"));

    let differ = farida
        .post_raw(
            &link,
            &[
                ("password", "un mot de passe long"),
                ("confirm", "un autre mot de passe"),
            ],
            None,
        )
        .await;
    assert_eq!(differ.status, 422);
    assert!(
        differ
            .body
            .contains("les deux mots de passe sont différents")
    );
    let short = farida
        .post_raw(&link, &[("password", "court"), ("confirm", "court")], None)
        .await;
    assert_eq!(short.status, 422);
    assert!(short.body.contains("au moins 10 caractères"));

    let done = farida
        .post_raw(
            &link,
            &[
                ("password", "un mot de passe long"),
                ("confirm", "un mot de passe long"),
            ],
            None,
        )
        .await;
    assert_eq!(done.status, 200);
    farida.login("farida", "un mot de passe long").await;
    assert_eq!(farida.get("/profile").await.status, 200);

    let again = Browser::new(&node.base).get(&link).await;
    assert_eq!(again.status, 404, "a link works once");
    assert!(
        again.body.contains("n'est pas valide")
            || again.body.contains("n&#x27;est pas valide")
            || again.body.contains("n&#39;est pas valide")
    );
    node.stop().await;
}

#[tokio::test]
async fn an_agent_cannot_see_or_use_the_administration() {
    let node = TestNode::spawn().await;
    node.create_user("admin", true).await;
    let mut agent = node.logged_in("alice", false).await;
    assert_eq!(agent.get("/admin/accounts").await.status, 403);
    assert_eq!(agent.get("/admin/deliveries").await.status, 403);
    let attempt = agent
        .submit(
            "/profile",
            "/admin/accounts",
            &[("username", "intrus"), ("email", "intrus@x.test")],
        )
        .await;
    assert_eq!(attempt.status, 403);
    let disable = agent
        .submit("/profile", "/admin/accounts/admin/disable", &[])
        .await;
    assert_eq!(disable.status, 403);
    assert!(
        node.state
            .store
            .account_by_username("intrus")
            .await
            .expect("db")
            .is_none()
    );
    assert!(
        !entrepairs::domain::accounts::by_username(&node.state, "admin")
            .await
            .expect("admin")
            .disabled
    );
    node.stop().await;
}

#[tokio::test]
async fn an_admin_disables_and_re_enables_an_agent_from_the_accounts_page() {
    let node = TestNode::spawn().await;
    let mut admin = node.logged_in("admin", true).await;
    node.create_user("bruno", false).await;
    let res = admin
        .submit("/admin/accounts", "/admin/accounts/bruno/disable", &[])
        .await;
    assert_eq!(res.status, 303);
    let page = admin.get("/admin/accounts").await;
    assert!(page.body.contains("désactivé"));
    let mut bruno = Browser::new(&node.base);
    let refused = bruno
        .submit(
            "/login",
            "/login",
            &[("username", "bruno"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(refused.status, 403);
    admin
        .submit("/admin/accounts", "/admin/accounts/bruno/enable", &[])
        .await;
    bruno.login("bruno", PASSWORD).await;
    node.stop().await;
}

#[tokio::test]
async fn failed_deliveries_are_shown_with_their_error_and_can_be_retried() {
    let nodes = TestNode::spawn_many(2).await;
    let mut it = nodes.into_iter();
    let (a, b) = (it.next().expect("a"), it.next().expect("b"));
    TestNode::federate(&[&a, &b]).await;
    let alice = a.create_user("alice", false).await;
    b.create_user("bruno", false).await;
    let bruno_url = b.url("/users/bruno");
    entrepairs::federation::remote::actor(&a.state, &bruno_url, &Default::default())
        .await
        .expect("fetch");
    let b = b.stop().await;
    entrepairs::domain::follows::follow(&a.state, &alice, &bruno_url)
        .await
        .expect("follow");
    a.drain().await;

    let mut admin = a.logged_in("admin", true).await;
    let page = admin.get("/admin/deliveries").await;
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains(&b_authority(&bruno_url)),
        "the peer is named"
    );
    assert!(page.body.contains("Follow"));
    let retried = admin
        .submit(
            "/admin/deliveries",
            "/admin/deliveries/retry",
            &[("authority", &b_authority(&bruno_url))],
        )
        .await;
    assert_eq!(retried.status, 200);
    let b = b.restart().await;
    TestNode::drain_all(&[&a, &b]).await;
    assert_eq!(
        b.state
            .store
            .followers(b.actor("bruno").await.id)
            .await
            .expect("db")
            .len(),
        1
    );
    a.stop().await;
    b.stop().await;
}

fn b_authority(url: &str) -> String {
    entrepairs::federation::authority_of_str(url).expect("authority")
}

/// The admin's home says what waits for them, each with the page where it is handled.
#[tokio::test]
async fn the_admin_home_lists_what_waits() {
    let nodes = TestNode::spawn_many(2).await;
    let (a, b) = (&nodes[0], &nodes[1]);
    let mut admin = b.logged_in("admin", true).await;
    let calm = admin.get("/admin").await;
    assert_eq!(calm.status, 200);
    assert!(calm.body.contains("Rien ne vous attend"), "{}", calm.body);

    entrepairs::domain::peers::request(&a.state, &b.authority, "Bonjour", "admin")
        .await
        .expect("request");
    TestNode::drain_all(&[a, b]).await;
    let waiting = admin.get("/admin").await;
    assert!(!waiting.body.contains("Rien ne vous attend"));
    assert!(
        waiting
            .body
            .contains("<a href=\"/admin/federation\">Demandes de fédération à examiner : 1</a>"),
        "{}",
        waiting.body
    );
    assert!(
        waiting
            .body
            .contains("1 <span class=\"visually-hidden\">—</span> demande en attente")
    );
}
