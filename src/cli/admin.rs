//! `entrepairs admin …`: what admins script. Output is stable; `--json` where it is read by
//! programs.

use std::io::BufRead;
use std::path::PathBuf;

use anyhow::{Context, bail};
use clap::Subcommand;

use crate::config::Config;
use crate::db::Store;
use crate::domain::{accounts, tokens};
use crate::state::AppState;

#[derive(Debug, Subcommand)]
pub enum AdminCommand {
    /// Local accounts.
    #[command(subcommand)]
    User(UserCommand),
    /// Federation with other institutions' nodes.
    #[command(subcommand)]
    Peer(super::peer::PeerCommand),
    /// Write a consistent copy of the SQLite database to FILE while the node runs (for
    /// PostgreSQL: print the pg_dump command to run, and fail).
    Backup {
        /// A new file; an existing one is never overwritten.
        file: PathBuf,
    },
    /// Replace the SQLite database of a stopped node with the backup FILE; the current
    /// database is kept beside it as `….before-restore-<time>`.
    Restore { file: PathBuf },
    /// Check configuration, database, migrations, keys and accounts: one ok/FAIL line each;
    /// exits non-zero if any fails. Changes nothing.
    Check,
    /// The audit log of federation decisions, newest first.
    Audit {
        #[arg(long, default_value_t = 50)]
        limit: i64,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create an account. Without --password-stdin a password is generated and printed once.
    Add {
        #[arg(long)]
        username: String,
        #[arg(long, default_value = "")]
        display_name: String,
        #[arg(long)]
        email: String,
        /// The agent's métier, e.g. "Agente d'accueil".
        #[arg(long, default_value = "")]
        job_title: String,
        /// Make the account an admin of the node.
        #[arg(long)]
        admin: bool,
        /// Read the password from the first line of standard input.
        #[arg(long)]
        password_stdin: bool,
    },
    /// List accounts.
    List {
        /// One JSON array instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Disable an account: it can no longer log in, its sessions end.
    Disable { username: String },
    /// Re-enable a disabled account.
    Enable { username: String },
    /// Delete an account for good, across the federation: its posts are deleted everywhere
    /// (`--posts delete`) or kept under "Ancien agent" (`--posts anonymise`).
    Delete {
        username: String,
        #[arg(long, value_parser = ["delete", "anonymise"])]
        posts: String,
    },
    /// Set a new password (read from stdin with --password-stdin, otherwise generated and printed once).
    SetPassword {
        username: String,
        #[arg(long)]
        password_stdin: bool,
    },
    /// Create a personal API token for an account and print it once.
    Token {
        username: String,
        #[arg(long, default_value = "cli")]
        name: String,
    },
    /// Import agents from a CSV file (columns email, prénom, nom, métier, service, optional
    /// communautés; `;` or `,`; UTF-8): accounts without password, directory entries and
    /// memberships. Re-running it changes nothing. See docs/install.md.
    Import {
        file: PathBuf,
        /// Print what would be created, updated or refused (with line numbers); write nothing.
        #[arg(long)]
        dry_run: bool,
        /// Create an invitation link for each new account and print it (they are not mailed).
        #[arg(long)]
        invite: bool,
    },
}

async fn open(config: Config) -> anyhow::Result<AppState> {
    let store = Store::connect(config.database_url.expose())
        .await
        .context("opening the database")?;
    store.migrate().await?;
    Ok(AppState::new(config, store))
}

fn read_password() -> anyhow::Result<String> {
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line)?;
    let password = line.trim_end_matches(['\n', '\r']).to_owned();
    if password.is_empty() {
        bail!("no password on standard input");
    }
    Ok(password)
}

pub async fn run(config: Config, cmd: &AdminCommand) -> anyhow::Result<()> {
    // Backup, restore and check must not migrate the database they look at.
    match cmd {
        AdminCommand::Backup { file } => return super::backup::run(&config, file).await,
        AdminCommand::Restore { file } => return super::restore::run(&config, file).await,
        AdminCommand::Check => return super::check::run(Ok(config)).await,
        AdminCommand::User(_) | AdminCommand::Peer(_) | AdminCommand::Audit { .. } => {}
    }
    let state = open(config).await?;
    match cmd {
        AdminCommand::User(cmd) => user(&state, cmd).await,
        AdminCommand::Peer(cmd) => super::peer::run(&state, cmd).await,
        AdminCommand::Audit { limit, json } => super::peer::audit(&state, *limit, *json).await,
        _ => Ok(()),
    }
}

async fn user(state: &AppState, cmd: &UserCommand) -> anyhow::Result<()> {
    match cmd {
        UserCommand::Add {
            username,
            display_name,
            email,
            job_title,
            admin,
            password_stdin,
        } => {
            let password = if *password_stdin {
                Some(read_password()?)
            } else {
                None
            };
            let (account, generated) = accounts::create(
                state,
                accounts::NewAccountInput {
                    username: username.clone(),
                    display_name: display_name.clone(),
                    email: email.clone(),
                    job_title: job_title.clone(),
                    admin: *admin,
                    password,
                },
            )
            .await?;
            println!(
                "created {} ({}) {}",
                account.username,
                account.role.as_str(),
                account.actor
            );
            if let Some(p) = generated {
                println!("password: {p}");
            }
        }
        UserCommand::List { json } => {
            let list = accounts::list(state).await?;
            if *json {
                println!("{}", serde_json::to_string_pretty(&list)?);
            } else {
                println!(
                    "{:<20} {:<6} {:<8} {:<30} EMAIL",
                    "USERNAME", "ROLE", "STATUS", "NAME"
                );
                for a in list {
                    let status = if a.disabled { "disabled" } else { "active" };
                    println!(
                        "{:<20} {:<6} {:<8} {:<30} {}",
                        a.username,
                        a.role.as_str(),
                        status,
                        a.display_name,
                        a.email
                    );
                }
            }
        }
        UserCommand::Disable { username } => {
            accounts::set_disabled(state, username, true).await?;
            println!("disabled {username}");
        }
        UserCommand::Enable { username } => {
            accounts::set_disabled(state, username, false).await?;
            println!("enabled {username}");
        }
        UserCommand::SetPassword {
            username,
            password_stdin,
        } => {
            let (password, shown) = if *password_stdin {
                (read_password()?, false)
            } else {
                (crate::domain::passwords::generate(), true)
            };
            accounts::set_password(state, username, password.clone()).await?;
            println!("password changed for {username}; their sessions were closed");
            if shown {
                println!("password: {password}");
            }
        }
        UserCommand::Delete { username, posts } => {
            let account = accounts::by_username(state, username).await?;
            let choice = crate::domain::departures::PostsChoice::parse(posts)?;
            crate::domain::departures::remove(state, &account, choice).await?;
            println!("deleted {username}; the federation learns it from the delivery queue");
        }
        UserCommand::Token { username, name } => {
            let account = accounts::by_username(state, username).await?;
            let (_, secret) = tokens::create(state, &account, name).await?;
            println!("{secret}");
        }
        UserCommand::Import {
            file,
            dry_run,
            invite,
        } => super::import::run(state, file, *dry_run, *invite).await?,
    }
    Ok(())
}
