//! The digest (issue 15): one weekly mail across every community an agent is a member of, on
//! every node, through a real SMTP server (`ENTREPAIRS_TEST_SMTP`); nothing from a community
//! she cannot read; its unsubscribe link works without login; once per period, restarts
//! included.

use entrepairs::domain::accounts::Account;
use entrepairs::domain::communities;
use entrepairs::domain::posts;
use entrepairs::domain::resources::{self, ResourceInput};
use entrepairs::mail::digest::run_due;

use crate::communities::{community_on, join};
use crate::support::{Browser, PASSWORD, TestNode, client};

/// The Monday after now, 08:05 in the node's time zone: the week before holds what the test
/// writes now (posts are dated by the system clock).
fn next_monday_morning(node: &TestNode) -> i64 {
    let tz = jiff::tz::TimeZone::get(&node.state.config.timezone).expect("tz");
    let now = jiff::Timestamp::now().to_zoned(tz.clone());
    let mut day = now.date().tomorrow().expect("date");
    while day.weekday() != jiff::civil::Weekday::Monday {
        day = day.tomorrow().expect("date");
    }
    day.at(8, 5, 0, 0)
        .to_zoned(tz)
        .expect("zoned")
        .timestamp()
        .as_millisecond()
}

async fn thread(node: &TestNode, who: &Account, handle: &str, title: &str) {
    let c = communities::resolve(&node.state, handle)
        .await
        .expect("community");
    posts::create_thread(&node.state, who, &c, title, "Texte de la discussion.")
        .await
        .expect("thread");
}

#[tokio::test]
async fn a_weekly_digest_tells_the_week_of_three_nodes_and_nothing_she_cannot_read() {
    let Some((smtp, dir)) = crate::mail::smtp_server() else {
        return;
    };
    let relay = move |raw: &mut entrepairs::config::RawConfig| {
        raw.smtp_url = Some(format!("smtp://{smtp}"));
        raw.mail_from = Some("CHU de test <entrepairs@chu.test>".into());
    };
    let a = TestNode::spawn_named("a").await;
    let b = TestNode::spawn_named("b").await;
    let c = TestNode::spawn_with("c", relay.clone()).await;
    TestNode::federate(&[&a, &b, &c]).await;
    let alice = a.create_user("alice", false).await;
    let bruno = b.create_user("bruno", false).await;
    let carla = c.create_user("carla", false).await;
    let name = crate::mail::unique("chloe");
    let chloe = c.create_user(&name, false).await;
    let chloe_mail = chloe.email.clone();

    // The three demo-like communities, one per node, and two she is not a member of: one
    // hosted where she could not read it, one open she never joined.
    community_on(&a, &alice, "prefecture", "open").await;
    community_on(&b, &bruno, "accueil", "open").await;
    community_on(&c, &carla, "urgences", "open").await;
    community_on(&a, &alice, "cabinet", "invitation").await;
    community_on(&b, &bruno, "etatcivil", "open").await;
    let prefecture = format!("prefecture@{}", a.authority);
    let accueil = format!("accueil@{}", b.authority);
    join(&c, &chloe, &prefecture).await;
    join(&c, &chloe, &accueil).await;
    join(&c, &chloe, "urgences").await;
    TestNode::drain_all(&[&a, &b, &c]).await;

    thread(&a, &alice, "prefecture", "Procédure de la préfecture").await;
    thread(&b, &bruno, "accueil", "Horaires d'hiver de la mairie").await;
    thread(&c, &carla, "urgences", "Garde du week-end").await;
    thread(&a, &alice, "cabinet", "Dossier confidentiel du cabinet").await;
    thread(&b, &bruno, "etatcivil", "Hors de ses communautés").await;
    let c_accueil = communities::resolve(&b.state, "accueil")
        .await
        .expect("accueil");
    resources::create(
        &b.state,
        &bruno,
        &c_accueil,
        &ResourceInput {
            kind: "kit".into(),
            slug: "kit-accueil".into(),
            title: "Kit de survie de l'accueil".into(),
            body: "# Kit\n\nLes bons réflexes.".into(),
            summary: String::new(),
        },
    )
    .await
    .expect("resource");
    TestNode::drain_all(&[&a, &b, &c]).await;

    // Monday morning on the CHU: the weekly digest is queued once, sent through the relay.
    c.state.clock.set(next_monday_morning(&c));
    let first = run_due(&c.state, &c.state.mail).await.expect("digests");
    assert!(first.queued >= 1, "{first:?}");
    let again = run_due(&c.state, &c.state.mail).await.expect("digests");
    assert_eq!(again.queued, 0, "once per period");
    entrepairs::mail::drain(&c.state).await.expect("drain");
    let got = crate::mail::wait_received(&dir, &chloe_mail, 1).await;
    let digests: Vec<_> = got
        .iter()
        .filter(|m| {
            m["subject"]
                .as_str()
                .is_some_and(|s| s.contains("Votre résumé de la semaine"))
        })
        .collect();
    assert_eq!(digests.len(), 1, "one digest: {got:?}");
    let m = digests[0];
    let text = m["text"].as_str().expect("text part");
    let html = m["html"].as_str().unwrap_or_default();
    let raw = m["raw"].as_str().unwrap_or_default();
    for seen in [
        "Procédure de la préfecture",
        "Horaires d'hiver de la mairie",
        "Garde du week-end",
        "Kit de survie de l'accueil",
        "Communauté prefecture",
        "Communauté accueil",
        "Communauté urgences",
        "Droit à la déconnexion",
    ] {
        assert!(text.contains(seen), "{seen} missing from {text}");
    }
    assert!(html.contains("Garde du week-end"), "{html}");
    assert!(html.contains("Horaires d&#39;hiver") || html.contains("Horaires d'hiver"));
    for unseen in ["Dossier confidentiel", "Hors de ses communautés", "cabinet"] {
        assert!(
            !text.contains(unseen) && !html.contains(unseen),
            "{unseen} in {text}"
        );
    }
    assert!(raw.contains("List-Unsubscribe: <"), "{raw}");
    assert!(raw.contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click"));

    // Every link is absolute and works: a thread of node a, read on the CHU.
    let link = crate::mail::link_in(text, &c.base, "/discussions/");
    let mut browser = Browser::new(&c.base);
    browser.login(&name, PASSWORD).await;
    let page = browser.get(link.trim_start_matches(&c.base)).await;
    assert_eq!(page.status, 200);
    let resource = crate::mail::link_in(text, &c.base, "/communities/accueil@");
    assert!(
        browser
            .get(resource.trim_start_matches(&c.base))
            .await
            .status
            == 200
    );

    // A restart does not send it again.
    let c = c.stop().await.restart_with(relay).await;
    c.state.clock.set(next_monday_morning(&c));
    let after_restart = run_due(&c.state, &c.state.mail).await.expect("digests");
    assert_eq!(after_restart.queued, 0, "recorded across restarts");

    // The unsubscribe link, without login: one click turns the digest off, nothing else.
    let unsubscribe = crate::mail::link_in(text, &c.base, "/unsubscribe/");
    let token = c.token(&name).await;
    let prefs = |token: String, node_url: String| async move {
        client()
            .get(format!("{node_url}/api/v1/me/notifications"))
            .bearer_auth(token)
            .send()
            .await
            .expect("prefs")
            .json::<serde_json::Value>()
            .await
            .expect("json")
    };
    let before = prefs(token.clone(), c.base.clone()).await;
    assert_eq!(before["digest"], "weekly");
    let r = client()
        .post(&unsubscribe)
        .form(&[("List-Unsubscribe", "One-Click")])
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), 200);
    let after = prefs(token, c.base.clone()).await;
    assert_eq!(after["digest"], "never");
    let mut expected = before.clone();
    expected["digest"] = serde_json::json!("never");
    assert_eq!(after, expected, "only the digest changed");
}

#[tokio::test]
async fn nothing_to_tell_sends_nothing_and_a_node_without_relay_queues_no_digest() {
    let node = TestNode::spawn_named("quiet").await;
    let alice = node.create_user("alice", false).await;
    let bruno = node.create_user("bruno", false).await;
    node.create_user("dora", false).await;
    community_on(&node, &alice, "accueil", "open").await;
    join(&node, &bruno, "accueil").await;
    thread(&node, &alice, "accueil", "Une discussion").await;
    node.state.clock.set(next_monday_morning(&node));
    let stats = run_due(&node.state, &node.state.mail)
        .await
        .expect("digests");
    assert_eq!(stats.queued, 0, "no relay, no digest");

    let node = node
        .stop()
        .await
        .restart_with(|raw| {
            let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
            let port = l.local_addr().expect("addr").port();
            raw.smtp_url = Some(format!("smtp://127.0.0.1:{port}"));
        })
        .await;
    node.state.clock.set(next_monday_morning(&node));
    let stats = run_due(&node.state, &node.state.mail)
        .await
        .expect("digests");
    // Bruno reads alice's thread in his digest; alice wrote it (no news for her) and dora is
    // a member of nothing: no mail for them.
    assert_eq!(stats.queued, 1, "{stats:?}");
    assert_eq!(stats.empty, 2, "{stats:?}");
    let mail = node.state.store.recent_mail(10).await.expect("outbox");
    assert_eq!(mail.len(), 1);
    assert_eq!(mail[0].kind, "digest");
    assert!(mail[0].to_address.contains(&bruno.email));
    assert!(mail[0].body_text.contains("Une discussion"));
    assert!(
        mail[0].body_text.contains("par alice"),
        "{}",
        mail[0].body_text
    );
}
