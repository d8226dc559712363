//! Errors of the storage layer.

/// A storage failure. Unique-constraint violations are told apart because the domain
/// turns them into a "already exists" message.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("a row with the same {0} already exists")]
    Duplicate(&'static str),
    #[error("cannot open the database: {0}")]
    Open(String),
    #[error("the database is locked: {0}")]
    Locked(String),
    #[error("migration failed")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("database error")]
    Sqlx(#[source] sqlx::Error),
    /// The database cannot write now: disk full, file or file system read-only, a write
    /// refused by the operating system. Passing: nothing was written, retry later.
    #[error("the database cannot write (disk full or read-only): {0}")]
    Unavailable(String),
}

impl From<sqlx::Error> for DbError {
    fn from(e: sqlx::Error) -> Self {
        if let sqlx::Error::Database(d) = &e
            && cannot_write(d.code().as_deref())
        {
            return DbError::Unavailable(d.message().to_owned());
        }
        DbError::Sqlx(e)
    }
}

/// Whether an engine's error code says the storage cannot write: SQLite's primary codes
/// `SQLITE_READONLY` (8), `SQLITE_IOERR` (10, a write the system refused) and `SQLITE_FULL`
/// (13), extended codes included (their low byte); PostgreSQL's `53100` (disk full) and
/// `25006` (read-only transaction, a standby).
fn cannot_write(code: Option<&str>) -> bool {
    let Some(code) = code else {
        return false;
    };
    if let Ok(n) = code.parse::<i64>() {
        return matches!(n & 0xff, 8 | 10 | 13);
    }
    matches!(code, "53100" | "25006")
}

/// Maps a unique violation to [`DbError::Duplicate`] naming `what`, and passes other errors.
pub(crate) fn unique_as(what: &'static str) -> impl Fn(sqlx::Error) -> DbError {
    move |e| match &e {
        sqlx::Error::Database(d) if d.is_unique_violation() => DbError::Duplicate(what),
        _ => DbError::from(e),
    }
}
