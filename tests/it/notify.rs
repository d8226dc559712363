//! Notifications outside the app (issue 15): « Mes notifications » and its API, the mails a
//! notification sends (now, or at the end of quiet hours) with its push, one-click unsubscribe.

use serde_json::{Value, json};

use crate::communities::community_on;
use crate::support::{TestNode, client};

async fn get_prefs(node: &TestNode, token: &str) -> Value {
    let r = client()
        .get(node.url("/api/v1/me/notifications"))
        .bearer_auth(token)
        .send()
        .await
        .expect("get");
    assert_eq!(r.status(), 200);
    r.json().await.expect("json")
}

async fn put_prefs(node: &TestNode, token: &str, body: &Value) -> (u16, Value) {
    let r = client()
        .put(node.url("/api/v1/me/notifications"))
        .bearer_auth(token)
        .json(body)
        .send()
        .await
        .expect("put");
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn preferences_default_to_immediate_weekly_and_quiet_evenings_and_bad_input_changes_nothing()
{
    let node = TestNode::spawn_named("prefs").await;
    let alice = node.create_user("alice", false).await;
    let bruno = node.create_user("bruno", false).await;
    community_on(&node, &alice, "accueil", "open").await;
    community_on(&node, &bruno, "etatcivil", "open").await;
    let token = node.token("alice").await;

    let defaults = get_prefs(&node, &token).await;
    assert_eq!(defaults["digest"], "weekly");
    assert_eq!(defaults["quiet_hours"]["start"], "19:00");
    assert_eq!(defaults["quiet_hours"]["end"], "08:00");
    assert_eq!(defaults["quiet_hours"]["weekends"], true);
    assert_eq!(defaults["kinds"]["mention"], "now");
    assert_eq!(defaults["kinds"]["membership_decided"], "now");
    assert_eq!(defaults["muted_communities"], json!([]));

    let wanted = json!({
        "kinds": {"reply": "digest", "invited": "off"},
        "digest": "daily",
        "quiet_hours": {"start": "20:30", "end": "07:15", "weekends": false},
        "muted_communities": ["accueil"],
    });
    let (status, saved) = put_prefs(&node, &token, &wanted).await;
    assert_eq!(status, 200, "{saved}");
    assert_eq!(saved["kinds"]["reply"], "digest");
    assert_eq!(saved["kinds"]["invited"], "off");
    assert_eq!(saved["kinds"]["mention"], "now");
    assert_eq!(saved["digest"], "daily");
    assert_eq!(saved["quiet_hours"]["start"], "20:30");
    assert_eq!(saved["muted_communities"], json!(["accueil"]));
    assert_eq!(get_prefs(&node, &token).await, saved, "read back as saved");

    // Each bad value refuses the whole; nothing is written.
    let mut bad = Vec::new();
    let mut v = wanted.clone();
    v["kinds"]["birthday"] = json!("now");
    bad.push(v);
    let mut v = wanted.clone();
    v["quiet_hours"]["start"] = json!("25:00");
    bad.push(v);
    let mut v = wanted.clone();
    v["quiet_hours"]["end"] = json!("tôt");
    bad.push(v);
    let mut v = wanted.clone();
    v["muted_communities"] = json!(["accueil", "etatcivil"]);
    bad.push(v);
    let mut v = wanted.clone();
    v["digest"] = json!("monthly");
    bad.push(v);
    let mut v = wanted.clone();
    v["kinds"]["mention"] = json!("sometimes");
    bad.push(v);
    for body in bad {
        let mut changed = body.clone();
        changed["digest"] = if body["digest"] == "monthly" {
            json!("monthly")
        } else {
            json!("never")
        };
        let (status, answer) = put_prefs(&node, &token, &changed).await;
        assert!(
            status == 400 || status == 422,
            "{changed} refused, got {status} {answer}"
        );
        assert_eq!(get_prefs(&node, &token).await, saved, "nothing written");
    }
}

#[tokio::test]
async fn the_profile_page_links_to_my_notifications_which_saves_and_refuses_bad_times() {
    let node = TestNode::spawn_named("prefsweb").await;
    let mut b = node.logged_in("chloe", false).await;
    let chloe = entrepairs::domain::accounts::by_username(&node.state, "chloe")
        .await
        .expect("chloe");
    community_on(&node, &chloe, "accueil", "open").await;
    let profile = b.get("/profile").await;
    assert!(profile.body.contains("/profile/notifications"));
    let page = b.get("/profile/notifications").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Mes notifications"));
    assert!(page.body.contains("Heures de tranquillité"));
    assert!(page.body.contains("value=\"19:00\""));
    assert!(page.body.contains("Communauté accueil"));

    let done = b
        .submit(
            "/profile/notifications",
            "/profile/notifications",
            &[
                ("kind.mention", "now"),
                ("kind.reply", "off"),
                ("digest", "never"),
                ("quiet_start", "18:00"),
                ("quiet_end", "09:00"),
                ("mute.accueil", "on"),
            ],
        )
        .await;
    assert_eq!(done.status, 200, "{}", done.body);
    assert!(done.body.contains("Vos choix sont enregistrés."));
    let token = node.token("chloe").await;
    let prefs = get_prefs(&node, &token).await;
    assert_eq!(prefs["kinds"]["reply"], "off");
    assert_eq!(prefs["digest"], "never");
    assert_eq!(prefs["quiet_hours"]["start"], "18:00");
    assert_eq!(prefs["quiet_hours"]["weekends"], false);
    assert_eq!(prefs["muted_communities"], json!(["accueil"]));

    let refused = b
        .submit(
            "/profile/notifications",
            "/profile/notifications",
            &[
                ("digest", "daily"),
                ("quiet_start", "31:00"),
                ("quiet_end", "09:00"),
            ],
        )
        .await;
    assert_eq!(refused.status, 422);
    assert!(refused.body.contains("Indiquez une heure comme 19:00"));
    assert_eq!(get_prefs(&node, &token).await, prefs, "nothing written");
}

/// Wall-clock time `at` (`2026-12-08T10:00`) in the node's time zone, as ms.
pub(crate) fn local_ms(node: &TestNode, at: &str) -> i64 {
    let tz = jiff::tz::TimeZone::get(&node.state.config.timezone).expect("tz");
    at.parse::<jiff::civil::DateTime>()
        .expect("datetime")
        .to_zoned(tz)
        .expect("zoned")
        .timestamp()
        .as_millisecond()
}

/// Queued notification mail of a node to `to`.
async fn queued_to(node: &TestNode, to: &str) -> Vec<entrepairs::db::MailRow> {
    node.state
        .store
        .recent_mail(100)
        .await
        .expect("outbox")
        .into_iter()
        .filter(|m| m.to_address.contains(to) && m.kind == "notification")
        .collect()
}

#[tokio::test]
async fn a_mention_across_three_nodes_mails_and_pushes_the_agent_once_now_or_at_eight_after_quiet_hours()
 {
    let Some((smtp, dir)) = crate::mail::smtp_server() else {
        return;
    };
    let Some(receiver) = crate::push::receiver() else {
        return;
    };
    let a = TestNode::spawn_named("a").await;
    let b = TestNode::spawn_named("b").await;
    let c = TestNode::spawn_with("c", |raw| {
        raw.smtp_url = Some(format!("smtp://{smtp}"));
        raw.mail_from = Some("CHU de test <entrepairs@chu.test>".into());
    })
    .await;
    TestNode::federate(&[&a, &b, &c]).await;
    let alice = a.create_user("alice", false).await;
    let bruno = b.create_user("bruno", false).await;
    let name = crate::mail::unique("chloe");
    let chloe = c.create_user(&name, false).await;
    let chloe_mail = chloe.email.clone();
    community_on(&b, &bruno, "accueil", "open").await;
    let handle = format!("accueil@{}", b.authority);
    // A Tuesday morning on the CHU: the welcome (membership accepted) is mailed at once.
    c.state.clock.set(local_ms(&c, "2026-12-08T09:00"));
    crate::communities::join(&a, &alice, &handle).await;
    crate::communities::join(&c, &chloe, &handle).await;
    TestNode::drain_all(&[&a, &b, &c]).await;
    assert_eq!(
        queued_to(&c, &chloe_mail).await.len(),
        1,
        "membership accepted"
    );
    entrepairs::mail::drain(&c.state).await.expect("drain");
    assert_eq!(
        crate::mail::wait_received(&dir, &chloe_mail, 1).await.len(),
        1
    );
    let ca = entrepairs::domain::communities::resolve(&a.state, &handle)
        .await
        .expect("cached on a");
    // chloe registers her phone at the CHU (a device of the real push receiver).
    let phone = crate::push::device(&receiver, 201).await;
    let phone_id = phone["id"].as_str().expect("id").to_owned();
    let added = client()
        .post(c.url("/api/v1/me/devices"))
        .bearer_auth(c.token(&name).await)
        .json(&json!({
            "endpoint": phone["endpoint"], "p256dh": phone["p256dh"], "auth": phone["auth"],
            "label": "Téléphone de chloe",
        }))
        .send()
        .await
        .expect("api");
    assert_eq!(added.status(), 201);
    // One delivery cycle of the CHU: its mail worker and its push worker, once each.
    let cycle = || async {
        let mail = entrepairs::mail::drain(&c.state).await.expect("mail drain");
        let push = entrepairs::push::drain(&c.state).await.expect("push drain");
        (mail.sent, push.sent)
    };

    // A Tuesday at 10:00 on the CHU: the mention is mailed at once.
    c.state.clock.set(local_ms(&c, "2026-12-08T10:00"));
    entrepairs::domain::posts::create_thread(
        &a.state,
        &alice,
        &ca,
        "Nouvelle procédure",
        &format!("Bonjour @{name}@{} : qu'en penses-tu ?", c.authority),
    )
    .await
    .expect("thread");
    TestNode::drain_all(&[&a, &b, &c]).await;
    let queued = queued_to(&c, &chloe_mail).await;
    assert_eq!(queued.len(), 2, "exactly one more mail queued for chloe");
    assert!(queued[0].unsubscribe_url.is_some());
    assert!(
        queued_to(&a, &chloe_mail).await.is_empty() && queued_to(&b, &chloe_mail).await.is_empty()
    );
    assert_eq!(cycle().await, (1, 1), "one mail and one push in one cycle");
    let got = crate::mail::wait_received(&dir, &chloe_mail, 2).await;
    assert_eq!(got.len(), 2, "sent within one delivery cycle");
    let pushes = crate::push::received(&receiver, &phone_id).await;
    assert_eq!(pushes.len(), 1, "one push: {pushes:?}");
    assert_eq!(pushes[0]["signature_valid"], true, "{}", pushes[0]);
    let payload: Value =
        serde_json::from_str(pushes[0]["payload"].as_str().expect("payload")).expect("json");
    let title = payload["title"].as_str().unwrap_or_default();
    assert!(title.contains("vous a mentionné"), "{title}");
    assert!(
        !title.contains("qu'en penses-tu"),
        "never the message: {title}"
    );
    assert_eq!(payload["link"], format!("{}/notifications", c.base));
    assert_eq!(cycle().await, (0, 0), "nothing sent twice");
    let m = &got[1];
    let subject = m["subject"].as_str().unwrap_or_default();
    assert!(subject.contains("vous a mentionné"), "{subject}");
    let raw = m["raw"].as_str().unwrap_or_default();
    assert!(raw.contains("List-Unsubscribe: <"), "{raw}");
    assert!(
        raw.contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click"),
        "{raw}"
    );
    let text = m["text"].as_str().expect("text part");
    let link = crate::mail::link_in(text, &c.base, "/discussions/");
    let mut browser = crate::support::Browser::new(&c.base);
    browser.login(&name, crate::support::PASSWORD).await;
    let thread = browser.get(link.trim_start_matches(&c.base)).await;
    assert_eq!(thread.status, 200);
    assert!(thread.body.contains("Nouvelle procédure"));

    // The same on a Tuesday at 21:00: due at 08:00 the next morning, sent when it comes.
    c.state.clock.set(local_ms(&c, "2026-12-08T21:00"));
    entrepairs::domain::posts::create_thread(
        &a.state,
        &alice,
        &ca,
        "Question du soir",
        &format!("@{name}@{} demain ?", c.authority),
    )
    .await
    .expect("thread");
    TestNode::drain_all(&[&a, &b, &c]).await;
    let queued = queued_to(&c, &chloe_mail).await;
    assert_eq!(queued.len(), 3);
    let evening = queued
        .iter()
        .find(|m| m.state == "queued")
        .expect("the evening mail waits");
    assert_eq!(evening.next_attempt_at, local_ms(&c, "2026-12-09T08:00"));
    assert_eq!(cycle().await, (0, 0), "nothing during quiet hours");
    assert_eq!(
        crate::mail::wait_received(&dir, &chloe_mail, 3).await.len(),
        2,
        "nothing during quiet hours"
    );
    c.state.clock.set(local_ms(&c, "2026-12-09T07:59"));
    assert_eq!(cycle().await, (0, 0));
    assert_eq!(
        crate::mail::wait_received(&dir, &chloe_mail, 3).await.len(),
        2
    );
    assert_eq!(
        crate::push::received(&receiver, &phone_id).await.len(),
        1,
        "the phone stays silent until 08:00"
    );
    c.state.clock.set(local_ms(&c, "2026-12-09T08:00"));
    assert_eq!(
        cycle().await,
        (1, 1),
        "the mail and the push leave at 08:00"
    );
    let got = crate::mail::wait_received(&dir, &chloe_mail, 3).await;
    assert_eq!(got.len(), 3, "sent at 08:00");
    assert_eq!(crate::push::received(&receiver, &phone_id).await.len(), 2);
    assert!(
        got[2]["text"]
            .as_str()
            .unwrap_or_default()
            .contains("/discussions/")
    );
}

#[tokio::test]
async fn the_unsubscribe_link_needs_no_login_turns_off_only_its_kind_and_works_once() {
    // A relay that is down: mail is queued (and stays), which is all this test reads.
    let node = TestNode::spawn_with("unsub", |raw| {
        let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = l.local_addr().expect("addr").port();
        raw.smtp_url = Some(format!("smtp://127.0.0.1:{port}"));
    })
    .await;
    node.state.clock.set(local_ms(&node, "2026-12-08T10:00"));
    let alice = node.create_user("alice", false).await;
    let bruno = node.create_user("bruno", false).await;
    community_on(&node, &alice, "accueil", "open").await;
    let c = entrepairs::domain::communities::resolve(&node.state, "accueil")
        .await
        .expect("community");
    entrepairs::domain::memberships::join(&node.state, &bruno, &c, "Accueil")
        .await
        .expect("join");
    let thread =
        entrepairs::domain::posts::create_thread(&node.state, &alice, &c, "Sujet", "Texte")
            .await
            .expect("thread");
    entrepairs::domain::posts::reply(&node.state, &bruno, &thread.ap_id, "Réponse")
        .await
        .expect("reply");
    let mails: Vec<_> = queued_to(&node, &alice.email)
        .await
        .into_iter()
        .filter(|m| m.subject.contains("a répondu"))
        .collect();
    assert_eq!(mails.len(), 1, "alice is told of the reply");
    let url = mails[0].unsubscribe_url.clone().expect("unsubscribe link");
    assert!(mails[0].body_text.contains(&url));
    let path = url.trim_start_matches(&node.base).to_owned();

    // Without login: GET asks, changes nothing; POST (one click) turns replies off only.
    let token = node.token("alice").await;
    let before = get_prefs(&node, &token).await;
    let mut anonymous = crate::support::Browser::new(&node.base);
    let ask = anonymous.get(&path).await;
    assert_eq!(ask.status, 200);
    assert!(
        ask.body
            .contains("Réponse à une discussion où j&#39;ai écrit"),
        "{}",
        ask.body
    );
    assert_eq!(get_prefs(&node, &token).await, before);
    let r = client()
        .post(&url)
        .form(&[("List-Unsubscribe", "One-Click")])
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), 200);
    assert!(
        r.text()
            .await
            .expect("body")
            .contains("vous ne recevrez plus ces courriels")
    );
    let after = get_prefs(&node, &token).await;
    assert_eq!(after["kinds"]["reply"], "off");
    let mut expected = before.clone();
    expected["kinds"]["reply"] = json!("off");
    assert_eq!(after, expected, "only that preference changed");

    // Reused, forged, or another agent's: nothing changes, and the page says so in French.
    let r = client().post(&url).send().await.expect("post");
    assert_eq!(r.status(), 410);
    assert!(r.text().await.expect("body").contains("a déjà servi"));
    let forged = format!("{}/unsubscribe/forgedtoken123", node.base);
    let r = client().post(&forged).send().await.expect("post");
    assert_eq!(r.status(), 404);
    assert!(
        r.text()
            .await
            .expect("body")
            .contains("pas valide : rien n")
    );
    assert_eq!(get_prefs(&node, &token).await, expected);
    let bruno_token = node.token("bruno").await;
    let bruno_before = get_prefs(&node, &bruno_token).await;
    assert_eq!(
        bruno_before["kinds"]["reply"], "now",
        "another agent's preference untouched"
    );

    // With replies off, the next reply queues nothing.
    entrepairs::domain::posts::reply(&node.state, &bruno, &thread.ap_id, "Encore")
        .await
        .expect("reply");
    let replies = queued_to(&node, &alice.email)
        .await
        .into_iter()
        .filter(|m| m.subject.contains("a répondu"))
        .count();
    assert_eq!(replies, 1, "no mail for a kind turned off");
}
