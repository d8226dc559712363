//! Test harness: real nodes on 127.0.0.1:0, each with its own database (a SQLite file in a
//! temp dir, or a fresh PostgreSQL database when `ENTREPAIRS_TEST_DATABASE_URL` is set).

#![allow(dead_code)]

pub mod browser;
pub mod signing;

use std::net::TcpListener;
use std::path::PathBuf;

use actix_web::dev::ServerHandle;
use entrepairs::app::{Application, NodeOptions};
use entrepairs::config::{Config, RawConfig};
use entrepairs::domain::accounts::{self, Account, NewAccountInput};
use entrepairs::state::AppState;

pub use browser::Browser;

/// Password of every account the harness creates.
pub const PASSWORD: &str = "motdepasse-de-test";

/// A running node.
pub struct TestNode {
    pub name: String,
    pub port: u16,
    pub authority: String,
    pub base: String,
    pub state: AppState,
    pub database_url: String,
    handle: ServerHandle,
    dir: PathBuf,
    _tempdir: Option<tempfile::TempDir>,
}

/// Where the test databases live: SQLite by default, PostgreSQL when the variable is set.
pub fn postgres_admin_url() -> Option<String> {
    std::env::var("ENTREPAIRS_TEST_DATABASE_URL")
        .ok()
        .filter(|v| !v.is_empty())
}

/// A fresh, empty database for one node.
pub async fn fresh_database_url(dir: &std::path::Path) -> String {
    match postgres_admin_url() {
        None => format!("sqlite://{}", dir.join("entrepairs.db").display()),
        Some(admin) => {
            use sqlx::Connection;
            let name = format!("test_{}", uuid::Uuid::new_v4().simple());
            let mut conn = sqlx::PgConnection::connect(&admin)
                .await
                .expect("ENTREPAIRS_TEST_DATABASE_URL is set but PostgreSQL is unreachable");
            sqlx::raw_sql(sqlx::AssertSqlSafe(format!("CREATE DATABASE \"{name}\"")))
                .execute(&mut conn)
                .await
                .expect("create test database");
            let mut url = url::Url::parse(&admin).expect("valid postgres URL");
            url.set_path(&format!("/{name}"));
            url.to_string()
        }
    }
}

/// The configuration of a test node: loopback, plain http and private addresses allowed.
pub fn config_for(name: &str, port: u16, dir: &std::path::Path, database_url: &str) -> Config {
    raw_config_for(name, port, dir, database_url)
        .validate()
        .expect("test config is valid")
}

fn raw_config_for(name: &str, port: u16, dir: &std::path::Path, database_url: &str) -> RawConfig {
    let mut raw = RawConfig::default();
    raw.authority = Some(format!("127.0.0.1:{port}"));
    raw.bind = Some(format!("127.0.0.1:{port}"));
    raw.database_url = Some(database_url.to_owned());
    raw.data_dir = Some(dir.display().to_string());
    raw.institution_name = Some(format!("Institution {name}"));
    raw.allow_http = Some(true);
    raw.allow_private_addresses = Some(true);
    raw
}

impl TestNode {
    pub async fn spawn() -> TestNode {
        Self::spawn_named("test").await
    }

    pub async fn spawn_named(name: &str) -> TestNode {
        Self::spawn_with(name, |_| {}).await
    }

    /// A node whose configuration `tweak` adjusts before it starts.
    pub async fn spawn_with(name: &str, tweak: impl FnOnce(&mut RawConfig)) -> TestNode {
        Self::spawn_with_config(name, tweak, |_| {}).await
    }

    /// A node whose validated configuration `adjust` changes too (what no setting says, such
    /// as the demo's mail page).
    pub async fn spawn_with_config(
        name: &str,
        tweak: impl FnOnce(&mut RawConfig),
        adjust: impl FnOnce(&mut Config),
    ) -> TestNode {
        let tempdir = tempfile::tempdir().expect("temp dir");
        let dir = tempdir.path().to_path_buf();
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = listener.local_addr().expect("addr").port();
        let database_url = fresh_database_url(&dir).await;
        let mut raw = raw_config_for(name, port, &dir, &database_url);
        tweak(&mut raw);
        let mut config = raw.validate().expect("test config is valid");
        adjust(&mut config);
        Self::start_config(
            name,
            listener,
            port,
            dir,
            database_url,
            Some(tempdir),
            config,
        )
        .await
    }

    /// `n` nodes named a, b, c…
    pub async fn spawn_many(n: usize) -> Vec<TestNode> {
        let mut nodes = Vec::new();
        for i in 0..n {
            let name = ((b'a' + i as u8) as char).to_string();
            nodes.push(Self::spawn_named(&name).await);
        }
        nodes
    }

    async fn start(
        name: &str,
        listener: TcpListener,
        port: u16,
        dir: PathBuf,
        database_url: String,
        tempdir: Option<tempfile::TempDir>,
    ) -> TestNode {
        let config = config_for(name, port, &dir, &database_url);
        Self::start_config(name, listener, port, dir, database_url, tempdir, config).await
    }

    async fn start_config(
        name: &str,
        listener: TcpListener,
        port: u16,
        dir: PathBuf,
        database_url: String,
        tempdir: Option<tempfile::TempDir>,
        config: Config,
    ) -> TestNode {
        let authority = config.authority.clone();
        let base = config.base_url();
        let options = NodeOptions {
            http_workers: 1,
            delivery_worker: false,
        };
        let app = Application::build_with_listener(config, listener, options)
            .await
            .expect("node starts");
        let state = app.state().clone();
        let handle = app.handle();
        tokio::spawn(app.run_until_stopped());
        TestNode {
            name: name.to_owned(),
            port,
            authority,
            base,
            state,
            database_url,
            handle,
            dir,
            _tempdir: tempdir,
        }
    }

    /// Stops the server and closes the database.
    pub async fn stop(self) -> StoppedNode {
        self.handle.stop(true).await;
        self.state.store.close().await;
        StoppedNode {
            name: self.name,
            port: self.port,
            dir: self.dir,
            database_url: self.database_url,
            tempdir: self._tempdir,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Creates an agent (or admin) with [`PASSWORD`].
    pub async fn create_user(&self, username: &str, admin: bool) -> Account {
        create_account(
            &self.state,
            username,
            &format!("{username} ({})", self.name),
            &format!("{username}@{}.test", self.name),
            admin,
        )
        .await
    }

    /// Creates a user and returns a browser logged in as them.
    pub async fn logged_in(&self, username: &str, admin: bool) -> Browser {
        self.create_user(username, admin).await;
        let mut b = Browser::new(&self.base);
        b.login(username, PASSWORD).await;
        b
    }

    /// An API token for an existing user.
    pub async fn token(&self, username: &str) -> String {
        let account = accounts::by_username(&self.state, username)
            .await
            .expect("user exists");
        let (_, secret) = entrepairs::domain::tokens::create(&self.state, &account, "test")
            .await
            .expect("token");
        secret
    }
}

impl TestNode {
    /// Allows traffic between every pair of these nodes (one-sided allow on each side).
    pub async fn federate(nodes: &[&TestNode]) {
        for a in nodes {
            for b in nodes {
                if a.authority != b.authority {
                    entrepairs::domain::peers::allow(&a.state, &b.authority, "test")
                        .await
                        .expect("allow");
                }
            }
        }
    }

    /// Sends everything due in this node's delivery queue now.
    pub async fn drain(&self) -> entrepairs::federation::delivery::DrainStats {
        entrepairs::federation::delivery::drain(&self.state)
            .await
            .expect("drain")
    }

    /// Drains several nodes until none has anything left to send (answers cause new sends).
    pub async fn drain_all(nodes: &[&TestNode]) {
        for _ in 0..10 {
            let mut sent = 0;
            for n in nodes {
                let s = n.drain().await;
                sent += s.delivered + s.retried + s.failed;
            }
            if sent == 0 {
                return;
            }
        }
        panic!("deliveries keep coming after 10 rounds");
    }

    /// The actor row of a local agent, with its key pair (made on first need, as the first
    /// signed delivery would), so that tests can sign as the agent.
    pub async fn actor(&self, username: &str) -> entrepairs::db::ActorRow {
        let row = self
            .state
            .store
            .local_actor(username, "Person")
            .await
            .expect("db")
            .expect("actor exists");
        entrepairs::domain::actor_keys::ensure(&self.state, row)
            .await
            .expect("key pair")
            .into_row()
    }

    pub fn handle_of(&self, username: &str) -> String {
        format!("{username}@{}", self.authority)
    }
}

/// A node that was stopped and keeps its data, to be started again on the same port.
pub struct StoppedNode {
    name: String,
    port: u16,
    dir: PathBuf,
    database_url: String,
    tempdir: Option<tempfile::TempDir>,
}

impl StoppedNode {
    /// Starts it again with its configuration adjusted by `tweak` (same port, same data).
    pub async fn restart_with(self, tweak: impl FnOnce(&mut RawConfig)) -> TestNode {
        let listener = TcpListener::bind(("127.0.0.1", self.port)).expect("rebind same port");
        let mut raw = raw_config_for(&self.name, self.port, &self.dir, &self.database_url);
        tweak(&mut raw);
        let config = raw.validate().expect("test config is valid");
        TestNode::start_config(
            &self.name,
            listener,
            self.port,
            self.dir,
            self.database_url,
            self.tempdir,
            config,
        )
        .await
    }

    pub async fn restart(self) -> TestNode {
        let listener = TcpListener::bind(("127.0.0.1", self.port)).expect("rebind same port");
        TestNode::start(
            &self.name,
            listener,
            self.port,
            self.dir,
            self.database_url,
            self.tempdir,
        )
        .await
    }
}

/// A plain HTTP client that does not follow redirects, so tests see them.
pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client")
}

/// A node's domain without its HTTP server: a store on a fresh database and a publisher that
/// records the changes it is told, for tests of the domain's rules.
pub struct DomainNode {
    pub state: AppState,
    pub published: std::sync::Arc<entrepairs::domain::ports::RecordingPublisher>,
    _tempdir: tempfile::TempDir,
}

impl DomainNode {
    pub async fn new(name: &str) -> DomainNode {
        let tempdir = tempfile::tempdir().expect("temp dir");
        let database_url = fresh_database_url(tempdir.path()).await;
        let config = config_for(name, 9, tempdir.path(), &database_url);
        let store = entrepairs::db::Store::connect(&database_url)
            .await
            .expect("database");
        store.migrate().await.expect("migrations");
        let published =
            std::sync::Arc::new(entrepairs::domain::ports::RecordingPublisher::default());
        let state = AppState::with_publisher(config, store, published.clone());
        DomainNode {
            state,
            published,
            _tempdir: tempdir,
        }
    }

    /// A local agent (or admin) with [`PASSWORD`].
    pub async fn create_user(&self, username: &str, admin: bool) -> Account {
        create_account(
            &self.state,
            username,
            username,
            &format!("{username}@domain.test"),
            admin,
        )
        .await
    }
}

/// An agent (or admin) with [`PASSWORD`], created through the domain.
async fn create_account(
    state: &AppState,
    username: &str,
    display_name: &str,
    email: &str,
    admin: bool,
) -> Account {
    let (account, _) = accounts::create(
        state,
        NewAccountInput {
            username: username.into(),
            display_name: display_name.into(),
            email: email.into(),
            job_title: "Agent d'accueil".into(),
            admin,
            password: Some(PASSWORD.into()),
        },
    )
    .await
    .expect("create user");
    account
}
