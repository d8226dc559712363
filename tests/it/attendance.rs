//! Attendance across three nodes: the animateur of `accueil` (on B) marks who came, a present
//! agent of node A downloads their attestation from A and finds the session in « Mes
//! formations inter-institutions », an absent agent of node C is refused one; a
//! non-animateur and a list naming a stranger are refused with nothing written.

use entrepairs::db::EventRow;
use entrepairs::domain::events::{self, EventInput};
use entrepairs::domain::{communities, participation};

use crate::communities::{community_on, join};
use crate::support::browser::Browser;
use crate::support::{PASSWORD, TestNode};

fn input(start: &str, end: &str) -> EventInput {
    EventInput {
        title: "Atelier kit de survie".into(),
        kind: "atelier".into(),
        start: start.into(),
        end: end.into(),
        address: "Mairie de Castelsarrasin, salle du conseil".into(),
        ..Default::default()
    }
}

async fn on(n: &TestNode, ap_id: &str) -> EventRow {
    n.state
        .store
        .event_by_ap_id(ap_id)
        .await
        .expect("db")
        .expect("session known on this node")
}

/// (actor, marked present) on node `n`, in registration order.
async fn marks(n: &TestNode, ap_id: &str) -> Vec<(String, bool)> {
    let e = on(n, ap_id).await;
    n.state
        .store
        .participants(e.id)
        .await
        .expect("db")
        .into_iter()
        .map(|p| (p.actor_ap_id, p.attended_at.is_some()))
        .collect()
}

#[tokio::test]
async fn attendance_marked_on_the_host_gives_a_present_agent_of_another_node_an_attestation_and_refuses_an_absent_one()
 {
    let nodes = TestNode::spawn_many(3).await;
    let (a, b, c) = (&nodes[0], &nodes[1], &nodes[2]);
    TestNode::federate(&[a, b, c]).await;
    let alice = a.create_user("alice", false).await;
    let bruno = b.create_user("bruno", false).await;
    let chloe = c.create_user("chloe", false).await;
    let emma = b.create_user("emma", false).await;
    community_on(b, &bruno, "accueil", "open").await;
    let handle = format!("accueil@{}", b.authority);
    join(a, &alice, &handle).await;
    join(c, &chloe, &handle).await;
    let cb = communities::resolve(&b.state, "accueil")
        .await
        .expect("local");
    join(b, &emma, "accueil").await;
    TestNode::drain_all(&[a, b, c]).await;

    // A session next year; alice and chloe register from their own nodes.
    let e = events::create(
        &b.state,
        &bruno,
        &cb,
        &input("2027-03-02T09:30", "2027-03-02T12:00"),
    )
    .await
    .expect("bruno schedules")
    .remove(0);
    TestNode::drain_all(&[a, b, c]).await;
    participation::join(&a.state, &alice, on(a, &e.ap_id).await.id)
        .await
        .expect("alice registers");
    participation::join(&c.state, &chloe, on(c, &e.ap_id).await.id)
        .await
        .expect("chloe registers");
    TestNode::drain_all(&[a, b, c]).await;

    // Before the session: the sign-in sheet lists both with their institution; attendance
    // cannot be saved yet.
    let mut web_b = Browser::new(&b.base);
    web_b.login("bruno", PASSWORD).await;
    let sheet = web_b
        .get(&format!("/sessions/{}/sign-in-sheet", e.id))
        .await;
    assert_eq!(sheet.status, 200);
    assert!(sheet.body.contains("alice (a)"), "{}", sheet.body);
    assert!(sheet.body.contains(&a.state.config.institution_name));
    assert!(sheet.body.contains("@media print"));
    let path = format!("/sessions/{}/attendance", e.id);
    let res = web_b
        .submit(&path, &path, &[("present", alice.actor.as_str())])
        .await;
    assert_eq!(res.status, 409, "{}", res.body);
    assert!(marks(b, &e.ap_id).await.iter().all(|(_, m)| !m));

    // The session took place yesterday (bruno moves it).
    let yesterday = jiff::Zoned::now().date().yesterday().expect("date");
    events::update(
        &b.state,
        &bruno,
        e.id,
        &input(&format!("{yesterday}T09:30"), &format!("{yesterday}T12:00")),
    )
    .await
    .expect("moved to yesterday");
    TestNode::drain_all(&[a, b, c]).await;

    // A member who is not an animateur cannot mark attendance, nor see the sheet.
    let mut web_emma = Browser::new(&b.base);
    web_emma.login("emma", PASSWORD).await;
    assert_eq!(web_emma.get(&path).await.status, 403);
    let session_page = format!("/sessions/{}", e.id);
    let res = web_emma
        .submit(&session_page, &path, &[("present", emma.actor.as_str())])
        .await;
    assert_eq!(res.status, 403);
    assert_eq!(
        web_emma
            .get(&format!("/sessions/{}/sign-in-sheet", e.id))
            .await
            .status,
        403
    );
    // A member's node cannot either: the page is the host's.
    let mut web_a = Browser::new(&a.base);
    web_a.login("alice", PASSWORD).await;
    let ea = on(a, &e.ap_id).await;
    assert_eq!(
        web_a
            .get(&format!("/sessions/{}/attendance", ea.id))
            .await
            .status,
        403
    );
    // A list naming someone who is neither registered nor a member: refused, nothing written.
    let res = web_b
        .submit(
            &path,
            &path,
            &[
                ("present", alice.actor.as_str()),
                ("present", "https://ailleurs.example/users/zoe"),
            ],
        )
        .await;
    assert_eq!(res.status, 422);
    assert!(
        res.body.contains("rien n&#39;a été enregistré"),
        "{}",
        res.body
    );
    assert!(marks(b, &e.ap_id).await.iter().all(|(_, m)| !m));

    // bruno marks alice (registered, node A) and emma (a walk-in on B); chloe did not come.
    let res = web_b
        .submit(
            &path,
            &path,
            &[
                ("present", alice.actor.as_str()),
                ("present", emma.actor.as_str()),
            ],
        )
        .await;
    assert_eq!(res.status, 303, "{}", res.body);
    TestNode::drain_all(&[a, b, c]).await;
    let expected = vec![
        (alice.actor.clone(), true),
        (chloe.actor.clone(), false),
        (emma.actor.clone(), true),
    ];
    assert_eq!(marks(b, &e.ap_id).await, expected, "the host's record");
    assert_eq!(
        marks(a, &e.ap_id).await,
        expected,
        "A learnt it from the group"
    );
    assert_eq!(marks(c, &e.ap_id).await, expected, "and C too");

    // The printable list and the CSV carry each participant's institution and attendance.
    let list = web_b.get(&format!("/sessions/{}/participants", e.id)).await;
    assert!(list.body.contains(&c.state.config.institution_name));
    let csv = client_csv(&mut web_b, &format!("/sessions/{}/participants.csv", e.id)).await;
    assert!(csv.starts_with('\u{feff}'), "BOM for French Excel");
    let lines: Vec<&str> = csv.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(lines[0], "Nom;Institution;Inscription;Présent");
    assert!(
        lines.iter().any(|l| l.starts_with("alice (a);")
            && l.contains(&a.state.config.institution_name)
            && l.ends_with(";oui")),
        "{lines:?}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("chloe (c);") && l.ends_with(";non"))
    );

    // alice downloads her attestation from her own node, and finds the session listed.
    let page = web_a.get(&format!("/sessions/{}", ea.id)).await;
    assert!(page.body.contains("Mon attestation de participation"));
    let att = web_a.get(&format!("/sessions/{}/attestation", ea.id)).await;
    assert_eq!(att.status, 200, "{}", att.body);
    for fact in [
        "Attestation de participation",
        "alice (a)",
        "Communauté accueil",
        "2 h 30",
        b.state.config.institution_name.as_str(),
        a.state.config.institution_name.as_str(),
        &french_date(yesterday),
    ] {
        assert!(att.body.contains(fact), "{fact} missing: {}", att.body);
    }
    let mine = web_a.get("/my/trainings").await;
    assert!(mine.body.contains("Atelier kit de survie"), "{}", mine.body);
    assert!(
        mine.body
            .contains(&format!("/sessions/{}/attestation", ea.id))
    );

    // chloe registered but did not come: a clear refusal on her node, nothing listed.
    let mut web_c = Browser::new(&c.base);
    web_c.login("chloe", PASSWORD).await;
    let ec = on(c, &e.ap_id).await;
    let refused = web_c.get(&format!("/sessions/{}/attestation", ec.id)).await;
    assert_eq!(refused.status, 403);
    assert!(
        refused.body.contains("pas été marqué présent"),
        "{}",
        refused.body
    );
    let mine = web_c.get("/my/trainings").await;
    assert!(!mine.body.contains("Atelier kit de survie"));

    // Correcting the list (chloe came after all) reaches C, and her attestation follows.
    let res = web_b
        .submit(
            &path,
            &path,
            &[
                ("present", alice.actor.as_str()),
                ("present", chloe.actor.as_str()),
                ("present", emma.actor.as_str()),
            ],
        )
        .await;
    assert_eq!(res.status, 303);
    TestNode::drain_all(&[a, b, c]).await;
    let att = web_c.get(&format!("/sessions/{}/attestation", ec.id)).await;
    assert_eq!(att.status, 200);
}

async fn client_csv(web: &mut Browser, path: &str) -> String {
    let page = web.get(path).await;
    assert_eq!(page.status, 200);
    page.body
}

#[tokio::test]
async fn a_report_is_published_as_a_resource_with_two_action_items_seen_from_a_member_node_and_a_bad_date_writes_nothing()
 {
    let nodes = TestNode::spawn_many(3).await;
    let (a, b, c) = (&nodes[0], &nodes[1], &nodes[2]);
    TestNode::federate(&[a, b, c]).await;
    let alice = a.create_user("alice", false).await;
    let bruno = b.create_user("bruno", false).await;
    community_on(b, &bruno, "accueil", "open").await;
    join(a, &alice, &format!("accueil@{}", b.authority)).await;
    TestNode::drain_all(&[a, b, c]).await;
    let cb = communities::resolve(&b.state, "accueil")
        .await
        .expect("local");
    let yesterday = jiff::Zoned::now().date().yesterday().expect("date");
    let e = events::create(
        &b.state,
        &bruno,
        &cb,
        &input(&format!("{yesterday}T14:00"), &format!("{yesterday}T16:30")),
    )
    .await
    .expect("a past session")
    .remove(0);
    entrepairs::domain::attendance::mark(
        &b.state,
        &bruno,
        e.id,
        std::slice::from_ref(&alice.actor),
    )
    .await
    .expect("alice came (a walk-in member of node A)");
    TestNode::drain_all(&[a, b, c]).await;
    let slug = format!("compte-rendu-seance-{}", e.id);

    // A member of another node cannot write the report.
    let mut web_a = Browser::new(&a.base);
    web_a.login("alice", PASSWORD).await;
    let ea = on(a, &e.ap_id).await;
    assert_eq!(
        web_a
            .get(&format!("/sessions/{}/report", ea.id))
            .await
            .status,
        403
    );

    // A bad date (31 February) refuses the whole report: no resource, no item.
    let mut web_b = Browser::new(&b.base);
    web_b.login("bruno", PASSWORD).await;
    let path = format!("/sessions/{}/report", e.id);
    let page = web_b.get(&path).await;
    assert!(
        page.body.contains("alice (a)"),
        "présents from the attendance"
    );
    let fields = [
        ("points", "- Accueil des usagers en situation de handicap"),
        ("decisions", "Un kit commun aux trois institutions."),
        (
            "actions",
            "Rédiger le kit de survie ; bruno ; 31/01/2027\nPrésenter le plan à la DRH ; ; 31/02/2027",
        ),
    ];
    let res = web_b.submit(&path, &path, &fields).await;
    assert_eq!(res.status, 422, "{}", res.body);
    assert!(res.body.contains("Rien n&#39;a été publié"), "{}", res.body);
    assert!(
        res.body.contains("31/02/2027"),
        "the form keeps what was typed"
    );
    assert!(
        b.state
            .store
            .resource_by_slug(cb.id, &slug)
            .await
            .expect("db")
            .is_none()
    );
    assert!(
        b.state
            .store
            .action_items(cb.id)
            .await
            .expect("db")
            .is_empty()
    );
    // An owner who is not a member: refused too, nothing written.
    let stranger = [
        fields[0],
        fields[1],
        ("actions", "Rédiger le kit ; personne-inconnue ; 31/01/2027"),
    ];
    let res = web_b.submit(&path, &path, &stranger).await;
    assert_eq!(res.status, 422, "{}", res.body);
    assert!(
        b.state
            .store
            .action_items(cb.id)
            .await
            .expect("db")
            .is_empty()
    );

    // Published: a resource from the template and two items linked to the session.
    let good = [
        fields[0],
        fields[1],
        (
            "actions",
            "Rédiger le kit de survie ; bruno ; 31/01/2027\nPrésenter le plan à la DRH ; ; 2027-02-15",
        ),
    ];
    let res = web_b.submit(&path, &path, &good).await;
    assert_eq!(res.status, 303, "{}", res.body);
    let r = b
        .state
        .store
        .resource_by_slug(cb.id, &slug)
        .await
        .expect("db")
        .expect("the report is a resource");
    for part in [
        "## Présents",
        "alice (a)",
        "## Points abordés",
        "## Décisions",
        "## Actions",
    ] {
        assert!(r.source.contains(part), "{part}: {}", r.source);
    }
    let items = b.state.store.action_items(cb.id).await.expect("db");
    assert_eq!(items.len(), 2);
    // Each item links back to the session by a link that names no node.
    let link = entrepairs::domain::events::link_by_ap_id(&e.ap_id);
    assert!(items.iter().all(|i| i.source.contains(&link)), "{items:?}");
    let due: Vec<&str> = items.iter().map(|i| i.due_on.as_str()).collect();
    assert!(
        due.contains(&"2027-01-31") && due.contains(&"2027-02-15"),
        "{due:?}"
    );
    TestNode::drain_all(&[a, b, c]).await;

    // Node A, a member's node, sees the report and the two items.
    let ca = communities::resolve(&a.state, &format!("accueil@{}", b.authority))
        .await
        .expect("cached");
    let ra = a
        .state
        .store
        .resource_by_slug(ca.id, &slug)
        .await
        .expect("db")
        .expect("A has the report");
    assert!(ra.source.contains("## Points abordés"));
    let items_a = a.state.store.action_items(ca.id).await.expect("db");
    assert_eq!(items_a.len(), 2, "A sees both items");
    // On A, the link opens A's own page of the session.
    let opened = web_a.get(&link).await;
    assert_eq!(opened.status, 303);
    assert_eq!(
        opened.location.as_deref(),
        Some(format!("/sessions/{}", ea.id).as_str())
    );
    // A session nobody knows is a French 404, not an error.
    let unknown = web_a
        .get("/session-link?id=https%3A%2F%2Fnulle.part%2Fevents%2F1")
        .await;
    assert_eq!(unknown.status, 404);

    // Publishing again makes a new revision of the same resource.
    let again = [
        fields[0],
        ("decisions", "Un kit commun, relu par la DRH."),
        ("actions", ""),
    ];
    let res = web_b.submit(&path, &path, &again).await;
    assert_eq!(res.status, 303, "{}", res.body);
    let r2 = b
        .state
        .store
        .resource_by_slug(cb.id, &slug)
        .await
        .expect("db")
        .expect("report");
    assert_eq!(r2.revision, r.revision + 1);
    assert_eq!(
        b.state.store.action_items(cb.id).await.expect("db").len(),
        2
    );
}

#[tokio::test]
async fn the_demo_has_a_past_session_with_attestations_for_two_agents_on_two_nodes_and_its_report()
{
    use entrepairs::demo::{INSTITUTIONS, communities as demo_communities, seed};
    let nodes = TestNode::spawn_many(3).await;
    for (node, inst) in nodes.iter().zip(INSTITUTIONS.iter()) {
        seed::accounts(&node.state, inst).await.expect("accounts");
    }
    TestNode::federate(&[&nodes[0], &nodes[1], &nodes[2]]).await;
    let states = [&nodes[0].state, &nodes[1].state, &nodes[2].state];
    demo_communities::seed(states).await.expect("communities");
    entrepairs::demo::attendance::seed(states)
        .await
        .expect("attendance");
    entrepairs::demo::attendance::seed(states)
        .await
        .expect("a second run changes nothing");
    let (pref, chu) = (&nodes[0], &nodes[2]);
    for (node, name) in [(pref, "alice"), (chu, "chloe")] {
        let account = entrepairs::domain::accounts::by_username(&node.state, name)
            .await
            .expect("demo agent");
        let attended = entrepairs::domain::attendance::attended(&node.state, &account)
            .await
            .expect("attended");
        assert_eq!(attended.len(), 1, "{name} has one attended session");
        entrepairs::domain::attendance::attestation(&node.state, &account, attended[0].event.id)
            .await
            .expect("and its attestation");
    }
    let mairie = &nodes[1].state;
    let accueil = mairie
        .store
        .local_community("accueil")
        .await
        .expect("db")
        .expect("accueil");
    assert_eq!(
        mairie
            .store
            .action_items(accueil.id)
            .await
            .expect("db")
            .len(),
        2,
        "the report proposed two actions"
    );
}

/// « 3 décembre 2026 », as the pages write a date.
fn french_date(d: jiff::civil::Date) -> String {
    const MONTHS: [&str; 12] = [
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ];
    let month = usize::try_from(d.month() - 1).expect("month");
    format!("{} {} {}", d.day(), MONTHS[month], d.year())
}
