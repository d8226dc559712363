//! An advisory lock beside the SQLite file (`entrepairs.db.lock`): every process that opens
//! the database holds it shared; `admin restore` takes it exclusively, so that it never swaps
//! the file under a running node or admin command, and nothing opens the file mid-swap.
//!
//! Why a lock file rather than trying to bind the configured port: the port says nothing
//! about which database a node uses (an admin may run `serve` with another `--config`, the
//! demo runs three nodes in one process), whereas the lock sits with the file it protects.
//! It is a separate file because SQLite's own POSIX locks on the database file are released
//! whenever any descriptor of that file in the process is closed.

use std::fs::{File, OpenOptions, TryLockError};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::DbError;

/// Held for as long as the database is in use; released when the last clone is dropped.
#[derive(Debug, Clone)]
pub struct DatabaseLock {
    _file: Arc<File>,
}

impl DatabaseLock {
    /// The lock file of the SQLite database at `db_file`.
    pub fn path_for(db_file: &Path) -> PathBuf {
        let mut name = db_file.as_os_str().to_owned();
        name.push(".lock");
        PathBuf::from(name)
    }

    /// Taken by every user of the database; fails at once while a restore holds it.
    pub fn shared(db_file: &Path) -> Result<Self, DbError> {
        let path = Self::path_for(db_file);
        let file = open(&path)?;
        match file.try_lock_shared() {
            Ok(()) => Ok(Self {
                _file: Arc::new(file),
            }),
            Err(TryLockError::WouldBlock) => Err(DbError::Locked(format!(
                "{} is being restored (lock held on {})",
                db_file.display(),
                path.display()
            ))),
            Err(TryLockError::Error(e)) => Err(DbError::Open(format!("{}: {e}", path.display()))),
        }
    }

    /// Taken by `admin restore`; fails at once while anything else uses the database.
    pub fn exclusive(db_file: &Path) -> Result<Self, DbError> {
        let path = Self::path_for(db_file);
        let file = open(&path)?;
        match file.try_lock() {
            Ok(()) => Ok(Self {
                _file: Arc::new(file),
            }),
            Err(TryLockError::WouldBlock) => Err(DbError::Locked(format!(
                "{} is in use by a running node or admin command (lock held on {}); stop it first",
                db_file.display(),
                path.display()
            ))),
            Err(TryLockError::Error(e)) => Err(DbError::Open(format!("{}: {e}", path.display()))),
        }
    }
}

fn open(path: &Path) -> Result<File, DbError> {
    OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(path)
        .map_err(|e| DbError::Open(format!("{}: {e}", path.display())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn users_share_the_lock_and_a_restore_excludes_them() {
        let dir = tempfile::tempdir().expect("dir");
        let db = dir.path().join("entrepairs.db");
        let node = DatabaseLock::shared(&db).expect("first user");
        let admin = DatabaseLock::shared(&db).expect("second user");
        assert!(matches!(
            DatabaseLock::exclusive(&db),
            Err(DbError::Locked(_))
        ));
        drop((node, admin));
        let restore = DatabaseLock::exclusive(&db).expect("nobody uses it");
        assert!(matches!(DatabaseLock::shared(&db), Err(DbError::Locked(_))));
        drop(restore);
        DatabaseLock::shared(&db).expect("free again");
        assert!(dir.path().join("entrepairs.db.lock").exists());
    }
}
