//! `entrepairs admin user import FILE.csv [--dry-run] [--invite]`: the plan, then the import
//! with a progress bar on the terminal.

use std::path::Path;

use anyhow::{Context, bail};
use indicatif::{ProgressBar, ProgressStyle};

use crate::domain::account_import::{self, Action, MAX_BYTES};
use crate::state::AppState;

pub async fn run(state: &AppState, file: &Path, dry_run: bool, invite: bool) -> anyhow::Result<()> {
    // The size first: a 50 MB file is refused without reading it.
    let size = std::fs::metadata(file)
        .with_context(|| format!("reading {}", file.display()))?
        .len();
    if size > MAX_BYTES as u64 {
        bail!(
            "{} is {size} bytes; an import file holds at most {MAX_BYTES} bytes: split it",
            file.display()
        );
    }
    let bytes = std::fs::read(file).with_context(|| format!("reading {}", file.display()))?;
    let plan = match account_import::plan(state, &bytes).await? {
        Ok(p) => p,
        Err(reason) => bail!("{}: {reason}", file.display()),
    };
    for l in &plan.lines {
        match &l.action {
            Action::Refused { reason } => {
                println!("line {:<6} refused    {:<30} {reason}", l.line, l.email);
            }
            Action::Create { username } if dry_run => {
                println!("line {:<6} create     {:<30} {username}", l.line, l.email);
            }
            Action::Update { username, changes } if dry_run => println!(
                "line {:<6} update     {:<30} {username} ({})",
                l.line,
                l.email,
                changes.join(", ")
            ),
            _ => {}
        }
    }
    if dry_run {
        println!(
            "dry run: {} to create, {} to update, {} unchanged, {} refused; nothing written",
            plan.created(),
            plan.updated(),
            plan.unchanged(),
            plan.refused()
        );
        return Ok(());
    }
    let bar = ProgressBar::new(plan.lines.len() as u64);
    bar.set_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} lines, {elapsed} ({eta} left)")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let started = std::time::Instant::now();
    let out = account_import::apply(state, "cli", &plan, invite, &|n| bar.inc(n)).await?;
    bar.finish_and_clear();
    // Lines that failed only when written (a name taken meanwhile) are told here.
    for (line, email, reason) in out.refused.iter().filter(|(line, _, _)| {
        plan.lines
            .iter()
            .any(|l| l.line == *line && !matches!(l.action, Action::Refused { .. }))
    }) {
        println!("line {line:<6} failed     {email:<30} {reason}");
    }
    for (username, email, link) in &out.invitations {
        println!("invitation {username} {email} {link}");
    }
    println!(
        "imported in {:.1} s: {} created, {} updated, {} unchanged, {} refused",
        started.elapsed().as_secs_f64(),
        out.created,
        out.updated,
        out.unchanged,
        out.refused.len()
    );
    Ok(())
}
