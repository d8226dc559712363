//! entrepairs: one institution's node of a federation of peer communities (ActivityPub).
//!
//! Layers, outside in: `http` (thin handlers: web, api, activitypub, ops) and `cli` call
//! `domain` (the rules); `domain` stores through `db` (the only SQL); `federation` turns domain
//! changes into activities and activities into domain calls. See `docs/architecture.md`.

// The inline JSON-LD context of our terms outgrows serde_json's default macro depth.
#![recursion_limit = "256"]

pub mod app;
pub mod auth_compare;
pub mod cli;
pub mod config;
pub mod db;
pub mod demo;
pub mod domain;
pub mod federation;
pub mod http;
pub mod keys;
pub mod mail;
pub mod metrics;
pub mod oidc;
pub mod state;
pub mod telemetry;
pub mod urls;
pub mod worker;
// Issue 15: Web Push.
pub mod push;
