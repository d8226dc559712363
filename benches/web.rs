//! Web under load (issue 20, target 4): one node seeded to Sète's size (2,000 agents, 50
//! communities, 100,000 posts), 200 agents logged in through the real login form (their own
//! session cookies; every agent a member of the thread's community), and 200 concurrent
//! clients on the home feed, a community page, a thread
//! of 200 replies and the directory search; p50/p99, errors and requests/s per page.
//!
//! `cargo bench --bench web -- [--postgres|--postgres-only] [--agents A] [--communities C]
//! [--posts P] [--clients K] [--requests R]`. It prints figures and asserts no timing.

mod common;

use std::sync::Arc;
use std::time::Instant;

use common::{BenchArgs, BenchResult, Engine, Node, label, load_average, percentile};
use entrepairs::db::NewPost;
use entrepairs::domain::accounts::{self, NewAccountInput};
use entrepairs::domain::communities::{self, NewCommunityInput};
use entrepairs::domain::memberships;

const PASSWORD: &str = "motdepasse-de-bench";

struct Args {
    sqlite: bool,
    postgres: bool,
    agents: usize,
    communities: usize,
    posts: usize,
    clients: usize,
    requests: usize,
}

fn main() -> BenchResult<()> {
    if std::env::var_os("ENTREPAIRS_BENCH_SQL").is_some() {
        common::sql_count::install();
    }
    let a = BenchArgs::parse(
        "web",
        &["web"],
        &[
            ("--agents", 2_000),
            ("--communities", 50),
            ("--posts", 100_000),
            ("--clients", 200),
            ("--requests", 10),
        ],
    );
    let args = Args {
        sqlite: a.sqlite,
        postgres: a.postgres,
        agents: a.number("--agents"),
        communities: a.number("--communities"),
        posts: a.number("--posts"),
        clients: a.number("--clients"),
        requests: a.number("--requests"),
    };
    common::run("web", async {
        if args.sqlite {
            web_bench(&args, Engine::Sqlite).await?;
        }
        if args.postgres {
            web_bench(&args, Engine::Postgres).await?;
        }
        Ok(())
    })
}

async fn web_bench(args: &Args, engine: Engine) -> BenchResult<()> {
    println!(
        "## Web under load: {} agents, {} communities, {} posts, {} clients × {} requests per page ({})",
        args.agents,
        args.communities,
        args.posts,
        args.clients,
        args.requests,
        label(engine)
    );
    let node = Node::spawn(engine, 2).await?;
    let seed = Instant::now();
    // Agents: only those who log in get a password (its Argon2 hash is most of the cost).
    let mut agents = Vec::with_capacity(args.agents);
    for i in 0..args.agents {
        let username = format!("agent{i}");
        let (account, _) = accounts::create(
            &node.state,
            NewAccountInput {
                username: username.clone(),
                display_name: format!("Agent {i}"),
                email: format!("{username}@bench.test"),
                job_title: "Agent d'accueil".into(),
                admin: false,
                password: (i < args.clients).then(|| PASSWORD.into()),
            },
        )
        .await?;
        agents.push(account);
    }
    let agents_s = seed.elapsed().as_secs_f64();
    let mut communities_rows = Vec::with_capacity(args.communities);
    for k in 0..args.communities {
        let c = communities::create(
            &node.state,
            &agents[0],
            &NewCommunityInput {
                slug: format!("metier{k}"),
                name: format!("Métier {k}"),
                description: "Banc d'essai de charge".into(),
                tags: String::new(),
                join_mode: "open".into(),
                question: String::new(),
                charter: String::new(),
            },
        )
        .await?;
        communities_rows.push(c);
    }
    // Every agent is in the first community (the thread measured is there: a member's page)
    // and in two others (the owner is in all of them already).
    let n = communities_rows.len();
    for (i, agent) in agents.iter().enumerate().skip(1) {
        let mut joined: Vec<usize> = Vec::with_capacity(3);
        for k in [0, i % n, (i * 7 + 3) % n] {
            if !joined.contains(&k) {
                memberships::join(&node.state, agent, &communities_rows[k], "").await?;
                joined.push(k);
            }
        }
    }
    let joins_s = seed.elapsed().as_secs_f64() - agents_s;
    // Posts, oldest first: one thread in ten, the others replies to it, by every agent in
    // turn; the first thread of community 0 gets 200 replies (the thread page measured).
    let base_url = node.state.config.base_url();
    let base = jiff::Timestamp::now().as_millisecond() - (args.posts as i64) * 1_000;
    let long_thread = format!("{base_url}/bench/long");
    store_post(
        &node,
        &long_thread,
        communities_rows[0].id,
        &format!("{base_url}/users/agent0"),
        &long_thread,
        true,
        base,
    )
    .await?;
    for r in 0..200 {
        store_post(
            &node,
            &format!("{long_thread}/{r}"),
            communities_rows[0].id,
            &format!("{base_url}/users/agent{}", r % args.agents),
            &long_thread,
            false,
            base + r as i64 + 1,
        )
        .await?;
    }
    for i in 201..args.posts {
        let c = &communities_rows[(i / 10) % n];
        let thread = format!("{base_url}/bench/{}", i - i % 10);
        store_post(
            &node,
            &format!("{base_url}/bench/{i}"),
            c.id,
            &format!("{base_url}/users/agent{}", i % args.agents),
            &thread,
            i.is_multiple_of(10),
            base + i as i64 * 1_000,
        )
        .await?;
    }
    let posts_s = seed.elapsed().as_secs_f64() - agents_s - joins_s;
    let thread_id = node
        .state
        .store
        .post_by_ap_id(&long_thread)
        .await?
        .ok_or("the long thread was not stored")?
        .id;
    println!(
        "seeded in {:.1} s: agents {agents_s:.1} s, joins {joins_s:.1} s, posts {posts_s:.1} s (load {})",
        seed.elapsed().as_secs_f64(),
        load_average()
    );

    // Log in through the form, as a browser does: the login page's CSRF cookie and field,
    // then the session cookie the node sets.
    let login = Instant::now();
    let mut clients = Vec::with_capacity(args.clients);
    for i in 0..args.clients {
        clients.push(log_in(&node.base, &format!("agent{i}")).await?);
    }
    println!(
        "{} agents logged in in {:.1} s",
        clients.len(),
        login.elapsed().as_secs_f64()
    );
    let clients = Arc::new(clients);

    let pages = [
        ("home feed", "/".to_owned()),
        (
            "community page",
            format!("/communities/{}", communities_rows[1].slug),
        ),
        ("thread of 200 replies", format!("/discussions/{thread_id}")),
        ("directory search", "/directory?q=accueil".to_owned()),
    ];
    // ENTREPAIRS_BENCH_SQL=1: the statements one request of each page runs, alone (the
    // count shows N+1 queries; the listing, which statement costs what).
    if std::env::var_os("ENTREPAIRS_BENCH_SQL").is_some() {
        for (name, path) in &pages {
            let (_, _) = hammer(&Arc::new(vec![clients[0].clone()]), &node.base, path, 1).await;
            common::sql_count::reset();
            let (ms, errors) =
                hammer(&Arc::new(vec![clients[0].clone()]), &node.base, path, 1).await;
            let (n, total, listing) = common::sql_count::take();
            println!(
                "{name}: {n} statements, {total:.2} ms in the database, {:.2} ms in all, {errors} errors\n{listing}",
                ms.first().copied().unwrap_or_default()
            );
        }
    }
    println!(
        "\n| engine | page | clients | requests | errors | req/s | p50 ms | p99 ms | max ms |"
    );
    println!("|---|---|---:|---:|---:|---:|---:|---:|---:|");
    for (name, path) in pages {
        // One untimed request per client first (connections opened, caches warm).
        let (_, _) = hammer(&clients, &node.base, &path, 1).await;
        let start = Instant::now();
        let (ms, errors) = hammer(&clients, &node.base, &path, args.requests).await;
        let wall = start.elapsed().as_secs_f64();
        println!(
            "| {} | {name} | {} | {} | {errors} | {:.0} | {:.2} | {:.2} | {:.2} |",
            label(engine),
            clients.len(),
            ms.len(),
            ms.len() as f64 / wall,
            percentile(&ms, 50.0),
            percentile(&ms, 99.0),
            ms.iter().copied().fold(0.0, f64::max)
        );
    }
    println!("load after: {}\n", load_average());
    node.stop().await?;
    Ok(())
}

/// Every client GETs `path` `rounds` times, all clients at once; the latencies in ms and the
/// count of answers other than 200 (a redirect to the login page is an error too).
async fn hammer(
    clients: &Arc<Vec<reqwest::Client>>,
    base: &str,
    path: &str,
    rounds: usize,
) -> (Vec<f64>, usize) {
    let mut tasks = Vec::with_capacity(clients.len());
    for i in 0..clients.len() {
        let clients = Arc::clone(clients);
        let url = format!("{base}{path}");
        tasks.push(tokio::spawn(async move {
            let mut ms = Vec::with_capacity(rounds);
            let mut errors = 0;
            for _ in 0..rounds {
                let start = Instant::now();
                let ok = match clients[i].get(&url).send().await {
                    Ok(res) => res.status() == 200 && res.bytes().await.is_ok(),
                    Err(_) => false,
                };
                ms.push(start.elapsed().as_secs_f64() * 1000.0);
                if !ok {
                    errors += 1;
                }
            }
            (ms, errors)
        }));
    }
    let mut all = Vec::new();
    let mut errors = 0;
    for t in tasks {
        match t.await {
            Ok((ms, e)) => {
                all.extend(ms);
                errors += e;
            }
            Err(_) => errors += rounds,
        }
    }
    (all, errors)
}

/// A client holding `username`'s session cookie, got through GET then POST /login.
async fn log_in(base: &str, username: &str) -> BenchResult<reqwest::Client> {
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()?;
    let page = client
        .get(format!("{base}/login"))
        .send()
        .await?
        .text()
        .await?;
    let marker = "name=\"csrf_token\" value=\"";
    let at = page.find(marker).ok_or("no CSRF field on /login")? + marker.len();
    let token = &page[at..at + page[at..].find('"').ok_or("unterminated CSRF field")?];
    let res = client
        .post(format!("{base}/login"))
        .header("Origin", base)
        .form(&[
            ("username", username),
            ("password", PASSWORD),
            ("csrf_token", token),
        ])
        .send()
        .await?;
    if res.status() != 303 {
        return Err(format!("login of {username}: {}", res.status()).into());
    }
    Ok(client)
}

async fn store_post(
    node: &Node,
    ap_id: &str,
    community_id: i64,
    author: &str,
    thread: &str,
    is_thread: bool,
    published_at: i64,
) -> BenchResult<()> {
    let content = format!(
        "<p>Permanence d'accueil du jeudi : qui a une solution pour les usagers sans rendez-vous ? ({ap_id})</p>"
    );
    node.state
        .store
        .insert_post(&NewPost {
            ap_id,
            community_id,
            kind: if is_thread { "Page" } else { "Note" },
            authority: &node.authority,
            attributed_to: author,
            thread_ap_id: thread,
            in_reply_to: if is_thread { None } else { Some(thread) },
            title: if is_thread { "Fil de discussion" } else { "" },
            source: "Message",
            content_html: &content,
            published_at,
            category: "discussion",
            tags: "",
            deadline: "",
        })
        .await?;
    Ok(())
}
