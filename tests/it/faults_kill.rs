//! Fault injection with real processes (issue 13): the sending node is a real
//! `entrepairs serve` process killed with SIGKILL five times during a fan-out to ten
//! receiving nodes; every note it stored, acknowledged or not, must reach every receiver
//! exactly once, and a restarted node must resume at once. Also: a receiving node down for
//! a (simulated) day gets everything when it is back, the retry delays bounded as documented.
//!
//! `ENTREPAIRS_FAULTS_ACTIVITIES` changes the number of notes (1,000 by default).

use std::collections::BTreeSet;
use std::io::Write;
use std::net::TcpListener;
use std::process::{Child, Command, Output, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use entrepairs::db::Store;
use entrepairs::domain::{follows, notes, peers};
use entrepairs::federation::delivery;

use crate::support::{TestNode, client, fresh_database_url};

const RECEIVERS: usize = 10;
const KILLS: usize = 5;
/// Parallel publishing requests, so that every kill cuts some in the middle.
const PUBLISHERS: usize = 8;

fn activities() -> usize {
    std::env::var("ENTREPAIRS_FAULTS_ACTIVITIES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1000)
}

/// The sending node: a real process on a SQLite file in a temp dir.
struct Sender {
    dir: tempfile::TempDir,
    port: u16,
    database_url: String,
    /// The running process, killed when the test ends, panics included.
    child: Option<Child>,
}

impl Drop for Sender {
    fn drop(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
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
            let mut pipe = child.stdin.take().expect("stdin");
            pipe.write_all(input.as_bytes()).expect("stdin");
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

    /// Starts `serve` and waits until it answers `/readyz`; returns how long it took.
    async fn serve(&mut self) -> Duration {
        let mut c = self.command();
        c.arg("serve");
        self.start(c).await
    }

    /// `serve` through a shell that ignores SIGXFSZ (kept across `exec`), so that a file
    /// size limit set later makes writes fail as on a full disk instead of killing it.
    async fn serve_on_a_disk_that_may_fill(&mut self) -> Duration {
        let c = self.command();
        let mut shell = Command::new("sh");
        shell
            .args(["-c", "trap '' XFSZ; exec \"$0\" serve"])
            .arg(c.get_program())
            .current_dir(self.dir.path())
            .env_remove("ENTREPAIRS_LOG");
        for (k, v) in c.get_envs().filter_map(|(k, v)| Some((k, v?))) {
            shell.env(k, v);
        }
        self.start(shell).await
    }

    async fn start(&mut self, mut command: Command) -> Duration {
        let started = Instant::now();
        let child = command
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("serve");
        self.child = Some(child);
        let url = format!("{}/readyz", self.base());
        for _ in 0..600 {
            if client()
                .get(&url)
                .send()
                .await
                .is_ok_and(|r| r.status() == 200)
            {
                return started.elapsed();
            }
            if let Some(c) = self.child.as_mut()
                && let Ok(Some(s)) = c.try_wait()
            {
                panic!("the sender exited early: {s}");
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("the sender never became ready");
    }

    /// The soft file size limit of the running process (`prlimit`): `0` makes every write
    /// fail as on a full disk, `unlimited` clears it.
    fn file_size_limit(&self, limit: &str) {
        let pid = self.child.as_ref().expect("running").id().to_string();
        let status = Command::new("prlimit")
            .args(["--pid", &pid, &format!("--fsize={limit}:")])
            .status()
            .expect("prlimit");
        assert!(status.success(), "prlimit {limit}");
    }

    /// SIGKILL: no chance to record anything.
    fn kill9(&mut self) {
        if let Some(mut c) = self.child.take() {
            c.kill().expect("kill -9");
            let _ = c.wait();
        }
    }

    /// SIGTERM, and wait for the clean stop.
    async fn stop(&mut self) {
        let Some(mut c) = self.child.take() else {
            return;
        };
        let status = Command::new("kill")
            .args(["-TERM", &c.id().to_string()])
            .status()
            .expect("kill");
        assert!(status.success());
        let deadline = Instant::now() + Duration::from_secs(30);
        while c.try_wait().expect("wait").is_none() {
            assert!(Instant::now() < deadline, "the sender did not stop");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    fn base(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }
}

/// The `duplicate` outcomes of the inbox so far (all in-process receivers share the recorder).
async fn duplicates_seen(node: &TestNode) -> u64 {
    let text = client()
        .get(node.url("/metrics"))
        .send()
        .await
        .expect("metrics")
        .text()
        .await
        .expect("metrics text");
    text.lines()
        .filter(|l| l.starts_with("entrepairs_inbox_activities_total") && l.contains("duplicate"))
        .filter_map(|l| l.rsplit(' ').next()?.parse::<f64>().ok())
        .map(|v| v as u64)
        .sum()
}

#[tokio::test]
async fn sigkill_five_times_during_a_fan_out_then_every_stored_note_is_on_every_node_once() {
    let total = activities();
    let receivers = TestNode::spawn_many(RECEIVERS).await;
    let dir = tempfile::tempdir().expect("dir");
    let port = TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port();
    let database_url = fresh_database_url(dir.path()).await;
    let mut sender = Sender {
        dir,
        port,
        database_url,
        child: None,
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
    sender.serve().await;
    let alice = format!("{}/users/alice", sender.base());
    for r in &receivers {
        let agent = r.create_user("agent", false).await;
        follows::follow(&r.state, &agent, &alice)
            .await
            .expect("follow alice");
        r.drain().await;
    }
    let duplicates_before = duplicates_seen(&receivers[0]).await;

    // Publishers take the next number and post it; a request refused at connect (the
    // sender is down) is posted again, one cut after being sent is left as it is: stored
    // or not, the sender's database says.
    let next = Arc::new(AtomicUsize::new(0));
    let acked = Arc::new(AtomicUsize::new(0));
    let cut = Arc::new(AtomicUsize::new(0));
    let mut publishers = tokio::task::JoinSet::new();
    for _ in 0..PUBLISHERS {
        let (next, acked, cut) = (next.clone(), acked.clone(), cut.clone());
        let url = format!("{}/api/v1/notes", sender.base());
        let token = token.clone();
        publishers.spawn(async move {
            let http = client();
            loop {
                let i = next.fetch_add(1, Ordering::SeqCst);
                if i >= total {
                    return;
                }
                loop {
                    let res = http
                        .post(&url)
                        .bearer_auth(&token)
                        .json(&serde_json::json!({ "content": format!("Note {i} du club") }))
                        .send()
                        .await;
                    match res {
                        Ok(r) if r.status() == 201 => {
                            acked.fetch_add(1, Ordering::SeqCst);
                        }
                        Ok(r) if r.status().is_server_error() => {
                            cut.fetch_add(1, Ordering::SeqCst);
                        }
                        Ok(r) => panic!("note {i}: {}", r.status()),
                        Err(e) if e.is_connect() => {
                            tokio::time::sleep(Duration::from_millis(20)).await;
                            continue;
                        }
                        Err(_) => {
                            cut.fetch_add(1, Ordering::SeqCst);
                        }
                    }
                    break;
                }
            }
        });
    }
    let started = Instant::now();
    let mut restarts = Vec::new();
    for k in 1..=KILLS {
        // Spread the kills over the publishing; the last one lands in the deliveries.
        let at = total * k / (KILLS + 1);
        while acked.load(Ordering::SeqCst) + cut.load(Ordering::SeqCst) < at {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        sender.kill9();
        restarts.push(sender.serve().await);
    }
    while publishers.join_next().await.is_some() {}
    let published_in = started.elapsed();

    // Everything the sender stored must arrive; the queue and the journal must empty.
    let host = Store::connect(&sender.database_url).await.expect("db");
    let deadline = Instant::now() + Duration::from_secs(240);
    let drained = Instant::now();
    let stored: BTreeSet<String> = loop {
        let stored: BTreeSet<String> = host
            .objects_by_author(&alice)
            .await
            .expect("db")
            .into_iter()
            .map(|o| o.ap_id)
            .collect();
        let mut complete = host.count_deliveries("pending").await.expect("db") == 0
            && host.journal_len().await.expect("db") == 0;
        for r in &receivers {
            if r.state
                .store
                .objects_by_author(&alice)
                .await
                .expect("db")
                .len()
                < stored.len()
            {
                complete = false;
            }
        }
        if complete || Instant::now() > deadline {
            break stored;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    let fan_out_done = drained.elapsed();
    sender.stop().await;
    let failed = host.count_deliveries("failed").await.expect("db");
    let delivered = host.count_deliveries("delivered").await.expect("db");
    host.close().await;
    let duplicates = duplicates_seen(&receivers[0]).await - duplicates_before;

    eprintln!(
        "faults: {total} notes posted by {PUBLISHERS} clients, {} acknowledged, {} cut, {} stored \
         on the sender; {KILLS} SIGKILLs, restarts ready in {restarts:?}; posting took {:.1} s, \
         the fan-out finished {:.1} s later; {delivered} deliveries, {failed} failed; {duplicates} \
         duplicate receipts (sent twice, ignored by the receiver)",
        acked.load(Ordering::SeqCst),
        cut.load(Ordering::SeqCst),
        stored.len(),
        published_in.as_secs_f64(),
        fan_out_done.as_secs_f64(),
    );
    assert!(
        stored.len() >= acked.load(Ordering::SeqCst),
        "every acknowledged note is stored"
    );
    assert_eq!(failed, 0, "no delivery failed");
    for r in &receivers {
        let there: BTreeSet<String> = r
            .state
            .store
            .objects_by_author(&alice)
            .await
            .expect("db")
            .into_iter()
            .map(|o| o.ap_id)
            .collect();
        let missing: Vec<_> = stored.difference(&there).collect();
        let extra: Vec<_> = there.difference(&stored).collect();
        assert!(
            missing.is_empty() && extra.is_empty(),
            "{}: {} missing ({:?}…), {} not stored on the sender",
            r.authority,
            missing.len(),
            missing.first(),
            extra.len()
        );
    }
    for r in receivers {
        r.stop().await;
    }
}

#[tokio::test]
async fn a_receiver_down_for_a_day_gets_everything_when_back_with_bounded_retry_delays() {
    let nodes = TestNode::spawn_many(2).await;
    let mut nodes = nodes.into_iter();
    let (sender, receiver) = (
        nodes.next().expect("sender"),
        nodes.next().expect("receiver"),
    );
    TestNode::federate(&[&sender, &receiver]).await;
    let alice = sender.create_user("alice", false).await;
    let bob = receiver.create_user("bob", false).await;
    follows::follow(
        &receiver.state,
        &bob,
        &format!("{}/users/alice", sender.base),
    )
    .await
    .expect("follow");
    TestNode::drain_all(&[&sender, &receiver]).await;
    let alice_id = format!("{}/users/alice", sender.base);
    let down = receiver.stop().await;
    for i in 0..3 {
        notes::publish(&sender.state, &alice, &format!("Pendant la panne {i}"))
            .await
            .expect("note");
    }

    // A day of failures, each retry made due when its delay has passed (a simulated clock).
    let day_ms: i64 = 24 * 3600 * 1000;
    let mut elapsed_ms: i64 = 0;
    let mut attempts = 0;
    let mut longest_ms = 0;
    while elapsed_ms < day_ms {
        let stats = delivery::drain(&sender.state).await.expect("drain");
        assert_eq!(stats.delivered, 0);
        assert_eq!(
            stats.failed, 0,
            "a node that is down is retried, not given up"
        );
        attempts += 1;
        let now = entrepairs::db::now_ms();
        let rows = sender
            .state
            .store
            .deliveries_in_state("pending", 10)
            .await
            .expect("db");
        assert_eq!(rows.len(), 3, "the three notes wait: {rows:?}");
        let mut round_ms = 0;
        for r in &rows {
            let delay = r.next_attempt_at - now;
            assert!(
                delay <= day_ms * 12 / 10 + 1000,
                "attempt {}: the next retry is at most a day (+20 %) away: {delay} ms",
                r.attempts
            );
            round_ms = round_ms.max(delay);
        }
        longest_ms = longest_ms.max(round_ms);
        elapsed_ms += round_ms;
        sender
            .state
            .store
            .retry_deliveries_now(None)
            .await
            .expect("the delay has passed");
    }
    let receiver = down.restart().await;
    // The next retry after its return, at most a day later.
    let stats = delivery::drain(&sender.state).await.expect("drain");
    eprintln!(
        "faults: a receiver down for {:.1} simulated hours: {attempts} attempts, longest delay \
         {:.1} h, then {} delivered when back",
        elapsed_ms as f64 / 3.6e6,
        longest_ms as f64 / 3.6e6,
        stats.delivered
    );
    let notes = receiver
        .state
        .store
        .objects_by_author(&alice_id)
        .await
        .expect("db");
    assert_eq!(notes.len(), 3, "every note arrived");
    sender.stop().await;
    receiver.stop().await;
}

/// A sender whose alice is followed by one agent of `receiver`, with her API token.
async fn sender_followed_by(receiver: &TestNode) -> (Sender, String) {
    let dir = tempfile::tempdir().expect("dir");
    let port = TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port();
    // The full disk is the SQLite file's (a file-size limit on the process): this sender is
    // on SQLite whichever engine the suite runs on.
    let database_url = format!("sqlite://{}", dir.path().join("entrepairs.db").display());
    let sender = Sender {
        dir,
        port,
        database_url,
        child: None,
    };
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
    sender.admin(&["peer", "allow", &receiver.authority], None);
    peers::allow(&receiver.state, &format!("127.0.0.1:{port}"), "test")
        .await
        .expect("allow the sender");
    let token = String::from_utf8(sender.admin(&["user", "token", "alice"], None).stdout)
        .expect("utf8")
        .trim()
        .to_owned();
    (sender, token)
}

async fn post_note(sender: &Sender, token: &str, text: &str) -> (u16, String) {
    let res = client()
        .post(format!("{}/api/v1/notes", sender.base()))
        .bearer_auth(token)
        .json(&serde_json::json!({ "content": text }))
        .send()
        .await
        .expect("the sender answers");
    let status = res.status().as_u16();
    (status, res.text().await.unwrap_or_default())
}

#[tokio::test]
async fn a_full_disk_mid_run_refuses_clearly_writes_nothing_and_recovers_when_it_clears() {
    if !Command::new("prlimit")
        .arg("--version")
        .stdout(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
    {
        assert!(
            !matches!(std::env::var("CI").as_deref(), Ok("true" | "1")),
            "prlimit (util-linux) is needed in CI"
        );
        eprintln!("skipped: prlimit (util-linux) is not installed");
        return;
    }
    let receiver = TestNode::spawn_named("recepteur").await;
    let (mut sender, token) = sender_followed_by(&receiver).await;
    sender.serve_on_a_disk_that_may_fill().await;
    let alice = format!("{}/users/alice", sender.base());
    let agent = receiver.create_user("agent", false).await;
    follows::follow(&receiver.state, &agent, &alice)
        .await
        .expect("follow alice");
    receiver.drain().await;
    for i in 0..3 {
        assert_eq!(
            post_note(&sender, &token, &format!("Avant {i}")).await.0,
            201
        );
    }

    sender.file_size_limit("0");
    let mut refusals = Vec::new();
    for i in 0..3 {
        refusals.push(post_note(&sender, &token, &format!("Disque plein {i}")).await);
    }
    sender.file_size_limit("unlimited");
    for (status, body) in &refusals {
        assert_eq!(*status, 503, "a full disk is a passing fault: {body}");
        assert!(
            body.contains("storage_unavailable") && body.contains("disk full or read-only"),
            "the error says what happened: {body}"
        );
    }
    for i in 0..3 {
        assert_eq!(
            post_note(&sender, &token, &format!("Après {i}")).await.0,
            201
        );
    }

    let host = Store::connect(&sender.database_url).await.expect("db");
    // A delivery sent while the disk was full could not be recorded: it is sent again when
    // its lease ends (60 s), and the receiver ignores the second copy.
    let cleared = Instant::now();
    let deadline = cleared + Duration::from_secs(150);
    loop {
        let there = receiver
            .state
            .store
            .objects_by_author(&alice)
            .await
            .expect("db")
            .len();
        if (there == 6 && host.count_deliveries("pending").await.expect("db") == 0)
            || Instant::now() > deadline
        {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let stored: Vec<String> = host
        .objects_by_author(&alice)
        .await
        .expect("db")
        .into_iter()
        .map(|o| o.content_html)
        .collect();
    assert_eq!(
        stored.len(),
        6,
        "nothing of the refused notes is stored: {stored:?}"
    );
    assert!(stored.iter().all(|c| !c.contains("Disque plein")));
    assert_eq!(
        host.journal_len().await.expect("db"),
        0,
        "nothing half-written"
    );
    let there = receiver
        .state
        .store
        .objects_by_author(&alice)
        .await
        .expect("db");
    assert_eq!(
        there.len(),
        6,
        "what was stored before and after reached the follower"
    );
    eprintln!(
        "faults: a full disk mid-run: {} requests refused with 503 storage_unavailable, 0 rows \
         written, 6 of 6 stored notes delivered {:.1} s after it cleared",
        refusals.len(),
        cleared.elapsed().as_secs_f64()
    );
    host.close().await;
    sender.stop().await;
    receiver.stop().await;
}
