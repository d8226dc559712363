//! Upgrades lose nothing: a database written at an old schema, with sample rows in every
//! table, is migrated to the head by the normal path, and every row is still there and
//! readable through the store. On the engine the harness picks.
//!
//! Adding a migration? Give it sample rows: a module under `tests/it/upgrade/` with `insert`
//! (raw SQL at that schema) and `check` (through the store at the head), and one arm in
//! [`insert_samples`] and [`check_samples`]. The tests fail, naming the migration, until then.

mod action_plan;
mod communities;
mod directory_search;
mod events;
mod federation;
mod feed_keyset;
mod first_hour;
mod foundation;
mod invitations;
mod mail;
mod oidc;
mod onboarding;
mod peers_handshake;
mod polls;
mod resources;
// Issue 14.
mod delivery_leases;
mod digests;
mod private_messages;
mod push;
mod reactions;
// Issue 19: agent languages and thread views.
mod agent_languages;
mod search_filters;
mod signature_schemes;
mod web_page_indexes;
// Issue 19 and 15, this tranche.
mod post_images;
mod session_reminders;
// Issue 15.
mod notification_prefs;
// Issue 18.
mod attendance;

use entrepairs::db::Store;
use sqlx::AnyPool;
use sqlx::migrate::Migrator;

use crate::support::fresh_database_url;

static SQLITE: Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES: Migrator = sqlx::migrate!("./migrations/postgres");

/// Rows in every table that `version` creates or changes, written at that schema.
async fn insert_samples(version: i64, pool: &AnyPool) {
    match version {
        foundation::VERSION => foundation::insert(pool).await,
        federation::VERSION => federation::insert(pool).await,
        invitations::VERSION => invitations::insert(pool).await,
        peers_handshake::VERSION => peers_handshake::insert(pool).await,
        communities::VERSION => communities::insert(pool).await,
        directory_search::VERSION => directory_search::insert(pool).await,
        resources::VERSION => resources::insert(pool).await,
        feed_keyset::VERSION => feed_keyset::insert(pool).await,
        action_plan::VERSION => action_plan::insert(pool).await,
        events::VERSION => events::insert(pool).await,
        mail::VERSION => mail::insert(pool).await,
        onboarding::VERSION => onboarding::insert(pool).await,
        oidc::VERSION => oidc::insert(pool).await,
        first_hour::VERSION => first_hour::insert(pool).await,
        push::VERSION => push::insert(pool).await,
        polls::VERSION => polls::insert(pool).await,
        private_messages::VERSION => private_messages::insert(pool).await,
        search_filters::VERSION => search_filters::insert(pool).await,
        notification_prefs::VERSION => notification_prefs::insert(pool).await,
        attendance::VERSION => attendance::insert(pool).await,
        delivery_leases::VERSION => delivery_leases::insert(pool).await,
        digests::VERSION => digests::insert(pool).await,
        signature_schemes::VERSION => signature_schemes::insert(pool).await,
        reactions::VERSION => reactions::insert(pool).await,
        web_page_indexes::VERSION => web_page_indexes::insert(pool).await,
        post_images::VERSION => post_images::insert(pool).await,
        session_reminders::VERSION => session_reminders::insert(pool).await,
        agent_languages::VERSION => agent_languages::insert(pool).await,
        v => panic!("migration {v} has no sample data: add it in tests/it/upgrade.rs"),
    }
}

/// Those rows, read back through the store at the head schema.
async fn check_samples(version: i64, store: &Store) {
    match version {
        foundation::VERSION => foundation::check(store).await,
        federation::VERSION => federation::check(store).await,
        invitations::VERSION => invitations::check(store).await,
        peers_handshake::VERSION => peers_handshake::check(store).await,
        communities::VERSION => communities::check(store).await,
        directory_search::VERSION => directory_search::check(store).await,
        resources::VERSION => resources::check(store).await,
        feed_keyset::VERSION => feed_keyset::check(store).await,
        action_plan::VERSION => action_plan::check(store).await,
        events::VERSION => events::check(store).await,
        mail::VERSION => mail::check(store).await,
        onboarding::VERSION => onboarding::check(store).await,
        oidc::VERSION => oidc::check(store).await,
        first_hour::VERSION => first_hour::check(store).await,
        push::VERSION => push::check(store).await,
        polls::VERSION => polls::check(store).await,
        private_messages::VERSION => private_messages::check(store).await,
        search_filters::VERSION => search_filters::check(store).await,
        notification_prefs::VERSION => notification_prefs::check(store).await,
        attendance::VERSION => attendance::check(store).await,
        delivery_leases::VERSION => delivery_leases::check(store).await,
        digests::VERSION => digests::check(store).await,
        signature_schemes::VERSION => signature_schemes::check(store).await,
        reactions::VERSION => reactions::check(store).await,
        web_page_indexes::VERSION => web_page_indexes::check(store).await,
        post_images::VERSION => post_images::check(store).await,
        session_reminders::VERSION => session_reminders::check(store).await,
        agent_languages::VERSION => agent_languages::check(store).await,
        v => panic!("migration {v} has no sample check: add it in tests/it/upgrade.rs"),
    }
}

/// A fresh database with no migration applied, the store the node would open on it, a
/// plain pool to write sample rows with, and that engine's migrations.
async fn empty_database(dir: &std::path::Path) -> (Store, AnyPool, &'static Migrator, String) {
    let url = fresh_database_url(dir).await;
    let store = Store::connect(&url).await.expect("open");
    let pool = AnyPool::connect(&url).await.expect("sample pool");
    let migrator = if url.starts_with("sqlite:") {
        &SQLITE
    } else {
        &POSTGRES
    };
    (store, pool, migrator, url)
}

#[tokio::test]
async fn data_written_at_the_first_schema_survives_the_migration_to_the_head() {
    let dir = tempfile::tempdir().expect("dir");
    let (store, pool, migrator, url) = empty_database(dir.path()).await;
    let first = migrator.iter().next().expect("a first migration").version;
    migrator.run_to(first, &pool).await.expect("first schema");
    insert_samples(first, &pool).await;
    every_table_has_rows(&pool, &url).await;
    pool.close().await;

    store.migrate().await.expect("migrate to the head");
    assert!(store.is_ready().await, "every migration applied");
    check_samples(first, &store).await;
    store.close().await;
}

#[tokio::test]
async fn data_written_at_every_schema_version_survives_to_the_head() {
    let dir = tempfile::tempdir().expect("dir");
    let (store, pool, migrator, url) = empty_database(dir.path()).await;
    for m in migrator.iter() {
        migrator.run_to(m.version, &pool).await.expect("migrate");
        insert_samples(m.version, &pool).await;
        every_table_has_rows(&pool, &url).await;
    }
    pool.close().await;

    store.migrate().await.expect("nothing left to apply");
    assert!(store.is_ready().await);
    for m in migrator.iter() {
        check_samples(m.version, &store).await;
    }
    store.close().await;
}

/// Fails naming any table without a sample row: a migration added a table and no samples.
async fn every_table_has_rows(pool: &AnyPool, url: &str) {
    let list = if url.starts_with("sqlite:") {
        "SELECT name FROM sqlite_master WHERE type = 'table' \
         AND name NOT LIKE 'sqlite_%' AND name <> '_sqlx_migrations'"
    } else {
        "SELECT table_name::text FROM information_schema.tables \
         WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' \
         AND table_name <> '_sqlx_migrations'"
    };
    let tables: Vec<(String,)> = sqlx::query_as(list).fetch_all(pool).await.expect("tables");
    assert!(!tables.is_empty());
    for (table,) in tables {
        // Table names come from the catalogue, not from input.
        let sql = format!("SELECT COUNT(*) FROM \"{table}\"");
        let (n,): (i64,) = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .fetch_one(pool)
            .await
            .expect("count");
        assert!(
            n > 0,
            "table {table} has no sample row: add one in tests/it/upgrade.rs"
        );
    }
}
