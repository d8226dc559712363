//! `entrepairs demo`: three institutions of the bassin de Castelsarrasin, federated through the
//! handshake, and a fourth whose request waits, in one process, kept between runs.

pub mod action_plan;
pub mod communities;
pub mod directory;
mod federate;
pub mod resources;
pub mod seed;
pub mod sessions;
// Issue 16: the public page and the join link of the Mairie's accueil.
pub mod welcome;
// Issue 18: polls.
pub mod polls;
// Issue 18: a past session with attendance, attestations and its report.
pub mod attendance;
// Issue 19: a thread with photos.
pub mod images;

use std::net::TcpListener;
use std::path::{Path, PathBuf};

use anyhow::Context;

use crate::app::{Application, NodeOptions};
use crate::config::{Config, RawConfig};

/// One demo institution. Names, ports and accounts are stable: issues, tests and the README
/// refer to them.
pub struct Institution {
    pub slug: &'static str,
    pub name: &'static str,
    pub kind: &'static str,
    pub branch: &'static str,
    pub accent: &'static str,
    /// Offset from the base port.
    pub offset: u16,
}

pub const INSTITUTIONS: [Institution; 3] = [
    Institution {
        slug: "sous-prefecture",
        name: "Sous-préfecture de Castelsarrasin",
        kind: "prefecture",
        branch: "fpe",
        accent: "#000091",
        offset: 0,
    },
    Institution {
        slug: "mairie",
        name: "Mairie de Castelsarrasin",
        kind: "mairie",
        branch: "fpt",
        accent: "#8a3b12",
        offset: 1,
    },
    Institution {
        slug: "chu",
        name: "CHU de Montauban",
        kind: "chu",
        branch: "fph",
        accent: "#00695c",
        offset: 2,
    },
];

/// A fourth institution, run by the demo too, whose federation request waits for the admin
/// of the first one: a newcomer can approve or refuse it.
pub const CANDIDATE: Institution = Institution {
    slug: "cdg",
    name: "CDG de Tarn-et-Garonne",
    kind: "cdg",
    branch: "fpt",
    accent: "#6a1b9a",
    offset: 3,
};

/// The password of every demo account: the demo listens on 127.0.0.1 only.
pub const DEMO_PASSWORD: &str = "entrepairs-demo";

/// Writes the node's config file the first time, so that `entrepairs --config FILE admin …`
/// acts on the same node as the demo.
fn config_file(root: &Path, inst: &Institution, port: u16) -> anyhow::Result<PathBuf> {
    let dir = root.join(inst.slug);
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    let dir = dir.canonicalize()?;
    let path = dir.join("config.toml");
    let text = format!(
        "# Demo node written by `entrepairs demo`; edit freely.\n\
         authority = \"127.0.0.1:{port}\"\n\
         bind = \"127.0.0.1:{port}\"\n\
         data_dir = {dir:?}\n\
         institution_name = \"{name}\"\n\
         institution_kind = \"{kind}\"\n\
         branch = \"{branch}\"\n\
         accent_color = \"{accent}\"\n\
         contact_email = \"dsi@{slug}.demo.invalid\"\n\
         # Loopback demo only: plain http and private addresses.\n\
         allow_http = true\n\
         allow_private_addresses = true\n",
        dir = dir.display().to_string(),
        name = inst.name,
        kind = inst.kind,
        branch = inst.branch,
        accent = inst.accent,
        slug = inst.slug,
    );
    let current = std::fs::read_to_string(&path).unwrap_or_default();
    if !current.contains(&format!("authority = \"127.0.0.1:{port}\"")) {
        std::fs::write(&path, text).with_context(|| format!("writing {}", path.display()))?;
    }
    Ok(path)
}

/// Reads a node's file; `smtp` (`--smtp URL`) sends the demo's mail for real, else it stays
/// in the outbox, shown on the admin page « Courriels envoyés (démo) ».
fn load(path: &Path, smtp: Option<&str>) -> anyhow::Result<Config> {
    // The demo ignores ENTREPAIRS_* variables: each node's file is the whole truth.
    let mut raw = RawConfig::from_file(path)?;
    if let Some(url) = smtp {
        raw.smtp_url = Some(url.to_owned());
    }
    let mut config = raw.validate()?;
    config.mail.demo = true;
    Ok(config)
}

/// Starts the three nodes, seeds them on first run, prints how to use them, serves until
/// Ctrl-C.
pub async fn run(root: &Path, base_port: u16, smtp: Option<&str>) -> anyhow::Result<()> {
    crate::telemetry::init(crate::config::LogFormat::Text);
    let mut apps = Vec::new();
    let mut files = Vec::new();
    for inst in INSTITUTIONS.iter().chain(std::iter::once(&CANDIDATE)) {
        let port = base_port + inst.offset;
        let path = config_file(root, inst, port)?;
        let config = load(&path, smtp)?;
        let listener = TcpListener::bind(config.bind)
            .with_context(|| format!("port {port} is in use (change it with --base-port)"))?;
        let app = Application::build_with_listener(
            config,
            listener,
            NodeOptions {
                http_workers: 1,
                delivery_worker: true,
            },
        )
        .await?;
        seed::accounts(app.state(), inst).await?;
        files.push(path);
        apps.push(app);
    }
    let handles: Vec<_> = apps.iter().map(|a| a.handle()).collect();
    let states: Vec<_> = apps.iter().map(|a| a.state().clone()).collect();
    let servers: Vec<_> = apps
        .into_iter()
        .map(|a| tokio::spawn(a.run_until_stopped()))
        .collect();
    // The handshake needs the servers up and the delivery workers running.
    let (institutions, candidate) = states.split_at(INSTITUTIONS.len());
    if let Some(candidate) = candidate.first()
        && let Err(e) = federate::run(institutions, candidate).await
    {
        tracing::warn!(error = %e, "the demo's federation did not settle; see /admin/federation");
    }
    // Communities are made through real federation, between the institutions approved above;
    // what lives in them (sessions, resources, the action plan) comes after, the same way.
    if let [pref, mairie, chu] = institutions
        && let Err(e) = communities::seed([pref, mairie, chu]).await
    {
        tracing::warn!(error = %e, "the demo's communities could not be seeded");
    }
    for state in institutions {
        if let Err(e) = directory::seed(state).await {
            tracing::warn!(error = %e, "the demo's directory could not be seeded");
        }
    }
    if let [pref, mairie, chu] = institutions {
        let trio = [pref, mairie, chu];
        if let Err(e) = sessions::seed(trio).await {
            tracing::warn!(error = %e, "the demo's sessions could not be seeded");
        }
        if let Err(e) = resources::seed(trio).await {
            tracing::warn!(error = %e, "the demo's resources could not be seeded");
        }
        if let Err(e) = action_plan::seed(trio).await {
            tracing::warn!(error = %e, "the demo's action plan could not be seeded");
        }
    }
    if let [_, mairie, _] = institutions
        && let Err(e) = welcome::seed(mairie).await
    {
        tracing::warn!(error = %e, "the demo's welcome page could not be seeded");
    }
    if let [pref, mairie, chu] = institutions
        && let Err(e) = polls::seed([pref, mairie, chu]).await
    {
        tracing::warn!(error = %e, "the demo's date poll could not be seeded");
    }
    if let [pref, mairie, chu] = institutions
        && let Err(e) = attendance::seed([pref, mairie, chu]).await
    {
        tracing::warn!(error = %e, "the demo's attendance could not be seeded");
    }
    if let [pref, mairie, chu] = institutions
        && let Err(e) = images::seed([pref, mairie, chu]).await
    {
        tracing::warn!(error = %e, "the demo's thread with a photo could not be seeded");
    }
    print_banner(&files, base_port, smtp);
    crate::app::shutdown_signal().await;
    for h in handles {
        h.stop(true).await;
    }
    for s in servers {
        s.await??;
    }
    Ok(())
}

fn print_banner(files: &[PathBuf], base_port: u16, smtp: Option<&str>) {
    let exe = std::env::args()
        .next()
        .unwrap_or_else(|| "entrepairs".into());
    println!("\nentrepairs — démo : trois institutions fédérées du bassin de Castelsarrasin\n");
    for (inst, file) in INSTITUTIONS
        .iter()
        .chain(std::iter::once(&CANDIDATE))
        .zip(files)
    {
        let port = base_port + inst.offset;
        let agents: Vec<_> = seed::AGENTS
            .iter()
            .filter(|a| a.institution == inst.slug)
            .map(|a| a.username)
            .collect();
        println!("  {}  http://127.0.0.1:{port}/", inst.name);
        let others = agents.iter().map(|a| format!(", {a}")).collect::<String>();
        println!("    comptes : admin (administrateur){others}");
        println!(
            "    administrer : {exe} --config {} admin user list",
            file.display()
        );
    }
    println!(
        "\n  Fédération : les trois premières institutions sont fédérées entre elles ; la demande\n  \
         du {} attend la décision de l'administrateur de http://127.0.0.1:{base_port}/admin/federation",
        CANDIDATE.name
    );
    println!(
        "\n  Accueil des nouveaux : page publique http://127.0.0.1:{}/decouvrir/accueil ;\n  \
         lien d'invitation et son QR code : http://127.0.0.1:{}/communities/accueil/accueil (bruno)",
        base_port + 1,
        base_port + 1
    );
    println!("\n  Mot de passe de tous les comptes de démo : {DEMO_PASSWORD}");
    match smtp {
        Some(_) => println!("  Courriels : envoyés par le relais donné à --smtp."),
        None => println!(
            "  Courriels : aucun n'est envoyé ; chaque nœud les montre à l'administrateur sur /admin/mail/demo (--smtp URL pour un vrai envoi)."
        ),
    }
    println!("  Arrêt : Ctrl-C. Les données sont conservées entre deux lancements.\n");
}
