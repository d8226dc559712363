//! `entrepairs admin backup FILE`: a consistent copy of a SQLite node while it serves; for
//! PostgreSQL, the `pg_dump` command to run instead.

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};

use crate::config::Config;
use crate::db::{Store, sqlite_file};

/// Writes the backup, or explains what to run for PostgreSQL (and fails, so that a script
/// never mistakes that message for a backup).
pub async fn run(config: &Config, file: &Path) -> anyhow::Result<()> {
    let Some(db) = sqlite_file(config.database_url.expose()) else {
        bail!(
            "entrepairs backs up only its SQLite database; for PostgreSQL run:\n  \
             pg_dump --format=custom --file={} --dbname={}\n\
             (the password comes from PGPASSWORD or ~/.pgpass; restore with pg_restore)",
            shell_quote(&file.display().to_string()),
            shell_quote(&url_without_password(config.database_url.expose())),
        );
    };
    if !db.is_file() {
        bail!("no database at {}: nothing to back up", db.display());
    }
    let dest = destination(file)?;
    let store = Store::connect(config.database_url.expose())
        .await
        .context("opening the database")?;
    let done = store.backup_into(&dest).await;
    store.close().await;
    done.with_context(|| format!("writing the backup to {}", dest.display()))?;
    let bytes = std::fs::metadata(&dest).map(|m| m.len()).unwrap_or(0);
    println!("backup written to {} ({bytes} bytes)", dest.display());
    Ok(())
}

/// The absolute path of a new file in an existing folder. Absolute, so that SQLite never
/// reads it as a `file:` URI, and so that the message names it unambiguously.
fn destination(file: &Path) -> anyhow::Result<PathBuf> {
    let dest = std::path::absolute(file)
        .with_context(|| format!("{} is not a usable path", file.display()))?;
    if dest.exists() {
        bail!(
            "{} already exists; a backup never overwrites a file: choose a new name",
            dest.display()
        );
    }
    match dest.parent() {
        Some(dir) if dir.is_dir() => Ok(dest),
        _ => bail!("the folder of {} does not exist", dest.display()),
    }
}

/// The URL with its password removed: `pg_dump` then takes it from PGPASSWORD or ~/.pgpass,
/// and the message can be shown, logged or pasted safely.
pub(super) fn url_without_password(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut u) => {
            let _ = u.set_password(None);
            u.to_string()
        }
        Err(_) => "<unparsable database_url>".into(),
    }
}

/// `text` as one POSIX shell word.
pub(super) fn shell_quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', "'\\''"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_suggested_command_carries_no_password_and_survives_the_shell() {
        assert_eq!(
            url_without_password("postgres://app:s3cr3t@db.example:5432/entrepairs"),
            "postgres://app@db.example:5432/entrepairs"
        );
        assert_eq!(shell_quote("it's.dump"), "'it'\\''s.dump'");
    }
}
