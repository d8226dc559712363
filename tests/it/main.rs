//! Integration tests: real nodes over real HTTP on 127.0.0.1. One binary, so the crate is
//! linked once; each module is one concern.

mod support;

mod account_import;
mod accounts;
mod action_plan;
mod admin;
mod agent_pages;
mod backup;
mod check;
mod cli;
mod communities;
mod community_pages;
mod community_welcome;
mod demo_communities;
mod departures;
mod directory;
mod domain_rules;
mod events;
mod federation;
mod feed;
mod first_hour;
mod hardening;
mod health;
mod inbox;
mod inbox_lenient;
mod login;
mod mail;
mod metrics;
mod notifications_ui;
mod oidc;
mod openapi;
mod peers;
mod peers_admin;
mod peers_cli;
mod peers_edges;
mod pickers;
mod polls;
mod post_kinds;
mod resources;
mod search;
mod search_filters;
mod setup;
mod shutdown;
mod shutdown_fanout;
mod tokens;
mod upgrade;
mod web_errors;
// Issue 14.
mod messages;
mod rfc9421;
// Issue 15: notifications outside the app.
mod notify;
// Issue 18: attendance and attestations.
mod attendance;
// Issue 15: Web Push and the installable app.
mod push;
// Issue 13: the authorization matrix.
mod authz_matrix;
// Issue 13: faults (crashes, leases, the publish journal).
mod faults;
mod faults_kill;
// Issue 13: the journal for edits and deletions.
mod faults_journal;
// Issue 15: the digest.
mod digest;
// Issue 18: polls and attendance through the API.
mod api_animateur;
// Issue 19: writing aids and reactions.
mod compose;
mod reactions;
// Issue 20: the inbox under kill -9.
mod inbox_crash;
// Issue 13: floods (per-peer inbox budget).
mod floods;
// Issue 18: co-animation from any node.
mod coanim;
// Issue 19: photos in posts.
mod images;
// Issue 15: session reminders.
mod session_reminders;
// Issue 19: per-agent language.
mod language;
mod resource_reactions;
mod unread;
