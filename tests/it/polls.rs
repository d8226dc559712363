//! Polls across three nodes: a date poll opened on the host is a `Question` on members'
//! nodes, answered from all three (votes as `Note`s to the host, totals announced back), and
//! its leading date becomes a session in one click; bad votes (non-member, unknown option,
//! twice in a single-choice poll, after closing, forged `Note`) are refused with nothing
//! written, on the web and in the inbox.

use std::time::SystemTime;

use serde_json::{Value, json};

use entrepairs::db::{CommunityRow, now_ms};
use entrepairs::domain::polls::{self, PollSpec, Results};
use entrepairs::domain::{accounts, communities, memberships};

use crate::communities::community_on;
use crate::support::TestNode;
use crate::support::signing::Signed;

const QUESTION: &str = "Quelle date pour la séance de mars ?";

async fn local_id(node: &TestNode, ap_id: &str) -> i64 {
    node.state
        .store
        .post_by_ap_id(ap_id)
        .await
        .expect("db")
        .expect("the poll reached this node")
        .id
}

async fn totals(node: &TestNode, ap_id: &str) -> (Vec<i64>, i64) {
    let id = local_id(node, ap_id).await;
    let options = node.state.store.poll_options(id).await.expect("db");
    let poll = node.state.store.poll(id).await.expect("db").expect("poll");
    (options.iter().map(|o| o.total).collect(), poll.voters_count)
}

async fn votes_on(node: &TestNode, ap_id: &str) -> usize {
    let id = local_id(node, ap_id).await;
    node.state.store.poll_votes(id).await.expect("db").len()
}

/// A vote `Note` activity by `voter` (an actor id), signed by `signer` of `from`.
// Each argument is a field of the forged or honest activity the tests vary.
#[allow(clippy::too_many_arguments)]
async fn inbox_vote(
    from: &TestNode,
    signer: &str,
    host: &TestNode,
    cb: &CommunityRow,
    verb: &str,
    vote: &str,
    voter: &str,
    poll: &str,
    option: &str,
) -> u16 {
    let doc = json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "type": verb, "id": from.url(&format!("/activities/{}", uuid::Uuid::now_v7())),
        "actor": from.actor(signer).await.ap_id, "to": [cb.ap_id],
        "object": {
            "type": "Note", "id": vote, "attributedTo": voter, "name": option,
            "inReplyTo": poll, "to": [cb.ap_id],
        },
    });
    let body = serde_json::to_vec(&doc).expect("json");
    Signed::post(
        from,
        signer,
        &host.url("/c/accueil/inbox"),
        &body,
        SystemTime::now(),
    )
    .await
    .status()
    .await
}

#[tokio::test]
async fn a_date_poll_answered_from_three_nodes_becomes_a_session_and_bad_votes_are_refused() {
    let nodes = TestNode::spawn_many(3).await;
    let (a, b, c) = (&nodes[0], &nodes[1], &nodes[2]);
    TestNode::federate(&[a, b, c]).await;
    let mut alice_web = a.logged_in("alice", false).await;
    let mut bruno_web = b.logged_in("bruno", false).await;
    let mut chloe_web = c.logged_in("chloe", false).await;
    let mut dora_web = c.logged_in("dora", false).await;
    let bruno = accounts::by_username(&b.state, "bruno")
        .await
        .expect("bruno");
    community_on(b, &bruno, "accueil", "open").await;
    let handle = format!("accueil@{}", b.authority);
    for (node, name) in [(a, "alice"), (c, "chloe")] {
        let who = accounts::by_username(&node.state, name)
            .await
            .expect("agent");
        let cached = communities::resolve(&node.state, &handle)
            .await
            .expect("group");
        memberships::join(&node.state, &who, &cached, "")
            .await
            .expect("join");
    }
    TestNode::drain_all(&[a, b, c]).await;
    let cb = communities::resolve(&b.state, "accueil")
        .await
        .expect("local");

    // bruno, animateur on the host, opens a date poll from the web form.
    let page = bruno_web
        .submit(
            "/communities/accueil/sondages",
            "/communities/accueil/sondages",
            &[
                ("title", QUESTION),
                ("body", "Cochez les dates qui vous conviennent."),
                ("options", ""),
                ("date_0", "2027-03-12T14:00"),
                ("date_1", "2027-03-19T14:00"),
                ("date_2", "2027-03-26T09:30"),
                ("results", "always"),
                ("end_time", "2099-01-01T12:00"),
            ],
        )
        .await;
    assert_eq!(page.status, 303, "{}", page.body);
    let threads = b.state.store.threads(cb.id).await.expect("db");
    let poll_ap_id = threads
        .iter()
        .find(|p| p.title == QUESTION)
        .expect("stored on the host")
        .ap_id
        .clone();
    TestNode::drain_all(&[a, b, c]).await;

    // Members' nodes hold it; the host serves it as a Question.
    let doc: Value = Signed::get(a, &poll_ap_id)
        .await
        .send()
        .await
        .json()
        .await
        .expect("question");
    assert_eq!(doc["type"], "Question");
    assert_eq!(doc["anyOf"].as_array().expect("options").len(), 3);
    assert_eq!(doc["anyOf"][1]["name"], "2027-03-19T14:00");
    assert!(
        doc["endTime"]
            .as_str()
            .is_some_and(|t| t.starts_with("2099-01-01"))
    );
    let on_c = local_id(c, &poll_ap_id).await;
    let view = chloe_web.get(&format!("/sondages/{on_c}")).await;
    assert_eq!(view.status, 200);
    assert!(view.body.contains(QUESTION) && view.body.contains("19/03/2027 à 14:00"));

    // Answered from the three nodes: alice (A) and chloe (C) on the web, bruno on the host.
    let on_a = local_id(a, &poll_ap_id).await;
    let sent = alice_web
        .submit(
            &format!("/sondages/{on_a}"),
            &format!("/sondages/{on_a}/vote"),
            &[("choice_0", "0"), ("choice_1", "1")],
        )
        .await;
    assert_eq!(sent.status, 303, "{}", sent.body);
    let sent = chloe_web
        .submit(
            &format!("/sondages/{on_c}"),
            &format!("/sondages/{on_c}/vote"),
            &[("choice_1", "1")],
        )
        .await;
    assert_eq!(sent.status, 303, "{}", sent.body);
    let on_b = local_id(b, &poll_ap_id).await;
    let sent = bruno_web
        .submit(
            &format!("/sondages/{on_b}"),
            &format!("/sondages/{on_b}/vote"),
            &[("choice_1", "1"), ("choice_2", "2")],
        )
        .await;
    assert_eq!(sent.status, 303, "{}", sent.body);
    TestNode::drain_all(&[a, b, c]).await;
    assert_eq!(totals(b, &poll_ap_id).await, (vec![1, 3, 1], 3), "counted");
    assert_eq!(
        totals(a, &poll_ap_id).await,
        (vec![1, 3, 1], 3),
        "announced"
    );
    assert_eq!(
        totals(c, &poll_ap_id).await,
        (vec![1, 3, 1], 3),
        "announced"
    );

    // chloe changes her vote (adds the 26th): one vote moves, nothing is counted twice.
    let sent = chloe_web
        .submit(
            &format!("/sondages/{on_c}"),
            &format!("/sondages/{on_c}/vote"),
            &[("choice_1", "1"), ("choice_2", "2")],
        )
        .await;
    assert_eq!(sent.status, 303);
    // alice withdraws the 12th.
    let sent = alice_web
        .submit(
            &format!("/sondages/{on_a}"),
            &format!("/sondages/{on_a}/vote"),
            &[("choice_1", "1")],
        )
        .await;
    assert_eq!(sent.status, 303);
    TestNode::drain_all(&[a, b, c]).await;
    assert_eq!(totals(b, &poll_ap_id).await, (vec![0, 3, 2], 3));
    let seen = chloe_web.get(&format!("/sondages/{on_c}")).await;
    assert!(seen.body.contains("3 votants"), "{}", seen.body);

    // Bad input on the web: a non-member, an option that does not exist; nothing written.
    let before = votes_on(b, &poll_ap_id).await;
    let refused = dora_web
        .submit(
            &format!("/communities/{handle}"),
            &format!("/sondages/{on_c}/vote"),
            &[("choice_0", "0")],
        )
        .await;
    assert_eq!(refused.status, 403);
    let refused = alice_web
        .submit(
            &format!("/sondages/{on_a}"),
            &format!("/sondages/{on_a}/vote"),
            &[("choice_0", "99")],
        )
        .await;
    assert_eq!(refused.status, 422);
    assert!(
        refused
            .body
            .contains("Choisissez au moins une des réponses proposées")
    );
    assert_eq!(
        votes_on(a, &poll_ap_id).await,
        1,
        "alice's ballot unchanged"
    );

    // Bad input in the inbox: an unknown option, a Note attributed to another node's agent.
    let alice = a.actor("alice").await.ap_id;
    let chloe = c.actor("chloe").await.ap_id;
    let status = inbox_vote(
        a,
        "alice",
        b,
        &cb,
        "Create",
        &format!("{alice}/votes/x1"),
        &alice,
        &poll_ap_id,
        "2027-04-01",
    )
    .await;
    assert!((400..500).contains(&status), "unknown option: {status}");
    let status = inbox_vote(
        a,
        "alice",
        b,
        &cb,
        "Create",
        &format!("{alice}/votes/x2"),
        &chloe,
        &poll_ap_id,
        "2027-03-12T14:00",
    )
    .await;
    assert!((400..500).contains(&status), "forged Note: {status}");
    TestNode::drain_all(&[a, b, c]).await;
    assert_eq!(votes_on(b, &poll_ap_id).await, before, "nothing written");
    assert_eq!(totals(b, &poll_ap_id).await, (vec![0, 3, 2], 3));

    // The leading date becomes a session in one click, seen from a member's node.
    let made = bruno_web
        .submit(
            &format!("/sondages/{on_b}"),
            &format!("/sondages/{on_b}/session"),
            &[("address", "Mairie de Castelsarrasin, salle du conseil")],
        )
        .await;
    assert_eq!(made.status, 303, "{}", made.body);
    assert!(
        made.location
            .as_deref()
            .is_some_and(|l| l.starts_with("/sessions/"))
    );
    TestNode::drain_all(&[a, b, c]).await;
    let sessions = alice_web
        .get(&format!("/communities/{handle}/sessions"))
        .await;
    assert!(sessions.body.contains(QUESTION), "{}", sessions.body);
    assert!(sessions.body.contains("19 mars 2027"), "{}", sessions.body);
    // A member who is not an animateur has no such button, and is refused.
    let refused = chloe_web
        .submit(
            &format!("/sondages/{on_c}"),
            &format!("/sondages/{on_c}/session"),
            &[],
        )
        .await;
    assert_eq!(refused.status, 403);
}

#[tokio::test]
async fn a_single_choice_poll_refuses_a_second_vote_and_any_vote_after_closing() {
    let nodes = TestNode::spawn_many(2).await;
    let (a, b) = (&nodes[0], &nodes[1]);
    TestNode::federate(&[a, b]).await;
    let alice = a.create_user("alice", false).await;
    let bruno = b.create_user("bruno", false).await;
    community_on(b, &bruno, "accueil", "open").await;
    let handle = format!("accueil@{}", b.authority);
    let cached = communities::resolve(&a.state, &handle)
        .await
        .expect("group");
    memberships::join(&a.state, &alice, &cached, "")
        .await
        .expect("join");
    TestNode::drain_all(&[a, b]).await;
    let cb = communities::resolve(&b.state, "accueil")
        .await
        .expect("local");
    let spec = |end_time| PollSpec {
        multiple: false,
        anonymous: true,
        results: Results::AfterVote,
        dates: false,
        end_time,
        options: vec!["Oui".into(), "Non".into()],
    };
    let open = polls::create(
        &b.state,
        &bruno,
        &cb,
        "Atelier en visio ?",
        "",
        spec(now_ms() + 3_600_000),
    )
    .await
    .expect("poll");
    let soon = polls::create(
        &b.state,
        &bruno,
        &cb,
        "Pot de fin d'année ?",
        "",
        spec(now_ms() + 1_500),
    )
    .await
    .expect("poll");
    TestNode::drain_all(&[a, b]).await;

    // A vote through the API-less path of a peer: Create{Note}, then a second one refused.
    let me = a.actor("alice").await.ap_id;
    let ok = inbox_vote(
        a,
        "alice",
        b,
        &cb,
        "Create",
        &format!("{me}/votes/v1"),
        &me,
        &open.ap_id,
        "Oui",
    )
    .await;
    assert_eq!(ok, 202);
    let twice = inbox_vote(
        a,
        "alice",
        b,
        &cb,
        "Create",
        &format!("{me}/votes/v2"),
        &me,
        &open.ap_id,
        "Non",
    )
    .await;
    assert!((400..500).contains(&twice), "twice: {twice}");
    assert_eq!(votes_on(b, &open.ap_id).await, 1);
    // Changing it (Update of the same vote) is allowed until closing.
    let moved = inbox_vote(
        a,
        "alice",
        b,
        &cb,
        "Update",
        &format!("{me}/votes/v1"),
        &me,
        &open.ap_id,
        "Non",
    )
    .await;
    assert_eq!(moved, 202);
    let held = b.state.store.poll_votes(open.id).await.expect("db");
    assert_eq!(held[0].option_name, "Non");
    // The domain refuses two choices in a single-choice poll, nothing written.
    let post = b
        .state
        .store
        .post_by_id(open.id)
        .await
        .expect("db")
        .expect("post");
    let two = polls::vote(&b.state, &bruno, &post, &["Oui".into(), "Non".into()]).await;
    assert!(two.is_err());
    assert_eq!(votes_on(b, &open.ap_id).await, 1);

    // After closing: refused in the inbox and on the member's node.
    tokio::time::sleep(std::time::Duration::from_millis(1_600)).await;
    let late = inbox_vote(
        a,
        "alice",
        b,
        &cb,
        "Create",
        &format!("{me}/votes/v3"),
        &me,
        &soon.ap_id,
        "Oui",
    )
    .await;
    assert!((400..500).contains(&late), "after closing: {late}");
    let on_a = a
        .state
        .store
        .post_by_ap_id(&soon.ap_id)
        .await
        .expect("db")
        .expect("poll on A");
    let refused = polls::vote(&a.state, &alice, &on_a, &["Oui".into()]).await;
    assert!(matches!(
        refused,
        Err(entrepairs::domain::DomainError::Conflict(_))
    ));
    assert_eq!(votes_on(b, &soon.ap_id).await, 0);
    assert_eq!(votes_on(a, &soon.ap_id).await, 0);
}
