//! Turns a [`RawConfig`] into a [`Config`], listing every problem at once.

use std::fmt;
use std::net::SocketAddr;
use std::path::PathBuf;

use super::{
    Branch, Config, InstitutionKind, IpAllowList, LogFormat, MailSettings, RawConfig, Secret,
};

/// One setting that is wrong, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigProblem {
    pub setting: String,
    pub message: String,
}

impl ConfigProblem {
    pub fn new(setting: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            setting: setting.into(),
            message: message.into(),
        }
    }
}

/// Everything wrong with a configuration.
#[derive(Debug, Clone, thiserror::Error)]
pub struct ConfigError {
    pub problems: Vec<ConfigProblem>,
}

impl ConfigError {
    pub fn single(setting: &str, message: String) -> Self {
        Self {
            problems: vec![ConfigProblem::new(setting, message)],
        }
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "invalid configuration:")?;
        for p in &self.problems {
            writeln!(f, "  - {}: {}", p.setting, p.message)?;
        }
        Ok(())
    }
}

const DEFAULT_BIND: &str = "127.0.0.1:8080";
const DEFAULT_DATA_DIR: &str = "data";
const DEFAULT_ACCENT: &str = "#000091";
const MAX_NAME_CHARS: usize = 120;
/// Attachments: 10 MiB unless the admin says otherwise, and never more than 100 MiB (the
/// upload is held in memory while its type is checked).
const DEFAULT_ATTACHMENTS_MAX_BYTES: u64 = 10 * 1024 * 1024;
const MAX_ATTACHMENTS_MAX_BYTES: u64 = 100 * 1024 * 1024;
/// Only the machine itself may read `/metrics` unless the admin says otherwise.
const DEFAULT_METRICS_ALLOW: [&str; 2] = ["127.0.0.1", "::1"];
/// A proxy on this machine (nginx or Caddy on the same VM, as `deploy/` sets them up).
const DEFAULT_TRUSTED_PROXIES: [&str; 2] = ["127.0.0.1", "::1"];

impl RawConfig {
    /// Checks every setting and fills the defaults.
    pub fn validate(self) -> Result<Config, ConfigError> {
        let mut problems = self.env_problems.clone();
        let mut bad = |setting: &str, message: String| {
            problems.push(ConfigProblem::new(setting, message));
        };

        let bind_text = self.bind.clone().unwrap_or_else(|| DEFAULT_BIND.to_owned());
        let bind = bind_text.parse::<SocketAddr>().unwrap_or_else(|_| {
            bad(
                "bind",
                format!("{bind_text:?} is not an address like 127.0.0.1:8080"),
            );
            SocketAddr::from(([127, 0, 0, 1], 8080))
        });

        let authority = match &self.authority {
            Some(a) => a.trim().to_ascii_lowercase(),
            None if bind.ip().is_unspecified() => format!("localhost:{}", bind.port()),
            None => bind.to_string(),
        };
        if let Err(message) = check_authority(&authority) {
            bad("authority", message);
        }

        let data_dir = PathBuf::from(self.data_dir.as_deref().unwrap_or(DEFAULT_DATA_DIR));
        if data_dir.as_os_str().is_empty() {
            bad("data_dir", "must not be empty".into());
        }

        let database_url = match &self.database_url {
            Some(url) => {
                if let Err(message) = check_database_url(url) {
                    bad("database_url", message);
                }
                url.clone()
            }
            None => format!("sqlite://{}", data_dir.join("entrepairs.db").display()),
        };

        let institution_name = self
            .institution_name
            .clone()
            .map(|n| n.trim().to_owned())
            .unwrap_or_else(|| "Mon institution".to_owned());
        if institution_name.is_empty() || institution_name.chars().count() > MAX_NAME_CHARS {
            bad(
                "institution_name",
                format!("must be 1 to {MAX_NAME_CHARS} characters"),
            );
        }

        let institution_kind = match self.institution_kind.as_deref() {
            None => InstitutionKind::Other,
            Some(k) => InstitutionKind::parse(k).unwrap_or_else(|| {
                let known: Vec<_> = InstitutionKind::ALL.iter().map(|k| k.as_str()).collect();
                bad(
                    "institution_kind",
                    format!("{k:?} is not one of {}", known.join(", ")),
                );
                InstitutionKind::Other
            }),
        };

        let branch = match self.branch.as_deref() {
            None | Some("") => None,
            Some(b) => Branch::parse(b).or_else(|| {
                bad("branch", format!("{b:?} is not one of fpe, fpt, fph"));
                None
            }),
        };

        let accent_color = self
            .accent_color
            .clone()
            .unwrap_or_else(|| DEFAULT_ACCENT.to_owned());
        if !is_hex_color(&accent_color) {
            bad(
                "accent_color",
                format!("{accent_color:?} is not a colour like #000091"),
            );
        }

        let contact_email = self.contact_email.clone().filter(|e| !e.is_empty());
        if let Some(email) = &contact_email
            && !email.contains('@')
        {
            bad(
                "contact_email",
                format!("{email:?} is not an email address"),
            );
        }

        let locale = self.locale.clone().unwrap_or_else(|| "fr".to_owned());
        if !matches!(locale.as_str(), "fr" | "en") {
            bad("locale", format!("{locale:?} is not one of fr, en"));
        }

        let timezone = self
            .timezone
            .clone()
            .unwrap_or_else(|| "Europe/Paris".to_owned());
        if timezone != "Europe/Paris" && timezone != "UTC" {
            bad(
                "timezone",
                format!("{timezone:?} is not supported (Europe/Paris, UTC)"),
            );
        }

        let log_format = match self.log_format.as_deref() {
            None | Some("text") => LogFormat::Text,
            Some("json") => LogFormat::Json,
            Some(other) => {
                bad("log_format", format!("{other:?} is not one of text, json"));
                LogFormat::Text
            }
        };

        let metrics_allow = match &self.metrics_allow {
            None => IpAllowList::parse(&DEFAULT_METRICS_ALLOW),
            Some(list) => IpAllowList::parse(list),
        }
        .unwrap_or_else(|message| {
            bad("metrics_allow", message);
            IpAllowList::default()
        });

        let trusted_proxies = match &self.trusted_proxies {
            None => IpAllowList::parse(&DEFAULT_TRUSTED_PROXIES),
            Some(list) => IpAllowList::parse(list),
        }
        .unwrap_or_else(|message| {
            bad("trusted_proxies", message);
            IpAllowList::default()
        });

        let attachments_max_bytes = self
            .attachments_max_bytes
            .unwrap_or(DEFAULT_ATTACHMENTS_MAX_BYTES);
        if !(1024..=MAX_ATTACHMENTS_MAX_BYTES).contains(&attachments_max_bytes) {
            bad(
                "attachments_max_bytes",
                format!(
                    "{attachments_max_bytes} is not between 1024 and {MAX_ATTACHMENTS_MAX_BYTES} bytes"
                ),
            );
        }

        let mail = MailSettings::from_raw(
            self.smtp_url.as_deref(),
            self.mail_from.as_deref(),
            self.mail_reply_to.as_deref(),
            &authority,
            &institution_name,
            &mut bad,
        );
        let oidc = super::oidc::validate(&self, self.allow_http.unwrap_or(false), &mut bad);
        let password_login = self.password_login.unwrap_or(true);
        if !password_login
            && self
                .oidc_issuer
                .as_deref()
                .is_none_or(|s| s.trim().is_empty())
        {
            bad(
                "password_login",
                "false needs oidc_issuer: nobody could sign in otherwise".into(),
            );
        }
        let remote_key_max_age_secs = self.remote_key_max_age_secs.unwrap_or(24 * 3600);
        if !(1..=30 * 24 * 3600).contains(&remote_key_max_age_secs) {
            bad(
                "remote_key_max_age_secs",
                format!("{remote_key_max_age_secs} is not between 1 and 2592000 seconds"),
            );
        }
        let mut days = |name: &str, value: Option<u64>, default: u64, min: u64| {
            let d = value.unwrap_or(default);
            if !(min..=3650).contains(&d) {
                bad(name, format!("{d} is not between {min} and 3650 days"));
            }
            d
        };
        let retention = super::Retention {
            delivered_days: days(
                "retention_delivered_days",
                self.retention_delivered_days,
                30,
                1,
            ),
            // Senders retry for about five days: a received id must outlive their retries,
            // or a late retry would be applied twice.
            received_days: days(
                "retention_received_days",
                self.retention_received_days,
                30,
                7,
            ),
            notifications_days: days(
                "retention_notifications_days",
                self.retention_notifications_days,
                90,
                1,
            ),
            audit_days: days("retention_audit_days", self.retention_audit_days, 365, 1),
        };

        // Sized for the largest real burst: a host that could not reach us for a day sends
        // that day at once (see README, `inbox_peer_burst`).
        let mut rate = |name: &str, value: Option<u64>, default: u64| {
            let n = value.unwrap_or(default);
            if !(1..=1_000_000).contains(&n) {
                bad(name, format!("{n} is not between 1 and 1000000"));
            }
            n
        };
        let inbox_peer_per_minute =
            rate("inbox_peer_per_minute", self.inbox_peer_per_minute, 1_200);
        let inbox_peer_burst = rate("inbox_peer_burst", self.inbox_peer_burst, 6_000);

        if !problems.is_empty() {
            return Err(ConfigError { problems });
        }
        let Some(mail) = mail else {
            return Err(ConfigError::single("mail_from", "is not valid".into()));
        };
        Ok(Config {
            authority,
            bind,
            database_url: Secret::new(database_url),
            data_dir,
            institution_name,
            institution_kind,
            branch,
            contact_email,
            accent_color,
            locale,
            timezone,
            allow_http: self.allow_http.unwrap_or(false),
            allow_private_addresses: self.allow_private_addresses.unwrap_or(false),
            attachments_max_bytes,
            log_format,
            metrics_allow,
            trusted_proxies,
            mail,
            oidc,
            password_login,
            remote_key_max_age: std::time::Duration::from_secs(remote_key_max_age_secs),
            use_system_proxy: self.use_system_proxy.unwrap_or(false),
            retention,
            inbox_peer_per_minute,
            inbox_peer_burst,
        })
    }
}

/// `host[:port]`, lowercase, no scheme, path or credentials.
pub fn check_authority(authority: &str) -> Result<(), String> {
    if authority.is_empty() {
        return Err("must not be empty".into());
    }
    let url = url::Url::parse(&format!("http://{authority}/"))
        .map_err(|e| format!("{authority:?} is not host[:port]: {e}"))?;
    let rebuilt = match (url.host_str(), url.port()) {
        (Some(h), Some(p)) => format!("{h}:{p}"),
        (Some(h), None) => h.to_owned(),
        _ => String::new(),
    };
    if rebuilt != authority {
        return Err(format!(
            "{authority:?} is not host[:port] (no scheme, path or user)"
        ));
    }
    Ok(())
}

fn check_database_url(url: &str) -> Result<(), String> {
    let scheme = url.split(':').next().unwrap_or_default();
    match scheme {
        "sqlite" => Ok(()),
        "postgres" | "postgresql" => url::Url::parse(url)
            .map(|_| ())
            .map_err(|e| format!("malformed PostgreSQL URL: {e}")),
        _ => Err("must start with sqlite:// or postgres://".into()),
    }
}

fn is_hex_color(s: &str) -> bool {
    s.len() == 7 && s.starts_with('#') && s[1..].chars().all(|c| c.is_ascii_hexdigit())
}
