use entrepairs::domain::DomainError;
use entrepairs::domain::accounts::{self, NewAccountInput};
use entrepairs::domain::actor_keys;
use entrepairs::federation::keys::{PrivateKey, PublicKey};

use crate::support::TestNode;

fn input(username: &str) -> NewAccountInput {
    NewAccountInput {
        username: username.into(),
        display_name: "Alice Martin".into(),
        email: "alice@castelsarrasin.test".into(),
        job_title: "Agente d'accueil".into(),
        admin: false,
        password: Some("un mot de passe long".into()),
    }
}

#[tokio::test]
async fn a_new_account_gets_an_actor_with_a_working_rsa_key_pair() {
    let node = TestNode::spawn().await;
    let (account, generated) = accounts::create(&node.state, input("Alice"))
        .await
        .expect("created");
    assert_eq!(account.username, "alice");
    assert!(generated.is_none());
    assert_eq!(account.actor, format!("{}/users/alice", node.base));
    let actor = node
        .state
        .store
        .actor_by_id(account.actor_id)
        .await
        .expect("db")
        .expect("actor");
    // No key pair at creation: it is made on first need (an import of 2,000 agents makes none).
    assert!(actor.private_key_pem.is_none() && actor.public_key_pem.is_empty());
    // The first serving of the agent's key document makes it.
    let doc: serde_json::Value = reqwest::Client::new()
        .get(format!("{}/users/alice", node.base))
        .header("Accept", "application/activity+json")
        .send()
        .await
        .expect("get")
        .json()
        .await
        .expect("json");
    let actor = node
        .state
        .store
        .actor_by_id(account.actor_id)
        .await
        .expect("db")
        .expect("actor");
    assert_eq!(
        doc["publicKey"]["publicKeyPem"],
        actor.public_key_pem.as_str()
    );
    let private = PrivateKey::from_pkcs8_pem(actor.private_key_pem.as_deref().expect("local key"))
        .expect("private key parses");
    let public = PublicKey::from_pem(&actor.public_key_pem).expect("public key parses");
    assert_eq!(public.bits(), 2048);
    let sig = private.sign_sha256(b"bonjour").expect("sign");
    public
        .verify_sha256(b"bonjour", &sig)
        .expect("the pair matches");
    node.stop().await;
}

#[tokio::test]
async fn racing_first_needs_of_a_key_store_one_pair_that_every_caller_sees() {
    let node = TestNode::spawn().await;
    let (account, _) = accounts::create(&node.state, input("Alice"))
        .await
        .expect("created");
    let row = node
        .state
        .store
        .actor_by_id(account.actor_id)
        .await
        .expect("db")
        .expect("actor");
    let racers = (0..6).map(|_| actor_keys::ensure(&node.state, row.clone()));
    let keyed: Vec<_> = futures_util::future::join_all(racers)
        .await
        .into_iter()
        .map(|r| r.expect("keys"))
        .collect();
    let stored = node
        .state
        .store
        .actor_by_id(account.actor_id)
        .await
        .expect("db")
        .expect("actor");
    for k in &keyed {
        assert_eq!(k.public_key_pem, stored.public_key_pem);
        assert_eq!(k.private_key_pem, stored.private_key_pem);
    }
    // Later needs read the stored pair and change nothing.
    let again = actor_keys::ensure(&node.state, stored.clone())
        .await
        .expect("keys");
    assert_eq!(again.public_key_pem, stored.public_key_pem);
    // A remote actor's key is never ours to make.
    let mut remote = stored;
    remote.is_local = 0;
    assert!(actor_keys::ensure(&node.state, remote).await.is_err());
    node.stop().await;
}

#[tokio::test]
async fn without_a_password_one_is_generated_and_returned_once() {
    let node = TestNode::spawn().await;
    let mut i = input("bruno");
    i.password = None;
    let (_, generated) = accounts::create(&node.state, i).await.expect("created");
    let password = generated.expect("a generated password");
    assert!(password.len() >= 16);
    node.stop().await;
}

#[tokio::test]
async fn a_duplicate_username_is_refused_and_writes_nothing() {
    let node = TestNode::spawn().await;
    accounts::create(&node.state, input("alice"))
        .await
        .expect("first");
    let before = node.state.store.list_accounts().await.expect("list").len();
    let err = accounts::create(&node.state, input("ALICE"))
        .await
        .expect_err("duplicate");
    assert!(matches!(err, DomainError::Conflict(_)), "{err:?}");
    assert_eq!(
        node.state.store.list_accounts().await.expect("list").len(),
        before
    );
    node.stop().await;
}

#[tokio::test]
async fn bad_fields_are_refused_naming_the_field_and_write_nothing() {
    let node = TestNode::spawn().await;
    let cases: Vec<(&str, NewAccountInput)> = vec![
        (
            "password",
            NewAccountInput {
                password: Some(String::new()),
                ..input("a1")
            },
        ),
        (
            "password",
            NewAccountInput {
                password: Some("court".into()),
                ..input("a2")
            },
        ),
        (
            "display_name",
            NewAccountInput {
                display_name: "x".repeat(81),
                ..input("a3")
            },
        ),
        (
            "job_title",
            NewAccountInput {
                job_title: "y".repeat(200),
                ..input("a4")
            },
        ),
        (
            "email",
            NewAccountInput {
                email: "pas-un-courriel".into(),
                ..input("a5")
            },
        ),
        ("username", input("a b")),
        ("username", input(&"z".repeat(31))),
    ];
    for (field, case) in cases {
        match accounts::create(&node.state, case).await {
            Err(DomainError::Invalid { field: f, .. }) => assert_eq!(f, field),
            other => panic!("expected an invalid {field}, got {other:?}"),
        }
    }
    assert!(
        node.state
            .store
            .list_accounts()
            .await
            .expect("list")
            .is_empty()
    );
    node.stop().await;
}

#[tokio::test]
async fn the_last_admin_cannot_be_disabled_but_another_account_can() {
    let node = TestNode::spawn().await;
    node.create_user("admin", true).await;
    node.create_user("alice", false).await;
    let err = accounts::set_disabled(&node.state, "admin", true)
        .await
        .expect_err("last admin");
    assert!(matches!(err, DomainError::Conflict(_)));
    let alice = accounts::set_disabled(&node.state, "alice", true)
        .await
        .expect("disable");
    assert!(alice.disabled);
    node.stop().await;
}
