//! Reaction buttons on a resource's page (issue 19), the same component as on threads: a
//! member thanks a resource, the count and « who » follow, pressing again takes it back.

use entrepairs::domain::communities;
use entrepairs::domain::resources::{self, ResourceInput, Saved};

use crate::communities::{community_on, join};
use crate::support::{Browser, PASSWORD, TestNode};

#[tokio::test]
async fn a_member_thanks_a_resource_from_its_page_and_takes_it_back() {
    let node = TestNode::spawn_named("rr").await;
    let alice = node.create_user("alice", false).await;
    let bruno = node.create_user("bruno", false).await;
    community_on(&node, &alice, "accueil", "open").await;
    join(&node, &bruno, &format!("accueil@{}", node.authority)).await;
    let c = communities::resolve(&node.state, "accueil")
        .await
        .expect("community");
    let input = ResourceInput {
        kind: "kit".into(),
        slug: "kit".into(),
        title: "Kit de l'agent d'accueil".into(),
        body: "# Kit".into(),
        summary: "Première version".into(),
    };
    let Saved::Done(_) = resources::create(&node.state, &alice, &c, &input)
        .await
        .expect("created")
    else {
        panic!("the host applies at once")
    };
    let path = format!("/communities/{}/resources/kit", c.handle());
    let mut b = Browser::new(&node.base);
    b.login("bruno", PASSWORD).await;
    let page = b.get(&path).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("value=\"add:merci\""), "{}", page.body);
    assert!(page.body.contains("aria-pressed=\"false\""));

    let done = b
        .submit(
            &path,
            "/reactions",
            &[
                ("object", &resource_ap_id(&node, c.id).await),
                ("reaction", "add:merci"),
                ("back", &format!("{path}#reactions")),
            ],
        )
        .await;
    assert_eq!(done.status, 303);
    assert_eq!(
        done.location.as_deref(),
        Some(format!("{path}#reactions").as_str())
    );
    let page = b.get(&path).await;
    assert!(
        page.body.contains("value=\"remove:merci\""),
        "{}",
        page.body
    );
    assert!(page.body.contains("aria-pressed=\"true\""));
    assert!(page.body.contains("bruno (rr)"), "who reacted, on demand");
    // Twice is refused by the domain; nothing more is stored.
    let twice = b
        .submit(
            &path,
            "/reactions",
            &[
                ("object", &resource_ap_id(&node, c.id).await),
                ("reaction", "add:merci"),
                ("back", &path),
            ],
        )
        .await;
    assert_ne!(twice.status, 303);
    // Pressed again: taken back.
    let undone = b
        .submit(
            &path,
            "/reactions",
            &[
                ("object", &resource_ap_id(&node, c.id).await),
                ("reaction", "remove:merci"),
                ("back", &path),
            ],
        )
        .await;
    assert_eq!(undone.status, 303);
    assert!(b.get(&path).await.body.contains("value=\"add:merci\""));
    let _ = bruno;
}

async fn resource_ap_id(node: &TestNode, community_id: i64) -> String {
    node.state
        .store
        .resource_by_slug(community_id, "kit")
        .await
        .expect("db")
        .expect("kit")
        .ap_id
}
