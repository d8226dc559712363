//! The rules of the product, one concept per file. No SQL (that is `db`), no HTTP (that is
//! `http`): handlers and the CLI call these functions.

pub mod accounts;
pub mod error;
pub mod follows;
pub mod instance;
pub mod invitations;
pub mod names;
pub mod notes;
pub mod passwords;
pub mod peers;
pub mod sessions;
pub mod throttle;
pub mod tokens;

pub use error::{DomainError, DomainResult, Rule};
