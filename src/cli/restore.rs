//! `entrepairs admin restore FILE`: puts a SQLite backup in place of a stopped node's database,
//! keeping the current one aside. PostgreSQL: the `pg_restore` command to run instead.
//!
//! "Stopped" is checked with the lock every user of the database holds (see `db/lock.rs`):
//! a running node, demo or admin command makes the restore refuse.

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};

use super::backup::{shell_quote, url_without_password};
use crate::config::Config;
use crate::db::{DatabaseLock, checkpoint_sqlite_file, inspect_sqlite_file, sqlite_file};

pub async fn run(config: &Config, file: &Path) -> anyhow::Result<()> {
    let Some(db) = sqlite_file(config.database_url.expose()) else {
        bail!(
            "entrepairs restores only its SQLite database; for PostgreSQL stop the node, then run:\n  \
             pg_restore --clean --if-exists --no-owner --dbname={} {}",
            shell_quote(&url_without_password(config.database_url.expose())),
            shell_quote(&file.display().to_string()),
        );
    };
    let backup = file
        .canonicalize()
        .with_context(|| format!("cannot read {}", file.display()))?;
    if !backup.is_file() {
        bail!("{} is not a file", backup.display());
    }
    if db.exists() && db.canonicalize()? == backup {
        bail!("{} is the node's database itself", backup.display());
    }
    let dir = db
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
        .to_path_buf();
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    let _lock = DatabaseLock::exclusive(&db)?;

    let stamp = jiff::Timestamp::now()
        .strftime("%Y%m%dT%H%M%SZ")
        .to_string();
    // Staged beside the database: the final rename is then atomic (same file system), and
    // checking our own copy never writes next to the admin's backup file.
    let staged = dir.join(format!(".{}.restore-{stamp}", file_name(&db)));
    std::fs::copy(&backup, &staged)
        .with_context(|| format!("copying {} to {}", backup.display(), staged.display()))?;
    let summary = match verify(&staged).await {
        Ok(summary) => summary,
        Err(e) => {
            remove_with_sidecars(&staged);
            return Err(e.context(format!("{} cannot be restored", backup.display())));
        }
    };
    println!("backup checked: {summary}");

    if db.exists() {
        let aside = with_suffix(&db, &format!(".before-restore-{stamp}"));
        checkpoint_sqlite_file(&db)
            .await
            .context("flushing the current database's write-ahead log")?;
        std::fs::rename(&db, &aside).with_context(|| format!("moving {}", db.display()))?;
        // Whatever the log still holds belongs to the old file: it travels with it.
        let wal = with_suffix(&db, "-wal");
        if wal.exists() {
            std::fs::rename(&wal, with_suffix(&aside, "-wal"))?;
        }
        println!("current database kept as {}", aside.display());
    }
    remove_if_present(&with_suffix(&db, "-wal"))?;
    remove_if_present(&with_suffix(&db, "-shm"))?;
    std::fs::rename(&staged, &db)
        .with_context(|| format!("moving the backup to {}", db.display()))?;
    // Make the renames durable before saying it is done.
    if let Ok(d) = std::fs::File::open(&dir) {
        let _ = d.sync_all();
    }
    println!(
        "restored {} into {}; start the node again",
        backup.display(),
        db.display()
    );
    Ok(())
}

/// Refuses anything but a sound entrepairs database that this binary can run.
async fn verify(path: &Path) -> anyhow::Result<String> {
    let report = inspect_sqlite_file(path)
        .await
        .context("not a SQLite database")?;
    if report.integrity != ["ok"] {
        bail!(
            "integrity check failed: {}",
            report
                .integrity
                .iter()
                .take(5)
                .cloned()
                .collect::<Vec<_>>()
                .join("; ")
        );
    }
    let Some(migrations) = report.migrations else {
        bail!("not an entrepairs database (it has no _sqlx_migrations table)");
    };
    let unknown = migrations.unknown();
    if !unknown.is_empty() {
        bail!("it was made by a newer entrepairs (migrations {unknown:?} are unknown to this one)");
    }
    Ok(format!(
        "integrity ok, {} migration(s) applied, {} to apply at the next start",
        migrations.applied.len(),
        migrations.pending().len()
    ))
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "entrepairs.db".into())
}

/// `path` with `suffix` appended to its file name (`x.db` → `x.db-wal`).
fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

fn remove_if_present(path: &Path) -> anyhow::Result<()> {
    match std::fs::remove_file(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
            Err(e).with_context(|| format!("removing {}", path.display()))
        }
        _ => Ok(()),
    }
}

fn remove_with_sidecars(path: &Path) {
    for p in [
        path.to_path_buf(),
        with_suffix(path, "-wal"),
        with_suffix(path, "-shm"),
    ] {
        let _ = std::fs::remove_file(p);
    }
}
