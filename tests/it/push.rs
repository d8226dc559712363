//! Web Push: devices registered, listed and revoked by their owner only; a mention pushes one
//! encrypted title and link, signed with the node's VAPID key, to a real push receiver that
//! decrypts (`ENTREPAIRS_TEST_PUSH`, `.ci/start-push`); a gone endpoint (410) forgets the
//! device; bad subscriptions are refused and write nothing; the SSRF guard holds.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Value, json};

use entrepairs::domain::push::{self, SubscriptionInput};
use entrepairs::domain::{DomainError, posts};

use crate::communities::{community_on, join};
use crate::support::browser::csrf_token;
use crate::support::{Browser, PASSWORD, TestNode, client};

/// The push receiver's address; `None` (test skipped) outside CI when it is not running.
pub(crate) fn receiver() -> Option<String> {
    match std::env::var("ENTREPAIRS_TEST_PUSH")
        .ok()
        .filter(|v| !v.is_empty())
    {
        Some(url) => Some(url.trim_end_matches('/').to_owned()),
        None => {
            let ci = matches!(std::env::var("CI").as_deref(), Ok("true") | Ok("1"));
            assert!(
                !ci,
                "CI must run the push tests: ENTREPAIRS_TEST_PUSH is unset (.ci/start-push)"
            );
            println!("skipped: no push receiver (ENTREPAIRS_TEST_PUSH unset; run .ci/start-push)");
            None
        }
    }
}

/// A new device at the receiver, answering `status` to pushes.
pub(crate) async fn device(receiver: &str, status: u16) -> Value {
    client()
        .post(format!("{receiver}/subscribe?status={status}"))
        .send()
        .await
        .expect("receiver")
        .json()
        .await
        .expect("json")
}

pub(crate) async fn received(receiver: &str, id: &str) -> Vec<Value> {
    client()
        .get(format!("{receiver}/received/{id}"))
        .send()
        .await
        .expect("receiver")
        .json()
        .await
        .expect("json")
}

/// A key pair and secret that only look like a browser's (for the tests without a receiver).
fn fake_keys() -> (String, String) {
    let rng = aws_lc_rs::rand::SystemRandom::new();
    let private =
        aws_lc_rs::agreement::PrivateKey::generate(&aws_lc_rs::agreement::ECDH_P256).expect("key");
    let public = private.compute_public_key().expect("public");
    let mut auth = [0u8; 16];
    aws_lc_rs::rand::SecureRandom::fill(&rng, &mut auth).expect("random");
    (
        URL_SAFE_NO_PAD.encode(public.as_ref()),
        URL_SAFE_NO_PAD.encode(auth),
    )
}

/// A browser signed in as an existing agent.
async fn signed_in(node: &TestNode, username: &str) -> Browser {
    let mut b = Browser::new(&node.base);
    b.login(username, PASSWORD).await;
    b
}

/// Registers a device through « Mes appareils », as `static/push.js` posts it.
async fn subscribe_in_browser(b: &mut Browser, endpoint: &str, p256dh: &str, auth: &str) -> u16 {
    let page = b.get("/profile/devices").await;
    let csrf = csrf_token(&page.body).expect("csrf");
    let done = b
        .post_raw(
            "/profile/devices",
            &[
                ("csrf_token", csrf.as_str()),
                ("endpoint", endpoint),
                ("p256dh", p256dh),
                ("auth", auth),
                ("label", "Firefox · Android"),
            ],
            None,
        )
        .await;
    done.status
}

#[tokio::test]
async fn a_mention_pushes_one_signed_encrypted_title_and_link_and_a_gone_device_is_forgotten() {
    let Some(receiver) = receiver() else { return };
    let node = TestNode::spawn_named("push").await;
    let alice = node.create_user("alice", false).await;
    let chloe = node.create_user("chloe", false).await;
    community_on(&node, &alice, "accueil", "open").await;
    let handle = format!("accueil@{}", node.authority);
    join(&node, &chloe, &handle).await;

    // chloe registers her phone on « Mes appareils ».
    let phone = device(&receiver, 201).await;
    let mut b = signed_in(&node, "chloe").await;
    let status = subscribe_in_browser(
        &mut b,
        phone["endpoint"].as_str().expect("endpoint"),
        phone["p256dh"].as_str().expect("p256dh"),
        phone["auth"].as_str().expect("auth"),
    )
    .await;
    assert_eq!(
        status, 303,
        "the subscription is stored, then the page is shown again"
    );
    let page = b.get("/profile/devices?done=added").await;
    assert!(page.body.contains("Firefox · Android"), "{}", page.body);
    assert!(
        page.body
            .contains("Cet appareil recevra désormais vos notifications")
    );

    // alice mentions chloe on a Tuesday morning (outside quiet hours): one push, within one
    // cycle of the worker.
    node.state
        .clock
        .set(crate::notify::local_ms(&node, "2026-12-01T10:00"));
    posts::create_thread(
        &node.state,
        &alice,
        &entrepairs::domain::communities::resolve(&node.state, &handle)
            .await
            .expect("community"),
        "Permanence de décembre",
        &format!(
            "Le texte secret du message. @chloe@{} peux-tu regarder ?",
            node.authority
        ),
    )
    .await
    .expect("thread");
    let stats = entrepairs::push::drain(&node.state).await.expect("drain");
    assert_eq!(stats.sent, 1, "{stats:?}");
    let got = received(&receiver, phone["id"].as_str().expect("id")).await;
    assert_eq!(got.len(), 1, "one push: {got:?}");
    let push = &got[0];
    assert_eq!(push["error"], Value::Null, "{push}");
    assert_eq!(push["content_encoding"], "aes128gcm");
    // The VAPID token: for the receiver's origin, valid at most a day, naming who sends,
    // signed with the node's own key.
    let key = push::key(&node.state).await.expect("key");
    assert_eq!(push["k"], key.public_key.as_str());
    assert_eq!(push["signature_valid"], true, "{push}");
    assert_eq!(push["vapid_header"]["alg"], "ES256");
    let claims = &push["claims"];
    assert_eq!(claims["aud"], receiver.as_str());
    let now = entrepairs::db::now_ms() / 1000;
    let exp = claims["exp"].as_i64().expect("exp");
    assert!(exp > now && exp <= now + 24 * 3600, "exp {exp}, now {now}");
    let sub = claims["sub"].as_str().expect("sub");
    assert!(
        sub.starts_with("mailto:") || sub.starts_with("https:"),
        "{sub}"
    );
    // The decrypted payload: a title and a link, never the message.
    let payload: Value =
        serde_json::from_str(push["payload"].as_str().expect("payload")).expect("json payload");
    assert_eq!(
        payload,
        json!({
            "title": "Quelqu’un vous a mentionné (Communauté accueil)",
            "link": format!("{}/notifications", node.base),
        })
    );
    assert!(
        !push["payload"]
            .as_str()
            .unwrap_or_default()
            .contains("secret")
    );
    // The link opens chloe's notifications, where the mention is.
    let notifications = b.get("/notifications").await;
    assert_eq!(notifications.status, 200);

    // The API lists the same device.
    let token = node.token("chloe").await;
    let devices: Vec<Value> = client()
        .get(node.url("/api/v1/me/devices"))
        .bearer_auth(&token)
        .send()
        .await
        .expect("api")
        .json()
        .await
        .expect("json");
    assert_eq!(devices.len(), 1);
    assert!(devices[0]["last_push_at"].is_i64(), "{devices:?}");
    assert!(
        devices[0].get("endpoint").is_none(),
        "the endpoint stays a secret"
    );

    // A second device whose push service says it is gone: forgotten at the first push.
    let old = device(&receiver, 410).await;
    let added = client()
        .post(node.url("/api/v1/me/devices"))
        .bearer_auth(&token)
        .json(&json!({
            "endpoint": old["endpoint"], "p256dh": old["p256dh"], "auth": old["auth"],
            "label": "Ancien téléphone",
        }))
        .send()
        .await
        .expect("api");
    assert_eq!(added.status(), 201);
    push::notify(
        &node.state,
        chloe.actor_id,
        "mention",
        None,
        node.state.clock.now_ms(),
    )
    .await;
    let stats = entrepairs::push::drain(&node.state).await.expect("drain");
    assert_eq!((stats.sent, stats.gone), (1, 1), "{stats:?}");
    let left = push::devices(&node.state, &chloe).await.expect("devices");
    assert_eq!(left.len(), 1, "{left:?}");
    assert_eq!(left[0].label, "Firefox · Android");
    assert_eq!(
        received(&receiver, old["id"].as_str().expect("id"))
            .await
            .len(),
        1
    );
}

#[tokio::test]
async fn bad_subscriptions_are_refused_and_store_nothing() {
    let node = TestNode::spawn_named("pushbad").await;
    let chloe = node.create_user("chloe", false).await;
    let (p256dh, auth) = fake_keys();
    let good = SubscriptionInput {
        endpoint: "https://push.example.org/wpush/v2/abc".into(),
        p256dh: p256dh.clone(),
        auth: auth.clone(),
        label: "Téléphone".into(),
    };
    let cases = [
        (
            "endpoint",
            SubscriptionInput {
                endpoint: "pas une adresse".into(),
                ..good.clone()
            },
        ),
        (
            "endpoint",
            SubscriptionInput {
                endpoint: "ftp://push.example.org/x".into(),
                ..good.clone()
            },
        ),
        (
            "endpoint",
            SubscriptionInput {
                endpoint: format!("https://push.example.org/{}", "a".repeat(3000)),
                ..good.clone()
            },
        ),
        (
            "p256dh",
            SubscriptionInput {
                p256dh: "AAAA".into(),
                ..good.clone()
            },
        ),
        // 65 bytes that are not a point of the curve.
        (
            "p256dh",
            SubscriptionInput {
                p256dh: URL_SAFE_NO_PAD.encode([4u8; 65]),
                ..good.clone()
            },
        ),
        (
            "auth",
            SubscriptionInput {
                auth: URL_SAFE_NO_PAD.encode([1u8; 8]),
                ..good.clone()
            },
        ),
        (
            "label",
            SubscriptionInput {
                label: "Téléphone\r\nX-Injected: 1".into(),
                ..good.clone()
            },
        ),
        (
            "label",
            SubscriptionInput {
                label: "é".repeat(81),
                ..good.clone()
            },
        ),
    ];
    for (field, input) in cases {
        match push::subscribe(&node.state, &chloe, &input).await {
            Err(DomainError::Invalid { field: f, .. }) => assert_eq!(f, field),
            other => panic!("{field}: expected a refusal, got {other:?}"),
        }
    }
    assert!(
        push::devices(&node.state, &chloe)
            .await
            .expect("devices")
            .is_empty()
    );

    // Through the web form: a French sentence saying what to do, nothing stored.
    let mut b = signed_in(&node, "chloe").await;
    let status = subscribe_in_browser(&mut b, "https://push.example.org/x", "AAAA", &auth).await;
    assert_eq!(status, 422);
    assert!(
        push::devices(&node.state, &chloe)
            .await
            .expect("devices")
            .is_empty()
    );

    // Through the API: 422, nothing stored.
    let token = node.token("chloe").await;
    let answer = client()
        .post(node.url("/api/v1/me/devices"))
        .bearer_auth(&token)
        .json(&json!({"endpoint": "https://push.example.org/x", "p256dh": p256dh, "auth": "x"}))
        .send()
        .await
        .expect("api");
    assert_eq!(answer.status(), 422);
    assert!(
        push::devices(&node.state, &chloe)
            .await
            .expect("devices")
            .is_empty()
    );

    // The good one is stored once, even when the browser subscribes twice.
    push::subscribe(&node.state, &chloe, &good)
        .await
        .expect("stored");
    push::subscribe(&node.state, &chloe, &good)
        .await
        .expect("stored again");
    assert_eq!(
        push::devices(&node.state, &chloe)
            .await
            .expect("devices")
            .len(),
        1
    );
}

#[tokio::test]
async fn only_the_owner_sees_and_revokes_a_device() {
    let node = TestNode::spawn_named("pushown").await;
    let chloe = node.create_user("chloe", false).await;
    node.create_user("mallory", false).await;
    let (p256dh, auth) = fake_keys();
    let dev = push::subscribe(
        &node.state,
        &chloe,
        &SubscriptionInput {
            endpoint: "https://push.example.org/wpush/chloe".into(),
            p256dh,
            auth,
            label: "Bureau".into(),
        },
    )
    .await
    .expect("stored");

    // mallory sees none of it and cannot revoke it, by the API or the web.
    let mallory = node.token("mallory").await;
    let list: Vec<Value> = client()
        .get(node.url("/api/v1/me/devices"))
        .bearer_auth(&mallory)
        .send()
        .await
        .expect("api")
        .json()
        .await
        .expect("json");
    assert!(list.is_empty());
    let answer = client()
        .delete(node.url(&format!("/api/v1/me/devices/{}", dev.id)))
        .bearer_auth(&mallory)
        .send()
        .await
        .expect("api");
    assert_eq!(answer.status(), 404);
    let mut mb = signed_in(&node, "mallory").await;
    let page = mb.get("/profile/devices").await;
    assert!(!page.body.contains("Bureau"));
    let csrf = csrf_token(&page.body).expect("csrf");
    let refused = mb
        .post_raw(
            &format!("/profile/devices/{}/revoke", dev.id),
            &[("csrf_token", csrf.as_str())],
            None,
        )
        .await;
    assert_eq!(refused.status, 404);
    assert_eq!(
        push::devices(&node.state, &chloe).await.expect("d").len(),
        1
    );

    // chloe revokes it from « Mes appareils », without JavaScript.
    let mut b = signed_in(&node, "chloe").await;
    let page = b.get("/profile/devices").await;
    assert!(page.body.contains("Bureau") && page.body.contains("push.example.org"));
    let csrf = csrf_token(&page.body).expect("csrf");
    let done = b
        .post_raw(
            &format!("/profile/devices/{}/revoke", dev.id),
            &[("csrf_token", csrf.as_str())],
            None,
        )
        .await;
    assert_eq!(done.status, 303);
    let page = b.get("/profile/devices?done=revoked").await;
    assert!(page.body.contains("L’appareil est retiré"));
    assert!(
        push::devices(&node.state, &chloe)
            .await
            .expect("d")
            .is_empty()
    );
}

#[tokio::test]
async fn a_node_that_refuses_private_addresses_never_pushes_to_them() {
    let node =
        TestNode::spawn_with("pushssrf", |raw| raw.allow_private_addresses = Some(false)).await;
    let chloe = node.create_user("chloe", false).await;
    let (p256dh, auth) = fake_keys();
    // A listener on loopback that would record any connection.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let port = listener.local_addr().expect("addr").port();
    push::subscribe(
        &node.state,
        &chloe,
        &SubscriptionInput {
            endpoint: format!("http://localhost:{port}/push/x"),
            p256dh,
            auth,
            label: String::new(),
        },
    )
    .await
    .expect("stored (the address is checked when sending)");
    push::notify(
        &node.state,
        chloe.actor_id,
        "mention",
        None,
        entrepairs::db::now_ms(),
    )
    .await;
    let stats = entrepairs::push::drain(&node.state).await.expect("drain");
    assert_eq!((stats.sent, stats.retried), (0, 1), "{stats:?}");
    let accepted =
        tokio::time::timeout(std::time::Duration::from_millis(200), listener.accept()).await;
    assert!(accepted.is_err(), "nothing reached the private address");
}

#[tokio::test]
async fn the_app_is_installable_with_the_institutions_name_colour_and_icons() {
    let node = TestNode::spawn_named("pushapp").await;
    let manifest: Value = client()
        .get(node.url("/manifest.webmanifest"))
        .send()
        .await
        .expect("manifest")
        .json()
        .await
        .expect("json");
    assert_eq!(manifest["name"], "Institution pushapp");
    assert_eq!(manifest["start_url"], "/");
    assert_eq!(manifest["display"], "standalone");
    assert!(
        manifest["theme_color"]
            .as_str()
            .is_some_and(|c| c.starts_with('#'))
    );
    for icon in manifest["icons"].as_array().expect("icons") {
        let src = icon["src"].as_str().expect("src");
        let answer = client().get(node.url(src)).send().await.expect("icon");
        assert_eq!(answer.status(), 200, "{src}");
        if icon["type"] == "image/png" {
            let bytes = answer.bytes().await.expect("bytes");
            assert!(bytes.starts_with(b"\x89PNG\r\n\x1a\n"), "{src}");
        }
    }
    let sw = client().get(node.url("/sw.js")).send().await.expect("sw");
    assert_eq!(sw.status(), 200);
    assert!(
        sw.headers()["content-type"]
            .to_str()
            .unwrap_or_default()
            .starts_with("text/javascript")
    );
    let offline = client()
        .get(node.url("/offline"))
        .send()
        .await
        .expect("offline");
    assert_eq!(offline.status(), 200);
    assert!(
        offline
            .text()
            .await
            .expect("text")
            .contains("Vous êtes hors ligne")
    );
    // « Mes appareils » links the manifest (where the agent installs the app and subscribes);
    // the policy keeps scripts and workers same-origin.
    node.create_user("chloe", false).await;
    let mut b = signed_in(&node, "chloe").await;
    let page = b.get("/profile/devices").await;
    assert!(page.body.contains("/manifest.webmanifest"), "{}", page.body);
    let login = client()
        .get(node.url("/login"))
        .send()
        .await
        .expect("login");
    let csp = login.headers()["content-security-policy"]
        .to_str()
        .expect("csp")
        .to_owned();
    assert!(csp.contains("default-src 'self'"), "{csp}");
}
