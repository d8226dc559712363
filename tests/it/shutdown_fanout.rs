//! SIGTERM in the middle of a fan-out, then a restart: every activity reaches every node,
//! and each is processed exactly once.

use std::io::Write;
use std::net::TcpListener;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use entrepairs::db::Store;
use entrepairs::domain::{follows, peers};

use crate::support::{TestNode, client, fresh_database_url};

const NOTES: usize = 30;

struct Sender {
    dir: tempfile::TempDir,
    port: u16,
    database_url: String,
}

impl Sender {
    fn command(&self) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_entrepairs"));
        c.current_dir(self.dir.path())
            .env("ENTREPAIRS_BIND", format!("127.0.0.1:{}", self.port))
            .env("ENTREPAIRS_AUTHORITY", format!("127.0.0.1:{}", self.port))
            .env("ENTREPAIRS_DATABASE_URL", &self.database_url)
            .env("ENTREPAIRS_DATA_DIR", self.dir.path())
            .env("ENTREPAIRS_ALLOW_HTTP", "true")
            .env("ENTREPAIRS_ALLOW_PRIVATE_ADDRESSES", "true")
            .env("ENTREPAIRS_INSTITUTION_NAME", "Expéditeur")
            .env_remove("ENTREPAIRS_LOG");
        c
    }

    fn admin(&self, args: &[&str], stdin: Option<&str>) -> Output {
        let mut child = self
            .command()
            .arg("admin")
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("admin command");
        if let Some(input) = stdin {
            child
                .stdin
                .take()
                .expect("stdin")
                .write_all(input.as_bytes())
                .expect("stdin");
        }
        drop(child.stdin.take());
        let out = child.wait_with_output().expect("wait");
        assert!(
            out.status.success(),
            "admin {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        out
    }

    async fn serve(&self) -> Child {
        let mut child = self
            .command()
            .arg("serve")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("serve");
        let url = format!("http://127.0.0.1:{}/readyz", self.port);
        for _ in 0..300 {
            if client()
                .get(&url)
                .send()
                .await
                .is_ok_and(|r| r.status() == 200)
            {
                return child;
            }
            if let Ok(Some(s)) = child.try_wait() {
                panic!("the sender exited early: {s}");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let _ = child.kill();
        panic!("the sender never became ready");
    }

    fn base(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }
}

fn sigterm(child: &Child) {
    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("kill");
    assert!(status.success());
}

async fn wait_exit(mut child: Child) -> std::process::ExitStatus {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if let Some(s) = child.try_wait().expect("wait") {
            return s;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("the sender did not stop within 30 s of SIGTERM");
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn sigterm_during_a_fan_out_then_a_restart_delivers_every_activity_exactly_once() {
    let receivers = TestNode::spawn_many(4).await;
    let dir = tempfile::tempdir().expect("dir");
    let port = TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port();
    let database_url = fresh_database_url(dir.path()).await;
    let sender = Sender {
        dir,
        port,
        database_url,
    };
    let authority = format!("127.0.0.1:{port}");

    sender.admin(
        &[
            "user",
            "add",
            "--username",
            "alice",
            "--email",
            "alice@expediteur.test",
            "--password-stdin",
        ],
        Some("un mot de passe long\n"),
    );
    for r in &receivers {
        sender.admin(&["peer", "allow", &r.authority], None);
        peers::allow(&r.state, &authority, "test")
            .await
            .expect("allow the sender");
    }
    let token = String::from_utf8(sender.admin(&["user", "token", "alice"], None).stdout)
        .expect("utf8")
        .trim()
        .to_owned();

    let child = sender.serve().await;
    let alice = format!("{}/users/alice", sender.base());
    for r in &receivers {
        for name in ["agent1", "agent2"] {
            let account = r.create_user(name, false).await;
            follows::follow(&r.state, &account, &alice)
                .await
                .expect("follow alice");
        }
        r.drain().await;
    }

    for i in 0..NOTES {
        let res = client()
            .post(format!("{}/api/v1/notes", sender.base()))
            .bearer_auth(&token)
            .json(&serde_json::json!({ "content": format!("Note {i} du club") }))
            .send()
            .await
            .expect("publish");
        assert_eq!(res.status(), 201);
    }
    // Stop while the worker is sending the 4 × NOTES deliveries.
    sigterm(&child);
    let status = wait_exit(child).await;
    assert!(
        status.success(),
        "SIGTERM ends the sender cleanly: {status}"
    );

    let store = Store::connect(&sender.database_url)
        .await
        .expect("sender database");
    let left = store.count_deliveries("pending").await.expect("db");
    store.close().await;
    eprintln!("deliveries still queued when the sender stopped: {left}");

    // What failed in flight (a connection cut as the process stopped) waits for its backoff;
    // the admin's "retry now" makes it due at once, as after any incident.
    let queue = Store::connect(&sender.database_url)
        .await
        .expect("sender database");
    queue.retry_deliveries_now(None).await.expect("retry now");
    let child = sender.serve().await;
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let mut complete = queue.count_deliveries("pending").await.expect("db") == 0;
        for r in &receivers {
            if r.state
                .store
                .objects_by_author(&alice)
                .await
                .expect("db")
                .len()
                < NOTES
            {
                complete = false;
            }
        }
        if complete || Instant::now() > deadline {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    queue.close().await;
    sigterm(&child);
    assert!(wait_exit(child).await.success());

    for r in &receivers {
        let notes = r.state.store.objects_by_author(&alice).await.expect("db");
        assert_eq!(notes.len(), NOTES, "{} has every note once", r.authority);
    }
    let store = Store::connect(&sender.database_url)
        .await
        .expect("sender database");
    let stuck: Vec<_> = store
        .deliveries_in_state("pending", 100)
        .await
        .expect("db")
        .into_iter()
        .chain(store.deliveries_in_state("failed", 100).await.expect("db"))
        .map(|d| {
            format!(
                "{} {} {:?} attempts={}",
                d.state, d.activity_ap_id, d.last_error, d.attempts
            )
        })
        .collect();
    assert!(
        stuck.is_empty(),
        "nothing left pending or failed: {stuck:#?}"
    );
    // One row per (activity, node): the notes and the 8 Accepts, each delivered once.
    assert_eq!(
        store.count_deliveries("delivered").await.expect("db"),
        (NOTES * 4 + 8) as i64
    );
    store.close().await;
    for r in receivers {
        r.stop().await;
    }
}
