//! Integration tests: real nodes over real HTTP on 127.0.0.1. One binary, so the crate is
//! linked once; each module is one concern.

mod support;

mod account_import;
mod accounts;
mod action_plan;
mod admin;
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
mod hardening;
mod health;
mod inbox;
mod inbox_lenient;
mod login;
mod mail;
mod metrics;
mod oidc;
mod openapi;
mod peers;
mod peers_admin;
mod peers_cli;
mod peers_edges;
mod pickers;
mod post_kinds;
mod resources;
mod search;
mod setup;
mod shutdown;
mod shutdown_fanout;
mod tokens;
mod upgrade;
mod web_errors;
// Issue 15: Web Push and the installable app.
mod push;
