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
}

impl From<sqlx::Error> for DbError {
    fn from(e: sqlx::Error) -> Self {
        DbError::Sqlx(e)
    }
}

/// Maps a unique violation to [`DbError::Duplicate`] naming `what`, and passes other errors.
pub(crate) fn unique_as(what: &'static str) -> impl Fn(sqlx::Error) -> DbError {
    move |e| match &e {
        sqlx::Error::Database(d) if d.is_unique_violation() => DbError::Duplicate(what),
        _ => DbError::Sqlx(e),
    }
}
