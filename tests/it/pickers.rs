//! Pickers by name: an agent finds a partner's community, invites a colleague of another
//! institution and names an action item's owner by typing a name, never an address; pages
//! name institutions, the address shows only in its « Adresse » field.

use crate::support::{TestNode, browser::Browser};

/// The text a reader sees (tags removed), without the « Adresse » fields.
pub fn visible_text_outside_addresses(html: &str) -> String {
    let mut rest = html;
    let mut kept = String::new();
    // `m::address` renders `<code id="…-address">…</code>`: the one place an address may show.
    while let Some(at) = rest.find("-address\">") {
        let Some(open) = rest[..at].rfind("<code") else {
            break;
        };
        kept.push_str(&rest[..open]);
        rest = rest[at..].split_once("</code>").map_or("", |(_, r)| r);
    }
    kept.push_str(rest);
    let mut text = String::new();
    let mut in_tag = false;
    for ch in kept.chars() {
        match ch {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                text.push(' ');
            }
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    text
}

async fn community(b: &mut Browser, slug: &str, name: &str, mode: &str) {
    let created = b
        .submit(
            "/communities",
            "/communities",
            &[
                ("slug", slug),
                ("name", name),
                ("description", "Entraide entre agents"),
                ("join_mode", mode),
            ],
        )
        .await;
    assert_eq!(created.status, 303, "{}", created.body);
}

#[tokio::test]
async fn an_agent_finds_a_partners_community_by_its_name_and_sees_no_address_but_in_its_field() {
    let nodes = TestNode::spawn_many(2).await;
    let (a, b) = (&nodes[0], &nodes[1]);
    TestNode::federate(&[a, b]).await;
    let mut bruno = b.logged_in("bruno", false).await;
    community(&mut bruno, "accueil", "Accueil des usagers", "open").await;
    let mut alice = a.logged_in("alice", false).await;

    // Nobody on a typed its address: the name is enough (a's node reads b's communities).
    let found = alice.get("/communities?q=usagers+accueil").await;
    assert_eq!(found.status, 200, "{}", found.body);
    assert!(found.body.contains("Accueil des usagers"), "{}", found.body);
    assert!(found.body.contains("1 communauté trouvée"));
    let page = format!("/communities/accueil@{}", b.authority);
    assert!(found.body.contains(&format!("href=\"{page}\"")));
    assert!(!visible_text_outside_addresses(&found.body).contains("127.0.0.1:"));

    let shown = alice.get(&page).await;
    assert_eq!(shown.status, 200);
    assert!(
        shown.body.contains("Adresse") && shown.body.contains("data-copy=\"community-address\"")
    );
    assert!(
        !visible_text_outside_addresses(&shown.body).contains("127.0.0.1:"),
        "{}",
        visible_text_outside_addresses(&shown.body)
    );
    let joined = alice.submit(&page, &format!("{page}/join"), &[]).await;
    assert_eq!(joined.status, 303);

    // A name that matches nothing says what to do, keeps what was typed, and is no error.
    let none = alice.get("/communities?q=Hugo+Bernard").await;
    assert_eq!(none.status, 200);
    assert!(none.body.contains("Aucune communauté ne correspond"));
    assert!(none.body.contains("value=\"Hugo Bernard\""));
    // An address that leads nowhere says so in French, next to the field.
    let bad = alice
        .get(&format!("/communities?q=personne@{}", b.authority))
        .await;
    assert_eq!(bad.status, 404);
    assert!(
        bad.body
            .contains("Aucune communauté n&#39;a été trouvée à cette adresse"),
        "{}",
        bad.body
    );
    assert!(!bad.body.contains("malformed"));
}

#[tokio::test]
async fn an_animateur_invites_a_colleague_of_another_institution_by_name() {
    let nodes = TestNode::spawn_many(2).await;
    let (a, b) = (&nodes[0], &nodes[1]);
    TestNode::federate(&[a, b]).await;
    let mut bruno = b.logged_in("bruno", false).await;
    community(&mut bruno, "rh", "Ressources humaines", "invitation").await;
    a.create_user("alice", false).await;
    a.create_user("alicia", false).await;
    // b knows alice and alicia once it has met them (here: fetched by address).
    for who in ["alice", "alicia"] {
        entrepairs::domain::ports::Remote::resolve(&*b.state.remote, &b.state, &a.handle_of(who))
            .await
            .expect("resolved");
    }

    // "ali" matches both: the page lists them, each with its own button.
    let several = bruno
        .submit(
            "/communities/rh",
            "/communities/rh/invite",
            &[("handle", "ali")],
        )
        .await;
    assert_eq!(several.status, 422);
    assert!(several.body.contains("Plusieurs personnes correspondent"));
    assert!(several.body.contains("alicia (a)") && several.body.contains("value=\"ali\""));
    assert!(!visible_text_outside_addresses(&several.body).contains("127.0.0.1:"));

    // Her full name designates one person: she is invited at once.
    let invited = bruno
        .submit(
            "/communities/rh",
            "/communities/rh/invite",
            &[("handle", "alice (a)")],
        )
        .await;
    assert_eq!(invited.status, 303, "{}", invited.body);
    // Bruno lands on the form he used, told what happened.
    let landed = invited.location.clone().unwrap_or_default();
    assert_eq!(landed, "/communities/rh?fait=invitation#invite-title");
    let told = bruno.get(&landed).await;
    assert!(told.body.contains("Invitation envoyée."), "{}", told.body);
    // Only known confirmations are shown: a crafted link says nothing.
    let crafted = bruno.get("/communities/rh?fait=%3Cb%3Epirate").await;
    assert_eq!(crafted.status, 200);
    assert!(!crafted.body.contains("Invitation envoyée.") && !crafted.body.contains("pirate"));
    TestNode::drain_all(&[a, b]).await;
    let mut alice = crate::support::browser::Browser::new(&a.base);
    alice.login("alice", crate::support::PASSWORD).await;
    let page = alice.get(&format!("/communities/rh@{}", b.authority)).await;
    assert!(page.body.contains("invit"), "{}", page.body);

    let nobody = bruno
        .submit(
            "/communities/rh",
            "/communities/rh/invite",
            &[("handle", "Hugo Bernard")],
        )
        .await;
    assert_eq!(nobody.status, 422);
    assert!(nobody.body.contains("Personne ne correspond"));
}

#[tokio::test]
async fn an_action_item_is_given_to_a_member_by_name() {
    let nodes = TestNode::spawn_many(2).await;
    let (a, b) = (&nodes[0], &nodes[1]);
    TestNode::federate(&[a, b]).await;
    let mut chloe = b.logged_in("chloe", false).await;
    community(&mut chloe, "accueil", "Accueil", "open").await;
    let mut alice = a.logged_in("alice", false).await;
    let page = format!("/communities/accueil@{}", b.authority);
    alice.get("/communities?q=accueil").await;
    alice.submit(&page, &format!("{page}/join"), &[]).await;
    TestNode::drain_all(&[a, b]).await;

    let given = chloe
        .submit(
            "/communities/accueil/plan",
            "/communities/accueil/plan",
            &[
                ("title", "Affiche d'accueil"),
                ("description", ""),
                ("owner", "Alice (a)"),
                ("due_on", ""),
            ],
        )
        .await;
    assert_eq!(given.status, 303, "{}", given.body);
    let plan = chloe.get("/communities/accueil/plan").await;
    assert!(plan.body.contains("alice (a)"), "{}", plan.body);

    // Someone who is not a member is refused next to the field, what was typed kept.
    let outsider = chloe
        .submit(
            "/communities/accueil/plan",
            "/communities/accueil/plan",
            &[("title", "Autre"), ("owner", "Hugo Bernard")],
        )
        .await;
    assert_eq!(outsider.status, 422);
    assert!(outsider.body.contains("owner-error") && outsider.body.contains("Hugo Bernard"));
}

#[tokio::test]
async fn a_click_on_a_colleagues_name_of_another_institution_stays_on_ones_node() {
    let nodes = TestNode::spawn_many(2).await;
    let (a, b) = (&nodes[0], &nodes[1]);
    TestNode::federate(&[a, b]).await;
    let mut chloe = b.logged_in("chloe", false).await;
    community(&mut chloe, "accueil", "Accueil", "open").await;
    let mut alice = a.logged_in("alice", false).await;
    let page = format!("/communities/accueil@{}", b.authority);
    alice.get("/communities?q=accueil").await;
    alice.submit(&page, &format!("{page}/join"), &[]).await;
    TestNode::drain_all(&[a, b]).await;
    let posted = alice
        .submit(
            &page,
            &format!("{page}/threads"),
            &[
                ("title", "Bonjour"),
                ("body", &format!("Merci @chloe@{} !", b.authority)),
            ],
        )
        .await;
    assert_eq!(posted.status, 303, "{}", posted.body);
    TestNode::drain_all(&[a, b]).await;

    let cpage = chloe.get("/communities/accueil").await;
    let at = cpage.body.find("/discussions/").expect("a thread link");
    let id: String = cpage.body[at + 13..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    let thread = chloe.get(&format!("/discussions/{id}")).await;
    let alice_page = format!("/profiles/alice@{}", a.authority);
    assert!(
        thread.body.contains(&format!("href=\"{alice_page}\"")),
        "{}",
        thread.body
    );
    assert!(!visible_text_outside_addresses(&thread.body).contains("127.0.0.1:"));
    let profile = chloe.get(&alice_page).await;
    assert_eq!(profile.status, 200, "{}", profile.body);
    assert!(profile.body.contains("alice (a)"));
    assert!(profile.body.contains(&format!("@alice@{}", a.authority)));

    // On alice's node, her mention of chloe leads to a's page about chloe.
    let mine = alice.get(posted.location.as_deref().expect("thread")).await;
    assert!(
        mine.body
            .contains(&format!("href=\"/profiles/chloe@{}\"", b.authority)),
        "{}",
        mine.body
    );
    assert_eq!(
        chloe
            .get(&format!("/profiles/nobody@{}", a.authority))
            .await
            .status,
        404
    );
}
