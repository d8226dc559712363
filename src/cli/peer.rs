//! `entrepairs admin peer …` and `admin audit`: federation with other institutions' nodes,
//! and the log of every federation decision.

use clap::Subcommand;

use crate::domain::peers;
use crate::state::AppState;

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

/// Decisions taken from the command line are recorded as made by `cli`.
const CLI_ACTOR: &str = "cli";

pub async fn run(state: &AppState, cmd: &PeerCommand) -> anyhow::Result<()> {
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

pub async fn audit(state: &AppState, limit: i64, json: bool) -> anyhow::Result<()> {
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
