//! Per-agent language (issue 19): an agent who chose English reads pages, errors and mail in
//! English on a French node, a French one French; a visitor gets her browser's language.

use serde_json::{Value, json};

use crate::communities::community_on;
use crate::support::{Browser, TestNode, client};

/// Words of the French interface that must not show on an English page.
const FRENCH: [&str; 5] = [
    "Accueil",
    "Communautés",
    "Se déconnecter",
    "Mon profil",
    "Aller au contenu",
];

fn assert_english(what: &str, body: &str) {
    assert!(body.contains("<html lang=\"en\""), "{what}: html lang");
    for word in FRENCH {
        assert!(!body.contains(word), "{what} still says « {word} »");
    }
}

async fn put_language(node: &TestNode, token: &str, body: &Value) -> (u16, Value) {
    let r = client()
        .put(node.url("/api/v1/me/language"))
        .bearer_auth(token)
        .json(body)
        .send()
        .await
        .expect("put");
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

async fn mail_to(node: &TestNode, to: &str, kind: &str) -> Vec<entrepairs::db::MailRow> {
    node.state
        .store
        .recent_mail(100)
        .await
        .expect("outbox")
        .into_iter()
        .filter(|m| m.to_address.contains(to) && m.kind == kind)
        .collect()
}

#[tokio::test]
async fn an_agent_who_chose_english_reads_english_pages_errors_and_mail_on_a_french_node() {
    let node = TestNode::spawn_with_config("lang", |_| {}, |c| c.mail.demo = true).await;
    let alice = node.create_user("alice", false).await;
    let bruno = node.create_user("bruno", false).await;
    let chloe = node.create_user("chloe", false).await;
    community_on(&node, &alice, "accueil", "open").await;
    let handle = format!("accueil@{}", node.authority);
    crate::communities::join(&node, &bruno, &handle).await;
    crate::communities::join(&node, &chloe, &handle).await;

    let c = entrepairs::domain::communities::resolve(&node.state, &handle)
        .await
        .expect("community");
    let mut b = Browser::new(&node.base);
    b.login("bruno", crate::support::PASSWORD).await;
    let profile = b.get("/profile").await;
    assert!(
        profile.body.contains("<html lang=\"fr\""),
        "French by default"
    );
    assert!(profile.body.contains("Celle de mon navigateur"));

    // A value that is neither French nor English is refused, nothing stored.
    let bad = b
        .submit("/profile", "/profile/language", &[("language", "de")])
        .await;
    assert_eq!(bad.status, 422, "{}", bad.body);
    assert!(bad.body.contains("pas acceptée"), "{}", bad.body);
    assert!(b.get("/profile").await.body.contains("<html lang=\"fr\""));

    // Bruno chooses English in « Mon profil ».
    let chosen = b
        .submit("/profile", "/profile/language", &[("language", "en")])
        .await;
    assert_eq!(chosen.status, 303);
    let location = chosen.location.unwrap_or_default();
    let profile = b.get(location.split('#').next().unwrap_or_default()).await;
    assert_english("profile", &profile.body);
    assert!(profile.body.contains("Language saved."));
    assert!(profile.body.contains("My profile") && profile.body.contains("Log out"));
    for path in ["/", "/communities", "/notifications", "/directory"] {
        let page = b.get(path).await;
        assert_eq!(page.status, 200, "{path}");
        assert_english(path, &page.body);
    }
    let community = b.get(&format!("/communities/{}", c.handle())).await;
    assert_eq!(community.status, 200);
    assert_english("community", &community.body);
    // Errors shown to her, in her language.
    let missing = b.get("/no-such-page").await;
    assert_eq!(missing.status, 404);
    assert!(missing.body.contains("This page does not exist"));
    assert_english("404", &missing.body);
    // Her browser asking for French changes nothing: her choice wins.
    let res = client()
        .get(node.url("/"))
        .header("cookie", b.cookie_header_for_tests())
        .header("accept-language", "fr-FR,fr;q=0.9")
        .send()
        .await
        .expect("get");
    assert_english(
        "home with a French browser",
        &res.text().await.expect("body"),
    );

    // The API reads and writes the same choice; a bad value changes nothing.
    let token = node.token("bruno").await;
    let (status, body) = put_language(&node, &token, &json!({"language": "xx"})).await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["error"]["field"], "language");
    let shown: Value = client()
        .get(node.url("/api/v1/me/language"))
        .bearer_auth(&token)
        .send()
        .await
        .expect("get")
        .json()
        .await
        .expect("json");
    assert_eq!(shown, json!({"language": "en", "mails": "en"}));
    let ctoken = node.token("chloe").await;
    let (status, body) = put_language(&node, &ctoken, &json!({"language": "fr"})).await;
    assert_eq!(
        (status, body),
        (200, json!({"language": "fr", "mails": "fr"}))
    );

    // A French agent mentions both: each reads the mail in her own language.
    node.state
        .clock
        .set(crate::notify::local_ms(&node, "2026-12-08T10:00"));
    entrepairs::domain::posts::create_thread(
        &node.state,
        &alice,
        &c,
        "Nouvelle procédure",
        &format!(
            "Bonjour @bruno@{0} et @chloe@{0} : qu'en pensez-vous ?",
            node.authority
        ),
    )
    .await
    .expect("thread");
    let to_bruno = mail_to(&node, &bruno.email, "notification").await;
    assert_eq!(to_bruno.len(), 1, "one mention mail to bruno");
    assert!(
        to_bruno[0].subject.contains("mentioned you"),
        "{}",
        to_bruno[0].subject
    );
    let to_chloe = mail_to(&node, &chloe.email, "notification").await;
    assert_eq!(to_chloe.len(), 1, "one mention mail to chloe");
    assert!(
        to_chloe[0].subject.contains("vous a mentionné"),
        "{}",
        to_chloe[0].subject
    );

    // A reset asked from a French browser is mailed in the account's language.
    let asked = client()
        .post(node.url("/password-reset"))
        .header("accept-language", "fr")
        .form(&[("email", bruno.email.as_str())])
        .send()
        .await
        .expect("post");
    let page = asked.text().await.expect("body");
    assert!(
        page.contains("<html lang=\"fr\""),
        "the anonymous page follows the browser"
    );
    let reset = mail_to(&node, &bruno.email, "password_reset").await;
    assert_eq!(reset.len(), 1);
    assert!(
        reset[0].subject.contains("Your new password"),
        "{}",
        reset[0].subject
    );

    // Back to French: the pages follow.
    let back = b
        .submit("/profile", "/profile/language", &[("language", "fr")])
        .await;
    assert_eq!(back.status, 303);
    let home = b.get("/").await;
    assert!(home.body.contains("<html lang=\"fr\"") && home.body.contains("Se déconnecter"));
}

#[tokio::test]
async fn a_visitor_gets_her_browsers_language_then_the_nodes() {
    let node = TestNode::spawn_named("visit").await;
    let login = |accept: Option<&'static str>| {
        let mut req = client().get(node.url("/login"));
        if let Some(a) = accept {
            req = req.header("accept-language", a);
        }
        async move { req.send().await.expect("get").text().await.expect("body") }
    };
    let en = login(Some("en-GB,en;q=0.9,fr;q=0.5")).await;
    assert!(en.contains("<html lang=\"en\"") && en.contains("Log in"));
    let fr = login(Some("en;q=0.4, fr-CA;q=0.8")).await;
    assert!(fr.contains("<html lang=\"fr\"") && fr.contains("Connexion"));
    let other = login(Some("de-DE, it;q=0.5")).await;
    assert!(other.contains("<html lang=\"fr\""), "the node's locale");
    let none = login(None).await;
    assert!(none.contains("<html lang=\"fr\""));
    // An agent who never chose follows her browser too.
    let bruno = node.logged_in("bruno", false).await;
    let home = client()
        .get(node.url("/"))
        .header("cookie", bruno.cookie_header_for_tests())
        .header("accept-language", "en")
        .send()
        .await
        .expect("get")
        .text()
        .await
        .expect("body");
    assert_english("home of an agent who never chose", &home);

    // On an English node, no header means English, and a French browser French.
    let en_node = TestNode::spawn_with("visit-en", |raw| raw.locale = Some("en".into())).await;
    let page = client()
        .get(en_node.url("/login"))
        .send()
        .await
        .expect("get")
        .text()
        .await
        .expect("body");
    assert!(page.contains("<html lang=\"en\""));
    let page = client()
        .get(en_node.url("/login"))
        .header("accept-language", "fr")
        .send()
        .await
        .expect("get")
        .text()
        .await
        .expect("body");
    assert!(page.contains("<html lang=\"fr\"") && page.contains("Connexion"));
}
