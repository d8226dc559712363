//! Community benchmarks (issue 6, "Performance"): fan-out of one thread posted in an open
//! community whose members are spread over many nodes (FEP-1b12: the group Announces once per
//! member node), and the latency of the home feed of a member of 10 busy communities.
//!
//! `cargo bench --bench communities -- [community|fanout|feed] [--postgres|--postgres-only]
//! [--nodes K] [--agents A] [--threads T] [--burst B] [--posts P] [--calls C]`. It prints figures and
//! asserts no timing (the machine is shared).

mod common;

use std::time::Instant;

use common::{
    BenchArgs, BenchResult, Engine, Node, federate, label, load_average, percentile, received_by,
};
use entrepairs::db::NewPost;
use entrepairs::domain::accounts::Account;
use entrepairs::domain::communities::{self, NewCommunityInput};
use entrepairs::domain::{feed, memberships, posts};
use entrepairs::federation::delivery;
use futures_util::StreamExt;

struct Args {
    what: String,
    sqlite: bool,
    postgres: bool,
    nodes: usize,
    agents: usize,
    threads: usize,
    posts: usize,
    calls: usize,
    burst: usize,
}

fn parse_args() -> Args {
    let a = BenchArgs::parse(
        "community",
        &["community", "fanout", "feed"],
        &[
            ("--nodes", 20),
            ("--agents", 100),
            ("--threads", 10),
            ("--posts", 10_000),
            ("--calls", 1_000),
            ("--burst", 1_000),
        ],
    );
    Args {
        nodes: a.number("--nodes"),
        agents: a.number("--agents"),
        threads: a.number("--threads"),
        posts: a.number("--posts"),
        calls: a.number("--calls"),
        burst: a.number("--burst"),
        what: a.what,
        sqlite: a.sqlite,
        postgres: a.postgres,
    }
}

fn main() -> BenchResult<()> {
    let args = parse_args();
    common::run("community", async {
        let mut engines = Vec::new();
        if args.sqlite {
            engines.push(Engine::Sqlite);
        }
        if args.postgres {
            engines.push(Engine::Postgres);
        }
        for engine in engines {
            if args.what != "feed" {
                fanout_bench(&args, engine).await?;
            }
            if args.what != "fanout" {
                feed_bench(&args, engine).await?;
            }
        }
        Ok(())
    })
}

fn community_input(slug: &str, mode: &str) -> NewCommunityInput {
    NewCommunityInput {
        slug: slug.into(),
        name: format!("Communauté {slug}"),
        description: "Les agents d'accueil du bassin".into(),
        tags: "accueil".into(),
        join_mode: mode.into(),
        question: String::new(),
        charter: "Bienveillance.".into(),
    }
}

// ---------------------------------------------------------------------------------------
// Thread fan-out

async fn fanout_bench(args: &Args, engine: Engine) -> BenchResult<()> {
    println!(
        "## Thread fan-out: open community, {} member nodes × {} agents ({})",
        args.nodes,
        args.agents,
        label(engine)
    );
    let setup = Instant::now();
    let host = Node::spawn(engine, 2).await?;
    let owner = host.create_user("hote").await?;
    communities::create(&host.state, &owner, &community_input("assistants", "open")).await?;
    let handle = format!("assistants@{}", host.authority);
    let mut members = Vec::new();
    for _ in 0..args.nodes {
        members.push(Node::spawn(engine, 1).await?);
    }
    // One approved circle: every node allows every other (an Announce carries an activity
    // of another member node, which the receiver checks against its allow list).
    for (i, m) in members.iter().enumerate() {
        federate(&host, m).await?;
        for other in &members[..i] {
            federate(m, other).await?;
        }
    }
    // Agents: created directly (RSA key and password hash: the cost of the setup), then
    // joined through the real path: WebFinger, Follow to the group, Accept.
    let key_time = Instant::now();
    let accounts: Vec<Vec<Account>> = futures_util::stream::iter(members.iter())
        .map(|m| async move {
            let mut v = Vec::new();
            for a in 0..args.agents {
                v.push(m.create_user(&format!("agent{a}")).await?);
            }
            BenchResult::Ok(v)
        })
        .buffered(4)
        .collect::<Vec<_>>()
        .await
        .into_iter()
        .collect::<BenchResult<_>>()?;
    let key_secs = key_time.elapsed().as_secs_f64();
    let join_time = Instant::now();
    futures_util::stream::iter(members.iter().zip(accounts.iter()))
        .map(|(m, agents)| {
            let handle = &handle;
            async move {
                let c = communities::resolve(&m.state, handle).await?;
                for a in agents {
                    memberships::join(&m.state, a, &c, "Accueil").await?;
                }
                delivery::drain(&m.state).await?;
                BenchResult::Ok(())
            }
        })
        .buffer_unordered(4)
        .collect::<Vec<_>>()
        .await
        .into_iter()
        .collect::<BenchResult<Vec<()>>>()?;
    // Until every node is quiet: the host's Accepts, and whatever they cause.
    for _ in 0..10 {
        let mut sent = 0;
        for n in std::iter::once(&host).chain(members.iter()) {
            let s = delivery::drain(&n.state).await?;
            sent += s.delivered + s.retried + s.failed;
        }
        if sent == 0 {
            break;
        }
    }
    let mut known_accepted = 0;
    for (m, agents) in members.iter().zip(accounts.iter()) {
        let c = communities::resolve(&m.state, &handle).await?;
        for a in agents {
            if m.state
                .store
                .membership(c.id, a.actor_id)
                .await?
                .is_some_and(|x| x.state == "accepted")
            {
                known_accepted += 1;
            }
        }
    }
    let host_c = communities::resolve(&host.state, "assistants").await?;
    let accepted = host.state.store.members(host_c.id, "accepted").await?.len();
    println!(
        "setup: {:.1} s in all ({} agents created in {key_secs:.1} s, joined in {:.1} s); \
         {accepted} accepted members on the host (owner included), {known_accepted} \
         known as accepted on the member nodes; load {}",
        setup.elapsed().as_secs_f64(),
        args.nodes * args.agents,
        join_time.elapsed().as_secs_f64(),
        load_average()
    );

    let author_node = &members[0];
    let author = &accounts[0][0];
    let c = communities::resolve(&author_node.state, &handle).await?;
    let (mut ms, mut requests, mut rows) = (Vec::new(), Vec::new(), Vec::new());
    let mut missing = 0;
    for i in 0..args.threads {
        let rows_before = received_by(&members).await?;
        let start = Instant::now();
        let thread = posts::create_thread(
            &author_node.state,
            author,
            &c,
            &format!("Fil {i} : permanence du jeudi"),
            "Qui peut **remplacer** l'accueil jeudi après-midi ?",
        )
        .await?;
        // The author's node sends the Create to the group; the host announces it to every
        // member node. The inbox answers 202 after storing, so after both drains every node
        // that accepted the Announce has the thread.
        delivery::drain(&author_node.state).await?;
        let stats = delivery::drain(&host.state).await?;
        ms.push(start.elapsed().as_secs_f64() * 1000.0);
        requests.push(stats.delivered + stats.retried + stats.failed);
        rows.push(received_by(&members).await? - rows_before);
        for m in &members {
            if m.state.store.post_by_ap_id(&thread.ap_id).await?.is_none() {
                missing += 1;
            }
        }
    }
    println!(
        "\n| engine | member nodes | members | threads | host requests per thread | activities recorded by member inboxes per thread | not stored | p50 ms | p99 ms | max ms |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    println!(
        "| {} | {} | {accepted} | {} | {}–{} | {}–{} | {missing} | {:.0} | {:.0} | {:.0} |",
        label(engine),
        members.len(),
        ms.len(),
        requests.iter().min().copied().unwrap_or(0),
        requests.iter().max().copied().unwrap_or(0),
        rows.iter().min().copied().unwrap_or(0),
        rows.iter().max().copied().unwrap_or(0),
        percentile(&ms, 50.0),
        percentile(&ms, 99.0),
        ms.iter().copied().fold(0.0, f64::max)
    );
    println!("load after: {}\n", load_average());
    burst(args, author_node, author, &c, &host, &members).await?;
    for m in members {
        m.stop().await?;
    }
    host.stop().await?;
    Ok(())
}

/// `--burst` threads posted at once, then delivered through the queues: the author's node
/// sends each Create to the group, the host announces each to every member node. Reports the
/// total time, the signed requests made and their rate, and what the member inboxes stored.
async fn burst(
    args: &Args,
    author_node: &Node,
    author: &Account,
    c: &entrepairs::db::CommunityRow,
    host: &Node,
    members: &[Node],
) -> BenchResult<()> {
    let rows_before = received_by(members).await?;
    let queued = Instant::now();
    for i in 0..args.burst {
        posts::create_thread(
            &author_node.state,
            author,
            c,
            &format!("Rafale {i} : relève de l'accueil"),
            "Qui prend la **relève** demain matin ?",
        )
        .await?;
    }
    let queued_s = queued.elapsed().as_secs_f64();
    let start = Instant::now();
    let (mut author_requests, mut host_requests, mut failed) = (0, 0, 0);
    // Until both queues are empty (a drain takes what is due, a batch at a time).
    loop {
        let a = delivery::drain(&author_node.state).await?;
        let h = delivery::drain(&host.state).await?;
        author_requests += a.delivered + a.retried + a.failed;
        host_requests += h.delivered + h.retried + h.failed;
        failed += a.retried + a.failed + h.retried + h.failed;
        if a.delivered + a.retried + a.failed + h.delivered + h.retried + h.failed == 0 {
            break;
        }
    }
    let secs = start.elapsed().as_secs_f64();
    let stored = received_by(members).await? - rows_before;
    let requests = author_requests + host_requests;
    println!(
        "\n| engine | member nodes | threads in the burst | queued in | delivered in | signed requests (author + host) | not 2xx | signatures/s | activities recorded by member inboxes |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
    println!(
        "| {} | {} | {} | {queued_s:.1} s | {secs:.1} s | {requests} ({author_requests} + {host_requests}) | {failed} | {:.0} | {stored} |",
        label(host.state.store.engine()),
        members.len(),
        args.burst,
        requests as f64 / secs.max(1e-9),
    );
    println!("load after: {}\n", load_average());
    Ok(())
}

// ---------------------------------------------------------------------------------------
// Home feed

async fn feed_bench(args: &Args, engine: Engine) -> BenchResult<()> {
    println!(
        "## Home feed: a member of 10 communities holding {} posts, first page, {} calls ({})",
        args.posts,
        args.calls,
        label(engine)
    );
    let node = Node::spawn(engine, 1).await?;
    let agent = node.create_user("alice").await?;
    let other = node.create_user("bruno").await?;
    let mut ids = Vec::new();
    for k in 0..10 {
        let c = communities::create(
            &node.state,
            &other,
            &community_input(&format!("metier{k}"), "open"),
        )
        .await?;
        memberships::join(&node.state, &agent, &c, "Accueil").await?;
        ids.push(c.id);
    }
    // Noise: a community alice is not a member of, with as many posts as one of hers.
    let outside =
        communities::create(&node.state, &other, &community_input("ailleurs", "open")).await?;
    let author = format!("{}/users/bruno", node.state.config.base_url());
    let fill = Instant::now();
    let base = jiff::Timestamp::now().as_second() - args.posts as i64;
    let total = args.posts + args.posts / 10;
    for i in 0..total {
        let community_id = if i < args.posts {
            ids[i % ids.len()]
        } else {
            outside.id
        };
        let ap_id = format!("{author}/posts/{i}");
        // One thread in ten; the others are replies in the previous thread.
        let thread = format!("{author}/posts/{}", i - i % 10);
        store_post(&node, &ap_id, community_id, &author, &thread, i, base).await?;
    }
    println!(
        "filled {total} posts ({} in alice's communities) in {:.1} s",
        args.posts,
        fill.elapsed().as_secs_f64()
    );
    let first = feed::page(&node.state, &agent, None).await?;
    if first.posts.len() != feed::PAGE as usize {
        return Err(format!("first page has {} posts", first.posts.len()).into());
    }
    // A page in the middle of the history too: with a keyset cursor it should cost what
    // the first page costs.
    let middle = feed::Cursor {
        published_at: base + (args.posts / 2) as i64,
        id: 0,
    };
    println!("\n| engine | page | posts | calls | page size | p50 ms | p99 ms | max ms |");
    println!("|---|---|---:|---:|---:|---:|---:|---:|");
    for (name, before) in [("first", None), ("middle", Some(middle))] {
        let mut ms = Vec::with_capacity(args.calls);
        for _ in 0..args.calls {
            let start = Instant::now();
            let page = feed::page(&node.state, &agent, before).await?;
            ms.push(start.elapsed().as_secs_f64() * 1000.0);
            std::hint::black_box(page);
        }
        println!(
            "| {} | {name} | {} | {} | {} | {:.2} | {:.2} | {:.2} |",
            label(engine),
            args.posts,
            ms.len(),
            feed::PAGE,
            percentile(&ms, 50.0),
            percentile(&ms, 99.0),
            ms.iter().copied().fold(0.0, f64::max)
        );
    }
    println!("load after: {}\n", load_average());
    node.stop().await?;
    Ok(())
}

async fn store_post(
    node: &Node,
    ap_id: &str,
    community_id: i64,
    author: &str,
    thread: &str,
    i: usize,
    base: i64,
) -> BenchResult<()> {
    let is_thread = i.is_multiple_of(10);
    let content = format!("<p>Message {i} sur la permanence d'accueil du jeudi.</p>");
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
            published_at: base + i as i64,
            category: "discussion",
            tags: "",
            deadline: "",
        })
        .await?;
    Ok(())
}
