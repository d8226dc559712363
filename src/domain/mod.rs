//! The rules of the product, one concept per file. No SQL (that is `db`), no HTTP (that is
//! `http`): handlers and the CLI call these functions.

pub mod accounts;
pub mod action_plan;
pub mod action_rules;
pub mod action_sync;
pub mod attachments;
pub mod calendars;
pub mod changes;
pub mod communities;
mod context;
pub mod departures;
pub mod directory;
mod directory_sync;
pub mod error;
pub mod event_cache;
pub mod event_time;
pub mod events;
pub mod feed;
pub mod follows;
pub mod ical;
pub mod instance;
pub mod invitations;
pub mod local_actor;
pub mod markdown;
pub mod membership_decisions;
pub mod membership_state;
pub mod memberships;
pub mod moderation;
pub mod names;
pub mod notes;
pub mod notifications;
pub mod oidc_signin;
pub mod participation;
pub mod password_resets;
pub mod passwords;
pub mod peers;
pub mod pickers;
pub mod ports;
pub mod post_kinds;
pub mod post_store;
pub mod posts;
pub mod resource_cache;
pub mod resources;
pub mod revisions;
pub mod search;
pub mod sessions;
pub mod setup;
pub mod throttle;
pub mod tokens;
pub mod vcard;
// Periodic pruning (issue 13).
pub mod retention;

pub use error::{DomainError, DomainResult, OrNotFound, Rule};

pub use context::Ctx;
// Issue 16: onboarding.
pub mod account_import;
pub mod actor_keys;
pub mod community_welcome;
// Issue 18: polls.
pub mod polls;
// Issue 14: private messages between persons.
pub mod messages;
pub mod search_query;
// Issue 15: notifications outside the app (mail; push reuses the plan).
pub mod clock;
pub mod notification_delivery;
pub mod notification_prefs;
pub mod unsubscribe;
// Issue 18: attendance and attestations.
pub mod attendance;
pub mod first_hour;
pub mod session_reports;
// Issue 15: Web Push.
pub mod push;
// Issue 13: the write-ahead journal of changes to send.
pub mod journal;
// Issue 15: the digest.
pub mod digests;
// Issue 19: reactions.
pub mod reactions;
// Issue 19: photos in posts.
pub mod images;
// Issue 15: session reminders.
pub mod session_reminders;
// Issue 19: the language each agent reads.
pub mod languages;
// Issue 19: unread markers.
pub mod unread;
