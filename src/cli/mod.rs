//! The `entrepairs` command line: serve, migrate, demo and the admin commands admins script.

mod admin;
mod backup;
mod check;
mod import;
mod peer;
mod restore;
mod serve;

use std::path::PathBuf;

use anyhow::Context;
use clap::{Parser, Subcommand};

use crate::config::{Config, ConfigError, RawConfig};

#[derive(Debug, Parser)]
#[command(
    name = "entrepairs",
    version,
    about = "Communautés de pairs entre institutions publiques, fédérées par ActivityPub.",
    long_about = "entrepairs runs one institution's node. Settings come from defaults, then the \
                  --config file, then ENTREPAIRS_* environment variables, then --data-dir."
)]
pub struct Cli {
    /// Configuration file (TOML); the same file for `serve` and the admin commands.
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Data directory (overrides the config file and ENTREPAIRS_DATA_DIR). For `demo`, the
    /// folder that holds the demo nodes.
    #[arg(long, global = true, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the node (the default when no command is given).
    Serve,
    /// Apply pending database migrations and exit.
    Migrate,
    /// Run three federated demo institutions on 127.0.0.1 (ports 8081–8083 by default).
    Demo {
        /// Port of the first node; the others follow.
        #[arg(long, default_value_t = 8081)]
        base_port: u16,
        /// Send the demo's mail through this relay (e.g. smtp://127.0.0.1:2525); without it,
        /// mail stays in each node's outbox, shown at /admin/mail/demo.
        #[arg(long, value_name = "URL")]
        smtp: Option<String>,
    },
    /// Administration of a node (acts on its database, also while it runs).
    #[command(subcommand)]
    Admin(admin::AdminCommand),
}

impl Cli {
    /// Loads and validates the configuration: defaults < file < environment < `--data-dir`.
    pub fn load_config(&self) -> anyhow::Result<Config> {
        Ok(self.load_config_checked()?)
    }

    /// [`Cli::load_config`] with the typed error, whose problems can be listed one by one.
    pub fn load_config_checked(&self) -> Result<Config, ConfigError> {
        let mut raw = match &self.config {
            Some(path) => RawConfig::from_file(path)?,
            None => RawConfig::default(),
        };
        raw.apply_env(std::env::vars())?;
        if let Some(dir) = &self.data_dir {
            raw.data_dir = Some(dir.display().to_string());
        }
        raw.validate()
    }
}

/// Runs the command line; the error is printed by `main`.
pub async fn run(cli: Cli) -> anyhow::Result<()> {
    match &cli.command {
        None | Some(Command::Serve) => serve::serve(cli.load_config()?).await,
        Some(Command::Migrate) => {
            let config = cli.load_config()?;
            let store = crate::db::Store::connect(config.database_url.expose())
                .await
                .context("opening the database")?;
            let applied = store.migrate().await?;
            println!("{applied} migration(s) applied; the database is up to date.");
            Ok(())
        }
        Some(Command::Demo { base_port, smtp }) => {
            let root = cli
                .data_dir
                .clone()
                .unwrap_or_else(|| PathBuf::from("entrepairs-demo"));
            crate::demo::run(&root, *base_port, smtp.as_deref()).await
        }
        // `check` reports an invalid configuration as FAIL lines instead of stopping.
        Some(Command::Admin(admin::AdminCommand::Check)) => {
            check::run(cli.load_config_checked()).await
        }
        Some(Command::Admin(cmd)) => admin::run(cli.load_config()?, cmd).await,
    }
}
