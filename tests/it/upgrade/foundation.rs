//! Samples for migration 20261122000001 (foundation): actors, accounts, sessions, API tokens.

use entrepairs::db::Store;
use entrepairs::domain::passwords;
use entrepairs::domain::sessions::token_hash;
use entrepairs::federation::keys::{PrivateKey, PublicKey};
use sqlx::AnyPool;

pub const VERSION: i64 = 20261122000001;

/// The local agent's actor; later samples refer to it.
pub const LOCAL: &str = "http://upgrade.test/users/ines";
/// A remote agent's cached actor; later samples refer to it.
pub const REMOTE: &str = "https://mairie.example/users/remi";
const PASSWORD: &str = "mot de passe d'avant la mise à jour";
const SESSION: &str = "cookie-of-a-session-opened-before-the-upgrade";
const TOKEN: &str = "ep_token-issued-before-the-upgrade";
/// Far in the future, so that the session is still live when checked.
const EXPIRES: i64 = 4_102_444_800_000;
const PRIVATE_PEM: &str = include_str!("../../fixtures/peer-rsa2048.key.pem");
const PUBLIC_PEM: &str = include_str!("../../fixtures/peer-rsa2048.pub.pem");

pub async fn insert(pool: &AnyPool) {
    let actor = "INSERT INTO actors (ap_id, kind, username, authority, is_local, display_name, \
        summary, job_title, institution, inbox_url, shared_inbox_url, outbox_url, followers_url, \
        following_url, public_key_id, public_key_pem, private_key_pem, fetched_at, created_at, \
        updated_at) VALUES ($1, 'Person', $2, $3, $4, $5, 'Résumé', $6, $7, $8, $9, $10, $11, \
        $12, $13, $14, $15, $16, 1700000000000, 1700000000001) RETURNING id";
    let (local_id,): (i64,) = sqlx::query_as(actor)
        .bind(LOCAL)
        .bind("ines")
        .bind("upgrade.test")
        .bind(1_i64)
        .bind("Inès Martin")
        .bind("Gestionnaire RH")
        .bind("Mairie d'essai")
        .bind(format!("{LOCAL}/inbox"))
        .bind("http://upgrade.test/inbox")
        .bind(format!("{LOCAL}/outbox"))
        .bind(format!("{LOCAL}/followers"))
        .bind(format!("{LOCAL}/following"))
        .bind(format!("{LOCAL}#main-key"))
        .bind(PUBLIC_PEM)
        .bind(Some(PRIVATE_PEM))
        .bind(None::<i64>)
        .fetch_one(pool)
        .await
        .expect("local actor");
    sqlx::query_as::<_, (i64,)>(actor)
        .bind(REMOTE)
        .bind("remi")
        .bind("mairie.example")
        .bind(0_i64)
        .bind("Rémi Durand")
        .bind("Comptable")
        .bind("Mairie voisine")
        .bind(format!("{REMOTE}/inbox"))
        .bind("https://mairie.example/inbox")
        .bind(None::<String>)
        .bind(None::<String>)
        .bind(None::<String>)
        .bind(format!("{REMOTE}#main-key"))
        .bind(PUBLIC_PEM)
        .bind(None::<String>)
        .bind(Some(1_700_000_000_002_i64))
        .fetch_one(pool)
        .await
        .expect("remote actor");

    let hash = passwords::hash(PASSWORD.into()).await.expect("hash");
    let (account_id,): (i64,) = sqlx::query_as(
        "INSERT INTO accounts (actor_id, username, email, password_hash, role, disabled_at, \
         last_login_at, created_at, updated_at) \
         VALUES ($1, 'ines', 'ines@upgrade.test', $2, 'admin', NULL, 1700000000003, \
         1700000000000, 1700000000000) RETURNING id",
    )
    .bind(local_id)
    .bind(hash)
    .fetch_one(pool)
    .await
    .expect("account");
    sqlx::query(
        "INSERT INTO sessions (token_hash, account_id, csrf_token, created_at, expires_at) \
         VALUES ($1, $2, 'csrf-before', 1700000000000, $3)",
    )
    .bind(token_hash(SESSION))
    .bind(account_id)
    .bind(EXPIRES)
    .execute(pool)
    .await
    .expect("session");
    sqlx::query(
        "INSERT INTO api_tokens (account_id, name, token_hash, prefix, created_at, last_used_at, \
         revoked_at) VALUES ($1, 'script de paie', $2, 'ep_tok', 1700000000000, NULL, NULL)",
    )
    .bind(account_id)
    .bind(token_hash(TOKEN))
    .execute(pool)
    .await
    .expect("token");
}

pub async fn check(store: &Store) {
    let local = store
        .actor_by_ap_id(LOCAL)
        .await
        .expect("db")
        .expect("local actor kept");
    assert_eq!(
        (local.kind.as_str(), local.username.as_str(), local.is_local),
        ("Person", "ines", 1)
    );
    assert_eq!(local.display_name, "Inès Martin");
    assert_eq!(local.job_title, "Gestionnaire RH");
    assert_eq!(local.summary, "Résumé");
    assert_eq!(
        local.shared_inbox_url.as_deref(),
        Some("http://upgrade.test/inbox")
    );
    let private = PrivateKey::from_pkcs8_pem(local.private_key_pem.as_deref().expect("key"))
        .expect("the private key still parses");
    assert_eq!(
        private.public_key(),
        PublicKey::from_pem(&local.public_key_pem).expect("public key")
    );

    let remote = store
        .actor_by_ap_id(REMOTE)
        .await
        .expect("db")
        .expect("remote actor kept");
    assert_eq!(remote.is_local, 0);
    assert_eq!(remote.fetched_at, Some(1_700_000_000_002));
    assert!(remote.private_key_pem.is_none() && remote.outbox_url.is_none());

    let account = store
        .account_by_username("ines")
        .await
        .expect("db")
        .expect("account kept");
    assert_eq!(account.actor_id, local.id);
    assert_eq!(account.email, "ines@upgrade.test");
    assert_eq!(account.role, "admin");
    assert_eq!(account.last_login_at, Some(1_700_000_000_003));
    assert!(account.disabled_at.is_none());
    let hash = account.password_hash.clone().expect("password hash");
    assert!(
        passwords::verify(PASSWORD.into(), hash).await,
        "the old password still logs in"
    );

    let session = store
        .session_by_hash(&token_hash(SESSION))
        .await
        .expect("db")
        .expect("session kept");
    assert_eq!(session.account_id, account.id);
    assert_eq!(session.csrf_token, "csrf-before");

    let tokens = store.list_tokens(account.id).await.expect("db");
    assert_eq!(tokens.len(), 1);
    assert_eq!(tokens[0].name, "script de paie");
    assert!(
        store
            .use_token(&token_hash(TOKEN))
            .await
            .expect("db")
            .is_some(),
        "the old API token still authenticates"
    );
}
