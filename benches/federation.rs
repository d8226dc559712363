//! Federation benchmarks (issue 3, "Performance"): signed activities accepted per second by
//! one inbox, fan-out of one note to 50 peer nodes, the raw RSA rates of this machine, and
//! (`sidebyside`) the same generator against entrepairs and a Fedify inbox in one run.
//!
//! `cargo bench --bench federation -- [crypto|inbox|fanout|sidebyside|all] [--postgres|--postgres-only]
//! [--n N] [--runs R] [--nodes K] [--notes M] [--prefill P]`. It prints figures and asserts no timing: the machine
//! is shared, so every measurement is repeated and reported as median and spread.

mod common;

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use actix_web::web::Bytes;
use common::{
    BenchArgs, BenchResult, Engine, Node, federate, label, load_average, percentile, received_by,
};
use entrepairs::db::ActorRow;
use entrepairs::domain::{follows, notes};
use entrepairs::federation::delivery;
use entrepairs::federation::inbox::check_origin;
use entrepairs::federation::keycache::KnownKey;
use entrepairs::federation::keys::PrivateKey;
use entrepairs::federation::signatures::{self, VerifyPolicy, sign_request};
use futures_util::StreamExt;
use serde_json::json;

/// Requests in flight during the inbox bench (`--conns`, default 32: the issue's figure; 64 is
/// what a busy peer's delivery worker sends at most, `delivery::TOTAL_CONCURRENCY`).
static IN_FLIGHT_N: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(32);

fn in_flight() -> usize {
    IN_FLIGHT_N.load(std::sync::atomic::Ordering::Relaxed)
}
/// Sender agents whose keys sign the inbox bench's activities: several keys, all cached.
const SENDER_AGENTS: usize = 8;

struct Args {
    what: String,
    /// `public` (default): Mastodon's public note mentioning our agent, `to` Public, `cc`
    /// the author's followers and the agent; `direct`: addressed to the agent only, which is
    /// a private message (issue 14) with its notification.
    direct: bool,
    postgres: bool,
    sqlite: bool,
    n: usize,
    runs: usize,
    nodes: usize,
    notes: usize,
    /// Activities (with their notes) already stored before the timed run: how cost grows.
    prefill: usize,
}

fn parse_args() -> Args {
    let a = BenchArgs::parse(
        "all",
        &[
            "inbox",
            "fanout",
            "crypto",
            "sidebyside",
            "all",
            "direct",
            "public",
        ],
        &[
            ("--n", 20_000),
            ("--runs", 3),
            ("--nodes", 50),
            ("--notes", 20),
            ("--conns", 32),
            ("--prefill", 0),
        ],
    );
    IN_FLIGHT_N.store(a.number("--conns"), std::sync::atomic::Ordering::Relaxed);
    Args {
        n: a.number("--n"),
        runs: a.number("--runs"),
        nodes: a.number("--nodes"),
        notes: a.number("--notes"),
        prefill: a.number("--prefill"),
        direct: std::env::args().any(|a| a == "direct"),
        what: a.what,
        sqlite: a.sqlite,
        postgres: a.postgres,
    }
}

fn main() -> BenchResult<()> {
    let args = parse_args();
    common::run("federation", async {
        let all = args.what == "all";
        if all || args.what == "crypto" || args.what == "inbox" {
            crypto().await?;
        }
        if all || args.what == "inbox" {
            if args.sqlite {
                inbox_bench(&args, Engine::Sqlite).await?;
            }
            if args.postgres {
                inbox_bench(&args, Engine::Postgres).await?;
            } else {
                println!("(PostgreSQL inbox run skipped: pass --postgres)\n");
            }
        }
        if all || args.what == "fanout" {
            fanout_bench(&args).await?;
        }
        if args.what == "sidebyside" {
            side_by_side(&args).await?;
        }
        Ok(())
    })
}

// ---------------------------------------------------------------------------------------
// Machine and process figures

/// CPU seconds per thread group of this process and busy seconds of the whole machine, so a
/// run can say where the time went and how much the other tenants took.
#[derive(Default, Clone)]
struct CpuSample {
    threads: BTreeMap<String, f64>,
    process: f64,
    machine_busy: f64,
}

fn clock_ticks() -> f64 {
    std::process::Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|o| String::from_utf8_lossy(&o.stdout).trim().parse().ok())
        .unwrap_or(100.0)
}

/// Thread names lose their numbers, so that "sqlx-sqlite-worker-3" and "-4" add up.
fn thread_group(comm: &str) -> String {
    let name = comm.trim_end_matches(|c: char| c.is_ascii_digit() || c == '-' || c == ' ');
    match name {
        n if n.starts_with("tokio-r") => "bench runtime workers (client connections)".into(),
        n if n.starts_with("federation") => "bench main thread (client requests)".into(),
        n if n.starts_with("actix-server w") => "receiver HTTP workers".into(),
        n if n.starts_with("sqlx-sqlite") => "SQLite threads".into(),
        n => n.to_owned(),
    }
}

fn cpu_sample(ticks: f64) -> CpuSample {
    let mut s = CpuSample::default();
    if let Ok(dir) = std::fs::read_dir("/proc/self/task") {
        for entry in dir.flatten() {
            let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) else {
                continue;
            };
            let (Some(open), Some(close)) = (stat.find('('), stat.rfind(')')) else {
                continue;
            };
            let comm = &stat[open + 1..close];
            let fields: Vec<&str> = stat[close + 2..].split(' ').collect();
            // Fields 14 and 15 of stat(5) are utime and stime; `fields` starts at field 3.
            let cpu = fields
                .get(11..13)
                .map(|f| f.iter().filter_map(|v| v.parse::<f64>().ok()).sum::<f64>())
                .unwrap_or(0.0)
                / ticks;
            *s.threads.entry(thread_group(comm)).or_default() += cpu;
            s.process += cpu;
        }
    }
    if let Ok(stat) = std::fs::read_to_string("/proc/stat")
        && let Some(line) = stat.lines().next()
    {
        let v: Vec<f64> = line
            .split_whitespace()
            .skip(1)
            .filter_map(|x| x.parse().ok())
            .collect();
        // user nice system idle iowait irq softirq steal: busy is all but idle and iowait.
        let busy: f64 = v
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != 3 && *i != 4)
            .map(|(_, x)| x)
            .sum();
        s.machine_busy = busy / ticks;
    }
    s
}

fn cpu_delta(a: &CpuSample, b: &CpuSample) -> CpuSample {
    let mut threads = BTreeMap::new();
    for (k, v) in &b.threads {
        let d = v - a.threads.get(k).copied().unwrap_or(0.0);
        if d > 0.005 {
            threads.insert(k.clone(), d);
        }
    }
    CpuSample {
        threads,
        process: b.process - a.process,
        machine_busy: b.machine_busy - a.machine_busy,
    }
}

fn vm_kib(field: &str) -> u64 {
    status_kib("/proc/self/status", field)
}

/// A `VmXxx:` figure of a `/proc/<pid>/status` file, in KiB.
fn status_kib(path: &str, field: &str) -> u64 {
    std::fs::read_to_string(path)
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(field))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse().ok())
        })
        .unwrap_or(0)
}

fn median(v: &[f64]) -> f64 {
    let mut s = v.to_vec();
    s.sort_by(f64::total_cmp);
    if s.is_empty() {
        return 0.0;
    }
    let m = s.len() / 2;
    if s.len() % 2 == 1 {
        s[m]
    } else {
        (s[m - 1] + s[m]) / 2.0
    }
}

fn spread(v: &[f64]) -> String {
    let min = v.iter().copied().fold(f64::INFINITY, f64::min);
    let max = v.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    format!("{min:.0}–{max:.0}")
}

// ---------------------------------------------------------------------------------------
// Raw RSA rates

/// Operations per second of `op` on this thread over `secs` of wall time.
fn rate(secs: f64, op: impl FnMut()) -> f64 {
    rates(secs, op).0
}

/// CPU seconds this thread has used (10 ms resolution).
fn thread_cpu() -> f64 {
    stat_cpu_ticks("/proc/thread-self/stat") / 100.0
}

/// User plus system time, in clock ticks, of a `/proc/…/stat` file (a thread or a process).
fn stat_cpu_ticks(path: &str) -> f64 {
    std::fs::read_to_string(path)
        .ok()
        .and_then(|stat| {
            let close = stat.rfind(')')?;
            let fields: Vec<&str> = stat.get(close + 2..)?.split(' ').collect();
            // Fields 14 and 15 of stat(5); `fields` starts at field 3.
            Some(
                fields
                    .get(11..13)?
                    .iter()
                    .filter_map(|v| v.parse::<f64>().ok())
                    .sum::<f64>(),
            )
        })
        .unwrap_or(0.0)
}

/// Operations per second of wall time and per second of this thread's CPU time: the second
/// is what `openssl speed` reports by default, and what other tenants do not disturb.
fn rates(secs: f64, mut op: impl FnMut()) -> (f64, f64) {
    let start = Instant::now();
    let cpu = thread_cpu();
    let mut n = 0u64;
    while start.elapsed().as_secs_f64() < secs {
        for _ in 0..16 {
            op();
        }
        n += 16;
    }
    let wall = start.elapsed().as_secs_f64();
    let cpu = (thread_cpu() - cpu).max(0.01);
    (n as f64 / wall, n as f64 / cpu)
}

async fn crypto() -> BenchResult<()> {
    println!("## RSA-2048 (PKCS#1 v1.5, SHA-256), one core");
    let r = tokio::task::spawn_blocking(|| -> BenchResult<((f64, f64), (f64, f64))> {
        let key = PrivateKey::generate()?;
        let public = key.public_key();
        let message = b"(request-target): post /inbox\nhost: example.org\ndate: x\ndigest: y";
        let signature = key.sign_sha256(message)?;
        let verify = rates(2.0, || {
            let _ = public.verify_sha256(message, &signature);
        });
        let sign = rates(2.0, || {
            let _ = key.sign_sha256(message);
        });
        Ok((verify, sign))
    })
    .await??;
    println!("| implementation | verify/s | sign/s |");
    println!("|---|---:|---:|");
    println!(
        "| aws-lc-rs (entrepairs `keys`), 2 s loop, per CPU second | {:.0} | {:.0} |",
        r.0.1, r.1.1
    );
    println!(
        "| aws-lc-rs, same loop, per wall second (shared cores) | {:.0} | {:.0} |",
        r.0.0, r.1.0
    );
    // The reference figure the issue names, from the same machine in the same run.
    match std::process::Command::new("openssl")
        .args(["speed", "-seconds", "3", "rsa2048"])
        .output()
    {
        Ok(out) if out.status.success() => {
            let text = String::from_utf8_lossy(&out.stdout);
            let mut lines = text
                .lines()
                .filter(|l| l.contains("sign/s") || l.starts_with("rsa"));
            let header = lines.next().unwrap_or_default();
            let values = lines.next().unwrap_or_default();
            let row = openssl_rates(header, values);
            match row {
                Some((v, s)) => println!(
                    "| openssl speed -seconds 3 rsa2048 (per CPU second, its default) | {v:.0} | {s:.0} |"
                ),
                None => println!("openssl speed: {header}\n{values}"),
            }
        }
        _ => println!("| openssl speed | (not available) | |"),
    }
    println!();
    Ok(())
}

/// verify/s and sign/s from the two lines of `openssl speed`, whatever other columns it prints.
fn openssl_rates(header: &str, values: &str) -> Option<(f64, f64)> {
    let names: Vec<&str> = header.split_whitespace().collect();
    let nums: Vec<f64> = values
        .split_whitespace()
        .filter_map(|v| v.trim_end_matches('s').parse().ok())
        .collect();
    // The value line starts with "rsa 2048 bits" (the 2048 parses too), then one number per
    // header column.
    let nums = nums.get(nums.len().checked_sub(names.len())?..)?;
    let at = |n: &str| names.iter().position(|h| *h == n).map(|i| nums[i]);
    Some((at("verify/s")?, at("sign/s")?))
}

// ---------------------------------------------------------------------------------------
// Inbox

/// A POST ready to send: body and signed headers.
struct Prepared {
    /// Shared, so that sending twice (signed, then unsigned) copies nothing.
    body: Bytes,
    date: String,
    digest: String,
    signature: String,
}

/// The Create{Note} number `i` from `author` mentioning `recipient`, with a unique id: a
/// public note as Mastodon sends it (`to` Public, `cc` followers and the mentioned agent),
/// or, with `direct`, a note to the agent alone (a private message).
fn create_note(author: &ActorRow, recipient: &str, i: usize, direct: bool) -> Vec<u8> {
    let note_id = format!("{}/notes/{}", author.ap_id, uuid::Uuid::now_v7());
    let followers = format!("{}/followers", author.ap_id);
    let (to, cc) = if direct {
        (json!([recipient]), json!([]))
    } else {
        (
            json!(["https://www.w3.org/ns/activitystreams#Public"]),
            json!([followers, recipient]),
        )
    };
    json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": format!("{note_id}/activity"),
        "type": "Create",
        "actor": author.ap_id,
        "published": jiff::Timestamp::now().to_string(),
        "to": to,
        "cc": cc,
        "object": {
            "id": note_id,
            "type": "Note",
            "attributedTo": author.ap_id,
            "to": to,
            "cc": cc,
            "published": jiff::Timestamp::now().to_string(),
            "sensitive": false,
            "content": format!(
                "<p><span class=\"h-card\"><a href=\"{recipient}\" class=\"u-url mention\">@<span>bruno</span></a></span> \
                 Bonjour, voici la note n°{i} sur la permanence d'accueil du jeudi : \
                 <a href=\"https://example.org/planning\">le planning</a> est à jour.</p>"
            ),
            "tag": [{"type": "Mention", "href": recipient, "name": "@bruno"}],
        },
    })
    .to_string()
    .into_bytes()
}

/// Signs `count` activities on 2 threads (outside the timed section).
fn presign(
    signers: &[(ActorRow, Arc<PrivateKey>)],
    host: &str,
    recipient: &str,
    count: usize,
    direct: bool,
) -> BenchResult<Vec<Prepared>> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let chunk = count.div_ceil(threads);
    let mut out = Vec::with_capacity(count);
    std::thread::scope(|scope| -> BenchResult<()> {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                scope.spawn(move || -> BenchResult<Vec<Prepared>> {
                    let mut v = Vec::with_capacity(chunk);
                    for i in (t * chunk)..((t + 1) * chunk).min(count) {
                        let (actor, key) = &signers[i % signers.len()];
                        let body = create_note(actor, recipient, i, direct);
                        let s = sign_request(
                            "POST",
                            host,
                            "/inbox",
                            Some(&body),
                            Some("application/activity+json"),
                            &actor.public_key_id,
                            key,
                            SystemTime::now(),
                        )?;
                        v.push(Prepared {
                            body: body.into(),
                            date: s.date,
                            digest: s.digest.unwrap_or_default(),
                            signature: s.signature,
                        });
                    }
                    Ok(v)
                })
            })
            .collect();
        for h in handles {
            out.extend(h.join().map_err(|_| "signing thread panicked")??);
        }
        Ok(())
    })?;
    Ok(out)
}

fn bench_client() -> BenchResult<reqwest::Client> {
    Ok(reqwest::Client::builder()
        .pool_max_idle_per_host(in_flight())
        .http1_only()
        .timeout(Duration::from_secs(60))
        .build()?)
}

/// Posts every request with `IN_FLIGHT` in flight; returns status counts and elapsed seconds.
async fn post_all(
    client: &reqwest::Client,
    url: &str,
    requests: &[Prepared],
    signed: bool,
) -> (BTreeMap<u16, usize>, f64) {
    let (counts, elapsed, _) = post_all_timed(client, url, requests, signed).await;
    (counts, elapsed)
}

/// As `post_all`, with each request's latency in ms (send to status).
async fn post_all_timed(
    client: &reqwest::Client,
    url: &str,
    requests: &[Prepared],
    signed: bool,
) -> (BTreeMap<u16, usize>, f64, Vec<f64>) {
    let start = Instant::now();
    let results: Vec<(u16, f64)> = futures_util::stream::iter(requests)
        .map(|p| {
            let mut req = client
                .post(url)
                .header("Content-Type", "application/activity+json")
                .header("Date", &p.date)
                .header("Digest", &p.digest);
            if signed {
                req = req.header("Signature", &p.signature);
            }
            let body = reqwest::Body::from(p.body.clone());
            async move {
                let sent = Instant::now();
                let status = match req.body(body).send().await {
                    Ok(r) => r.status().as_u16(),
                    Err(_) => 0,
                };
                (status, sent.elapsed().as_secs_f64() * 1e3)
            }
        })
        .buffer_unordered(in_flight())
        .collect()
        .await;
    let elapsed = start.elapsed().as_secs_f64();
    let mut counts = BTreeMap::new();
    let mut latencies = Vec::with_capacity(results.len());
    for (s, ms) in results {
        *counts.entry(s).or_insert(0) += 1;
        latencies.push(ms);
    }
    (counts, elapsed, latencies)
}

fn statuses_text(counts: &BTreeMap<u16, usize>) -> String {
    counts
        .iter()
        .map(|(s, n)| {
            if *s == 0 {
                format!("{n}× transport error")
            } else {
                format!("{n}× {s}")
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

struct InboxRun {
    accepted_per_s: f64,
    non_202: usize,
    baseline_per_s: f64,
    cpu: CpuSample,
    wall: f64,
    stored: i64,
    p50_ms: f64,
    p99_ms: f64,
}

/// Stores `n` received activities and their notes, as a node that has been receiving for a
/// while holds them, and prints the database's size before and after.
async fn prefill(node: &Node, engine: Engine, n: usize) -> BenchResult<()> {
    use sqlx::Connection;
    let started = Instant::now();
    let before = database_bytes(node, engine).await?;
    let mut conn = sqlx::AnyConnection::connect(node.state.config.database_url.expose()).await?;
    // Ids shaped like Mastodon's, and a note of the bench's usual length.
    let content = "'<p>Bonjour, voici une note sur la permanence d''accueil du jeudi : le planning est à jour.</p>'";
    let sql = match engine {
        Engine::Sqlite => format!(
            "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < {n}) \
             INSERT INTO objects (ap_id, kind, authority, attributed_to, content_html, \
             published_at, created_at) SELECT 'https://prefill.example/users/a' || (x % 50) || \
             '/statuses/' || x, 'Note', 'prefill.example', 'https://prefill.example/users/a' || \
             (x % 50), {content}, x, x FROM c; \
             WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < {n}) \
             INSERT INTO received_activities (ap_id, authority, kind, received_at) \
             SELECT 'https://prefill.example/users/a' || (x % 50) || '/statuses/' || x || \
             '/activity', 'prefill.example', 'Create', x FROM c;"
        ),
        Engine::Postgres => format!(
            "INSERT INTO objects (ap_id, kind, authority, attributed_to, content_html, \
             published_at, created_at) SELECT 'https://prefill.example/users/a' || (x % 50) || \
             '/statuses/' || x, 'Note', 'prefill.example', 'https://prefill.example/users/a' || \
             (x % 50), {content}, x, x FROM generate_series(1, {n}) AS x; \
             INSERT INTO received_activities (ap_id, authority, kind, received_at) \
             SELECT 'https://prefill.example/users/a' || (x % 50) || '/statuses/' || x || \
             '/activity', 'prefill.example', 'Create', x FROM generate_series(1, {n}) AS x; \
             ANALYZE;"
        ),
    };
    sqlx::raw_sql(sqlx::AssertSqlSafe(sql))
        .execute(&mut conn)
        .await?;
    if engine == Engine::Sqlite {
        // Into the main file, so that the size counts each page once.
        sqlx::raw_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            .execute(&mut conn)
            .await?;
    }
    conn.close().await?;
    let after = database_bytes(node, engine).await?;
    println!(
        "prefilled {n} activities and notes in {:.1} s; database {:.1} → {:.1} MiB, {:.1} MiB per \
         100,000",
        started.elapsed().as_secs_f64(),
        before as f64 / 1048576.0,
        after as f64 / 1048576.0,
        (after - before) as f64 / 1048576.0 * 100_000.0 / n as f64
    );
    Ok(())
}

/// The database's size on disk: the SQLite file and its WAL, or PostgreSQL's own figure.
async fn database_bytes(node: &Node, engine: Engine) -> BenchResult<i64> {
    use sqlx::Connection;
    let url = node.state.config.database_url.expose();
    Ok(match engine {
        Engine::Sqlite => {
            let path = url
                .trim_start_matches("sqlite://")
                .split('?')
                .next()
                .unwrap_or_default()
                .to_owned();
            let size = |p: &str| std::fs::metadata(p).map_or(0, |m| m.len() as i64);
            size(&path) + size(&format!("{path}-wal"))
        }
        Engine::Postgres => {
            let mut conn = sqlx::AnyConnection::connect(url).await?;
            let (bytes,): (i64,) = sqlx::query_as("SELECT pg_database_size(current_database())")
                .fetch_one(&mut conn)
                .await?;
            conn.close().await?;
            bytes
        }
    })
}

async fn inbox_bench(args: &Args, engine: Engine) -> BenchResult<()> {
    println!(
        "## Inbox: signed Create{{Note}} accepted by one node ({}, http_workers = 2)",
        label(engine)
    );
    let ticks = clock_ticks();
    // The sender node only serves its agents' actor documents (the receiver fetches each key
    // once); its agents' keys sign every request.
    let sender = Node::spawn(Engine::Sqlite, 1).await?;
    let mut signers = Vec::new();
    for i in 0..SENDER_AGENTS {
        let name = format!("agent{i}");
        sender.create_user(&name).await?;
        let actor = sender.actor(&name).await?;
        let key = PrivateKey::from_pkcs8_pem(actor.private_key_pem.as_deref().unwrap_or(""))?;
        signers.push((actor, Arc::new(key)));
    }
    let client = bench_client()?;
    let mut runs = Vec::new();
    for run in 1..=args.runs {
        let receiver = Node::spawn(engine, 2).await?;
        federate(&sender, &receiver).await?;
        receiver.create_user("bruno").await?;
        let recipient = receiver.actor("bruno").await?.ap_id;
        let url = format!("{}/inbox", receiver.base);
        if args.prefill > 0 {
            prefill(&receiver, engine, args.prefill).await?;
        }
        // Warm-up, untimed: a first activity from each sender agent, one at a time, makes
        // the receiver fetch and cache its key (first contacts from one actor in parallel
        // race in the actor upsert on PostgreSQL: see benches/README.md); then a batch opens
        // the keep-alive connections.
        let first = presign(
            &signers,
            &receiver.authority,
            &recipient,
            SENDER_AGENTS,
            args.direct,
        )?;
        for p in first.chunks(1) {
            let (counts, _) = post_all(&client, &url, p, true).await;
            if counts.get(&202) != Some(&1) {
                return Err(format!("first contact refused: {}", statuses_text(&counts)).into());
            }
        }
        let warm = presign(
            &signers,
            &receiver.authority,
            &recipient,
            in_flight() * 2,
            args.direct,
        )?;
        let (warm_counts, _) = post_all(&client, &url, &warm, true).await;
        if warm_counts.get(&202) != Some(&warm.len()) {
            return Err(format!("warm-up refused: {}", statuses_text(&warm_counts)).into());
        }
        let requests = presign(
            &signers,
            &receiver.authority,
            &recipient,
            args.n,
            args.direct,
        )?;
        let before = cpu_sample(ticks);
        let (counts, wall, latencies) = post_all_timed(&client, &url, &requests, true).await;
        let after = cpu_sample(ticks);
        let accepted = counts.get(&202).copied().unwrap_or(0);
        // The same requests without their signature: refused at once with 401, so this is
        // the ceiling of HTTP, body reading and the client on this machine.
        let (base_counts, base_wall) = post_all(&client, &url, &requests, false).await;
        let stored = receiver.state.store.count_received().await?;
        let r = InboxRun {
            accepted_per_s: accepted as f64 / wall,
            non_202: requests.len() - accepted,
            baseline_per_s: base_counts.get(&401).copied().unwrap_or(0) as f64 / base_wall,
            cpu: cpu_delta(&before, &after),
            wall,
            stored,
            p50_ms: percentile(&latencies, 50.0),
            p99_ms: percentile(&latencies, 99.0),
        };
        println!(
            "run {run}: {accepted} accepted in {wall:.2} s = {:.0}/s ({}); latency p50 {:.1} ms, \
             p99 {:.1} ms; process CPU {:.0} µs per activity; unsigned baseline {:.0}/s; \
             {stored} recorded (with warm-up); load {}",
            r.accepted_per_s,
            statuses_text(&counts),
            r.p50_ms,
            r.p99_ms,
            r.cpu.process * 1e6 / accepted.max(1) as f64,
            r.baseline_per_s,
            load_average()
        );
        runs.push(r);
        receiver.stop().await?;
    }
    sender.stop().await?;

    let rates: Vec<f64> = runs.iter().map(|r| r.accepted_per_s).collect();
    let base: Vec<f64> = runs.iter().map(|r| r.baseline_per_s).collect();
    println!();
    println!(
        "| engine | shape | activities | in flight | accepted/s median | spread | p99 ms median | non-202 | unsigned 401/s median |"
    );
    println!("|---|---|---:|---:|---:|---:|---:|---:|---:|");
    let p99s: Vec<f64> = runs.iter().map(|r| r.p99_ms).collect();
    println!(
        "| {} | {} | {} × {} runs | {} | {:.0} | {} | {:.1} | {} | {:.0} |",
        label(engine),
        if args.direct { "direct" } else { "public" },
        args.n,
        runs.len(),
        in_flight(),
        median(&rates),
        spread(&rates),
        median(&p99s),
        runs.iter().map(|r| r.non_202).sum::<usize>(),
        median(&base)
    );
    // CPU split of the median run: where the two cores went while the inbox was busy.
    let mut by_rate: Vec<&InboxRun> = runs.iter().collect();
    by_rate.sort_by(|a, b| a.accepted_per_s.total_cmp(&b.accepted_per_s));
    if let Some(m) = by_rate.get(by_rate.len() / 2) {
        println!(
            "\nCPU during the median run ({:.2} s wall, {} recorded): process {:.2} s, whole \
             machine busy {:.2} s of {:.2} s available",
            m.wall,
            m.stored,
            m.cpu.process,
            m.cpu.machine_busy,
            m.wall * std::thread::available_parallelism().map_or(1, |n| n.get()) as f64
        );
        println!("| thread group | CPU s | per activity (µs) |");
        println!("|---|---:|---:|");
        for (k, v) in &m.cpu.threads {
            println!("| {k} | {v:.2} | {:.0} |", v * 1e6 / args.n as f64);
        }
        let others = m.cpu.machine_busy - m.cpu.process;
        println!(
            "| other processes (PostgreSQL server, other tenants) | {others:.2} | {:.0} |",
            others * 1e6 / args.n as f64
        );
    }
    println!(
        "\nbench process: VmRSS {} KiB, VmHWM {} KiB (client, sender and receiver together)",
        vm_kib("VmRSS:"),
        vm_kib("VmHWM:")
    );
    inbox_breakdown(engine).await?;
    println!();
    Ok(())
}

/// The cost of each step of the receiving path, one at a time on one core, to compare with
/// the end-to-end rate.
async fn inbox_breakdown(engine: Engine) -> BenchResult<()> {
    let node = Node::spawn(engine, 1).await?;
    let author = node.create_user("carole").await?;
    let author = node.actor(&author.username).await?;
    let key = PrivateKey::from_pkcs8_pem(author.private_key_pem.as_deref().unwrap_or(""))?;
    let recipient = format!("{}/users/bruno", node.base);
    let body = create_note(&author, &recipient, 0, false);
    let s = sign_request(
        "POST",
        &node.authority,
        "/inbox",
        Some(&body),
        Some("application/activity+json"),
        &author.public_key_id,
        &key,
        SystemTime::now(),
    )?;
    let headers: Vec<(String, String)> = vec![
        ("host".into(), node.authority.clone()),
        ("date".into(), s.date.clone()),
        ("digest".into(), s.digest.clone().unwrap_or_default()),
        ("content-type".into(), "application/activity+json".into()),
    ];
    let public = key.public_key();
    let lookup = |name: &str| {
        headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
    };
    let verify_one = || {
        let params = signatures::parse_signature_header(&s.signature).ok();
        if let Some(p) = params {
            let _ = signatures::verify_request(
                "POST",
                "/inbox",
                lookup,
                Some(&body),
                &p,
                &public,
                SystemTime::now(),
                &VerifyPolicy::default(),
            );
        }
    };
    let known = KnownKey {
        key: Arc::new(public.clone()),
        actor_ap_id: author.ap_id.clone(),
        authority: author.authority.clone(),
        fetched_at: i64::MAX,
    };
    let content = "<p>Bonjour, voici la note n°0 sur la permanence d'accueil du jeudi : \
                   <a href=\"https://example.org/planning\">le planning</a> est à jour.</p>";
    let us = |per_s: f64| 1e6 / per_s;
    let sig = us(rate(1.0, verify_one));
    let parse = us(rate(1.0, || {
        if let Ok(doc) = serde_json::from_slice(&body) {
            let _ = check_origin(doc, &known);
        }
    }));
    let clean = us(rate(1.0, || {
        let _ = notes::sanitize(content);
    }));
    // The database work of one accepted Create addressed to a local agent, one activity at a
    // time: as the inbox does it now (record the id, insert the note), and with the two reads
    // it used to make first (the author's row and all its followers), alternating in batches
    // so that both see the same machine load.
    let store = node.state.store.clone();
    let (mut now_s, mut old_s, mut i) = (0.0, 0.0, 0);
    for batch in 0..10 {
        let old_way = batch % 2 == 1;
        let start = Instant::now();
        for _ in 0..200 {
            i += 1;
            let id = format!("{}/notes/{i}", author.ap_id);
            store
                .record_received(&format!("{id}/create"), &author.authority, "Create")
                .await?;
            if old_way {
                let _ = store.actor_by_ap_id(&author.ap_id).await?;
                let _ = store.followers(author.id).await?;
            }
            store
                .insert_object(&entrepairs::db::NewObject {
                    ap_id: &id,
                    kind: "Note",
                    authority: &author.authority,
                    attributed_to: &author.ap_id,
                    content_html: content,
                    in_reply_to: None,
                    published_at: 0,
                })
                .await?;
        }
        let spent = start.elapsed().as_secs_f64();
        if old_way {
            old_s += spent;
        } else {
            now_s += spent;
        }
    }
    let db = now_s * 1e6 / 1000.0;
    let db_old = old_s * 1e6 / 1000.0;
    node.stop().await?;
    println!(
        "\nCost of each receiving step, sequential, one core ({}):",
        label(engine)
    );
    println!("| step | µs per activity | ceiling/s on one core |");
    println!("|---|---:|---:|");
    for (name, v) in [
        ("signature: parse, digest, date, RSA verify", sig),
        ("JSON parse and origin checks", parse),
        ("sanitise the note's HTML (ammonia)", clean),
        ("database: record id, insert note", db),
        ("database as before this branch: + 2 reads", db_old),
    ] {
        println!("| {name} | {v:.1} | {:.0} |", 1e6 / v);
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------
// Fan-out

async fn fanout_bench(args: &Args) -> BenchResult<()> {
    println!(
        "## Fan-out: one note from one node to {} nodes (SQLite each, http_workers = 1)",
        args.nodes
    );
    let setup = Instant::now();
    let sender = Node::spawn(Engine::Sqlite, 2).await?;
    let alice = sender.create_user("alice").await?;
    let handle = format!("alice@{}", sender.authority);
    let mut receivers = Vec::new();
    for _ in 0..args.nodes {
        receivers.push(Node::spawn(Engine::Sqlite, 1).await?);
    }
    // Agents of every receiver follow alice, through real HTTP: WebFinger, Follow, Accept.
    let followers: usize = futures_util::stream::iter(receivers.iter().enumerate())
        .map(|(i, r)| {
            let (sender, handle) = (&sender, &handle);
            async move {
                federate(sender, r).await?;
                let agents = i % 3 + 1;
                for a in 0..agents {
                    let account = r.create_user(&format!("agent{a}")).await?;
                    follows::follow(&r.state, &account, handle).await?;
                }
                delivery::drain(&r.state).await?;
                BenchResult::Ok(agents)
            }
        })
        .buffer_unordered(4)
        .collect::<Vec<_>>()
        .await
        .into_iter()
        .sum::<BenchResult<usize>>()?;
    delivery::drain(&sender.state).await?;
    let alice_actor = sender.actor("alice").await?;
    let known = sender.state.store.followers(alice_actor.id).await?.len();
    println!(
        "setup: {} receivers, {followers} remote followers of alice ({known} accepted) in {:.1} s",
        receivers.len(),
        setup.elapsed().as_secs_f64()
    );

    let mut all_ms = Vec::new();
    let mut all_requests = Vec::new();
    let mut round_p50 = Vec::new();
    let mut round_p99 = Vec::new();
    let mut hits = 0;
    for round in 1..=args.runs {
        let received_before = received_by(&receivers).await?;
        let (mut ms, mut requests, mut rows) = (Vec::new(), Vec::new(), Vec::new());
        let mut missing = 0;
        for i in 0..args.notes {
            let rows_before = sender.state.store.count_deliveries("delivered").await?;
            let start = Instant::now();
            let note = notes::publish(
                &sender.state,
                &alice,
                &format!("Note {i} du tour {round} : réunion du réseau RH jeudi à 14 h."),
            )
            .await?;
            // The inbox answers 202 only after storing the note, so when the drain returns,
            // every node that accepted it has it.
            let stats = delivery::drain(&sender.state).await?;
            ms.push(start.elapsed().as_secs_f64() * 1000.0);
            rows.push(sender.state.store.count_deliveries("delivered").await? - rows_before);
            requests.push(stats.delivered + stats.retried + stats.failed);
            for r in &receivers {
                if r.state.store.object_by_ap_id(&note.ap_id).await?.is_none() {
                    missing += 1;
                }
            }
        }
        // Inbox hits that were processed: a second request for the same activity would be
        // dropped as a replay, so together with the request count this shows one per node.
        let round_hits = received_by(&receivers).await? - received_before;
        hits += round_hits;
        println!(
            "round {round}: {} notes; p50 {:.0} ms, p99 {:.0} ms; requests per note {}–{}; \
             delivery rows per note {}–{}; activities recorded by receivers {round_hits}; \
             not stored {missing}; load {}",
            args.notes,
            percentile(&ms, 50.0),
            percentile(&ms, 99.0),
            requests.iter().min().copied().unwrap_or(0),
            requests.iter().max().copied().unwrap_or(0),
            rows.iter().min().copied().unwrap_or(0),
            rows.iter().max().copied().unwrap_or(0),
            load_average()
        );
        round_p50.push(percentile(&ms, 50.0));
        round_p99.push(percentile(&ms, 99.0));
        all_ms.extend(ms);
        all_requests.extend(requests);
    }
    println!();
    println!(
        "| nodes | notes | requests per note | recorded per node per note | p50 ms | p99 ms | max ms |"
    );
    println!("|---:|---:|---:|---:|---:|---:|---:|");
    println!(
        "| {} | {} | {}–{} | {:.2} | {:.0} | {:.0} | {:.0} |",
        receivers.len(),
        all_ms.len(),
        all_requests.iter().min().copied().unwrap_or(0),
        all_requests.iter().max().copied().unwrap_or(0),
        hits as f64 / (all_ms.len() as f64 * receivers.len() as f64),
        percentile(&all_ms, 50.0),
        percentile(&all_ms, 99.0),
        all_ms.iter().copied().fold(0.0, f64::max)
    );
    println!(
        "per round: p50 {} ms (median {:.0}), p99 {} ms (median {:.0})",
        spread(&round_p50),
        median(&round_p50),
        spread(&round_p99),
        median(&round_p99)
    );
    println!(
        "bench process: VmRSS {} KiB for {} nodes",
        vm_kib("VmRSS:"),
        receivers.len() + 1
    );
    for r in receivers {
        r.stop().await?;
    }
    sender.stop().await?;
    println!();
    Ok(())
}

// ---------------------------------------------------------------------------------------
// Side by side with a reference inbox (issue 20, item 2)

/// A Fedify inbox (the interoperability suite's peer, `tests/interop/peer.mjs`, in its stock
/// mode: it fetches the senders' keys unsigned, as most servers do), stopped when dropped.
struct FedifyInbox {
    child: std::process::Child,
    base: String,
    actor: String,
}

impl Drop for FedifyInbox {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl FedifyInbox {
    async fn start() -> BenchResult<FedifyInbox> {
        use std::io::BufRead;
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/interop");
        if !dir.join("node_modules/@fedify").exists() {
            return Err("the Fedify peer is not installed: run `npm ci` in tests/interop".into());
        }
        let mut child = std::process::Command::new("node")
            .arg("peer.mjs")
            .arg("0")
            .current_dir(&dir)
            .env("INTEROP_STOCK_FEDIFY", "1")
            .env("PEER_LOG", "error")
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn()?;
        let stdout = child
            .stdout
            .take()
            .ok_or("no stdout from the Fedify peer")?;
        let line = tokio::task::spawn_blocking(move || {
            let mut line = String::new();
            std::io::BufReader::new(stdout)
                .read_line(&mut line)
                .map(|_| line)
        })
        .await??;
        let base = line
            .trim()
            .strip_prefix("READY ")
            .ok_or_else(|| format!("the Fedify peer did not start: {line:?}"))?
            .to_owned();
        let mut peer = FedifyInbox {
            child,
            base,
            actor: String::new(),
        };
        let ready: serde_json::Value = reqwest::get(format!("{}/_control/ready", peer.base))
            .await?
            .json()
            .await?;
        peer.actor = ready["actor"].as_str().unwrap_or_default().to_owned();
        Ok(peer)
    }

    fn authority(&self) -> String {
        self.base.trim_start_matches("http://").to_owned()
    }

    /// User and system CPU seconds of the whole node process.
    fn cpu(&self, ticks: f64) -> f64 {
        stat_cpu_ticks(&format!("/proc/{}/stat", self.child.id())) / ticks
    }

    fn peak_rss_kib(&self) -> u64 {
        status_kib(&format!("/proc/{}/status", self.child.id()), "VmHWM:")
    }
}

/// One inbox's figures in the side-by-side table.
struct SideRun {
    name: &'static str,
    accepted: usize,
    statuses: String,
    wall: f64,
    cpu: f64,
    p99_ms: f64,
    peak_rss_kib: u64,
}

/// Sends the same kind of requests, signed by the same keys, to an entrepairs inbox and to a
/// Fedify inbox, one after the other, and prints one table.
async fn side_by_side(args: &Args) -> BenchResult<()> {
    println!("## Side by side: the same generator and keys against two inboxes");
    let ticks = clock_ticks();
    let verify = tokio::task::spawn_blocking(|| -> BenchResult<f64> {
        let key = PrivateKey::generate()?;
        let public = key.public_key();
        let message = b"(request-target): post /inbox\nhost: example.org\ndate: x\ndigest: y";
        let signature = key.sign_sha256(message)?;
        Ok(rates(2.0, || {
            let _ = public.verify_sha256(message, &signature);
        })
        .1)
    })
    .await??;
    // The senders: an entrepairs node that only serves its agents' actor documents, which
    // both inboxes fetch once per key.
    let sender = Node::spawn(Engine::Sqlite, 1).await?;
    let mut signers = Vec::new();
    for i in 0..SENDER_AGENTS {
        let name = format!("agent{i}");
        sender.create_user(&name).await?;
        let actor = sender.actor(&name).await?;
        let key = PrivateKey::from_pkcs8_pem(actor.private_key_pem.as_deref().unwrap_or(""))?;
        signers.push((actor, Arc::new(key)));
    }
    let client = bench_client()?;
    let mut runs = Vec::new();

    let receiver = Node::spawn(Engine::Sqlite, 2).await?;
    federate(&sender, &receiver).await?;
    receiver.create_user("bruno").await?;
    let recipient = receiver.actor("bruno").await?.ap_id;
    let url = format!("{}/inbox", receiver.base);
    let requests = warm_and_presign(
        args,
        &client,
        &url,
        &signers,
        &receiver.authority,
        &recipient,
    )
    .await?;
    let before = cpu_sample(ticks);
    let (counts, wall, latencies) = post_all_timed(&client, &url, &requests, true).await;
    let after = cpu_sample(ticks);
    let d = cpu_delta(&before, &after);
    let bench_side: f64 = d
        .threads
        .iter()
        .filter(|(k, _)| k.starts_with("bench "))
        .map(|(_, v)| v)
        .sum();
    runs.push(SideRun {
        name: "entrepairs (SQLite, 2 HTTP workers)",
        accepted: counts.get(&202).copied().unwrap_or(0),
        statuses: statuses_text(&counts),
        wall,
        cpu: d.process - bench_side,
        p99_ms: percentile(&latencies, 99.0),
        peak_rss_kib: vm_kib("VmHWM:"),
    });
    receiver.stop().await?;

    let fedify = FedifyInbox::start().await?;
    let url = format!("{}/inbox", fedify.base);
    let requests = warm_and_presign(
        args,
        &client,
        &url,
        &signers,
        &fedify.authority(),
        &fedify.actor,
    )
    .await?;
    let before = fedify.cpu(ticks);
    let (counts, wall, latencies) = post_all_timed(&client, &url, &requests, true).await;
    let cpu = fedify.cpu(ticks) - before;
    runs.push(SideRun {
        name: "Fedify 2 (Node.js, in-memory store)",
        accepted: counts.get(&202).copied().unwrap_or(0),
        statuses: statuses_text(&counts),
        wall,
        cpu,
        p99_ms: percentile(&latencies, 99.0),
        peak_rss_kib: fedify.peak_rss_kib(),
    });
    drop(fedify);
    sender.stop().await?;

    println!(
        "\n{} unique signed public Create{{Note}} per inbox, {} in flight, load {}",
        args.n,
        in_flight(),
        load_average()
    );
    println!("| inbox | accepted/s | accepted per CPU second | p99 ms | peak RSS MiB | answers |");
    println!("|---|---:|---:|---:|---:|---|");
    for r in &runs {
        println!(
            "| {} | {:.0} | {:.0} | {:.1} | {:.0} | {} |",
            r.name,
            r.accepted as f64 / r.wall,
            r.accepted as f64 / r.cpu.max(0.01),
            r.p99_ms,
            r.peak_rss_kib as f64 / 1024.0,
            r.statuses
        );
    }
    println!("| raw RSA-2048 verify, one core (aws-lc-rs), per CPU second | {verify:.0} | | | | |");
    println!(
        "\nentrepairs runs in the bench process: its CPU is the process's minus the bench's own \
         threads, its peak RSS is the whole bench process's (generator and sender included)."
    );
    println!();
    Ok(())
}

/// First contacts one at a time (each inbox fetches each key once), a warm-up batch that
/// opens the connections, then the `--n` requests of the timed run, signed for `authority`.
async fn warm_and_presign(
    args: &Args,
    client: &reqwest::Client,
    url: &str,
    signers: &[(ActorRow, Arc<PrivateKey>)],
    authority: &str,
    recipient: &str,
) -> BenchResult<Vec<Prepared>> {
    let first = presign(signers, authority, recipient, SENDER_AGENTS, args.direct)?;
    for p in first.chunks(1) {
        let (counts, _) = post_all(client, url, p, true).await;
        if counts.keys().any(|s| !(200..300).contains(s)) {
            return Err(format!("{url}: first contact refused: {}", statuses_text(&counts)).into());
        }
    }
    let warm = presign(signers, authority, recipient, in_flight() * 2, args.direct)?;
    let (counts, _) = post_all(client, url, &warm, true).await;
    if counts.keys().any(|s| !(200..300).contains(s)) {
        return Err(format!("{url}: warm-up refused: {}", statuses_text(&counts)).into());
    }
    presign(signers, authority, recipient, args.n, args.direct)
}
