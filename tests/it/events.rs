//! Sessions across three nodes: an agent of node A registers for a session hosted on node B,
//! the waiting list and its promotion, cancellation, what non-members and bad input get, and
//! the iCalendar feeds read back with an independent parser.

use std::time::SystemTime;

use serde_json::{Value, json};

use entrepairs::db::EventRow;
use entrepairs::domain::accounts::Account;
use entrepairs::domain::communities;
use entrepairs::domain::events::{self, EventInput};
use entrepairs::domain::{memberships, notifications};
use icalendar::{Calendar, CalendarComponent, Component};

use crate::communities::{community_on, join};
use crate::support::signing::Signed;
use crate::support::{TestNode, client};

fn input(title: &str, capacity: &str) -> EventInput {
    EventInput {
        title: title.into(),
        description: "Ordre du jour : **kit de survie**".into(),
        kind: "seance".into(),
        start: "2027-03-02T09:30".into(),
        end: "2027-03-02T12:00".into(),
        address: "Mairie de Castelsarrasin, salle du conseil".into(),
        capacity: capacity.into(),
        ..Default::default()
    }
}

/// The session as node `n` caches it.
async fn on(n: &TestNode, ap_id: &str) -> EventRow {
    n.state
        .store
        .event_by_ap_id(ap_id)
        .await
        .expect("db")
        .expect("session known on this node")
}

async fn states(n: &TestNode, ap_id: &str) -> Vec<(String, String)> {
    let e = on(n, ap_id).await;
    n.state
        .store
        .participants(e.id)
        .await
        .expect("db")
        .into_iter()
        .map(|p| (p.actor_ap_id, p.state))
        .collect()
}

async fn api(
    n: &TestNode,
    token: &str,
    method: &str,
    path: &str,
    body: Option<Value>,
) -> (u16, Value) {
    let req = match method {
        "GET" => client().get(n.url(path)),
        "PUT" => client().put(n.url(path)),
        _ => client().post(n.url(path)),
    };
    let req = req.bearer_auth(token);
    let req = match body {
        Some(b) => req.json(&b),
        None => req,
    };
    let res = req.send().await.expect("API request");
    let status = res.status().as_u16();
    let v = res.json().await.unwrap_or(Value::Null);
    (status, v)
}

fn has_kind(list: &[notifications::Notification], kind: &str) -> bool {
    list.iter().any(|n| n.kind == kind)
}

/// Three federated nodes; `accueil` on B (bruno animates), alice (A) and chloe (C) members.
async fn three_nodes() -> (Vec<TestNode>, Account, Account, Account) {
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
    (nodes, alice, bruno, chloe)
}

#[tokio::test]
async fn an_agent_of_node_a_registers_for_a_session_on_b_then_the_waiting_list_moves_and_cancellation_reaches_everyone()
 {
    let (nodes, alice, bruno, chloe) = three_nodes().await;
    let (a, b, c) = (&nodes[0], &nodes[1], &nodes[2]);
    let cb = communities::resolve(&b.state, "accueil")
        .await
        .expect("local");
    let created = events::create(&b.state, &bruno, &cb, &input("Séance de mars", "1"))
        .await
        .expect("bruno schedules a session");
    let ap_id = created[0].ap_id.clone();
    TestNode::drain_all(&[a, b, c]).await;

    // The group's Create reached the members' nodes.
    let ea = on(a, &ap_id).await;
    assert_eq!(ea.title, "Séance de mars");
    assert_eq!(ea.capacity, Some(1));
    assert!(ea.content_html.contains("<strong>kit de survie</strong>"));

    // alice registers through her own node's API: pending until B answers.
    let token_a = a.token("alice").await;
    let (status, body) = api(
        a,
        &token_a,
        "POST",
        &format!("/api/v1/events/{}/join", ea.id),
        None,
    )
    .await;
    assert_eq!((status, body["state"].as_str()), (200, Some("pending")));
    TestNode::drain_all(&[a, b, c]).await;
    let seat = vec![(alice.actor.clone(), "accepted".to_owned())];
    assert_eq!(
        states(b, &ap_id).await,
        seat,
        "the host gave alice the seat"
    );
    assert_eq!(states(a, &ap_id).await, seat, "A's view learnt it");
    assert_eq!(states(c, &ap_id).await, seat, "and C's too");

    // alice sees herself among the participants on her node's page.
    let mut web_a = crate::support::browser::Browser::new(&a.base);
    web_a.login("alice", crate::support::PASSWORD).await;
    let page = web_a.get(&format!("/sessions/{}", ea.id)).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("alice (a)"), "{}", page.body);
    assert!(page.body.contains("Vous êtes inscrit·e."));

    // The session is full: chloe goes to the waiting list.
    let ec = on(c, &ap_id).await;
    let mut web_c = crate::support::browser::Browser::new(&c.base);
    web_c.login("chloe", crate::support::PASSWORD).await;
    let page = web_c.get(&format!("/sessions/{}", ec.id)).await;
    assert!(page.body.contains("Complet"), "{}", page.body);
    let path = format!("/sessions/{}", ec.id);
    let res = web_c.submit(&path, &path, &[("action", "join")]).await;
    assert_eq!(res.status, 303);
    TestNode::drain_all(&[a, b, c]).await;
    assert_eq!(
        states(b, &ap_id).await,
        vec![
            (alice.actor.clone(), "accepted".to_owned()),
            (chloe.actor.clone(), "waiting".to_owned())
        ]
    );
    let page = web_c.get(&path).await;
    assert!(page.body.contains("alice (a)"), "C shows alice by name");
    assert!(
        page.body.contains("liste d&#39;attente, position 1"),
        "{}",
        page.body
    );

    // alice leaves on her node: chloe is promoted, and told so on her own node.
    let path_a = format!("/sessions/{}", ea.id);
    let res = web_a.submit(&path_a, &path_a, &[("action", "leave")]).await;
    assert_eq!(res.status, 303);
    TestNode::drain_all(&[a, b, c]).await;
    let promoted = vec![(chloe.actor.clone(), "accepted".to_owned())];
    assert_eq!(states(b, &ap_id).await, promoted);
    assert_eq!(states(c, &ap_id).await, promoted);
    assert_eq!(states(a, &ap_id).await, promoted);
    let chloe_notes = notifications::list(&c.state, &chloe).await.expect("n");
    assert!(has_kind(&chloe_notes, "event_seat"), "{chloe_notes:?}");

    // A member who is not an animateur cannot cancel; bruno can, and chloe hears of it.
    let token_c = c.token("chloe").await;
    let (status, _) = api(
        c,
        &token_c,
        "POST",
        &format!("/api/v1/events/{}/cancel", ec.id),
        None,
    )
    .await;
    assert_eq!(status, 403);
    let token_b = b.token("bruno").await;
    let eb = on(b, &ap_id).await;
    let (status, body) = api(
        b,
        &token_b,
        "POST",
        &format!("/api/v1/events/{}/cancel", eb.id),
        None,
    )
    .await;
    assert_eq!((status, body["status"].as_str()), (200, Some("cancelled")));
    TestNode::drain_all(&[a, b, c]).await;
    assert_eq!(on(c, &ap_id).await.status, "cancelled");
    assert_eq!(on(a, &ap_id).await.status, "cancelled");
    let chloe_notes = notifications::list(&c.state, &chloe).await.expect("n");
    assert!(has_kind(&chloe_notes, "event_cancelled"), "{chloe_notes:?}");
    let page = web_c.get("/notifications").await;
    assert!(page.body.contains("a annulé une séance"), "{}", page.body);
    // No registration on a cancelled session.
    let (status, _) = api(
        a,
        &token_a,
        "POST",
        &format!("/api/v1/events/{}/join", ea.id),
        None,
    )
    .await;
    assert_eq!(status, 409);
}

#[tokio::test]
async fn an_animateur_edits_a_session_and_node_a_the_ics_and_the_participants_follow_while_bad_edits_change_nothing()
 {
    let (nodes, alice, bruno, chloe) = three_nodes().await;
    let (a, b, c) = (&nodes[0], &nodes[1], &nodes[2]);
    let cb = communities::resolve(&b.state, "accueil")
        .await
        .expect("local");
    let ap_id = events::create(&b.state, &bruno, &cb, &input("Séance de mars", "1"))
        .await
        .expect("session")
        .remove(0)
        .ap_id;
    TestNode::drain_all(&[a, b, c]).await;
    let (ea, ec) = (on(a, &ap_id).await, on(c, &ap_id).await);
    let token_a = a.token("alice").await;
    let token_c = c.token("chloe").await;
    api(
        a,
        &token_a,
        "POST",
        &format!("/api/v1/events/{}/join", ea.id),
        None,
    )
    .await;
    TestNode::drain_all(&[a, b, c]).await;
    api(
        c,
        &token_c,
        "POST",
        &format!("/api/v1/events/{}/join", ec.id),
        None,
    )
    .await;
    TestNode::drain_all(&[a, b, c]).await;
    assert_eq!(states(b, &ap_id).await[1].1, "waiting", "chloe waits");

    // bruno finds "Modifier" on the session page; the form is prefilled.
    let eb = on(b, &ap_id).await;
    let mut web_b = crate::support::browser::Browser::new(&b.base);
    web_b.login("bruno", crate::support::PASSWORD).await;
    let path = format!("/sessions/{}", eb.id);
    let page = web_b.get(&path).await;
    assert!(
        page.body.contains(&format!("href=\"{path}/edit\"")),
        "{}",
        page.body
    );
    let edit = format!("{path}/edit");
    let form = web_b.get(&edit).await;
    assert_eq!(form.status, 200);
    assert!(
        form.body.contains("value=\"2027-03-02T09:30\""),
        "{}",
        form.body
    );
    assert!(form.body.contains("salle du conseil"));

    // The afternoon, another room, one more seat: chloe leaves the waiting list.
    let res = web_b
        .submit(
            &edit,
            &edit,
            &[
                ("title", "Séance de mars"),
                ("description", "Ordre du jour : **kit de survie**"),
                ("start", "2027-03-02T14:00"),
                ("end", "2027-03-02T16:30"),
                ("address", "Mairie, salle B"),
                ("online_url", ""),
                ("capacity", "2"),
            ],
        )
        .await;
    assert_eq!(res.status, 303, "{}", res.body);
    TestNode::drain_all(&[a, b, c]).await;
    let ea = on(a, &ap_id).await;
    assert_eq!(ea.address, "Mairie, salle B");
    assert_eq!(ea.starts_at, on(b, &ap_id).await.starts_at);
    assert_eq!((ea.sequence, ea.capacity), (1, Some(2)));
    let mut web_a = crate::support::browser::Browser::new(&a.base);
    web_a.login("alice", crate::support::PASSWORD).await;
    let page = web_a.get(&format!("/sessions/{}", ea.id)).await;
    assert!(page.body.contains("14:00 – 16:30"), "{}", page.body);
    assert!(
        page.body.contains("mardi 2 mars 2027, 14:00 – 16:30"),
        "the weekday and the month in words"
    );
    assert!(!page.body.contains("/edit\""), "no edit button for alice");
    let ics = web_a.get(&format!("/sessions/{}/session.ics", ea.id)).await;
    let cal = parse_ics(&ics.body);
    let ev = vevents(&cal)[0].clone();
    assert_eq!(
        ev.property_value("DESCRIPTION"),
        Some("Ordre du jour : kit de survie"),
        "plain text in calendars, no Markdown"
    );
    assert_eq!(ev.property_value("SEQUENCE"), Some("1"));
    assert_eq!(ev.property_value("DTSTART"), Some("20270302T130000Z"));
    assert_eq!(ev.property_value("LOCATION"), Some("Mairie, salle B"));
    let alice_notes = notifications::list(&a.state, &alice).await.expect("n");
    assert!(has_kind(&alice_notes, "event_changed"), "{alice_notes:?}");
    let page = web_a.get("/notifications").await;
    assert!(page.body.contains("a modifié une séance"), "{}", page.body);
    let both = vec![
        (alice.actor.clone(), "accepted".to_owned()),
        (chloe.actor.clone(), "accepted".to_owned()),
    ];
    assert_eq!(states(b, &ap_id).await, both, "chloe got the new seat");
    assert_eq!(states(c, &ap_id).await, both);

    // A plain member of the host gets 403; nothing changes anywhere.
    b.create_user("dan", false).await;
    let dan = entrepairs::domain::accounts::by_username(&b.state, "dan")
        .await
        .expect("dan");
    memberships::join(&b.state, &dan, &cb, "")
        .await
        .expect("join");
    let url = format!("/api/v1/events/{}", eb.id);
    let body = json!({"title": "Séance de mars", "start": "2027-03-09T09:30",
        "end": "2027-03-09T12:00", "address": "Ailleurs", "capacity": 2});
    let (status, _) = api(b, &b.token("dan").await, "PUT", &url, Some(body.clone())).await;
    assert_eq!(status, 403);
    let (status, _) = api(
        c,
        &token_c,
        "PUT",
        &format!("/api/v1/events/{}", ec.id),
        Some(body.clone()),
    )
    .await;
    assert_eq!(
        status, 403,
        "chloe cannot edit from her node's cache either"
    );
    let mut web_dan = crate::support::browser::Browser::new(&b.base);
    web_dan.login("dan", crate::support::PASSWORD).await;
    let dan_page = web_dan.get(&edit).await;
    assert_eq!(dan_page.status, 403);

    // bruno himself: end before start, or fewer seats than taken, is a 422 naming the field.
    let token_b = b.token("bruno").await;
    let mut bad = body.clone();
    bad["end"] = json!("2027-03-09T09:00");
    let (status, err) = api(b, &token_b, "PUT", &url, Some(bad)).await;
    assert_eq!(status, 422, "{err}");
    let mut bad = body.clone();
    bad["capacity"] = json!(1);
    let (status, err) = api(b, &token_b, "PUT", &url, Some(bad)).await;
    assert_eq!(status, 422, "{err}");
    assert!(err.to_string().contains("capacity"), "{err}");
    TestNode::drain_all(&[a, b, c]).await;
    for n in [a, b] {
        let e = on(n, &ap_id).await;
        assert_eq!((e.sequence, e.address.as_str()), (1, "Mairie, salle B"));
    }
    let page = web_b
        .submit(
            &edit,
            &edit,
            &[
                ("title", "Séance de mars"),
                ("start", "2027-03-02T14:00"),
                ("end", "2027-03-02T13:00"),
                ("address", "Mairie, salle B"),
                ("capacity", "2"),
            ],
        )
        .await;
    assert_eq!(page.status, 422);
    assert!(
        page.body.contains("doit être après le début"),
        "{}",
        page.body
    );

    // The API edit works for bruno, and a cancelled session cannot be edited.
    let (status, out) = api(b, &token_b, "PUT", &url, Some(body)).await;
    assert_eq!((status, out["address"].as_str()), (200, Some("Ailleurs")));
    api(b, &token_b, "POST", &format!("{url}/cancel"), None).await;
    let (status, _) = api(b, &token_b, "PUT", &url, Some(json!({"title": "X y", "start": "2027-03-09T09:30", "end": "2027-03-09T12:00", "address": "a"}))).await;
    assert_eq!(status, 409);
}

#[tokio::test]
async fn a_non_member_cannot_see_or_join_a_session_by_web_api_signed_fetch_or_inbox() {
    let nodes = TestNode::spawn_many(3).await;
    let (a, b, c) = (&nodes[0], &nodes[1], &nodes[2]);
    TestNode::federate(&[a, b, c]).await;
    let alice = a.create_user("alice", false).await;
    let bruno = b.create_user("bruno", false).await;
    community_on(b, &bruno, "accueil", "request").await;
    let handle = format!("accueil@{}", b.authority);
    join(a, &alice, &handle).await;
    TestNode::drain_all(&[a, b, c]).await;
    let cb = communities::resolve(&b.state, "accueil")
        .await
        .expect("local");
    memberships::decide(&b.state, &bruno, &cb, &alice.actor, true)
        .await
        .expect("approve alice");
    TestNode::drain_all(&[a, b, c]).await;
    let e = events::create(&b.state, &bruno, &cb, &input("Séance privée", ""))
        .await
        .expect("session")
        .remove(0);
    TestNode::drain_all(&[a, b, c]).await;

    // dan, on B itself, is not a member: 403 on the page, the feed and the API.
    let mut dan = b.logged_in("dan", false).await;
    assert_eq!(dan.get(&format!("/sessions/{}", e.id)).await.status, 403);
    assert_eq!(
        dan.get(&format!("/sessions/{}/session.ics", e.id))
            .await
            .status,
        403
    );
    assert_eq!(dan.get("/communities/accueil/sessions").await.status, 403);
    let token = b.token("dan").await;
    let (status, _) = api(b, &token, "GET", &format!("/api/v1/events/{}", e.id), None).await;
    assert_eq!(status, 403);
    let (status, _) = api(
        b,
        &token,
        "POST",
        &format!("/api/v1/events/{}/join", e.id),
        None,
    )
    .await;
    assert_eq!(status, 403);
    assert!(states(b, &e.ap_id).await.is_empty(), "nothing registered");

    // Node C has no member: its signed fetch is refused; A (alice's node) may fetch.
    assert_eq!(Signed::get(c, &e.ap_id).await.status().await, 403);
    let res = Signed::get(a, &e.ap_id).await.send().await;
    assert_eq!(res.status().as_u16(), 200);
    let doc: Value = res.json().await.expect("json");
    assert_eq!(doc["type"], "Event");
    assert_eq!(doc["startTime"], "2027-03-02T08:30:00Z");
    assert_eq!(doc["attributedTo"], cb.ap_id.as_str());
    // C never received the session.
    assert!(
        c.state
            .store
            .event_by_ap_id(&e.ap_id)
            .await
            .expect("db")
            .is_none()
    );

    // A Join from an agent of C who is not a member is refused, and so is a malformed one.
    c.create_user("chloe", false).await;
    let chloe = c.actor("chloe").await;
    let join = json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": c.url("/activities/join-1"), "type": "Join",
        "actor": chloe.ap_id, "object": e.ap_id, "to": [cb.ap_id],
    });
    let body = serde_json::to_vec(&join).expect("json");
    let res = Signed::post(c, "chloe", &b.url("/inbox"), &body, SystemTime::now()).await;
    assert_eq!(res.status().await, 403);
    let mut bad = join.clone();
    bad["id"] = json!(c.url("/activities/join-2"));
    bad.as_object_mut().expect("object").remove("object");
    let body = serde_json::to_vec(&bad).expect("json");
    let res = Signed::post(c, "chloe", &b.url("/inbox"), &body, SystemTime::now()).await;
    assert_eq!(res.status().await, 400);
    assert!(states(b, &e.ap_id).await.is_empty(), "nothing registered");
}

#[tokio::test]
async fn bad_session_input_is_refused_with_the_field_named_and_nothing_is_stored() {
    let b = TestNode::spawn().await;
    let mut web = b.logged_in("bruno", false).await;
    let bruno = entrepairs::domain::accounts::by_username(&b.state, "bruno")
        .await
        .expect("bruno");
    community_on(&b, &bruno, "accueil", "open").await;
    let token = b.token("bruno").await;
    let url = "/api/v1/communities/accueil/events";
    let good = json!({"title": "Séance", "start": "2027-03-02T09:30", "end": "2027-03-02T12:00",
        "address": "Mairie"});
    let mut cases = Vec::new();
    let mut v = good.clone();
    v["end"] = json!("2027-03-02T09:00");
    cases.push(v);
    for cap in [0, -4] {
        let mut v = good.clone();
        v["capacity"] = json!(cap);
        cases.push(v);
    }
    let mut v = good.clone();
    v["start"] = json!("mardi prochain");
    cases.push(v);
    let mut v = good.clone();
    v["kind"] = json!("apéro");
    cases.push(v);
    for case in cases {
        let (status, body) = api(&b, &token, "POST", url, Some(case.clone())).await;
        assert_eq!(status, 422, "{case} -> {body}");
    }
    // A malformed body (capacity as text) is a 400, not a crash.
    let mut v = good.clone();
    v["capacity"] = json!("douze");
    let (status, _) = api(&b, &token, "POST", url, Some(v)).await;
    assert_eq!(status, 400);
    let (_, list) = api(&b, &token, "GET", url, None).await;
    assert_eq!(list.as_array().map(Vec::len), Some(0), "nothing stored");

    // The web form shows the error next to the field, keeping what was typed.
    let page = web
        .submit(
            "/communities/accueil/sessions",
            "/communities/accueil/sessions",
            &[
                ("title", "Séance d'avril"),
                ("kind", "atelier"),
                ("start", "2027-04-06T09:30"),
                ("end", "2027-04-06T08:00"),
                ("address", "Mairie"),
                ("capacity", ""),
                ("repeat", "none"),
                ("count", ""),
            ],
        )
        .await;
    assert_eq!(page.status, 422);
    assert!(
        page.body.contains("doit être après le début"),
        "{}",
        page.body
    );
    assert!(page.body.contains("Séance d&#39;avril") || page.body.contains("Séance d&#x27;avril"));

    // A member who is not an animateur may not schedule.
    b.create_user("dan", false).await;
    let dan = entrepairs::domain::accounts::by_username(&b.state, "dan")
        .await
        .expect("dan");
    let c = communities::resolve(&b.state, "accueil").await.expect("c");
    memberships::join(&b.state, &dan, &c, "")
        .await
        .expect("join");
    let dan_token = b.token("dan").await;
    let (status, _) = api(&b, &dan_token, "POST", url, Some(good)).await;
    assert_eq!(status, 403);
}

fn parse_ics(text: &str) -> Calendar {
    text.parse::<Calendar>()
        .expect("a valid iCalendar document")
}

fn vevents(cal: &Calendar) -> Vec<&icalendar::Event> {
    cal.components
        .iter()
        .filter_map(|c| match c {
            CalendarComponent::Event(e) => Some(e),
            _ => None,
        })
        .collect()
}

#[tokio::test]
async fn a_monthly_series_is_created_in_one_go_and_the_ics_feeds_parse_and_the_personal_url_is_revocable()
 {
    let b = TestNode::spawn().await;
    let mut web = b.logged_in("bruno", false).await;
    let bruno = entrepairs::domain::accounts::by_username(&b.state, "bruno")
        .await
        .expect("bruno");
    community_on(&b, &bruno, "accueil", "open").await;

    // Every first Tuesday, 9:30-12:00 Paris time, three months, from the web form.
    let page = web
        .submit(
            "/communities/accueil/sessions",
            "/communities/accueil/sessions",
            &[
                ("title", "Club accueil"),
                ("kind", "seance"),
                ("start", "2027-02-02T09:30"),
                ("end", "2027-02-02T12:00"),
                ("address", "Mairie, 5 place de la Liberté"),
                ("capacity", "15"),
                ("repeat", "monthly_weekday"),
                ("count", "3"),
            ],
        )
        .await;
    assert_eq!(page.status, 303, "{}", page.body);
    let list = web.get("/communities/accueil/sessions").await;
    assert_eq!(
        list.body.matches("Club accueil").count(),
        3,
        "{}",
        list.body
    );
    let c = communities::resolve(&b.state, "accueil").await.expect("c");
    let rows = b.state.store.community_events(c.id, 0).await.expect("db");
    assert_eq!(rows.len(), 3);
    assert!(
        rows.iter()
            .all(|e| e.series.is_some() && e.series == rows[0].series)
    );

    // The community feed, with a real parser: UTC times, summer time from April.
    let feed = web.get("/communities/accueil/sessions.ics").await;
    assert_eq!(feed.status, 200);
    let cal = parse_ics(&feed.body);
    let evs = vevents(&cal);
    let starts: Vec<_> = evs
        .iter()
        .map(|e| e.property_value("DTSTART").unwrap_or_default().to_owned())
        .collect();
    assert_eq!(
        starts,
        ["20270202T083000Z", "20270302T083000Z", "20270406T073000Z"]
    );
    assert_eq!(evs[0].get_summary(), Some("Club accueil"));
    assert_eq!(evs[0].property_value("UID"), Some(rows[0].ap_id.as_str()));
    assert!(
        evs[0]
            .property_value("LOCATION")
            .unwrap_or_default()
            .contains("place de la Liberté")
    );

    // One session's .ics, after cancelling it: STATUS and SEQUENCE change.
    let first = rows[0].id;
    let path = format!("/sessions/{first}");
    let res = web.submit(&path, &path, &[("action", "join")]).await;
    assert_eq!(res.status, 303);
    let res = web.submit(&path, &path, &[("action", "cancel")]).await;
    assert_eq!(res.status, 303);
    let one = web.get(&format!("/sessions/{first}/session.ics")).await;
    let cal = parse_ics(&one.body);
    let ev = vevents(&cal)[0].clone();
    assert_eq!(ev.property_value("STATUS"), Some("CANCELLED"));
    assert_eq!(ev.property_value("SEQUENCE"), Some("1"));

    // Mes séances: in the navigation, on its page and in the API.
    let mine = web.get("/my/sessions").await;
    assert!(
        mine.body
            .contains("href=\"/my/sessions\" aria-current=\"page\"")
    );
    assert!(mine.body.contains("Club accueil"));
    let token = b.token("bruno").await;
    let (status, list) = api(&b, &token, "GET", "/api/v1/me/events", None).await;
    assert_eq!(status, 200);
    assert_eq!(list.as_array().map(Vec::len), Some(1), "{list}");

    // The personal feed at a secret URL, without login; regenerating revokes the old URL.
    let mine = web.submit("/my/sessions", "/my/calendar", &[]).await;
    assert_eq!(mine.status, 200);
    let url = secret_url(&mine.body);
    let res = client().get(&url).send().await.expect("feed");
    assert_eq!(res.status().as_u16(), 200);
    let cal = parse_ics(&res.text().await.expect("body"));
    assert_eq!(
        vevents(&cal).len(),
        1,
        "the one session bruno registered for"
    );
    let again = web.submit("/my/sessions", "/my/calendar", &[]).await;
    let new_url = secret_url(&again.body);
    assert_ne!(url, new_url);
    let old = client().get(&url).send().await.expect("old feed");
    assert_eq!(old.status().as_u16(), 404);
    let new = client().get(&new_url).send().await.expect("new feed");
    assert_eq!(new.status().as_u16(), 200);
    let guessed = client()
        .get(b.url("/calendar/not-a-secret.ics"))
        .send()
        .await
        .expect("guess");
    assert_eq!(guessed.status().as_u16(), 404);
}

fn secret_url(html: &str) -> String {
    let start = html
        .find("<code id=\"calendar-url\">")
        .expect("the URL is shown")
        + 24;
    let end = start + html[start..].find("</code>").expect("end");
    html[start..end].to_owned()
}

#[tokio::test]
async fn the_demo_seeds_a_monthly_series_in_accueil_with_participants_from_the_three_nodes() {
    use entrepairs::demo::{INSTITUTIONS, communities as demo_communities, seed, sessions};
    let nodes = TestNode::spawn_many(3).await;
    for (node, inst) in nodes.iter().zip(INSTITUTIONS.iter()) {
        seed::accounts(&node.state, inst).await.expect("accounts");
    }
    TestNode::federate(&[&nodes[0], &nodes[1], &nodes[2]]).await;
    let states = [&nodes[0].state, &nodes[1].state, &nodes[2].state];
    demo_communities::seed(states).await.expect("communities");
    sessions::seed(states).await.expect("sessions");
    for st in states {
        assert_eq!(
            st.store.count_deliveries("pending").await.expect("db"),
            0,
            "every delivery went through"
        );
    }
    sessions::seed(states)
        .await
        .expect("a second run changes nothing");
    let mairie = &nodes[1].state;
    let accueil = mairie
        .store
        .local_community("accueil")
        .await
        .expect("db")
        .expect("accueil");
    let all = mairie
        .store
        .community_events(accueil.id, 0)
        .await
        .expect("db");
    let series: Vec<_> = all.iter().filter(|e| e.series.is_some()).collect();
    assert_eq!(series.len(), 6);
    assert_eq!(all.len(), 7, "and the workshop");
    let first = mairie.store.participants(series[0].id).await.expect("db");
    let mut from: Vec<_> = first
        .iter()
        .filter(|p| p.state == "accepted")
        .filter_map(|p| p.authority.clone())
        .collect();
    from.sort();
    from.dedup();
    assert_eq!(
        from.len(),
        3,
        "participants from the three nodes: {first:?}"
    );
    // The CHU's node shows the same list, and the full workshop's waiting list.
    let chu = &nodes[2].state;
    let cached = chu
        .store
        .event_by_ap_id(&series[0].ap_id)
        .await
        .expect("db")
        .expect("cached");
    assert_eq!(cached.accepted, 4);
    let workshop = all.iter().find(|e| e.kind == "atelier").expect("workshop");
    let waiting: Vec<_> = mairie
        .store
        .participants(workshop.id)
        .await
        .expect("db")
        .into_iter()
        .filter(|p| p.state == "waiting")
        .map(|p| p.username.unwrap_or_default())
        .collect();
    assert_eq!(waiting, ["farida"]);
    for n in nodes {
        n.stop().await;
    }
}

#[tokio::test]
async fn revoking_federation_purges_the_cached_sessions_and_the_registrations_of_that_node() {
    let nodes = TestNode::spawn_many(2).await;
    let (a, b) = (&nodes[0], &nodes[1]);
    TestNode::federate(&[a, b]).await;
    let alice = a.create_user("alice", false).await;
    let bruno = b.create_user("bruno", false).await;
    community_on(b, &bruno, "accueil", "open").await;
    join(a, &alice, &format!("accueil@{}", b.authority)).await;
    TestNode::drain_all(&[a, b]).await;
    let cb = communities::resolve(&b.state, "accueil")
        .await
        .expect("local");
    let e = events::create(&b.state, &bruno, &cb, &input("Séance", ""))
        .await
        .expect("session")
        .remove(0);
    TestNode::drain_all(&[a, b]).await;
    let ea = on(a, &e.ap_id).await;
    entrepairs::domain::participation::join(&a.state, &alice, ea.id)
        .await
        .expect("join");
    TestNode::drain_all(&[a, b]).await;
    assert_eq!(states(b, &e.ap_id).await.len(), 1);

    entrepairs::domain::peers::deny(&a.state, &b.authority, "test")
        .await
        .expect("deny on A");
    entrepairs::domain::peers::deny(&b.state, &a.authority, "test")
        .await
        .expect("deny on B");
    assert!(
        a.state
            .store
            .event_by_ap_id(&e.ap_id)
            .await
            .expect("db")
            .is_none(),
        "A forgets B's session"
    );
    assert!(
        states(b, &e.ap_id).await.is_empty(),
        "B forgets A's registration"
    );
    for n in nodes {
        n.stop().await;
    }
}

#[tokio::test]
async fn agents_registering_at_the_same_moment_never_take_more_seats_than_there_are() {
    let b = TestNode::spawn().await;
    let bruno = b.create_user("bruno", false).await;
    community_on(&b, &bruno, "accueil", "open").await;
    let c = communities::resolve(&b.state, "accueil").await.expect("c");
    let e = events::create(&b.state, &bruno, &c, &input("Atelier", "2"))
        .await
        .expect("session")
        .remove(0);
    let mut agents = Vec::new();
    for i in 0..6 {
        let who = b.create_user(&format!("agent{i}"), false).await;
        memberships::join(&b.state, &who, &c, "")
            .await
            .expect("join");
        agents.push(who);
    }
    let joins = agents
        .iter()
        .map(|who| entrepairs::domain::participation::join(&b.state, who, e.id));
    let answers = futures_util::future::join_all(joins).await;
    let mut got: Vec<_> = answers
        .into_iter()
        .map(|r| r.expect("registered"))
        .collect();
    got.sort();
    assert_eq!(
        got,
        [
            "accepted", "accepted", "waiting", "waiting", "waiting", "waiting"
        ]
    );
    assert_eq!(on(&b, &e.ap_id).await.accepted, 2);
}
