//! Node configuration: defaults, then a TOML file, then `ENTREPAIRS_*` variables, validated once.

mod allow;
mod mail;
mod oidc;
mod raw;
mod secret;
mod validate;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

pub use allow::IpAllowList;
pub use mail::{MailSettings, SmtpRelay, SmtpSecurity};
pub use oidc::{OidcConfig, SiretRule};
pub use raw::RawConfig;
pub use secret::Secret;
pub use validate::{ConfigError, ConfigProblem, check_authority};

/// What kind of public body runs this node.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum InstitutionKind {
    Prefecture,
    Mairie,
    Chu,
    Cdg,
    Other,
}

impl InstitutionKind {
    pub const ALL: [InstitutionKind; 5] = [
        Self::Prefecture,
        Self::Mairie,
        Self::Chu,
        Self::Cdg,
        Self::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Prefecture => "prefecture",
            Self::Mairie => "mairie",
            Self::Chu => "chu",
            Self::Cdg => "cdg",
            Self::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// The three branches of the French civil service.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Branch {
    /// Fonction publique d'État.
    Fpe,
    /// Fonction publique territoriale.
    Fpt,
    /// Fonction publique hospitalière.
    Fph,
}

impl Branch {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Fpe => "fpe",
            Self::Fpt => "fpt",
            Self::Fph => "fph",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Self::Fpe, Self::Fpt, Self::Fph]
            .into_iter()
            .find(|b| b.as_str() == s)
    }
}

/// Output format of the logs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Text,
    Json,
}

/// The validated configuration of one node. Built only by [`Config::load`] or
/// [`RawConfig::validate`], so every field here has been checked.
#[derive(Debug, Clone)]
pub struct Config {
    /// Public authority (`host[:port]`): the node's identity on the network.
    pub authority: String,
    pub bind: SocketAddr,
    pub database_url: Secret,
    pub data_dir: PathBuf,
    pub institution_name: String,
    pub institution_kind: InstitutionKind,
    pub branch: Option<Branch>,
    pub contact_email: Option<String>,
    /// `#rrggbb`
    pub accent_color: String,
    pub locale: String,
    pub timezone: String,
    /// Plain `http://` ids and fetches; only for loopback tests and the local demo.
    pub allow_http: bool,
    /// Fetch and deliver to private, loopback and link-local addresses.
    pub allow_private_addresses: bool,
    /// Largest file attached to a resource, in bytes (default 10 MiB).
    pub attachments_max_bytes: u64,
    pub log_format: LogFormat,
    /// Who may read `/metrics` (the TCP peer, and every address a proxy forwarded for).
    pub metrics_allow: IpAllowList,
    /// Reverse proxies whose `X-Forwarded-For` / `Forwarded` say who the client is (login
    /// limits). Default: this machine (a proxy on loopback).
    pub trusted_proxies: IpAllowList,
    /// The relay, sender and reply address of the node's mail (`smtp_url` unset: no mail is
    /// sent, it stays in the outbox).
    pub mail: MailSettings,
    /// Sign-in through ProConnect or another OpenID Connect provider, when configured.
    pub oidc: Option<OidcConfig>,
    /// Whether agents may sign in with a password on the web (the
    /// CLI's `admin user set-password` still sets one: the admin's way back in).
    pub password_login: bool,
    /// A cached remote key older than this is fetched again before use (default a day).
    pub remote_key_max_age: std::time::Duration,
    /// Outgoing requests go through `HTTP_PROXY`/`HTTPS_PROXY` (default off).
    pub use_system_proxy: bool,
    /// How long maintenance keeps what is done with (`db::maintenance`).
    pub retention: Retention,
    /// Issue 13: activities per minute each approved peer may send to our inboxes, for as
    /// long as it likes (default 1,200), and at once after a quiet time (default 6,000).
    pub inbox_peer_per_minute: u64,
    pub inbox_peer_burst: u64,
}

/// Days after which maintenance prunes rows that are done with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Retention {
    pub delivered_days: u64,
    pub received_days: u64,
    pub notifications_days: u64,
    pub audit_days: u64,
}

impl Config {
    /// Loads defaults, then `file` when given, then the `ENTREPAIRS_*` variables of `env`.
    pub fn load(
        file: Option<&Path>,
        env: impl IntoIterator<Item = (String, String)>,
    ) -> Result<Config, ConfigError> {
        let mut raw = match file {
            Some(path) => RawConfig::from_file(path)?,
            None => RawConfig::default(),
        };
        raw.apply_env(env)?;
        raw.validate()
    }

    /// `https` in production, `http` where the configuration allows it.
    pub fn scheme(&self) -> &'static str {
        if self.allow_http { "http" } else { "https" }
    }

    /// The public base URL, without a trailing slash.
    pub fn base_url(&self) -> String {
        format!("{}://{}", self.scheme(), self.authority)
    }

    /// Whether the database is the embedded SQLite file.
    pub fn is_sqlite(&self) -> bool {
        self.database_url.expose().starts_with("sqlite:")
    }
}

#[cfg(test)]
mod tests;
