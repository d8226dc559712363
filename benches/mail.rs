//! Mail benchmarks (issue 15): how long building and queuing the weekly digest takes for
//! 2,000 agents in 20 communities, and how many mails per second the outbox hands to a local
//! SMTP server (`ENTREPAIRS_TEST_SMTP`, `.ci/start-smtp`; without it that part is skipped).
//!
//! `cargo bench --bench mail -- [digest|send|all] [--postgres|--postgres-only] [--agents A]
//! [--communities C] [--threads T] [--mails M]`. It prints figures and asserts no timing.

mod common;

use std::time::Instant;

use common::{BenchArgs, BenchResult, Engine, Node, label, load_average};
use entrepairs::config::RawConfig;
use entrepairs::domain::accounts::{self, NewAccountInput};
use entrepairs::domain::communities::{self, NewCommunityInput};
use entrepairs::domain::{memberships, posts};
use entrepairs::mail::{Mailer, digest, message, messages};

struct Args {
    what: String,
    sqlite: bool,
    postgres: bool,
    agents: usize,
    communities: usize,
    threads: usize,
    mails: usize,
}

fn parse_args() -> Args {
    let a = BenchArgs::parse(
        "all",
        &["all", "digest", "send"],
        &[
            ("--agents", 2_000),
            ("--communities", 20),
            ("--threads", 5),
            ("--mails", 2_000),
        ],
    );
    Args {
        agents: a.number("--agents"),
        communities: a.number("--communities"),
        threads: a.number("--threads"),
        mails: a.number("--mails"),
        what: a.what,
        sqlite: a.sqlite,
        postgres: a.postgres,
    }
}

fn smtp() -> Option<String> {
    std::env::var("ENTREPAIRS_TEST_SMTP")
        .ok()
        .filter(|v| !v.is_empty())
}

/// A mailer that sends to `smtp_url` (the digest only needs one that "sends" to queue).
fn mailer(smtp_url: &str) -> BenchResult<Mailer> {
    let mut raw = RawConfig::default();
    raw.smtp_url = Some(smtp_url.to_owned());
    let config = raw.validate().map_err(|e| e.to_string())?;
    Ok(Mailer::new(&config))
}

/// The next Monday 08:00 in the node's time zone: when the weekly digest of the week that
/// holds now is due.
fn next_monday_8(node: &Node) -> BenchResult<i64> {
    let tz = jiff::tz::TimeZone::get(&node.state.config.timezone)?;
    let now = jiff::Timestamp::now().to_zoned(tz.clone());
    let mut day = now.date().tomorrow()?;
    while day.weekday() != jiff::civil::Weekday::Monday {
        day = day.tomorrow()?;
    }
    Ok(day
        .at(8, 0, 0, 0)
        .to_zoned(tz)?
        .timestamp()
        .as_millisecond())
}

fn community_input(slug: &str) -> NewCommunityInput {
    NewCommunityInput {
        slug: slug.into(),
        name: format!("Communauté {slug}"),
        description: "Les agents du bassin".into(),
        tags: "accueil".into(),
        join_mode: "open".into(),
        question: String::new(),
        charter: "Bienveillance.".into(),
    }
}

/// A agents, each a member of two of C communities, T threads per community this week; then
/// the weekly digest of everyone, built and queued (timed).
async fn digest_bench(engine: Engine, args: &Args) -> BenchResult<()> {
    // No relay on the node: joining queues no welcome mail; the digest gets its own mailer.
    let node = Node::spawn(engine, 1).await?;
    let setup = Instant::now();
    let owner = node.create_user("animatrice").await?;
    let mut list = Vec::new();
    for k in 0..args.communities {
        list.push(
            communities::create(&node.state, &owner, &community_input(&format!("c{k}"))).await?,
        );
    }
    for i in 0..args.agents {
        let (agent, _) = accounts::create(
            &node.state,
            NewAccountInput {
                username: format!("agent{i}"),
                display_name: format!("Agent {i}"),
                email: format!("agent{i}@bench.test"),
                job_title: "Agent d'accueil".into(),
                admin: false,
                // No password: an invitation (hashing 2,000 passwords is not what is measured).
                password: None,
            },
        )
        .await?;
        for k in [i % args.communities, (i + 1) % args.communities] {
            memberships::join(&node.state, &agent, &list[k], "Accueil").await?;
        }
    }
    for c in &list {
        for t in 0..args.threads {
            posts::create_thread(
                &node.state,
                &owner,
                c,
                &format!("Sujet {t} de la semaine"),
                "Un message de la semaine, pour le résumé.",
            )
            .await?;
        }
    }
    println!(
        "{}: set-up of {} agents in {} communities ({} threads): {:.1} s",
        label(engine),
        args.agents,
        args.communities,
        args.communities * args.threads,
        setup.elapsed().as_secs_f64()
    );
    node.state.clock.set(next_monday_8(&node)?);
    let mailer = mailer("smtp://127.0.0.1:9")?;
    let load = load_average();
    let start = Instant::now();
    let stats = digest::run_due(&node.state, &mailer).await?;
    let took = start.elapsed().as_secs_f64();
    println!(
        "{}: weekly digest built and queued for {} agents ({} empty) in {:.2} s: {:.0} digests/s (load {load})",
        label(engine),
        stats.queued,
        stats.empty,
        took,
        stats.queued as f64 / took
    );
    let again = Instant::now();
    let second = digest::run_due(&node.state, &mailer).await?;
    println!(
        "{}: the same run again (all recorded): {} queued in {:.3} s",
        label(engine),
        second.queued,
        again.elapsed().as_secs_f64()
    );
    node.stop().await
}

/// M password-reset mails queued, then the outbox drained to the SMTP server (timed).
async fn send_bench(engine: Engine, args: &Args, smtp: &str) -> BenchResult<()> {
    let node = Node::spawn_with(engine, 1, |raw| {
        raw.smtp_url = Some(format!("smtp://{smtp}"));
        raw.mail_from = Some("Bench <bench@bench.test>".into());
    })
    .await?;
    for i in 0..args.mails {
        let to = message::recipient(&format!("Agent {i}"), &format!("bench{i}@bench.test"))
            .ok_or("recipient")?;
        let mail = messages::password_reset(
            &node.state,
            "fr",
            to,
            &format!("{}/password-reset/jeton{i}", node.base),
        )?;
        entrepairs::mail::queue(&node.state, mail).await?;
    }
    let load = load_average();
    let start = Instant::now();
    let stats = entrepairs::mail::drain(&node.state).await?;
    let took = start.elapsed().as_secs_f64();
    println!(
        "{}: outbox sent {} mails ({} retried, {} failed) to the SMTP server at {smtp} in {:.2} s: {:.0} mails/s (load {load})",
        label(engine),
        stats.sent,
        stats.retried,
        stats.failed,
        took,
        stats.sent as f64 / took
    );
    node.stop().await
}

fn main() -> BenchResult<()> {
    let args = parse_args();
    common::run("mail", async {
        let mut engines = Vec::new();
        if args.sqlite {
            engines.push(Engine::Sqlite);
        }
        if args.postgres {
            engines.push(Engine::Postgres);
        }
        for engine in engines {
            if args.what != "send" {
                digest_bench(engine, &args).await?;
            }
            if args.what != "digest" {
                match smtp() {
                    Some(s) => send_bench(engine, &args, &s).await?,
                    None => println!(
                        "{}: send rate skipped: no SMTP server (ENTREPAIRS_TEST_SMTP unset; run .ci/start-smtp)",
                        label(engine)
                    ),
                }
            }
        }
        Ok(())
    })
}
