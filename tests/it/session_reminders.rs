//! Session reminders (issue 15): a week before and the day before a session, each registered
//! agent gets one mail with the session's `.ics` attached, through a real SMTP server
//! (`ENTREPAIRS_TEST_SMTP`), once, held by quiet hours, never for an agent who turned them off.

use serde_json::{Value, json};

use entrepairs::domain::events::{self, EventInput};
use entrepairs::domain::{communities, participation};
use icalendar::{Calendar, CalendarComponent, Component};

use crate::communities::{community_on, join};
use crate::notify::local_ms;
use crate::support::{TestNode, client};

/// Queues the reminders owed at the node's clock, then sends what is due: one cycle of the
/// mail worker.
async fn cycle(node: &TestNode) -> (u64, u64) {
    let r = entrepairs::mail::reminders::run_due(&node.state, &node.state.mail)
        .await
        .expect("reminders");
    let sent = entrepairs::mail::drain(&node.state).await.expect("drain");
    (r.queued, sent.sent)
}

/// The DTSTART of the only event of a calendar file, read by the `icalendar` parser.
fn dtstart(ics: &str) -> String {
    let cal = ics.parse::<Calendar>().expect("a valid iCalendar document");
    let events: Vec<_> = cal
        .components
        .iter()
        .filter_map(|c| match c {
            CalendarComponent::Event(e) => Some(e),
            _ => None,
        })
        .collect();
    assert_eq!(events.len(), 1, "{ics}");
    events[0]
        .property_value("DTSTART")
        .expect("DTSTART")
        .to_owned()
}

#[tokio::test]
async fn a_registered_agent_is_reminded_a_week_and_a_day_before_once_with_the_ics_after_quiet_hours()
 {
    let Some((smtp, dir)) = crate::mail::smtp_server() else {
        return;
    };
    let relay = |raw: &mut entrepairs::config::RawConfig| {
        raw.smtp_url = Some(format!("smtp://{smtp}"));
        raw.mail_from = Some("Mairie de test <entrepairs@mairie.test>".into());
    };
    let node = TestNode::spawn_with("remind", relay).await;
    let alice = node.create_user("alice", false).await;
    let name = crate::mail::unique("chloe");
    let chloe = node.create_user(&name, false).await;
    let quiet = crate::mail::unique("dora");
    let dora = node.create_user(&quiet, false).await;
    community_on(&node, &alice, "accueil", "open").await;
    let handle = format!("accueil@{}", node.authority);
    join(&node, &chloe, &handle).await;
    join(&node, &dora, &handle).await;
    // dora wants no reminder: « Jamais » for that kind on « Mes notifications ».
    let token = node.token(&quiet).await;
    let mut prefs: Value = client()
        .get(node.url("/api/v1/me/notifications"))
        .bearer_auth(&token)
        .send()
        .await
        .expect("get")
        .json()
        .await
        .expect("json");
    assert_eq!(prefs["kinds"]["session_reminder"], "now", "on by default");
    prefs["kinds"]["session_reminder"] = json!("off");
    let saved = client()
        .put(node.url("/api/v1/me/notifications"))
        .bearer_auth(&token)
        .json(&prefs)
        .send()
        .await
        .expect("put");
    assert_eq!(saved.status(), 200);
    let prefs: Value = saved.json().await.expect("json");
    assert_eq!(prefs["kinds"]["session_reminder"], "off");

    // Tuesday 2 March 2027, 09:30 (08:30 UTC), at the town hall.
    let community = communities::resolve(&node.state, &handle)
        .await
        .expect("community");
    let created = events::create(
        &node.state,
        &alice,
        &community,
        &EventInput {
            title: "Séance de mars".into(),
            description: "Ordre du jour : le kit d'accueil".into(),
            kind: "seance".into(),
            start: "2027-03-02T09:30".into(),
            end: "2027-03-02T12:00".into(),
            address: "Mairie de Castelsarrasin, salle du conseil".into(),
            capacity: "10".into(),
            ..Default::default()
        },
    )
    .await
    .expect("session");
    let session = created[0].id;
    for agent in [&chloe, &dora] {
        let seat = participation::join(&node.state, agent, session)
            .await
            .expect("registered");
        assert_eq!(seat, "accepted");
    }
    let chloe_mail = chloe.email.clone();

    // Ten days before: nothing yet.
    node.state.clock.set(local_ms(&node, "2027-02-20T10:00"));
    assert_eq!(cycle(&node).await, (0, 0));

    // Tuesday 23 February, 10:00, within the week: one reminder, with the .ics attached.
    node.state.clock.set(local_ms(&node, "2027-02-23T10:00"));
    assert_eq!(
        cycle(&node).await,
        (1, 1),
        "chloe only: dora turned them off"
    );
    let got = crate::mail::wait_received(&dir, &chloe_mail, 1).await;
    assert_eq!(got.len(), 1);
    let week = &got[0];
    let subject = week["subject"].as_str().unwrap_or_default();
    assert!(
        subject.starts_with("Rappel : « Séance de mars », mardi 2 mars 2027, 09:30"),
        "{subject}"
    );
    assert_eq!(week["content_type"], "multipart/mixed");
    let text = week["text"].as_str().expect("text part");
    assert!(
        text.contains("Vous êtes inscrit·e à cette séance."),
        "{text}"
    );
    assert!(text.contains("Lieu : Mairie de Castelsarrasin, salle du conseil"));
    assert!(text.contains("Le fichier joint (seance.ics)"));
    let link = crate::mail::link_in(text, &node.base, "/sessions/");
    assert_eq!(link, format!("{}/sessions/{session}", node.base));
    assert!(
        week["html"]
            .as_str()
            .is_some_and(|h| h.contains("Voir la séance"))
    );
    let raw = week["raw"].as_str().unwrap_or_default();
    assert!(raw.contains("List-Unsubscribe: <"), "{raw}");
    let attachments = week["attachments"].as_array().expect("attachments");
    assert_eq!(attachments.len(), 1, "{attachments:?}");
    assert_eq!(attachments[0]["content_type"], "text/calendar");
    assert_eq!(attachments[0]["filename"], "seance.ics");
    let ics = attachments[0]["content"].as_str().expect("ics");
    assert_eq!(dtstart(ics), "20270302T083000Z", "the session's start");
    // The same file as the session page's .ics.
    let mut browser = crate::support::Browser::new(&node.base);
    browser.login(&name, crate::support::PASSWORD).await;
    let page_ics = browser
        .get(&format!("/sessions/{session}/session.ics"))
        .await;
    assert_eq!(page_ics.status, 200);
    assert_eq!(dtstart(&page_ics.body), dtstart(ics));

    // Once: later the same week, and after a restart (the record is in the database), nothing.
    node.state.clock.set(local_ms(&node, "2027-02-25T10:00"));
    assert_eq!(cycle(&node).await, (0, 0));
    let node = node.stop().await.restart_with(relay).await;
    node.state.clock.set(local_ms(&node, "2027-02-26T10:00"));
    assert_eq!(cycle(&node).await, (0, 0));

    // Monday 1 March at 20:00 (quiet hours): the day's reminder waits until Tuesday 08:00.
    node.state.clock.set(local_ms(&node, "2027-03-01T20:00"));
    assert_eq!(cycle(&node).await, (1, 0), "queued, held by quiet hours");
    node.state.clock.set(local_ms(&node, "2027-03-02T07:59"));
    assert_eq!(cycle(&node).await, (0, 0));
    node.state.clock.set(local_ms(&node, "2027-03-02T08:00"));
    assert_eq!(cycle(&node).await, (0, 1), "sent at 08:00");
    let got = crate::mail::wait_received(&dir, &chloe_mail, 2).await;
    assert_eq!(got.len(), 2);
    let day = &got[1];
    let ics = day["attachments"][0]["content"].as_str().expect("ics");
    assert_eq!(dtstart(ics), "20270302T083000Z");
    node.state.clock.set(local_ms(&node, "2027-03-02T09:00"));
    assert_eq!(cycle(&node).await, (0, 0), "the day's reminder only once");
    assert!(
        crate::mail::wait_received(&dir, &dora.email, 1)
            .await
            .is_empty(),
        "dora turned reminders off"
    );
}
