//! The action plan pages of a community: the plan (grouped by status, filtered), proposing
//! an item, one item with its comments and the status and escalation forms, a printable page
//! to hand to management, and a CSV export.

mod exports;
mod pages;
mod views;

pub use exports::{csv, print};
pub use pages::{comment, edit, escalate, item, plan, propose, set_status};
pub use views::{CommentView, Group, ItemView};
