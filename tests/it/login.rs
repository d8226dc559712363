use crate::support::{Browser, PASSWORD, TestNode, browser::csrf_token};

#[tokio::test]
async fn an_agent_logs_in_sees_their_profile_and_logs_out() {
    let node = TestNode::spawn().await;
    node.create_user("alice", false).await;
    let mut b = Browser::new(&node.base);
    let login = b.get("/login").await;
    assert_eq!(login.status, 200);
    assert!(login.body.contains("<html lang=\"fr\">"));
    assert!(login.body.contains("Connexion"));

    let res = b.login("alice", PASSWORD).await;
    assert_eq!(res.location.as_deref(), Some("/"));
    assert!(b.has_cookie("ep_session"));

    let profile = b.get("/profile").await;
    assert_eq!(profile.status, 200);
    assert!(profile.body.contains("Mon profil"));
    assert!(profile.body.contains(&format!("@alice@{}", node.authority)));

    let out = b.submit("/profile", "/logout", &[]).await;
    assert_eq!(out.status, 303);
    assert!(!b.has_cookie("ep_session"));
    let after = b.get("/profile").await;
    assert_eq!(
        after.status, 303,
        "after logout the profile needs a login again"
    );
    assert_eq!(after.location.as_deref(), Some("/login?next=%2Fprofile"));
    node.stop().await;
}

#[tokio::test]
async fn a_wrong_password_is_refused_and_the_username_is_kept_in_the_form() {
    let node = TestNode::spawn().await;
    node.create_user("alice", false).await;
    let mut b = Browser::new(&node.base);
    let res = b
        .submit(
            "/login",
            "/login",
            &[
                ("username", "alice"),
                ("password", "pas le bon mot de passe"),
            ],
        )
        .await;
    assert_eq!(res.status, 401);
    assert!(res.body.contains("Identifiant ou mot de passe incorrect."));
    assert!(
        res.body.contains("value=\"alice\""),
        "the username stays typed"
    );
    assert!(!b.has_cookie("ep_session"));
    node.stop().await;
}

#[tokio::test]
async fn a_disabled_account_cannot_log_in_and_loses_its_sessions() {
    let node = TestNode::spawn().await;
    node.create_user("admin", true).await;
    let mut b = node.logged_in("alice", false).await;
    entrepairs::domain::accounts::set_disabled(&node.state, "alice", true)
        .await
        .expect("disable");
    assert_eq!(
        b.get("/profile").await.status,
        303,
        "the open session ended"
    );
    let mut fresh = Browser::new(&node.base);
    let res = fresh
        .submit(
            "/login",
            "/login",
            &[("username", "alice"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(res.status, 403);
    assert!(res.body.contains("désactivé"));
    node.stop().await;
}

#[tokio::test]
async fn repeated_failures_are_rate_limited_even_with_the_right_password() {
    let node = TestNode::spawn().await;
    node.create_user("alice", false).await;
    let mut b = Browser::new(&node.base);
    for _ in 0..5 {
        let res = b
            .submit(
                "/login",
                "/login",
                &[("username", "alice"), ("password", "mauvais-mot-de-passe")],
            )
            .await;
        assert_eq!(res.status, 401);
    }
    let res = b
        .submit(
            "/login",
            "/login",
            &[("username", "alice"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(res.status, 429);
    assert!(!b.has_cookie("ep_session"));
    node.stop().await;
}

#[tokio::test]
async fn forms_without_a_valid_csrf_token_are_refused_and_change_nothing() {
    let node = TestNode::spawn().await;
    let mut b = node.logged_in("alice", false).await;
    let fields = [
        ("display_name", "Pirate"),
        ("job_title", ""),
        ("summary", ""),
    ];

    let missing = b.post_raw("/profile", &fields, None).await;
    assert_eq!(missing.status, 403);
    let wrong = b
        .post_raw(
            "/profile",
            &[
                ("display_name", "Pirate"),
                ("job_title", ""),
                ("summary", ""),
                ("csrf_token", "forged"),
            ],
            None,
        )
        .await;
    assert_eq!(wrong.status, 403);

    // Right token, but sent by another site.
    let token = csrf_token(&b.get("/profile").await.body).expect("token");
    let cross = b
        .post_raw(
            "/profile",
            &[
                ("display_name", "Pirate"),
                ("job_title", ""),
                ("summary", ""),
                ("csrf_token", &token),
            ],
            Some("https://evil.example"),
        )
        .await;
    assert_eq!(cross.status, 403);

    // The login form is protected too.
    let mut anon = Browser::new(&node.base);
    let login = anon
        .post_raw(
            "/login",
            &[
                ("username", "alice"),
                ("password", crate::support::PASSWORD),
            ],
            None,
        )
        .await;
    assert_eq!(login.status, 403);

    let account = entrepairs::domain::accounts::by_username(&node.state, "alice")
        .await
        .expect("alice");
    assert_ne!(account.display_name, "Pirate");
    node.stop().await;
}

#[tokio::test]
async fn profile_errors_are_shown_next_to_the_field_and_keep_what_was_typed() {
    let node = TestNode::spawn().await;
    let mut b = node.logged_in("alice", false).await;
    let long = "m".repeat(81);
    let res = b
        .submit(
            "/profile",
            "/profile",
            &[
                ("display_name", "Alice M."),
                ("job_title", &long),
                ("summary", "Bonjour"),
            ],
        )
        .await;
    assert_eq!(res.status, 422);
    assert!(res.body.contains("id=\"job_title-error\""));
    assert!(res.body.contains("doit comporter de 0 à 80 caractères"));
    assert!(res.body.contains("aria-invalid=\"true\""));
    assert!(res.body.contains("Bonjour"), "what was typed stays");

    let ok = b
        .submit(
            "/profile",
            "/profile",
            &[
                ("display_name", "Alice M."),
                ("job_title", "Agente d'accueil"),
                ("summary", ""),
            ],
        )
        .await;
    assert_eq!(ok.status, 200);
    assert!(ok.body.contains("Modifications enregistrées."));
    node.stop().await;
}

#[tokio::test]
async fn login_never_redirects_to_another_site() {
    let node = TestNode::spawn().await;
    node.create_user("alice", false).await;
    let mut b = Browser::new(&node.base);
    let page = b.get("/login?next=//evil.example/x").await;
    let token = csrf_token(&page.body).expect("token");
    let origin = node.base.clone();
    let res = b
        .post_raw(
            "/login",
            &[
                ("username", "alice"),
                ("password", PASSWORD),
                ("next", "//evil.example/x"),
                ("csrf_token", &token),
            ],
            Some(&origin),
        )
        .await;
    assert_eq!(res.status, 303);
    assert_eq!(res.location.as_deref(), Some("/"));
    node.stop().await;
}

#[tokio::test]
async fn an_agents_page_is_shown_to_colleagues_and_a_browser_asking_for_the_actor_is_sent_there() {
    let node = TestNode::spawn().await;
    node.create_user("bruno", false).await;
    let mut b = node.logged_in("alice", false).await;
    let page = b.get("/profiles/bruno").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains(&format!("@bruno@{}", node.authority)));
    assert!(
        page.body.contains("Agent d&#x27;accueil") || page.body.contains("Agent d&#39;accueil"),
        "{}",
        page.body
    );
    let redirect = b.get("/users/bruno").await;
    assert_eq!(redirect.location.as_deref(), Some("/profiles/bruno"));
    assert_eq!(b.get("/profiles/nobody").await.status, 404);
    let mut anonymous = crate::support::Browser::new(&node.base);
    assert_eq!(
        anonymous.get("/profiles/bruno").await.status,
        303,
        "colleagues only: log in first"
    );
    node.stop().await;
}

async fn try_login(b: &mut Browser, username: &str, password: &str) -> u16 {
    b.submit(
        "/login",
        "/login",
        &[("username", username), ("password", password)],
    )
    .await
    .status
}

#[tokio::test]
async fn behind_the_proxy_one_guesser_does_not_lock_out_the_other_agents() {
    // Every request comes from the proxy on loopback (trusted by default); the client is
    // the address it forwarded for.
    let node = TestNode::spawn().await;
    node.create_user("alice", false).await;
    node.create_user("bruno", false).await;
    let mut guesser = Browser::behind_proxy(&node.base, "203.0.113.66");
    let mut refused = 0;
    for i in 0..25 {
        let status = try_login(&mut guesser, &format!("agent{i}"), "mauvais-mot-de-passe").await;
        assert!(status == 401 || status == 429, "{status}");
        if status == 429 {
            refused += 1;
        }
    }
    assert_eq!(
        refused, 5,
        "the guesser's own address is limited to 20 attempts"
    );
    assert_eq!(
        try_login(&mut guesser, "alice", PASSWORD).await,
        429,
        "even with a right password, the guesser's address waits"
    );

    let mut alice = Browser::behind_proxy(&node.base, "203.0.113.10");
    assert_eq!(try_login(&mut alice, "alice", PASSWORD).await, 303);
    assert!(alice.has_cookie("ep_session"));
    node.stop().await;
}

#[tokio::test]
async fn a_named_agent_guessed_from_one_address_can_still_sign_in_from_another() {
    let node = TestNode::spawn().await;
    node.create_user("alice", false).await;
    let mut guesser = Browser::behind_proxy(&node.base, "203.0.113.66");
    for _ in 0..5 {
        assert_eq!(try_login(&mut guesser, "alice", "mauvais").await, 401);
    }
    assert_eq!(try_login(&mut guesser, "alice", "mauvais").await, 429);
    let mut alice = Browser::behind_proxy(&node.base, "203.0.113.10");
    assert_eq!(try_login(&mut alice, "alice", PASSWORD).await, 303);
    node.stop().await;
}

#[tokio::test]
async fn parallel_guesses_of_one_account_get_at_most_five_password_checks() {
    let node = TestNode::spawn().await;
    node.create_user("alice", false).await;
    // Forms loaded one by one, then the 40 guesses posted at once.
    let mut ready = Vec::new();
    for _ in 0..40 {
        let mut b = Browser::behind_proxy(&node.base, "203.0.113.66");
        let form = b.get("/login").await;
        let token = csrf_token(&form.body).expect("login form");
        ready.push((b, token));
    }
    let mut tasks = Vec::new();
    for (mut b, token) in ready {
        let origin = node.base.clone();
        tasks.push(tokio::spawn(async move {
            let fields = [
                ("username", "alice"),
                ("password", "mauvais-mot-de-passe"),
                ("csrf_token", token.as_str()),
            ];
            b.post_raw("/login", &fields, Some(&origin)).await.status
        }));
    }
    let mut checked = 0;
    for t in tasks {
        match t.await.expect("task") {
            401 => checked += 1,
            429 => {}
            other => panic!("unexpected status {other}"),
        }
    }
    assert_eq!(checked, 5, "only five guesses reached the password check");
    node.stop().await;
}

#[tokio::test]
async fn a_client_that_is_not_a_trusted_proxy_cannot_choose_its_address() {
    let node = TestNode::spawn_with("noproxy", |raw| {
        raw.trusted_proxies = Some(vec![]);
    })
    .await;
    node.create_user("alice", false).await;
    for i in 0..5 {
        // A different forwarded address each time: ignored, the TCP peer is the client.
        let mut b = Browser::behind_proxy(&node.base, &format!("198.51.100.{i}"));
        assert_eq!(try_login(&mut b, "alice", "mauvais").await, 401);
    }
    let mut b = Browser::behind_proxy(&node.base, "198.51.100.99");
    assert_eq!(try_login(&mut b, "alice", PASSWORD).await, 429);
    node.stop().await;
}

/// Issue 13, floods: a guesser that rotates its address on every request (a botnet behind
/// the institution's proxy) gets few password checks of one account, and the other agents
/// sign in as usual.
#[tokio::test]
async fn forty_parallel_guesses_from_forty_addresses_get_few_password_checks_and_others_sign_in() {
    let node = TestNode::spawn().await;
    node.create_user("alice", false).await;
    node.create_user("bruno", false).await;
    let mut ready = Vec::new();
    for i in 0..40 {
        let mut b = Browser::behind_proxy(&node.base, &format!("198.51.100.{}", i + 1));
        let form = b.get("/login").await;
        let token = csrf_token(&form.body).expect("login form");
        ready.push((b, token));
    }
    let start = std::time::Instant::now();
    let mut tasks = Vec::new();
    for (mut b, token) in ready {
        let origin = node.base.clone();
        tasks.push(tokio::spawn(async move {
            let fields = [
                ("username", "alice"),
                ("password", "mauvais-mot-de-passe"),
                ("csrf_token", token.as_str()),
            ];
            b.post_raw("/login", &fields, Some(&origin)).await.status
        }));
    }
    let mut checked = 0;
    for t in tasks {
        match t.await.expect("task") {
            401 => checked += 1,
            429 => {}
            other => panic!("unexpected status {other}"),
        }
    }
    let took = start.elapsed().as_secs();
    eprintln!("40 guesses from 40 addresses: {checked} password checks in {took} s");
    // Ten failures are free; after them each attempt waits 1 s, 2 s, 4 s… after the last.
    assert!(checked >= 10, "{checked}");
    assert!(
        checked <= 10 + (took as usize + 1).ilog2() as usize + 1,
        "{checked} checks in {took} s"
    );

    // Another agent, from her own address, is not slowed down.
    let mut bruno = Browser::behind_proxy(&node.base, "203.0.113.10");
    assert_eq!(try_login(&mut bruno, "bruno", PASSWORD).await, 303);
    node.stop().await;
}
