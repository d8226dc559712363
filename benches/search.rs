//! Search benchmark (issue 19, shared with the performance issue): full-text search over
//! 100,000 indexed documents (French words, skewed like real text), four fifths in 10
//! communities of which the reader is a member of 5, the rest in the directory; the latency
//! of common, rare, two-word, filtered, deep-page and empty searches through the domain.
//!
//! `cargo bench --bench search -- [--postgres|--postgres-only] [--docs N] [--calls C]`. It
//! prints figures and asserts no timing (the machine is shared); the CPU time per call is
//! given too, as the wall-clock latency mostly measures the other tenants on a busy machine.

mod common;

use std::time::Instant;

use common::{BenchArgs, BenchResult, Engine, Node, label, load_average, percentile};
use entrepairs::domain::communities::{self, NewCommunityInput};
use entrepairs::domain::memberships;
use entrepairs::domain::search::{self, SearchDoc};
use entrepairs::domain::search_query::{self, Asked};

/// Words of the documents, most frequent first (the draw favours the start of the list).
const VOCABULARY: &[&str] = &[
    "accueil",
    "usagers",
    "service",
    "agents",
    "formation",
    "dossier",
    "mairie",
    "public",
    "demande",
    "procédure",
    "délai",
    "guichet",
    "courrier",
    "réunion",
    "équipe",
    "projet",
    "budget",
    "marché",
    "commande",
    "facture",
    "paie",
    "congés",
    "recrutement",
    "entretien",
    "médiation",
    "incivilités",
    "sécurité",
    "archives",
    "numérisation",
    "logiciel",
    "messagerie",
    "téléphone",
    "rendez-vous",
    "planning",
    "astreinte",
    "voirie",
    "écoles",
    "cantine",
    "périscolaire",
    "crèche",
    "social",
    "logement",
    "urbanisme",
    "permis",
    "état-civil",
    "mariage",
    "naissance",
    "décès",
    "élections",
    "recensement",
    "cimetière",
    "associations",
    "subventions",
    "culture",
    "bibliothèque",
    "sport",
    "piscine",
    "tourisme",
    "transport",
    "mobilité",
    "environnement",
    "déchets",
    "eau",
    "assainissement",
    "énergie",
    "bâtiments",
    "travaux",
    "assurances",
    "juridique",
    "contentieux",
    "délibération",
    "conseil",
    "commission",
    "régie",
    "trésorerie",
    "comptabilité",
    "inventaire",
    "protocole",
    "titres",
    "passeports",
    "cartes",
    "identité",
    "accessibilité",
    "handicap",
    "seniors",
    "jeunesse",
    "insertion",
    "emploi",
    "apprentissage",
    "télétravail",
    "prévention",
    "hygiène",
    "restauration",
    "animatrices",
    "médiatrices",
    "territoriales",
    "intercommunalité",
    "mutualisation",
    "dématérialisation",
    "signature",
    "parapheur",
];

struct Args {
    sqlite: bool,
    postgres: bool,
    docs: usize,
    calls: usize,
}

fn main() -> BenchResult<()> {
    let a = BenchArgs::parse(
        "search",
        &["search"],
        &[("--docs", 100_000), ("--calls", 200)],
    );
    let args = Args {
        docs: a.number("--docs"),
        calls: a.number("--calls"),
        sqlite: a.sqlite,
        postgres: a.postgres,
    };
    common::run("search", async {
        if args.sqlite {
            search_bench(&args, Engine::Sqlite).await?;
        }
        if args.postgres {
            search_bench(&args, Engine::Postgres).await?;
        }
        Ok(())
    })
}

/// A small deterministic generator (the same documents on every run and engine).
struct Draw(u64);

impl Draw {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }

    /// A word, the frequent ones far more often (the square of a uniform draw).
    fn word(&mut self) -> &'static str {
        let u = (self.next() % 10_000) as f64 / 10_000.0;
        VOCABULARY[((u * u) * VOCABULARY.len() as f64) as usize]
    }
}

async fn search_bench(args: &Args, engine: Engine) -> BenchResult<()> {
    println!(
        "## Search: {} documents, {} calls per query ({})",
        args.docs,
        args.calls,
        label(engine)
    );
    let node = Node::spawn(engine, 1).await?;
    let reader = node.create_user("alice").await?;
    let owner = node.create_user("bruno").await?;
    let mut communities_ids = Vec::new();
    for k in 0..10 {
        let c = communities::create(
            &node.state,
            &owner,
            &NewCommunityInput {
                slug: format!("metier{k}"),
                name: format!("Métier {k}"),
                description: "Banc d'essai".into(),
                tags: String::new(),
                join_mode: "open".into(),
                question: String::new(),
                charter: String::new(),
            },
        )
        .await?;
        if k % 2 == 0 {
            memberships::join(&node.state, &reader, &c, "").await?;
        }
        communities_ids.push(c.id);
    }
    let mut draw = Draw(19);
    let base = jiff::Timestamp::now().as_millisecond() - (args.docs as i64) * 60_000;
    let fill = Instant::now();
    for i in 0..args.docs {
        let words: Vec<&str> = (0..40).map(|_| draw.word()).collect();
        let (kind, community_id) = match i % 5 {
            4 => ("directory", None),
            1 => ("resource", Some(communities_ids[i % 10])),
            _ => ("thread", Some(communities_ids[i % 10])),
        };
        search::index(
            &node.state,
            &SearchDoc {
                kind,
                ap_id: format!("{}/bench/{i}", node.state.config.base_url()),
                community_id,
                actor_id: None,
                title: words[..5].join(" "),
                body: words[5..].join(" "),
                url: format!("/bench/{i}"),
                published_at: base + (i as i64) * 60_000,
            },
        )
        .await?;
    }
    println!(
        "indexed {} documents in {:.1} s (load {})",
        args.docs,
        fill.elapsed().as_secs_f64(),
        load_average()
    );
    let asked = |q: &str| Asked {
        q: q.into(),
        ..Asked::default()
    };
    let cases: Vec<(&str, Asked)> = vec![
        ("common word", asked("usager")),
        ("rare word", asked("parapheurs")),
        ("two words", asked("formation médiatrice")),
        (
            "common word, kind",
            Asked {
                kind: "resource".into(),
                ..asked("accueil")
            },
        ),
        (
            "common word, community",
            Asked {
                community: communities_ids[0].to_string(),
                ..asked("accueil")
            },
        ),
        (
            "common word, page 10",
            Asked {
                page: "10".into(),
                ..asked("accueil")
            },
        ),
        ("no match", asked("introuvable")),
    ];
    println!(
        "\n| engine | documents | query | matches on page | calls | p50 ms | p99 ms | max ms | CPU ms per call |"
    );
    println!("|---|---:|---|---:|---:|---:|---:|---:|---:|");
    for (name, q) in &cases {
        let mut ms = Vec::with_capacity(args.calls);
        let mut shown = 0;
        let cpu = process_cpu_ms();
        for _ in 0..args.calls {
            let start = Instant::now();
            let found = search_query::run(&node.state, &reader, q).await?;
            ms.push(start.elapsed().as_secs_f64() * 1000.0);
            shown = found.hits.len();
        }
        let cpu = (process_cpu_ms() - cpu) / args.calls as f64;
        println!(
            "| {} | {} | {name} | {shown} | {} | {:.2} | {:.2} | {:.2} | {cpu:.2} |",
            label(engine),
            args.docs,
            ms.len(),
            percentile(&ms, 50.0),
            percentile(&ms, 99.0),
            ms.iter().copied().fold(0.0, f64::max)
        );
    }
    println!("load after: {}\n", load_average());
    node.stop().await?;
    Ok(())
}

/// CPU time used by this process so far (every thread: the runtime, SQLite's worker), in ms:
/// on a shared machine, what a search costs, whatever the other tenants make it wait.
fn process_cpu_ms() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let after = stat.rsplit(')').next().unwrap_or_default();
    let fields: Vec<&str> = after.split_whitespace().collect();
    // utime and stime, fields 14 and 15 of proc(5), in clock ticks of 10 ms.
    let ticks: f64 = [11, 12]
        .iter()
        .filter_map(|i| fields.get(*i).and_then(|v| v.parse::<f64>().ok()))
        .sum();
    ticks * 10.0
}
