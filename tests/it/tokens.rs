use serde_json::{Value, json};

use crate::support::{TestNode, client};

#[tokio::test]
async fn a_personal_token_authenticates_the_api_until_it_is_revoked() {
    let node = TestNode::spawn().await;
    node.create_user("alice", false).await;
    let token = node.token("alice").await;
    let me: Value = client()
        .get(node.url("/api/v1/me"))
        .bearer_auth(&token)
        .send()
        .await
        .expect("me")
        .json()
        .await
        .expect("json");
    assert_eq!(me["username"], "alice");
    assert!(me.get("password_hash").is_none() && !me.to_string().contains("PRIVATE KEY"));

    let list: Value = client()
        .get(node.url("/api/v1/tokens"))
        .bearer_auth(&token)
        .send()
        .await
        .expect("list")
        .json()
        .await
        .expect("json");
    let id = list[0]["id"].as_i64().expect("token id");
    assert!(
        !list.to_string().contains(&token),
        "the secret is never listed"
    );

    let del = client()
        .delete(node.url(&format!("/api/v1/tokens/{id}")))
        .bearer_auth(&token)
        .send()
        .await
        .expect("revoke");
    assert_eq!(del.status(), 204);
    let after = client()
        .get(node.url("/api/v1/me"))
        .bearer_auth(&token)
        .send()
        .await
        .expect("me");
    assert_eq!(after.status(), 401);
    node.stop().await;
}

#[tokio::test]
async fn requests_without_or_with_a_bad_token_get_401_in_the_error_shape() {
    let node = TestNode::spawn().await;
    for auth in [None, Some("ep_nottherealone"), Some("garbage")] {
        let mut req = client().get(node.url("/api/v1/me"));
        if let Some(t) = auth {
            req = req.bearer_auth(t);
        }
        let res = req.send().await.expect("me");
        assert_eq!(res.status(), 401);
        let body: Value = res.json().await.expect("json");
        assert_eq!(body["error"]["code"], "unauthenticated");
        assert!(body["error"]["message"].is_string());
    }
    node.stop().await;
}

#[tokio::test]
async fn a_disabled_agents_token_stops_working() {
    let node = TestNode::spawn().await;
    node.create_user("admin", true).await;
    node.create_user("alice", false).await;
    let token = node.token("alice").await;
    entrepairs::domain::accounts::set_disabled(&node.state, "alice", true)
        .await
        .expect("disable");
    let res = client()
        .get(node.url("/api/v1/me"))
        .bearer_auth(&token)
        .send()
        .await
        .expect("me");
    assert_eq!(res.status(), 403);
    let body: Value = res.json().await.expect("json");
    assert_eq!(body["error"]["code"], "account_disabled");
}

#[tokio::test]
async fn only_admin_tokens_manage_accounts() {
    let node = TestNode::spawn().await;
    node.create_user("admin", true).await;
    node.create_user("alice", false).await;
    let admin = node.token("admin").await;
    let agent = node.token("alice").await;

    let forbidden = client()
        .get(node.url("/api/v1/users"))
        .bearer_auth(&agent)
        .send()
        .await
        .expect("users");
    assert_eq!(forbidden.status(), 403);

    let created = client()
        .post(node.url("/api/v1/users"))
        .bearer_auth(&admin)
        .json(&json!({"username": "chloe", "email": "chloe@chu.test", "job_title": "Agente d'accueil"}))
        .send()
        .await
        .expect("create");
    assert_eq!(created.status(), 201);
    let body: Value = created.json().await.expect("json");
    assert_eq!(body["user"]["username"], "chloe");
    assert!(
        body["generated_password"]
            .as_str()
            .is_some_and(|p| p.len() >= 16)
    );

    let dup = client()
        .post(node.url("/api/v1/users"))
        .bearer_auth(&admin)
        .json(&json!({"username": "chloe", "email": "chloe@chu.test"}))
        .send()
        .await
        .expect("dup");
    assert_eq!(dup.status(), 409);

    let invalid: Value = client()
        .post(node.url("/api/v1/users"))
        .bearer_auth(&admin)
        .json(&json!({"username": "x y", "email": "chloe@chu.test"}))
        .send()
        .await
        .expect("invalid")
        .json()
        .await
        .expect("json");
    assert_eq!(invalid["error"]["code"], "invalid");
    assert_eq!(invalid["error"]["field"], "username");

    let malformed = client()
        .post(node.url("/api/v1/users"))
        .bearer_auth(&admin)
        .header("Content-Type", "application/json")
        .body("{\"username\": ")
        .send()
        .await
        .expect("malformed");
    assert_eq!(malformed.status(), 400);
    let body: Value = malformed.json().await.expect("json");
    assert_eq!(body["error"]["code"], "bad_request");

    let huge = client()
        .post(node.url("/api/v1/users"))
        .bearer_auth(&admin)
        .header("Content-Type", "application/json")
        .body(format!("{{\"username\": \"{}\"}}", "a".repeat(300 * 1024)))
        .send()
        .await
        .expect("huge");
    assert_eq!(huge.status(), 413);

    let users: Value = client()
        .get(node.url("/api/v1/users"))
        .bearer_auth(&admin)
        .send()
        .await
        .expect("users")
        .json()
        .await
        .expect("json");
    assert_eq!(
        users.as_array().map(Vec::len),
        Some(3),
        "nothing written by the refused requests"
    );
    node.stop().await;
}
