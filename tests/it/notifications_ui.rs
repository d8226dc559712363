//! Notifications as an agent meets them: a count in the navigation, a sentence naming who did
//! what on which thing, a link to where one acts that marks it read, « Tout marquer comme lu ».

use crate::support::TestNode;

#[tokio::test]
async fn a_join_request_is_counted_told_in_a_sentence_and_read_when_opened() {
    let nodes = TestNode::spawn_many(2).await;
    let (a, b) = (&nodes[0], &nodes[1]);
    TestNode::federate(&[a, b]).await;
    let mut bruno = b.logged_in("bruno", false).await;
    let created = bruno
        .submit(
            "/communities",
            "/communities",
            &[
                ("slug", "accueil"),
                ("name", "Accueil"),
                ("join_mode", "request"),
            ],
        )
        .await;
    assert_eq!(created.status, 303);
    let home = bruno.get("/").await;
    assert!(!home.body.contains("non lue"), "nothing to read yet");

    let mut alice = a.logged_in("alice", false).await;
    let page = format!("/communities/accueil@{}", b.authority);
    let asked = alice.submit(&page, &format!("{page}/join"), &[]).await;
    assert_eq!(asked.status, 303, "{}", asked.body);
    TestNode::drain_all(&[a, b]).await;

    // The navigation counts it on every page.
    let home = bruno.get("/").await;
    assert!(
        home.body.contains("(1 notification non lue)"),
        "{}",
        home.body
    );
    let list = bruno.get("/notifications").await;
    assert!(
        list.body.contains(
            "alice (a) demande à rejoindre « Accueil » : acceptez ou refusez sa demande."
        ),
        "{}",
        list.body
    );
    assert!(list.body.contains("Répondre à la demande"));
    let id = list
        .body
        .split("href=\"/notifications/")
        .nth(1)
        .and_then(|r| r.split('"').next())
        .expect("a link to where one acts")
        .to_owned();

    // Another agent cannot open it, nor learn it exists.
    let mut chloe = b.logged_in("chloe", false).await;
    let stolen = chloe.get(&format!("/notifications/{id}")).await;
    assert_eq!(stolen.status, 404);
    assert!(
        bruno
            .get("/")
            .await
            .body
            .contains("(1 notification non lue)")
    );

    // Opening it leads to the requests and marks it read.
    let opened = bruno.get(&format!("/notifications/{id}")).await;
    assert_eq!(opened.status, 303);
    assert_eq!(
        opened.location.as_deref(),
        Some("/communities/accueil#requests-title")
    );
    let home = bruno.get("/").await;
    assert!(!home.body.contains("non lue"), "{}", home.body);

    // Bruno accepts: alice is told, in words, with the way into the community.
    let actor = a.url("/users/alice");
    let approved = bruno
        .submit(
            "/communities/accueil",
            "/communities/accueil/members",
            &[("actor", actor.as_str()), ("action", "approve")],
        )
        .await;
    assert_eq!(approved.status, 303, "{}", approved.body);
    TestNode::drain_all(&[a, b]).await;
    let list = alice.get("/notifications").await;
    assert!(
        list.body
            .contains("Votre demande pour rejoindre « Accueil » a été acceptée"),
        "{}",
        list.body
    );
    assert!(list.body.contains("Aller dans la communauté"));
    assert!(list.body.contains("(1 notification non lue)"));
    let all = alice
        .submit("/notifications", "/notifications/read", &[])
        .await;
    assert_eq!(all.status, 303);
    let after = alice
        .get(all.location.as_deref().expect("back to the list"))
        .await;
    assert!(after.body.contains("role=\"status\""), "{}", after.body);
    assert!(!after.body.contains("non lue"), "{}", after.body);
    assert!(
        !after.body.contains("Tout marquer comme lu"),
        "nothing left to mark"
    );
}

#[tokio::test]
async fn a_reply_lands_on_itself_and_a_refused_one_keeps_what_was_typed_in_the_focused_field() {
    let node = TestNode::spawn().await;
    let mut bruno = node.logged_in("bruno", false).await;
    let created = bruno
        .submit(
            "/communities",
            "/communities",
            &[
                ("slug", "accueil"),
                ("name", "Accueil"),
                ("join_mode", "open"),
            ],
        )
        .await;
    assert_eq!(created.status, 303);
    let posted = bruno
        .submit(
            "/communities/accueil",
            "/communities/accueil/threads",
            &[
                ("title", "Horaires d'été"),
                ("body", "Qui ouvre le samedi ?"),
            ],
        )
        .await;
    assert_eq!(posted.status, 303, "{}", posted.body);
    let thread = posted.location.expect("the thread");

    let replied = bruno
        .submit(
            &thread,
            &format!("{thread}/reply"),
            &[("body", "Moi, à 9 h.")],
        )
        .await;
    assert_eq!(replied.status, 303);
    let to = replied.location.expect("back to the thread");
    let (_, anchor) = to.split_once('#').expect("an anchor on the new reply");
    let page = bruno.get(&to).await;
    let card = page
        .body
        .split(&format!("id=\"{anchor}\""))
        .nth(1)
        .expect("the reply's card")
        .split("</li>")
        .next()
        .unwrap_or_default()
        .to_owned();
    assert!(card.contains("role=\"status\"") && card.contains("Votre réponse est publiée."));
    assert!(card.contains("Moi, à 9 h."));

    // Too long: refused next to the field, focused, with what was typed; nothing stored.
    let long = "mot ".repeat(6000);
    let refused = bruno
        .submit(&thread, &format!("{thread}/reply"), &[("body", &long)])
        .await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    assert!(refused.body.contains("aria-invalid=\"true\" autofocus"));
    assert!(refused.body.contains(long.trim_end()));
    let again = bruno.get(&thread).await;
    assert_eq!(again.body.matches("class=\"card\" id=\"post-").count(), 1);
}
