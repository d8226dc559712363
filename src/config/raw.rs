//! The configuration as written by the admin, before validation.

use std::path::Path;

use serde::Deserialize;

use super::validate::{ConfigError, ConfigProblem};

/// Every setting, optional, exactly as the TOML file and the environment give it.
/// Keys are the same in both places: `bind` in the file is `ENTREPAIRS_BIND` in the environment.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawConfig {
    pub authority: Option<String>,
    pub bind: Option<String>,
    pub database_url: Option<String>,
    pub data_dir: Option<String>,
    pub institution_name: Option<String>,
    pub institution_kind: Option<String>,
    pub branch: Option<String>,
    pub contact_email: Option<String>,
    pub accent_color: Option<String>,
    pub locale: Option<String>,
    pub timezone: Option<String>,
    pub allow_http: Option<bool>,
    pub allow_private_addresses: Option<bool>,
    /// Largest file attached to a resource, in bytes.
    pub attachments_max_bytes: Option<u64>,
    pub log_format: Option<String>,
    /// Addresses and networks that may read `/metrics`; `ENTREPAIRS_METRICS_ALLOW` is a
    /// comma-separated list.
    pub metrics_allow: Option<Vec<String>>,
    pub trusted_proxies: Option<Vec<String>>,
    /// The relay mail goes through (`smtp://` or `smtps://`, `user:pass@` when it asks).
    pub smtp_url: Option<String>,
    pub mail_from: Option<String>,
    pub mail_reply_to: Option<String>,
    /// OpenID Connect sign-in (ProConnect): all four of issuer, client id and secret, and
    /// the allowed SIRETs, or none.
    pub oidc_issuer: Option<String>,
    pub oidc_client_id: Option<String>,
    pub oidc_client_secret: Option<String>,
    /// Space-separated, as the provider expects them.
    pub oidc_scopes: Option<String>,
    pub oidc_button_label: Option<String>,
    /// SIRET numbers (14 digits) or SIREN prefixes (9 digits); `ENTREPAIRS_OIDC_ALLOWED_SIRETS`
    /// is a comma-separated list.
    pub oidc_allowed_sirets: Option<Vec<String>>,
    pub password_login: Option<bool>,
    /// Age after which a cached remote key is fetched again, in seconds.
    pub remote_key_max_age_secs: Option<u64>,
    /// Let outgoing requests use `HTTP_PROXY`/`HTTPS_PROXY` (off: the address checks
    /// would see the proxy, not the target).
    pub use_system_proxy: Option<bool>,
    /// Days after which delivered deliveries, received activity ids, read notifications
    /// and audit entries are pruned.
    pub retention_delivered_days: Option<u64>,
    pub retention_received_days: Option<u64>,
    pub retention_notifications_days: Option<u64>,
    pub retention_audit_days: Option<u64>,
    /// Issue 13: the inbox budget of each approved peer (activities per minute, and at once).
    pub inbox_peer_per_minute: Option<u64>,
    pub inbox_peer_burst: Option<u64>,
    #[serde(skip)]
    pub(super) env_problems: Vec<ConfigProblem>,
}

/// Largest configuration file accepted: a real one is a few KiB.
const MAX_FILE_BYTES: u64 = 256 * 1024;

impl RawConfig {
    /// Reads a TOML file; an unknown key or a wrong type is an error naming it.
    pub fn from_file(path: &Path) -> Result<Self, ConfigError> {
        let problem = |message: String| ConfigError::single("--config", message);
        let meta = std::fs::metadata(path)
            .map_err(|e| problem(format!("cannot read {}: {e}", path.display())))?;
        if meta.len() > MAX_FILE_BYTES {
            return Err(problem(format!(
                "{} is larger than {MAX_FILE_BYTES} bytes",
                path.display()
            )));
        }
        let text = std::fs::read_to_string(path)
            .map_err(|e| problem(format!("cannot read {}: {e}", path.display())))?;
        Self::from_toml(&text).map_err(|e| problem(format!("{}: {e}", path.display())))
    }

    /// Parses TOML text.
    pub fn from_toml(text: &str) -> Result<Self, toml::de::Error> {
        toml::from_str(text)
    }

    /// Overrides settings with the `ENTREPAIRS_*` variables of `env`. Other variables
    /// (`ENTREPAIRS_TEST_DATABASE_URL`, …) are not settings and are left alone.
    pub fn apply_env(
        &mut self,
        env: impl IntoIterator<Item = (String, String)>,
    ) -> Result<(), ConfigError> {
        for (key, value) in env {
            let Some(name) = key.strip_prefix("ENTREPAIRS_") else {
                continue;
            };
            let setting = name.to_ascii_lowercase();
            let text = |slot: &mut Option<String>| *slot = Some(value.clone());
            match setting.as_str() {
                "authority" => text(&mut self.authority),
                "bind" => text(&mut self.bind),
                "database_url" => text(&mut self.database_url),
                "data_dir" => text(&mut self.data_dir),
                "institution_name" => text(&mut self.institution_name),
                "institution_kind" => text(&mut self.institution_kind),
                "branch" => text(&mut self.branch),
                "contact_email" => text(&mut self.contact_email),
                "accent_color" => text(&mut self.accent_color),
                "locale" => text(&mut self.locale),
                "timezone" => text(&mut self.timezone),
                "log_format" => text(&mut self.log_format),
                "metrics_allow" => self.metrics_allow = Some(comma_list(&value)),
                "trusted_proxies" => self.trusted_proxies = Some(comma_list(&value)),
                "allow_http" => self.allow_http = self.env_bool(&key, &value),
                "attachments_max_bytes" => match value.trim().parse::<u64>() {
                    Ok(n) => self.attachments_max_bytes = Some(n),
                    Err(_) => self.env_problems.push(ConfigProblem::new(
                        &key,
                        format!("expected a number of bytes, got {value:?}"),
                    )),
                },
                "allow_private_addresses" => {
                    self.allow_private_addresses = self.env_bool(&key, &value)
                }
                "smtp_url" => text(&mut self.smtp_url),
                "mail_from" => text(&mut self.mail_from),
                "mail_reply_to" => text(&mut self.mail_reply_to),
                "oidc_issuer" => text(&mut self.oidc_issuer),
                "oidc_client_id" => text(&mut self.oidc_client_id),
                "oidc_client_secret" => text(&mut self.oidc_client_secret),
                "oidc_scopes" => text(&mut self.oidc_scopes),
                "oidc_button_label" => text(&mut self.oidc_button_label),
                "oidc_allowed_sirets" => self.oidc_allowed_sirets = Some(comma_list(&value)),
                "password_login" => self.password_login = self.env_bool(&key, &value),
                "use_system_proxy" => self.use_system_proxy = self.env_bool(&key, &value),
                "remote_key_max_age_secs" => {
                    self.remote_key_max_age_secs = self.env_number(&key, &value)
                }
                "retention_delivered_days" => {
                    self.retention_delivered_days = self.env_number(&key, &value)
                }
                "retention_received_days" => {
                    self.retention_received_days = self.env_number(&key, &value)
                }
                "retention_notifications_days" => {
                    self.retention_notifications_days = self.env_number(&key, &value)
                }
                "retention_audit_days" => self.retention_audit_days = self.env_number(&key, &value),
                "inbox_peer_per_minute" => {
                    self.inbox_peer_per_minute = self.env_number(&key, &value)
                }
                "inbox_peer_burst" => self.inbox_peer_burst = self.env_number(&key, &value),
                _ => {}
            }
        }
        Ok(())
    }

    fn env_number(&mut self, key: &str, value: &str) -> Option<u64> {
        match value.trim().parse::<u64>() {
            Ok(n) => Some(n),
            Err(_) => {
                self.env_problems.push(ConfigProblem::new(
                    key,
                    format!("expected a whole number, got {value:?}"),
                ));
                None
            }
        }
    }

    fn env_bool(&mut self, key: &str, value: &str) -> Option<bool> {
        match value.trim().to_ascii_lowercase().as_str() {
            "1" | "true" | "yes" | "on" => Some(true),
            "0" | "false" | "no" | "off" | "" => Some(false),
            _ => {
                self.env_problems.push(ConfigProblem::new(
                    key,
                    format!("expected true or false, got {value:?}"),
                ));
                None
            }
        }
    }
}

/// `a, b,c` as `["a", "b", "c"]`; an empty or blank value is the empty list.
fn comma_list(value: &str) -> Vec<String> {
    value
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}
