//! `entrepairs admin …`: what admins script. Output is stable; `--json` where it is read by
//! programs.

use std::io::BufRead;
use std::path::PathBuf;

use anyhow::{Context, bail};
use clap::Subcommand;

use crate::config::Config;
use crate::db::Store;
use crate::domain::{accounts, peers, tokens};
use crate::state::AppState;

#[derive(Debug, Subcommand)]
pub enum AdminCommand {
    /// Local accounts.
    #[command(subcommand)]
    User(UserCommand),
    /// Federation with other institutions' nodes.
    #[command(subcommand)]
    Peer(PeerCommand),
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
pub enum PeerCommand {
    /// Ask AUTHORITY's admin to federate (sends our self-description and MESSAGE). The node
    /// must be running for the request to be delivered.
    Request {
        authority: String,
        #[arg(long, default_value = "")]
        message: String,
    },
    /// Approve AUTHORITY's pending request: federation becomes active both ways.
    Approve { authority: String },
    /// Refuse AUTHORITY's pending request.
    Refuse { authority: String },
    /// End federation with AUTHORITY (or withdraw our request); purges its cached content.
    Revoke { authority: String },
    /// Allow traffic with AUTHORITY one-sidedly, without the handshake (a server of another
    /// software, or a test). Listed as "manual".
    Allow { authority: String },
    /// Stop all traffic with AUTHORITY and cancel what is queued for it.
    Deny { authority: String },
    /// List peers and their states.
    List {
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
        AdminCommand::Peer(cmd) => peer(&state, cmd).await,
        AdminCommand::Audit { limit, json } => audit(&state, *limit, *json).await,
        _ => Ok(()),
    }
}

async fn audit(state: &AppState, limit: i64, json: bool) -> anyhow::Result<()> {
    let list = peers::audit::list(state, limit).await?;
    if json {
        println!("{}", serde_json::to_string_pretty(&list)?);
        return Ok(());
    }
    println!(
        "{:<24} {:<12} {:<32} {:<28} DETAIL",
        "AT (UTC)", "BY", "AUTHORITY", "ACTION"
    );
    for e in list {
        let at = jiff::Timestamp::from_millisecond(e.at)
            .map(|t| t.strftime("%Y-%m-%d %H:%M:%S").to_string())
            .unwrap_or_default();
        println!(
            "{:<24} {:<12} {:<32} {:<28} {}",
            at,
            e.actor,
            e.authority,
            e.action,
            e.detail.replace('\n', " ")
        );
    }
    Ok(())
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
        UserCommand::Token { username, name } => {
            let account = accounts::by_username(state, username).await?;
            let (_, secret) = tokens::create(state, &account, name).await?;
            println!("{secret}");
        }
    }
    Ok(())
}

/// Decisions taken from the command line are recorded as made by `cli`.
const CLI_ACTOR: &str = "cli";

async fn peer(state: &AppState, cmd: &PeerCommand) -> anyhow::Result<()> {
    match cmd {
        PeerCommand::Request { authority, message } => {
            let p = peers::request(state, authority, message, CLI_ACTOR).await?;
            if p.state == peers::APPROVED {
                println!("{} had asked us: its request is approved", p.authority);
            } else {
                println!(
                    "federation requested from {} ({}); delivered by the running node",
                    p.authority, p.state
                );
            }
        }
        PeerCommand::Approve { authority } => {
            let p = peers::approve(state, authority, CLI_ACTOR).await?;
            println!("{} is approved", p.authority);
        }
        PeerCommand::Refuse { authority } => {
            let p = peers::refuse(state, authority, CLI_ACTOR).await?;
            println!("{} is refused", p.authority);
        }
        PeerCommand::Revoke { authority } => {
            let p = peers::revoke(state, authority, CLI_ACTOR).await?;
            println!(
                "federation with {} is revoked; its cached content was purged",
                p.authority
            );
        }
        PeerCommand::Allow { authority } => {
            let p = peers::allow(state, authority, CLI_ACTOR).await?;
            println!("{} is allowed (one-sided, {})", p.authority, p.state);
        }
        PeerCommand::Deny { authority } => {
            let p = peers::deny(state, authority, CLI_ACTOR).await?;
            println!(
                "{} is denied; queued deliveries to it were cancelled",
                p.authority
            );
        }
        PeerCommand::List { json } => {
            let list = peers::list(state).await?;
            if *json {
                println!("{}", serde_json::to_string_pretty(&list)?);
            } else {
                println!("{:<32} {:<24} INSTITUTION", "AUTHORITY", "STATE");
                for p in list {
                    let label = if p.state == peers::MANUAL {
                        "manual (one-sided)"
                    } else {
                        p.state.as_str()
                    };
                    let name = if p.institution.is_empty() {
                        &p.verified_institution
                    } else {
                        &p.institution
                    };
                    println!("{:<32} {:<24} {}", p.authority, label, name);
                }
            }
        }
    }
    Ok(())
}
