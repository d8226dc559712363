//! The OpenID Connect (ProConnect) settings and the password switch, validated.

use super::{RawConfig, Secret};

/// ProConnect's scopes: the agent's names, work address, its `uid` at the identity provider,
/// the employer's SIRET and which identity provider vouched for the agent.
pub const DEFAULT_SCOPES: &str = "openid given_name usual_name email uid siret idp_id";
pub const DEFAULT_BUTTON_LABEL: &str = "S'identifier avec ProConnect";

/// Sign-in through an OpenID Connect provider.
#[derive(Debug, Clone)]
pub struct OidcConfig {
    /// The issuer exactly as the provider names itself (discovery is read under it).
    pub issuer: url::Url,
    pub client_id: String,
    pub client_secret: Secret,
    pub scopes: Vec<String>,
    pub button_label: String,
    pub allowed_sirets: SiretRule,
}

/// Which employers' agents may sign in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SiretRule {
    /// `["*"]`: any employer (a provider of the institution's own, without SIRETs).
    Any,
    /// SIRET numbers (14 digits, exact) and SIREN numbers (9 digits, every establishment).
    Listed(Vec<String>),
}

impl SiretRule {
    /// Whether an agent whose employer has this SIRET may sign in.
    pub fn allows(&self, siret: Option<&str>) -> bool {
        match self {
            Self::Any => true,
            Self::Listed(list) => {
                let Some(siret) = siret.map(|s| s.replace(' ', "")) else {
                    return false;
                };
                siret.len() == 14
                    && siret.bytes().all(|b| b.is_ascii_digit())
                    && list
                        .iter()
                        .any(|allowed| siret.starts_with(allowed.as_str()))
            }
        }
    }
}

fn given(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

type Bad<'a> = dyn FnMut(&str, String) + 'a;

/// The `oidc_*` settings: all off, or issuer, client id, secret and allowed SIRETs together.
pub(super) fn validate(raw: &RawConfig, allow_http: bool, bad: &mut Bad<'_>) -> Option<OidcConfig> {
    let issuer = given(&raw.oidc_issuer);
    let client_id = given(&raw.oidc_client_id);
    let secret = given(&raw.oidc_client_secret);
    let Some(issuer_text) = issuer else {
        for (name, value) in [
            ("oidc_client_id", client_id),
            ("oidc_client_secret", secret),
        ] {
            if value.is_some() {
                bad(name, "is set but oidc_issuer is not".into());
            }
        }
        return None;
    };
    let issuer = match url::Url::parse(issuer_text) {
        Ok(u) if u.scheme() == "https" || (u.scheme() == "http" && allow_http) => Some(u),
        Ok(u) if u.scheme() == "http" => {
            bad(
                "oidc_issuer",
                "must be https (http only with allow_http)".into(),
            );
            None
        }
        _ => {
            bad(
                "oidc_issuer",
                format!("{issuer_text:?} is not an https URL"),
            );
            None
        }
    };
    if client_id.is_none() {
        bad(
            "oidc_client_id",
            "is required when oidc_issuer is set".into(),
        );
    }
    if secret.is_none() {
        bad(
            "oidc_client_secret",
            "is required when oidc_issuer is set".into(),
        );
    }
    let scopes: Vec<String> = raw
        .oidc_scopes
        .as_deref()
        .unwrap_or(DEFAULT_SCOPES)
        .split_whitespace()
        .map(str::to_owned)
        .collect();
    if !scopes.iter().any(|s| s == "openid") {
        bad("oidc_scopes", "must contain openid".into());
    }
    let button_label = raw
        .oidc_button_label
        .as_deref()
        .map(str::trim)
        .unwrap_or(DEFAULT_BUTTON_LABEL)
        .to_owned();
    if button_label.is_empty() || button_label.chars().count() > 80 {
        bad("oidc_button_label", "must be 1 to 80 characters".into());
    }
    let allowed_sirets = sirets(raw.oidc_allowed_sirets.as_deref().unwrap_or(&[]), bad);
    Some(OidcConfig {
        issuer: issuer?,
        client_id: client_id?.to_owned(),
        client_secret: Secret::opaque(secret?),
        scopes,
        button_label,
        allowed_sirets: allowed_sirets?,
    })
}

fn sirets(list: &[String], bad: &mut Bad<'_>) -> Option<SiretRule> {
    let setting = "oidc_allowed_sirets";
    if list.is_empty() {
        bad(
            setting,
            "is required with oidc_issuer: your institution's SIRET or SIREN numbers (\"*\" for any employer)".into(),
        );
        return None;
    }
    if list.iter().any(|s| s.trim() == "*") {
        return Some(SiretRule::Any);
    }
    let mut out = Vec::new();
    for raw in list {
        let s = raw.replace(' ', "");
        if (s.len() == 14 || s.len() == 9) && s.bytes().all(|b| b.is_ascii_digit()) {
            out.push(s);
        } else {
            bad(
                setting,
                format!("{raw:?} is neither a SIRET (14 digits) nor a SIREN (9 digits)"),
            );
        }
    }
    (out.len() == list.len()).then_some(SiretRule::Listed(out))
}
