//! Mail: password reset and invitations by email, the outbox's retries and refusals, through
//! the outbox alone and through a real SMTP server (`ENTREPAIRS_TEST_SMTP`, `.ci/start-smtp`).

use std::collections::HashMap;
use std::path::PathBuf;
use std::time::Duration;

use entrepairs::domain::accounts::{self, NewAccountInput};
use entrepairs::mail::{self, message};

use crate::support::{Browser, PASSWORD, TestNode};

/// The real SMTP server and the folder it writes messages to; `None` (test skipped) outside
/// CI when it is not running. Under CI a missing server is a failure.
pub(crate) fn smtp_server() -> Option<(String, PathBuf)> {
    let addr = std::env::var("ENTREPAIRS_TEST_SMTP")
        .ok()
        .filter(|v| !v.is_empty());
    let dir = std::env::var("ENTREPAIRS_TEST_MAILDIR")
        .ok()
        .filter(|v| !v.is_empty());
    match (addr, dir) {
        (Some(a), Some(d)) => Some((a, PathBuf::from(d))),
        _ => {
            let ci = matches!(std::env::var("CI").as_deref(), Ok("true") | Ok("1"));
            assert!(
                !ci,
                "CI must run the mail tests: ENTREPAIRS_TEST_SMTP and ENTREPAIRS_TEST_MAILDIR are unset (.ci/start-smtp)"
            );
            println!("skipped: no SMTP server (ENTREPAIRS_TEST_SMTP unset; run .ci/start-smtp)");
            None
        }
    }
}

/// A short unique name: parallel tests never read each other's mail.
pub(crate) fn unique(prefix: &str) -> String {
    format!(
        "{prefix}{}",
        &uuid::Uuid::new_v4().simple().to_string()[..10]
    )
}

/// An address on loopback where nothing listens.
fn dead_smtp_url() -> String {
    let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = l.local_addr().expect("addr").port();
    drop(l);
    format!("smtp://127.0.0.1:{port}")
}

/// Messages the server received for `to`, read as the server's MIME parser read them.
fn received_for(dir: &PathBuf, to: &str) -> Vec<serde_json::Value> {
    let mut names: Vec<_> = std::fs::read_dir(dir)
        .expect("maildir")
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    names.sort();
    names
        .into_iter()
        .filter_map(|p| std::fs::read_to_string(p).ok())
        .filter_map(|t| serde_json::from_str::<serde_json::Value>(&t).ok())
        .filter(|m| {
            m["rcpt_tos"]
                .as_array()
                .is_some_and(|r| r.iter().any(|a| a.as_str() == Some(to)))
        })
        .collect()
}

/// Waits for `n` messages to `to` (the server writes them as it receives them).
pub(crate) async fn wait_received(dir: &PathBuf, to: &str, n: usize) -> Vec<serde_json::Value> {
    for _ in 0..100 {
        let got = received_for(dir, to);
        if got.len() >= n {
            return got;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    received_for(dir, to)
}

/// The first link to this node's `path` in a text.
pub(crate) fn link_in(text: &str, base: &str, path: &str) -> String {
    let start = format!("{base}{path}");
    text.split_whitespace()
        .find(|w| w.starts_with(&start))
        .unwrap_or_else(|| panic!("no {start} link in {text}"))
        .trim_end_matches(['.', ',', ')'])
        .to_owned()
}

async fn create(node: &TestNode, username: &str) -> String {
    node.create_user(username, false).await;
    format!("{username}@{}.test", node.name)
}

async fn request_reset(node: &TestNode, email: &str) -> crate::support::browser::Page {
    let mut b = Browser::new(&node.base);
    b.post_raw("/password-reset", &[("email", email)], None)
        .await
}

/// The outbox's newest message to `to`.
async fn outbox_text(node: &TestNode, to: &str) -> Option<String> {
    node.state
        .store
        .recent_mail(100)
        .await
        .expect("outbox")
        .into_iter()
        .find(|m| m.to_address.contains(to))
        .map(|m| m.body_text)
}

#[tokio::test]
async fn a_reset_link_changes_the_password_once_and_the_answer_never_tells_who_exists() {
    let node = TestNode::spawn_with("reset", |raw| raw.smtp_url = Some(dead_smtp_url())).await;
    let name = unique("r");
    let email = create(&node, &name).await;

    let login = Browser::new(&node.base).get("/login").await;
    assert!(
        login.body.contains("Mot de passe oublié ?"),
        "{}",
        login.body
    );

    let known = request_reset(&node, &email).await;
    let unknown = request_reset(&node, "personne@nulle-part.test").await;
    assert_eq!(known.status, 200);
    assert_eq!(
        (known.status, &known.body),
        (unknown.status, &unknown.body),
        "the same answer whether the address exists or not"
    );
    assert!(
        known
            .body
            .contains("Si cette adresse correspond à un compte")
    );
    let text = outbox_text(&node, &email).await.expect("a message queued");
    assert!(
        outbox_text(&node, "personne@nulle-part.test")
            .await
            .is_none(),
        "nothing for an unknown address"
    );
    let link = link_in(&text, &node.base, "/password-reset/");
    let path = link.trim_start_matches(&node.base).to_owned();

    let mut b = Browser::new(&node.base);
    let form = b.get(&path).await;
    assert_eq!(form.status, 200, "{}", form.body);
    assert!(form.body.contains(&name));
    let new_password = "un-nouveau-mot-de-passe";
    let done = b
        .post_raw(
            &path,
            &[("password", new_password), ("confirm", new_password)],
            None,
        )
        .await;
    assert_eq!(done.status, 200, "{}", done.body);
    assert!(done.body.contains("Votre mot de passe est changé"));
    Browser::new(&node.base).login(&name, new_password).await;
    let old = Browser::new(&node.base)
        .post_raw(
            "/login",
            &[("username", &name), ("password", PASSWORD)],
            None,
        )
        .await;
    assert_ne!(old.status, 303, "the old password no longer works");

    // Reused: refused, and the password stays the one chosen.
    let again = b
        .post_raw(
            &path,
            &[
                ("password", "encore-un-autre-mdp"),
                ("confirm", "encore-un-autre-mdp"),
            ],
            None,
        )
        .await;
    assert_eq!(again.status, 404);
    assert!(
        again.body.contains("a été changé. Demandez"),
        "{}",
        again.body
    );
    Browser::new(&node.base).login(&name, new_password).await;

    // Forged.
    let forged = b.get("/password-reset/pas-un-vrai-jeton").await;
    assert_eq!(forged.status, 404);
    assert!(forged.body.contains("est pas valable"));

    // Expired: a fresh link, aged past its hour.
    request_reset(&node, &email).await;
    let text = node
        .state
        .store
        .recent_mail(1)
        .await
        .expect("outbox")
        .remove(0)
        .body_text;
    let path = link_in(&text, &node.base, "/password-reset/")
        .trim_start_matches(&node.base)
        .to_owned();
    sqlx::any::install_default_drivers();
    let pool = sqlx::AnyPool::connect(&node.database_url)
        .await
        .expect("db");
    sqlx::query("UPDATE password_resets SET expires_at = 0 WHERE used_at IS NULL")
        .execute(&pool)
        .await
        .expect("age the link");
    let expired = b
        .post_raw(
            &path,
            &[
                ("password", "expire-expire-1"),
                ("confirm", "expire-expire-1"),
            ],
            None,
        )
        .await;
    assert_eq!(expired.status, 404);
    Browser::new(&node.base).login(&name, new_password).await;
}

#[tokio::test]
async fn reset_requests_are_rate_limited() {
    let node = TestNode::spawn_with("resetlimit", |raw| raw.smtp_url = Some(dead_smtp_url())).await;
    let email = create(&node, &unique("l")).await;
    let mut statuses = Vec::new();
    for _ in 0..7 {
        statuses.push(request_reset(&node, &email).await.status);
    }
    assert!(statuses[..5].iter().all(|s| *s == 200), "{statuses:?}");
    assert_eq!(statuses[6], 429, "{statuses:?}");
    let queued = node.state.store.count_mail("queued").await.expect("count");
    assert_eq!(queued, 5, "no message beyond the limit");
}

#[tokio::test]
async fn without_a_relay_the_pages_say_that_no_mail_is_sent() {
    let node = TestNode::spawn_named("nomail").await;
    let forgot = Browser::new(&node.base).get("/password-reset").await;
    assert!(
        forgot.body.contains("envoie pas de courriel"),
        "{}",
        forgot.body
    );

    let mut admin = node.logged_in("admin", true).await;
    let page = admin
        .submit(
            "/admin/accounts",
            "/admin/accounts",
            &[
                ("username", "nadia"),
                ("display_name", "Nadia"),
                ("email", "nadia@nomail.test"),
            ],
        )
        .await;
    assert_eq!(page.status, 201, "{}", page.body);
    assert!(page.body.contains("invitation-link"));
    assert!(page.body.contains("Aucun relais SMTP"), "{}", page.body);
    assert_eq!(
        node.state.store.count_mail("queued").await.expect("count"),
        0
    );
    let mail_page = admin.get("/admin/mail").await;
    assert!(
        mail_page.body.contains("Aucun relais SMTP"),
        "{}",
        mail_page.body
    );
    assert_eq!(admin.get("/admin/mail/demo").await.status, 404, "demo only");
}

#[tokio::test]
async fn an_unreachable_relay_keeps_the_message_queued_and_the_admin_sees_why() {
    let node = TestNode::spawn_with("down", |raw| raw.smtp_url = Some(dead_smtp_url())).await;
    let mut admin = node.logged_in("admin", true).await;
    let email = format!("{}@down.test", unique("d"));
    let to = message::recipient("Dora", &email).expect("address");
    let m = mail::messages::password_reset(&node.state, "fr", to, "http://x/y").expect("written");
    mail::queue(&node.state, m).await.expect("queued");
    let stats = mail::drain(&node.state).await.expect("drain");
    assert_eq!((stats.sent, stats.retried, stats.failed), (0, 1, 0));
    let row = &node
        .state
        .store
        .mail_in_state("queued", 10)
        .await
        .expect("rows")[0];
    assert_eq!(row.attempts, 1);
    assert!(row.next_attempt_at > entrepairs::db::now_ms(), "backoff");
    let page = admin.get("/admin/mail").await;
    assert!(page.body.contains(&email), "{}", page.body);
    assert!(page.body.contains("Réessayer maintenant"));
    let retried = admin.submit("/admin/mail", "/admin/mail/retry", &[]).await;
    assert_eq!(retried.status, 200, "{}", retried.body);
    let row = &node
        .state
        .store
        .mail_in_state("queued", 10)
        .await
        .expect("rows")[0];
    assert!(row.next_attempt_at <= entrepairs::db::now_ms(), "due again");
}

/// Sends a reset through the real server: headers, both parts, and the link followed.
#[tokio::test]
async fn a_reset_mail_arrives_through_a_real_smtp_server_and_its_link_works_once() {
    let Some((smtp, dir)) = smtp_server() else {
        return;
    };
    let node = TestNode::spawn_with("smtpreset", |raw| {
        raw.smtp_url = Some(format!("smtp://{smtp}"));
        raw.mail_from = Some("Mairie de test <entrepairs@mairie.test>".into());
        raw.mail_reply_to = Some("accueil@mairie.test".into());
    })
    .await;
    let name = unique("s");
    let email = create(&node, &name).await;
    assert_eq!(request_reset(&node, &email).await.status, 200);
    let stats = mail::drain(&node.state).await.expect("drain");
    assert_eq!(stats.sent, 1, "{stats:?}");

    let got = wait_received(&dir, &email, 1).await;
    assert_eq!(got.len(), 1, "exactly one message");
    let m = &got[0];
    assert_eq!(m["from"], "Mairie de test <entrepairs@mairie.test>");
    assert!(m["to"].as_str().unwrap_or_default().contains(&email), "{m}");
    assert_eq!(m["reply_to"], "accueil@mairie.test");
    let subject = m["subject"].as_str().unwrap_or_default();
    assert!(subject.contains("Votre nouveau mot de passe"), "{subject}");
    assert!(!m["date"].as_str().unwrap_or_default().is_empty(), "Date");
    let mid = m["message_id"].as_str().unwrap_or_default();
    assert!(
        mid.starts_with('<') && mid.ends_with("@mairie.test>"),
        "{mid}"
    );
    assert_eq!(m["content_type"], "multipart/alternative");
    let text = m["text"].as_str().expect("a text part");
    let html = m["html"].as_str().expect("an HTML part");
    assert!(text.contains("Bonjour"), "{text}");
    let link = link_in(text, &node.base, "/password-reset/");
    assert!(
        html.contains(&link),
        "the HTML part has the same link: {html}"
    );

    let path = link.trim_start_matches(&node.base).to_owned();
    let mut b = Browser::new(&node.base);
    let pw = "mot-de-passe-par-courriel";
    let done = b
        .post_raw(&path, &[("password", pw), ("confirm", pw)], None)
        .await;
    assert_eq!(done.status, 200, "{}", done.body);
    Browser::new(&node.base).login(&name, pw).await;
    let again = b.get(&path).await;
    assert_eq!(again.status, 404, "the link served once");
    assert!(again.body.contains("a été changé. Demandez"));
}

#[tokio::test]
async fn an_invitation_typed_by_the_admin_is_mailed_and_its_link_sets_the_password() {
    let Some((smtp, dir)) = smtp_server() else {
        return;
    };
    let node = TestNode::spawn_with("smtpinvite", |raw| {
        raw.smtp_url = Some(format!("smtp://{smtp}"));
    })
    .await;
    let mut admin = node.logged_in("admin", true).await;
    let name = unique("i");
    let email = format!("{name}@smtpinvite.test");
    let page = admin
        .submit(
            "/admin/accounts",
            "/admin/accounts",
            &[
                ("username", &name),
                ("display_name", "Inès Invitée"),
                ("email", &email),
            ],
        )
        .await;
    assert_eq!(page.status, 201, "{}", page.body);
    assert!(page.body.contains("envoyé par courriel"), "{}", page.body);
    assert_eq!(mail::drain(&node.state).await.expect("drain").sent, 1);
    let got = wait_received(&dir, &email, 1).await;
    assert_eq!(got.len(), 1);
    let m = &got[0];
    assert!(
        m["to"]
            .as_str()
            .unwrap_or_default()
            .contains("Inès Invitée"),
        "{m}"
    );
    assert!(
        m["subject"]
            .as_str()
            .unwrap_or_default()
            .contains("Votre invitation")
    );
    let text = m["text"].as_str().expect("text part");
    assert!(text.contains(&name), "the username is in the message");
    let link = link_in(text, &node.base, "/invitation/");
    let path = link.trim_start_matches(&node.base).to_owned();
    let pw = "mot-de-passe-invite";
    let done = Browser::new(&node.base)
        .post_raw(&path, &[("password", pw), ("confirm", pw)], None)
        .await;
    assert_eq!(done.status, 200, "{}", done.body);
    Browser::new(&node.base).login(&name, pw).await;
}

#[tokio::test]
async fn a_permanent_refusal_fails_that_message_only() {
    let Some((smtp, dir)) = smtp_server() else {
        return;
    };
    let node = TestNode::spawn_with("smtp5xx", |raw| {
        raw.smtp_url = Some(format!("smtp://{smtp}"));
    })
    .await;
    let tag = unique("");
    let addresses = [
        format!("ok1-{tag}@refus.test"),
        format!("refuse-{tag}@refus.test"),
        format!("ok2-{tag}@refus.test"),
    ];
    for a in &addresses {
        let to = message::recipient("", a).expect("address");
        let m =
            mail::messages::password_reset(&node.state, "fr", to, "http://x/y").expect("written");
        mail::queue(&node.state, m).await.expect("queued");
    }
    let stats = mail::drain(&node.state).await.expect("drain");
    assert_eq!(
        (stats.sent, stats.retried, stats.failed),
        (2, 0, 1),
        "{stats:?}"
    );
    let failed = node
        .state
        .store
        .mail_in_state("failed", 10)
        .await
        .expect("rows");
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0].to_address, addresses[1]);
    let reason = failed[0].last_error.clone().unwrap_or_default();
    assert!(
        reason.contains("550"),
        "the relay's reason is kept: {reason}"
    );
    assert_eq!(wait_received(&dir, &addresses[0], 1).await.len(), 1);
    assert_eq!(wait_received(&dir, &addresses[2], 1).await.len(), 1);
    let mut admin = node.logged_in("admin", true).await;
    let page = admin.get("/admin/mail").await;
    assert!(page.body.contains("550"), "{}", page.body);
    let metrics = crate::support::client()
        .get(node.url("/metrics"))
        .send()
        .await
        .expect("metrics")
        .text()
        .await
        .expect("body");
    assert!(metrics.contains("entrepairs_mail_sent_total"), "{metrics}");
    assert!(
        metrics.contains("entrepairs_mail_failed_total{final=\"true\"}"),
        "{metrics}"
    );
}

/// The relay is down during a burst of 50 messages, the node restarts, the relay is back:
/// every message arrives exactly once.
#[tokio::test]
async fn a_burst_queued_while_the_relay_is_down_arrives_exactly_once_after_a_restart() {
    let Some((smtp, dir)) = smtp_server() else {
        return;
    };
    let node = TestNode::spawn_with("burst", |raw| raw.smtp_url = Some(dead_smtp_url())).await;
    let tag = unique("");
    let addresses: Vec<String> = (0..50).map(|i| format!("b{i}-{tag}@burst.test")).collect();
    for a in &addresses {
        let to = message::recipient("", a).expect("address");
        let m =
            mail::messages::password_reset(&node.state, "fr", to, "http://x/y").expect("written");
        mail::queue(&node.state, m).await.expect("queued");
    }
    let stats = mail::drain(&node.state).await.expect("drain");
    assert_eq!((stats.sent, stats.retried), (0, 50), "{stats:?}");

    let node = node
        .stop()
        .await
        .restart_with(|raw| raw.smtp_url = Some(format!("smtp://{smtp}")))
        .await;
    assert_eq!(
        node.state.store.count_mail("queued").await.expect("count"),
        50
    );
    node.state.store.retry_mail_now().await.expect("retry");
    // Two drains at once, as two workers would: claims keep them from sending one twice.
    let started = std::time::Instant::now();
    let (a, b) = tokio::join!(mail::drain(&node.state), mail::drain(&node.state));
    let sent = a.expect("drain").sent + b.expect("drain").sent;
    assert_eq!(sent, 50);
    let secs = started.elapsed().as_secs_f64();
    println!("50 mails sent in {secs:.2} s: {:.0} mails/s", 50.0 / secs);
    assert_eq!(mail::drain(&node.state).await.expect("drain").sent, 0);
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for a in &addresses {
        counts.insert(a, wait_received(&dir, a, 1).await.len());
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
    for a in &addresses {
        assert_eq!(received_for(&dir, a).len(), 1, "{a}: {counts:?}");
    }
}

#[tokio::test]
async fn invitation_mail_names_are_cleaned_of_line_breaks() {
    let node = TestNode::spawn_with("inject", |raw| raw.smtp_url = Some(dead_smtp_url())).await;
    let (account, link) = entrepairs::domain::invitations::invite(
        &node.state,
        &node.create_user("admin", true).await,
        NewAccountInput {
            username: unique("j"),
            display_name: "Jean".into(),
            email: "jean@inject.test".into(),
            ..Default::default()
        },
    )
    .await
    .expect("invited");
    let to = message::recipient("Jean\r\nBcc: espion@evil.test", &account.email).expect("to");
    let m = mail::messages::invitation(&node.state, "fr", to, &account.username, &link).expect("m");
    mail::queue(&node.state, m).await.expect("queued");
    let row = &node.state.store.recent_mail(1).await.expect("rows")[0];
    let built = message::build(&node.state.config.mail, row).expect("built");
    let raw = String::from_utf8_lossy(&built.formatted()).into_owned();
    let headers = raw.split("\r\n\r\n").next().unwrap_or_default();
    assert!(
        headers.split("\r\n").all(|l| !l.starts_with("Bcc:")),
        "{headers}"
    );
    let _ = accounts::by_username(&node.state, &account.username)
        .await
        .expect("exists");
}

#[tokio::test]
async fn the_demo_keeps_its_mail_and_shows_it_to_the_admin() {
    let node = TestNode::spawn_with_config("demo", |_| {}, |c| c.mail.demo = true).await;
    let name = unique("m");
    let email = create(&node, &name).await;
    let forgot = Browser::new(&node.base).get("/password-reset").await;
    assert!(
        forgot.body.contains("Recevoir un lien"),
        "the demo shows the form"
    );
    assert_eq!(request_reset(&node, &email).await.status, 200);
    assert_eq!(mail::drain(&node.state).await.expect("drain").sent, 0);
    let mut admin = node.logged_in("admin", true).await;
    let page = admin.get("/admin/mail/demo").await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("Courriels envoyés (démo)"));
    assert!(page.body.contains(&email));
    assert!(page.body.contains("Votre nouveau mot de passe"));
    assert!(
        page.body.contains("/password-reset/"),
        "the text, link included"
    );
}
