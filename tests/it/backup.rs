//! `entrepairs admin backup` and `admin restore`, run as admins run them, against a SQLite node
//! served in this process (backups are a SQLite feature; these tests use SQLite on every run).

use std::net::TcpListener;
use std::path::{Path, PathBuf};

use actix_web::dev::ServerHandle;
use entrepairs::app::{Application, NodeOptions};
use entrepairs::domain::accounts::{self, NewAccountInput};
use entrepairs::state::AppState;

use crate::cli::{entrepairs, text, write_config};
use crate::support::{client, config_for};

/// A SQLite node whose database file and config file the CLI can be pointed at.
struct Node {
    port: u16,
    state: AppState,
    handle: ServerHandle,
    server: tokio::task::JoinHandle<std::io::Result<()>>,
}

fn db_url(dir: &Path) -> String {
    format!("sqlite://{}", dir.join("data/entrepairs.db").display())
}

fn db_file(dir: &Path) -> PathBuf {
    dir.join("data/entrepairs.db")
}

/// The node's configuration as a file, for the CLI.
fn node_config(dir: &Path, port: u16) -> String {
    write_config(
        dir,
        &format!(
            "authority = \"127.0.0.1:{port}\"\nbind = \"127.0.0.1:{port}\"\nallow_http = true\n\
             data_dir = {:?}\n",
            dir.join("data").display().to_string()
        ),
    )
}

async fn start(dir: &Path, port: u16) -> Node {
    let listener = TcpListener::bind(("127.0.0.1", port)).expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let config = config_for("backup", port, &dir.join("data"), &db_url(dir));
    let app = Application::build_with_listener(config, listener, quiet())
        .await
        .expect("node starts");
    let state = app.state().clone();
    let handle = app.handle();
    let server = tokio::spawn(app.run_until_stopped());
    Node {
        port,
        state,
        handle,
        server,
    }
}

impl Node {
    /// Stops serving and waits until nothing of the node holds the database.
    async fn stop(self) {
        self.handle.stop(true).await;
        self.state.store.close().await;
        drop(self.state);
        self.server.await.expect("join").expect("server");
    }

    async fn add(&self, username: &str) {
        accounts::create(
            &self.state,
            NewAccountInput {
                username: username.into(),
                display_name: username.into(),
                email: format!("{username}@mairie.test"),
                job_title: "Comptable".into(),
                admin: false,
                password: Some("un mot de passe solide".into()),
            },
        )
        .await
        .expect("create account");
    }

    async fn has(&self, username: &str) -> bool {
        self.state
            .store
            .account_by_username(username)
            .await
            .expect("db")
            .is_some()
    }
}

#[tokio::test]
async fn a_backup_taken_while_the_node_serves_restores_every_account_written_before_it() {
    let dir = tempfile::tempdir().expect("dir");
    let node = start(dir.path(), 0).await;
    let config = node_config(dir.path(), node.port);
    node.add("alice").await;
    node.add("bruno").await;

    let backup = dir.path().join("nightly.db");
    let out = entrepairs(
        dir.path(),
        &[
            "--config",
            &config,
            "admin",
            "backup",
            backup.to_str().expect("utf8"),
        ],
        None,
    );
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("backup written to"), "{}", text(&out));
    let ready = client()
        .get(format!("http://127.0.0.1:{}/readyz", node.port))
        .send()
        .await
        .expect("readyz");
    assert_eq!(ready.status(), 200, "the node kept serving");
    node.add("late").await;
    let port = node.port;
    node.stop().await;

    let out = entrepairs(
        dir.path(),
        &[
            "--config",
            &config,
            "admin",
            "restore",
            backup.to_str().expect("utf8"),
        ],
        None,
    );
    assert!(out.status.success(), "{}", text(&out));
    let said = text(&out);
    assert!(said.contains("backup checked: integrity ok"), "{said}");
    assert!(said.contains("current database kept as"), "{said}");
    let kept: Vec<_> = std::fs::read_dir(dir.path().join("data"))
        .expect("data dir")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("entrepairs.db.before-restore-"))
        .collect();
    assert_eq!(kept.len(), 1, "the replaced database is kept: {kept:?}");

    let node = start(dir.path(), port).await;
    assert!(node.has("alice").await && node.has("bruno").await);
    assert!(!node.has("late").await, "written after the backup");
    node.stop().await;
}

#[tokio::test]
async fn restore_refuses_while_the_node_runs_and_changes_nothing() {
    let dir = tempfile::tempdir().expect("dir");
    let node = start(dir.path(), 0).await;
    let config = node_config(dir.path(), node.port);
    node.add("alice").await;
    let backup = dir.path().join("b.db");
    let out = entrepairs(
        dir.path(),
        &["--config", &config, "admin", "backup", "b.db"],
        None,
    );
    assert!(out.status.success(), "{}", text(&out));

    let out = entrepairs(
        dir.path(),
        &[
            "--config",
            &config,
            "admin",
            "restore",
            backup.to_str().expect("utf8"),
        ],
        None,
    );
    assert!(!out.status.success());
    assert!(text(&out).contains("in use"), "{}", text(&out));
    let names: Vec<_> = std::fs::read_dir(dir.path().join("data"))
        .expect("data dir")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        !names.iter().any(|n| n.contains("restore")),
        "nothing staged or moved: {names:?}"
    );
    assert!(node.has("alice").await);
    node.stop().await;
}

#[tokio::test]
async fn restore_refuses_files_that_are_not_sound_entrepairs_databases() {
    let dir = tempfile::tempdir().expect("dir");
    let node = start(dir.path(), 0).await;
    let config = node_config(dir.path(), node.port);
    node.add("alice").await;
    let out = entrepairs(
        dir.path(),
        &["--config", &config, "admin", "backup", "good.db"],
        None,
    );
    assert!(out.status.success(), "{}", text(&out));
    node.stop().await;

    std::fs::write(
        dir.path().join("notes.txt"),
        "pas une base de données\n".repeat(300),
    )
    .expect("write");
    other_sqlite_database(&dir.path().join("other.db")).await;
    let good = std::fs::read(dir.path().join("good.db")).expect("read");
    std::fs::write(dir.path().join("truncated.db"), &good[..good.len() / 2]).expect("write");

    for (file, expected) in [
        ("notes.txt", "not a SQLite database"),
        ("other.db", "not an entrepairs database"),
        ("truncated.db", "cannot be restored"),
        ("missing.db", "cannot read"),
    ] {
        let out = entrepairs(
            dir.path(),
            &["--config", &config, "admin", "restore", file],
            None,
        );
        assert!(!out.status.success(), "{file} was restored");
        assert!(text(&out).contains(expected), "{file}: {}", text(&out));
    }
    let node = start(dir.path(), 0).await;
    assert!(node.has("alice").await, "the database was left alone");
    node.stop().await;
    assert!(db_file(dir.path()).exists());
}

/// A valid SQLite file that some other program wrote.
async fn other_sqlite_database(path: &Path) {
    use sqlx::{ConnectOptions, Connection};
    let mut conn = sqlx::sqlite::SqliteConnectOptions::new()
        .filename(path)
        .create_if_missing(true)
        .connect()
        .await
        .expect("create");
    sqlx::query("CREATE TABLE t (x INTEGER)")
        .execute(&mut conn)
        .await
        .expect("table");
    conn.close().await.expect("close");
}

#[test]
fn a_backup_never_overwrites_an_existing_file() {
    let dir = tempfile::tempdir().expect("dir");
    let migrate = entrepairs(dir.path(), &["migrate"], None);
    assert!(migrate.status.success(), "{}", text(&migrate));
    std::fs::write(dir.path().join("precious.db"), "keep me").expect("write");
    let out = entrepairs(dir.path(), &["admin", "backup", "precious.db"], None);
    assert!(!out.status.success());
    assert!(text(&out).contains("already exists"), "{}", text(&out));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("precious.db")).expect("read"),
        "keep me"
    );
}

#[test]
fn postgresql_backup_and_restore_print_the_command_to_run_without_the_password() {
    let dir = tempfile::tempdir().expect("dir");
    let config = write_config(
        dir.path(),
        "database_url = \"postgres://app:s3cr3t@db.mairie.test/entrepairs\"\n",
    );
    for (cmd, tool) in [
        ("backup", "pg_dump --format=custom --file='x.dump'"),
        ("restore", "pg_restore --clean"),
    ] {
        let out = entrepairs(
            dir.path(),
            &["--config", &config, "admin", cmd, "x.dump"],
            None,
        );
        assert!(!out.status.success(), "{cmd} must not look like success");
        let said = text(&out);
        assert!(said.contains(tool), "{said}");
        assert!(
            said.contains("'postgres://app@db.mairie.test/entrepairs'"),
            "{said}"
        );
        assert!(!said.contains("s3cr3t"), "{said}");
    }
}

/// One HTTP worker and no background delivery: these tests federate with nobody.
fn quiet() -> NodeOptions {
    NodeOptions {
        http_workers: 1,
        delivery_worker: false,
    }
}
