//! The rules of the product, one concept per file. No SQL (that is `db`), no HTTP (that is
//! `http`): handlers and the CLI call these functions.

pub mod accounts;
pub mod error;
pub mod instance;
pub mod names;
pub mod passwords;
pub mod sessions;
pub mod throttle;
pub mod tokens;

pub use error::{DomainError, DomainResult, Rule};
