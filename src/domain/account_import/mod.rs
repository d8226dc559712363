//! Bulk import of accounts from a CSV file (issue 16): parse, plan (the dry run), apply.

mod apply;
mod parse;
mod plan;

pub use apply::{Outcome, apply};
pub use parse::{ImportLine, Refused, parse};
pub use plan::{Action, Plan, PlanLine, free_username, plan};

/// Largest file read by the web form and the CLI: 5 MiB holds some 50,000 lines.
pub const MAX_BYTES: usize = 5 * 1024 * 1024;
