//! OpenID Connect sign-in against a real provider (tests/oidc: oidc-provider configured like
//! ProConnect, started by `.ci/start-oidc`, whose issuer is `ENTREPAIRS_TEST_OIDC`), over
//! real HTTP with a cookie-keeping client, as a browser would.

use entrepairs::config::RawConfig;

use crate::support::TestNode;

/// The provider's fixed test client (tests/oidc/provider.mjs).
const CLIENT_ID: &str = "entrepairs-test";
const CLIENT_SECRET: &str = "entrepairs-test-secret-0123456789abcdef";
/// The Mairie de Sète's SIREN: the test provider's agents work there unless told otherwise.
const ALLOWED: &str = "213403011";

/// The provider's issuer; `None` (the test is skipped) only outside CI.
fn issuer() -> Option<String> {
    match std::env::var("ENTREPAIRS_TEST_OIDC") {
        Ok(v) if !v.is_empty() => Some(v),
        _ => {
            let ci = std::env::var("CI").unwrap_or_default();
            assert!(
                !(ci == "true" || ci == "1"),
                "ENTREPAIRS_TEST_OIDC is not set under CI: .ci/start-oidc must run first"
            );
            eprintln!("skipped: ENTREPAIRS_TEST_OIDC is not set (run .ci/start-oidc)");
            None
        }
    }
}

fn with_provider(issuer: &str) -> impl FnOnce(&mut RawConfig) {
    let issuer = issuer.to_owned();
    move |raw| {
        raw.oidc_issuer = Some(issuer);
        raw.oidc_client_id = Some(CLIENT_ID.into());
        raw.oidc_client_secret = Some(CLIENT_SECRET.into());
        raw.oidc_allowed_sirets = Some(vec![ALLOWED.into()]);
    }
}

/// A browser: keeps cookies for the node and the provider, follows redirects except the one
/// back to the node's callback, which the test makes itself.
fn browser() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::custom(|attempt| {
            if attempt.url().path() == "/login/oidc/callback" {
                attempt.stop()
            } else if attempt.previous().len() > 10 {
                attempt.error("too many redirects")
            } else {
                attempt.follow()
            }
        }))
        .build()
        .expect("client")
}

fn csrf_of(html: &str) -> String {
    let marker = "name=\"csrf_token\" value=\"";
    let start = html.find(marker).expect("a form with a CSRF token") + marker.len();
    html[start..].split('"').next().expect("token").to_owned()
}

/// Clicks the button on the login page and signs in at the provider as `login`; returns the
/// callback URL the provider sends the browser to (code and state), not yet visited.
async fn sign_in_at_provider(node: &TestNode, b: &reqwest::Client, login: &str) -> String {
    let page = b.get(node.url("/login")).send().await.expect("login page");
    let html = page.text().await.expect("html");
    assert!(html.contains("identifier avec ProConnect"), "{html}");
    let at_provider = b
        .post(node.url("/login/oidc"))
        .form(&[("csrf_token", csrf_of(&html).as_str()), ("next", "/")])
        .send()
        .await
        .expect("to the provider");
    assert_eq!(at_provider.status(), 200, "the provider's login form");
    let interaction = at_provider.url().to_string();
    assert!(interaction.contains("/interaction/"), "{interaction}");
    let back = b
        .post(format!("{interaction}/login"))
        .form(&[("login", login)])
        .send()
        .await
        .expect("provider login");
    if back.status() != 303 {
        let url = back.url().to_string();
        panic!(
            "not back to the node: {url} {}",
            back.text().await.unwrap_or_default()
        );
    }
    let location = back
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .expect("location")
        .to_owned();
    assert!(
        location.starts_with(&node.url("/login/oidc/callback?")),
        "{location}"
    );
    location
}

/// Visits the callback; returns the final status and page.
async fn callback(b: &reqwest::Client, url: &str) -> (u16, String, String) {
    let r = b.get(url).send().await.expect("callback");
    let status = r.status().as_u16();
    let final_url = r.url().to_string();
    (status, final_url, r.text().await.expect("body"))
}

async fn account_count(node: &TestNode) -> usize {
    node.state
        .store
        .list_accounts()
        .await
        .expect("accounts")
        .len()
}

#[actix_web::test]
async fn first_sign_in_creates_the_account_the_second_finds_it_and_logout_reaches_the_provider() {
    let Some(issuer) = issuer() else { return };
    let node = TestNode::spawn_with("oidc", with_provider(&issuer)).await;

    let b = browser();
    let url = sign_in_at_provider(&node, &b, "jeanne").await;
    let (status, final_url, html) = callback(&b, &url).await;
    assert_eq!(status, 200, "{html}");
    assert_eq!(final_url, node.url("/"));
    let account = entrepairs::domain::accounts::by_username(&node.state, "jeanne.dupont")
        .await
        .expect("created at first sign-in");
    assert_eq!(account.display_name, "Jeanne Dupont");
    assert_eq!(account.email, "jeanne.dupont@ville-sete.fr");
    assert!(html.contains("Jeanne Dupont"), "signed in: {html}");

    // Logout ends the local session and sends the browser to the provider's end_session.
    let r = b
        .post(node.url("/logout"))
        .form(&[("csrf_token", csrf_of(&html))])
        .send()
        .await
        .expect("logout");
    assert!(
        r.url()
            .as_str()
            .starts_with(&format!("{issuer}/session/end")),
        "{}",
        r.url()
    );
    assert_eq!(r.status(), 200, "the provider's logout page");
    let home = b.get(node.url("/")).send().await.expect("home");
    assert_ne!(home.url().path(), "/", "signed out locally");

    // A second sign-in, in another browser, opens the same account.
    let b2 = browser();
    let url = sign_in_at_provider(&node, &b2, "jeanne").await;
    let (status, _, html) = callback(&b2, &url).await;
    assert_eq!(status, 200, "{html}");
    assert_eq!(account_count(&node).await, 1, "no second account");
    assert!(html.contains("Jeanne Dupont"));
}

#[actix_web::test]
async fn an_existing_account_with_the_same_address_is_linked_not_duplicated() {
    let Some(issuer) = issuer() else { return };
    let node = TestNode::spawn_with("oidc", with_provider(&issuer)).await;
    let existing = node.create_user("mdurand", false).await;
    let login = "mdurand@oidc.test";

    for _ in 0..2 {
        let b = browser();
        let url = sign_in_at_provider(&node, &b, login).await;
        let (status, _, html) = callback(&b, &url).await;
        assert_eq!(status, 200, "{html}");
        assert!(
            html.contains("mdurand (oidc)"),
            "signed in as the existing account"
        );
    }
    assert_eq!(account_count(&node).await, 1);
    let linked = node
        .state
        .store
        .account_id_by_oidc_subject(&issuer, login)
        .await
        .expect("db");
    assert_eq!(
        linked,
        Some(existing.id),
        "the provider's subject is stored"
    );
}

#[actix_web::test]
async fn an_agent_of_another_employer_is_told_why_and_nothing_is_created() {
    let Some(issuer) = issuer() else { return };
    let node = TestNode::spawn_with("oidc", with_provider(&issuer)).await;
    let b = browser();
    let url = sign_in_at_provider(&node, &b, "autre").await;
    let (status, _, html) = callback(&b, &url).await;
    assert_eq!(status, 403, "{html}");
    assert!(html.contains("SIRET 11000201100044"), "{html}");
    assert!(
        html.contains("ne fait pas partie des établissements autorisés"),
        "{html}"
    );
    assert_eq!(account_count(&node).await, 0);
}

#[actix_web::test]
async fn an_unverified_address_is_refused() {
    let Some(issuer) = issuer() else { return };
    let node = TestNode::spawn_with("oidc", with_provider(&issuer)).await;
    let b = browser();
    let url = sign_in_at_provider(&node, &b, "lea.petit@ville-sete.fr;verified=false").await;
    let (status, _, html) = callback(&b, &url).await;
    assert_eq!(status, 403, "{html}");
    assert!(html.contains("pas vérifié votre adresse"), "{html}");
    assert_eq!(account_count(&node).await, 0);
}

#[actix_web::test]
async fn a_forged_replayed_or_another_browsers_state_is_refused() {
    let Some(issuer) = issuer() else { return };
    let node = TestNode::spawn_with("oidc", with_provider(&issuer)).await;
    let b = browser();
    let url = sign_in_at_provider(&node, &b, "jeanne").await;
    let parsed = url::Url::parse(&url).expect("url");
    let state: String = parsed
        .query_pairs()
        .find(|(k, _)| k == "state")
        .map(|(_, v)| v.into_owned())
        .expect("state");
    let forged = url.replace(&state, &format!("{}x", &state[..state.len() - 1]));

    let (status, _, html) = callback(&b, &forged).await;
    assert_eq!(status, 400, "{html}");
    assert!(
        html.contains("inconnue, expirée ou déjà utilisée"),
        "{html}"
    );
    assert_eq!(account_count(&node).await, 0);

    // The genuine callback URL, opened in another browser (sent to a victim): refused, and
    // not spent.
    let (status, _, html) = callback(&browser(), &url).await;
    assert_eq!(status, 400, "another browser: {html}");
    assert_eq!(account_count(&node).await, 0);

    let (status, _, _) = callback(&b, &url).await;
    assert_eq!(status, 200, "the genuine state still works once");
    let (status, _, html) = callback(&b, &url).await;
    assert_eq!(status, 400, "replayed: {html}");
    assert!(html.contains("déjà utilisée"));
}

#[actix_web::test]
async fn an_id_token_with_another_nonce_is_refused() {
    let Some(issuer) = issuer() else { return };
    let node = TestNode::spawn_with("oidc", with_provider(&issuer)).await;
    let b = browser();
    let url = sign_in_at_provider(&node, &b, "jeanne").await;
    // The provider's genuine token carries the nonce this node sent; the node now expects
    // another one.
    set_pending_nonce(&node, "another-nonce-that-was-never-sent-0123456789").await;
    let (status, _, html) = callback(&b, &url).await;
    assert_eq!(status, 400, "{html}");
    assert!(html.contains("pas pu être vérifiée"), "{html}");
    assert_eq!(account_count(&node).await, 0);
}

async fn set_pending_nonce(node: &TestNode, nonce: &str) {
    use sqlx::Connection;
    let sql = "UPDATE oidc_pending SET nonce = $1";
    if node.database_url.starts_with("sqlite") {
        let mut c = sqlx::SqliteConnection::connect(&node.database_url)
            .await
            .expect("sqlite");
        sqlx::query(sql)
            .bind(nonce)
            .execute(&mut c)
            .await
            .expect("update");
    } else {
        let mut c = sqlx::PgConnection::connect(&node.database_url)
            .await
            .expect("postgres");
        sqlx::query(sql)
            .bind(nonce)
            .execute(&mut c)
            .await
            .expect("update");
    }
}

#[actix_web::test]
async fn with_password_login_off_the_form_is_gone_and_passwords_are_refused() {
    let Some(issuer) = issuer() else { return };
    let node = TestNode::spawn_with("oidc", |raw| {
        with_provider(&issuer)(raw);
        raw.password_login = Some(false);
    })
    .await;
    node.create_user("admin1", true).await;
    let b = browser();
    let html = b
        .get(node.url("/login"))
        .send()
        .await
        .expect("page")
        .text()
        .await
        .expect("html");
    assert!(!html.contains("name=\"password\""), "{html}");
    assert!(html.contains("identifier avec ProConnect"));
    let r = b
        .post(node.url("/login"))
        .form(&[
            ("csrf_token", csrf_of(&html).as_str()),
            ("username", "admin1"),
            ("password", crate::support::PASSWORD),
        ])
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), 403);
    assert!(r.text().await.expect("body").contains("désactivée"));
}
