//! A community's public page (opt-in, nothing members-only on it) and its join links with
//! QR codes (issue 16).

use entrepairs::domain::communities::{self, NewCommunityInput};
use entrepairs::domain::events::{self, EventInput};
use entrepairs::domain::resources::{self, ResourceInput};
use entrepairs::domain::{community_welcome, memberships, posts};

use crate::support::TestNode;

fn accueil() -> NewCommunityInput {
    NewCommunityInput {
        slug: "accueil".into(),
        name: "Accueil du public".into(),
        description: "Les agents d'accueil du territoire.".into(),
        tags: "accueil, état-civil".into(),
        join_mode: "request".into(),
        question: String::new(),
        charter: "Bienveillance et **confidentialité**.".into(),
    }
}

#[tokio::test]
async fn the_public_page_is_404_until_opened_and_shows_nothing_members_only() {
    let node = TestNode::spawn().await;
    let alice = node.create_user("alice", false).await;
    let bruno = node.create_user("bruno", false).await;
    let c = communities::create(&node.state, &alice, &accueil())
        .await
        .expect("community");
    memberships::join(&node.state, &bruno, &c, "")
        .await
        .expect("request");
    memberships::decide(&node.state, &alice, &c, &bruno_actor(&node).await, true)
        .await
        .expect("admitted");
    posts::create_thread(
        &node.state,
        &bruno,
        &c,
        "Fil secret des membres",
        "Texte réservé",
    )
    .await
    .expect("thread");
    resources::create(
        &node.state,
        &alice,
        &c,
        &ResourceInput {
            kind: "kit".into(),
            slug: "kit".into(),
            title: "Kit réservé aux membres".into(),
            body: "Les codes de la porte.".into(),
            summary: String::new(),
        },
    )
    .await
    .expect("resource");
    events::create(
        &node.state,
        &alice,
        &c,
        &EventInput {
            title: "Atelier accueil difficile".into(),
            description: "Ordre du jour confidentiel".into(),
            kind: "seance".into(),
            start: "2099-03-02T09:30".into(),
            end: "2099-03-02T12:00".into(),
            address: "Salle du conseil secrète".into(),
            ..Default::default()
        },
    )
    .await
    .expect("session");
    let client = crate::support::client();

    let closed = client
        .get(node.url("/decouvrir/accueil"))
        .send()
        .await
        .expect("GET");
    assert_eq!(
        closed.status(),
        404,
        "no public page until the animateurs open it"
    );
    let refused = community_welcome::set_public(&node.state, &bruno, &c, true).await;
    assert!(
        refused.is_err(),
        "a member who is not animateur cannot open it"
    );

    community_welcome::set_public(&node.state, &alice, &c, true)
        .await
        .expect("open");
    let page = client
        .get(node.url("/decouvrir/accueil"))
        .send()
        .await
        .expect("GET");
    assert_eq!(page.status(), 200);
    let body = page.text().await.expect("body");
    for shown in [
        "Accueil du public",
        "confidentialité",
        "état-civil",
        "Atelier accueil difficile",
        "accueil@",
    ] {
        assert!(body.contains(shown), "{shown} is on the public page");
    }
    for hidden in [
        "Fil secret",
        "Texte réservé",
        "Kit réservé",
        "codes de la porte",
        "Ordre du jour",
        "Salle du conseil",
        "bruno",
        "alice",
    ] {
        assert!(
            !body.contains(hidden),
            "{hidden} must not be on the public page"
        );
    }

    community_welcome::set_public(&node.state, &alice, &c, false)
        .await
        .expect("close");
    let closed = client
        .get(node.url("/decouvrir/accueil"))
        .send()
        .await
        .expect("GET");
    assert_eq!(closed.status(), 404);
}

async fn bruno_actor(node: &TestNode) -> String {
    node.actor("bruno").await.ap_id
}

#[tokio::test]
async fn a_join_link_admits_until_used_up_or_revoked_and_has_qr_codes() {
    let node = TestNode::spawn().await;
    let mut animateur = node.logged_in("alice", false).await;
    let alice = entrepairs::domain::accounts::by_username(&node.state, "alice")
        .await
        .expect("alice");
    let c = communities::create(&node.state, &alice, &accueil())
        .await
        .expect("community");
    let page = animateur
        .submit(
            "/communities/accueil/accueil",
            "/communities/accueil/accueil",
            &[("action", "link"), ("days", "7"), ("max_uses", "1")],
        )
        .await;
    assert_eq!(page.status, 303, "{}", page.body);
    let links = community_welcome::links(&node.state, &alice, &c)
        .await
        .expect("links");
    let link = &links[0];
    let path = format!("/rejoindre/{}", link.token);

    let svg = animateur
        .get(&format!(
            "/communities/accueil/accueil/liens/{}.svg",
            link.id
        ))
        .await;
    assert_eq!(svg.status, 200);
    assert!(svg.body.contains("<svg"));
    let png = crate::support::client()
        .get(node.url(&format!(
            "/communities/accueil/accueil/liens/{}.png",
            link.id
        )))
        .header("Cookie", animateur.cookie_header_for_tests())
        .send()
        .await
        .expect("GET");
    assert_eq!(png.status(), 200);
    assert!(png.bytes().await.expect("png").starts_with(b"\x89PNG"));

    let mut bruno = node.logged_in("bruno", false).await;
    let joined = bruno.submit(&path, &path, &[]).await;
    assert_eq!(joined.status, 303, "{}", joined.body);
    let bruno_account = entrepairs::domain::accounts::by_username(&node.state, "bruno")
        .await
        .expect("bruno");
    let m = node
        .state
        .store
        .membership(c.id, bruno_account.actor_id)
        .await
        .expect("db");
    assert_eq!(
        m.map(|m| m.state).as_deref(),
        Some("accepted"),
        "a request-only community is joined by the link"
    );

    let mut carol = node.logged_in("carol", false).await;
    let used = carol.get(&path).await;
    assert_eq!(used.status, 410);
    assert!(used.body.contains("déjà servi"), "{}", used.body);

    let page = animateur
        .submit(
            "/communities/accueil/accueil",
            "/communities/accueil/accueil",
            &[("action", "link"), ("days", "7")],
        )
        .await;
    assert_eq!(page.status, 303);
    let second = community_welcome::links(&node.state, &alice, &c)
        .await
        .expect("links")[0]
        .clone();
    let id = second.id.to_string();
    animateur
        .submit(
            "/communities/accueil/accueil",
            "/communities/accueil/accueil",
            &[("action", "revoke"), ("id", &id)],
        )
        .await;
    let path = format!("/rejoindre/{}", second.token);
    let revoked = carol.get(&path).await;
    assert_eq!(revoked.status, 410);
    assert!(revoked.body.contains("retiré"));
    let unknown = carol.get("/rejoindre/pas-un-lien").await;
    assert_eq!(unknown.status, 410);

    let outsider = carol.get("/communities/accueil/accueil").await;
    assert_eq!(outsider.status, 403, "only animateurs see the links");
}
