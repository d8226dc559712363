//! Every web error an agent can reach says, in French and in the page's layout, what
//! happened and what to do: no English or protocol words, no authority outside an
//! « Adresse » field, no "(s)".

use crate::pickers::visible_text_outside_addresses;
use crate::support::{TestNode, browser::Page};

/// Words of the protocol or of English error texts that an agent must never read.
const FORBIDDEN_WORDS: [&str; 14] = [
    "malformed",
    "not found",
    "forbidden",
    "Forbidden",
    "activity",
    "internal error",
    "approved peer",
    "webfinger",
    "CSRF",
    "unreachable",
    "user@authority",
    "neither a URL",
    "not allowed",
    "Error",
];

fn check(what: &str, page: &Page, status: u16) {
    assert_eq!(page.status, status, "{what}: {}", page.body);
    let text = visible_text_outside_addresses(&page.body);
    for word in FORBIDDEN_WORDS {
        assert!(!text.contains(word), "{what}: {word:?} in {text}");
    }
    assert!(
        !text.contains("127.0.0.1:"),
        "{what}: an authority in {text}"
    );
    assert!(!text.contains("(s)"), "{what}: a \"(s)\" in {text}");
    assert!(
        page.body.contains("class=\"main-nav\""),
        "{what}: the page keeps its header and menu: {}",
        page.body
    );
}

#[tokio::test]
async fn the_web_errors_an_agent_meets_are_french_sentences_in_the_layout() {
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
    let mut alice = a.logged_in("alice", false).await;
    let mut chloe = b.logged_in("chloe", false).await;

    // A bad community address, an unknown community, a name that is nobody's address.
    let bad = alice.get("/communities?q=accueil@nulle-part.invalid").await;
    check("bad community address", &bad, 404);
    let bad = alice.get("/communities?q=Hugo+Bernard").await;
    check("a name that matches nothing", &bad, 200);
    let unknown = alice.get("/communities/inconnue").await;
    check("unknown community", &unknown, 404);
    let unknown = alice
        .get(&format!("/communities/inconnue@{}", b.authority))
        .await;
    check("unknown community of a partner", &unknown, 404);
    // A community of an institution that is not connected to ours.
    let c = TestNode::spawn_named("c").await;
    let far = alice
        .get(&format!("/communities/accueil@{}", c.authority))
        .await;
    assert!(far.status >= 400);
    check("community of an unconnected institution", &far, far.status);
    assert!(far.body.contains("reliée à la vôtre"), "{}", far.body);

    // An unknown page.
    check("unknown page", &alice.get("/nulle/part").await, 404);
    check(
        "unknown thread",
        &alice.get("/discussions/999999").await,
        404,
    );

    // Forbidden actions: an agent on an admin page, a member acting as animateur.
    check("admin page", &chloe.get("/admin").await, 403);
    let acted = chloe
        .submit(
            "/communities/accueil",
            "/communities/accueil/members",
            &[("actor", &a.url("/users/alice")), ("action", "approve")],
        )
        .await;
    check("forbidden member action", &acted, 403);
    let members = chloe.get("/communities/accueil/members").await;
    check("members page of a non-member", &members, 403);

    // Bad form values: a missing field, a bad slug (next to its field, what was typed kept).
    let missing = bruno
        .submit("/communities/accueil", "/communities/accueil/members", &[])
        .await;
    check("incomplete form", &missing, 400);
    let slug = bruno
        .submit(
            "/communities",
            "/communities",
            &[
                ("slug", "Pas un slug !"),
                ("name", "X"),
                ("join_mode", "open"),
            ],
        )
        .await;
    check("bad slug", &slug, 422);
    assert!(slug.body.contains("value=\"Pas un slug !\""));
}
