//! What both benches share: nodes spawned in this process (SQLite or PostgreSQL), the
//! figures of the machine, and the small statistics they print.

// Each bench uses its part of this module.
#![allow(dead_code)]

pub mod sql_count;

use std::net::TcpListener;

use actix_web::dev::ServerHandle;
use entrepairs::app::{Application, NodeOptions};
use entrepairs::config::RawConfig;
use entrepairs::db::ActorRow;
pub use entrepairs::db::Engine;
use entrepairs::domain::accounts::{self, Account, NewAccountInput};
use entrepairs::domain::peers;
use entrepairs::state::AppState;

pub type BenchResult<T> = Result<T, Box<dyn std::error::Error + Send + Sync>>;

/// What both benches' command lines share: which bench to run, the engines, and numbers
/// (`--nodes 20`; a missing or invalid number keeps the default, and 0 counts as 1).
pub struct BenchArgs {
    pub what: String,
    pub sqlite: bool,
    pub postgres: bool,
    numbers: Vec<(&'static str, usize)>,
}

impl BenchArgs {
    pub fn parse(what: &str, whats: &[&str], numbers: &[(&'static str, usize)]) -> Self {
        let mut args = BenchArgs {
            what: what.into(),
            sqlite: true,
            postgres: false,
            numbers: numbers.to_vec(),
        };
        let mut it = std::env::args().skip(1);
        while let Some(a) = it.next() {
            match a.as_str() {
                // `cargo bench` passes `--bench` to every bench target.
                "--bench" => {}
                "--postgres" => args.postgres = true,
                "--postgres-only" => {
                    args.postgres = true;
                    args.sqlite = false;
                }
                w if whats.contains(&w) => args.what = a,
                other => match args.numbers.iter_mut().find(|(n, _)| *n == other) {
                    Some((_, value)) => {
                        if let Some(v) = it.next().and_then(|v| v.parse::<usize>().ok()) {
                            *value = v.max(1);
                        }
                    }
                    None => eprintln!("ignored argument {other:?}"),
                },
            }
        }
        args
    }

    pub fn number(&self, name: &str) -> usize {
        self.numbers
            .iter()
            .find(|(n, _)| *n == name)
            .map_or(1, |(_, v)| *v)
    }
}

/// Runs a bench on a multi-threaded runtime, after the figures of the machine.
pub fn run(bench: &str, body: impl Future<Output = BenchResult<()>>) -> BenchResult<()> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    print_machine(bench);
    rt.block_on(body)
}

/// The machine a run was measured on: CPUs, load and date, first in every report.
fn print_machine(bench: &str) {
    let uptime = std::process::Command::new("uptime")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_default();
    let cpus = std::thread::available_parallelism().map_or(0, |n| n.get());
    println!("# entrepairs {bench} bench");
    println!("machine: {cpus} CPUs; {uptime}");
    println!("date: {}\n", jiff::Timestamp::now());
}

pub fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_default()
}

/// Nearest-rank percentile.
pub fn percentile(v: &[f64], p: f64) -> f64 {
    let mut s = v.to_vec();
    s.sort_by(f64::total_cmp);
    if s.is_empty() {
        return 0.0;
    }
    let rank = ((p / 100.0) * s.len() as f64).ceil() as usize;
    s[rank.clamp(1, s.len()) - 1]
}

/// Activities recorded by all these nodes' inboxes.
pub async fn received_by(nodes: &[Node]) -> BenchResult<i64> {
    let mut n = 0;
    for r in nodes {
        n += r.state.store.count_received().await?;
    }
    Ok(n)
}

/// The engine's name in reports.
pub fn label(engine: Engine) -> &'static str {
    match engine {
        Engine::Sqlite => "SQLite",
        Engine::Postgres => "PostgreSQL",
    }
}

pub struct Node {
    pub state: AppState,
    pub base: String,
    pub authority: String,
    handle: ServerHandle,
    /// The PostgreSQL database to drop at the end.
    pg_database: Option<String>,
    _dir: tempfile::TempDir,
}

fn pg_admin_url() -> BenchResult<String> {
    std::env::var("ENTREPAIRS_TEST_DATABASE_URL")
        .ok()
        .filter(|v| !v.is_empty())
        .ok_or_else(|| "--postgres needs ENTREPAIRS_TEST_DATABASE_URL (an admin URL)".into())
}

async fn pg_admin(sql: String) -> BenchResult<()> {
    use sqlx::Connection;
    let mut conn = sqlx::PgConnection::connect(&pg_admin_url()?).await?;
    sqlx::raw_sql(sqlx::AssertSqlSafe(sql))
        .execute(&mut conn)
        .await?;
    Ok(())
}

impl Node {
    pub async fn spawn(engine: Engine, http_workers: usize) -> BenchResult<Node> {
        Node::spawn_with(engine, http_workers, |_| {}).await
    }

    /// [`Node::spawn`] with the configuration adjusted by `tweak` (the mail bench's relay).
    pub async fn spawn_with(
        engine: Engine,
        http_workers: usize,
        tweak: impl FnOnce(&mut RawConfig),
    ) -> BenchResult<Node> {
        let dir = tempfile::tempdir()?;
        let listener = TcpListener::bind("127.0.0.1:0")?;
        let port = listener.local_addr()?.port();
        let (database_url, pg_database) = match engine {
            Engine::Sqlite => (
                format!("sqlite://{}", dir.path().join("entrepairs.db").display()),
                None,
            ),
            Engine::Postgres => {
                let name = format!("bench_{}", uuid::Uuid::new_v4().simple());
                pg_admin(format!("CREATE DATABASE \"{name}\"")).await?;
                let mut url = url::Url::parse(&pg_admin_url()?)?;
                url.set_path(&format!("/{name}"));
                (url.to_string(), Some(name))
            }
        };
        let mut raw = RawConfig::default();
        raw.authority = Some(format!("127.0.0.1:{port}"));
        raw.bind = Some(format!("127.0.0.1:{port}"));
        raw.database_url = Some(database_url);
        raw.data_dir = Some(dir.path().display().to_string());
        raw.institution_name = Some(format!("Bench {port}"));
        // Loopback nodes: plain http and private addresses, as in the tests.
        raw.allow_http = Some(true);
        raw.allow_private_addresses = Some(true);
        // The benches measure how fast the inbox goes, not the per-peer budget.
        raw.inbox_peer_per_minute = Some(1_000_000);
        raw.inbox_peer_burst = Some(1_000_000);
        tweak(&mut raw);
        let config = raw.validate().map_err(|e| e.to_string())?;
        let options = NodeOptions {
            http_workers,
            delivery_worker: false,
        };
        let app = Application::build_with_listener(config, listener, options).await?;
        let state = app.state().clone();
        let handle = app.handle();
        tokio::spawn(app.run_until_stopped());
        Ok(Node {
            base: state.config.base_url(),
            authority: state.config.authority.clone(),
            state,
            handle,
            pg_database,
            _dir: dir,
        })
    }

    pub async fn stop(self) -> BenchResult<()> {
        self.handle.stop(true).await;
        self.state.store.close().await;
        if let Some(name) = self.pg_database {
            pg_admin(format!("DROP DATABASE IF EXISTS \"{name}\"")).await?;
        }
        Ok(())
    }

    pub async fn create_user(&self, username: &str) -> BenchResult<Account> {
        let (account, _) = accounts::create(
            &self.state,
            NewAccountInput {
                username: username.into(),
                display_name: username.into(),
                email: format!("{username}@bench.test"),
                job_title: "Agent d'accueil".into(),
                admin: false,
                password: Some("motdepasse-de-bench".into()),
            },
        )
        .await?;
        Ok(account)
    }

    /// The agent's row with its key pair (made on first need), to sign as them.
    pub async fn actor(&self, username: &str) -> BenchResult<ActorRow> {
        let row = self
            .state
            .store
            .local_actor(username, "Person")
            .await?
            .ok_or("no such actor")?;
        Ok(entrepairs::domain::actor_keys::ensure(&self.state, row)
            .await?
            .into_row())
    }
}

/// Lets both nodes talk to each other.
pub async fn federate(a: &Node, b: &Node) -> BenchResult<()> {
    peers::allow(&a.state, &b.authority, "bench").await?;
    peers::allow(&b.state, &a.authority, "bench").await?;
    Ok(())
}
