//! The mail settings: `smtp_url` (the relay, its password kept in a [`Secret`]), `mail_from`
//! and `mail_reply_to`, checked once so the transport never sees a malformed value.

use std::net::IpAddr;

use lettre::message::Mailbox;

use super::Secret;

/// How the connection to the relay is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SmtpSecurity {
    /// `smtps://`: TLS from the first byte (port 465).
    Tls,
    /// `smtp://` to another machine: STARTTLS is required, never a plain fallback.
    StartTls,
    /// `smtp://` to this machine (a local relay or a test server): plain.
    Plain,
}

/// The relay as `smtp_url` names it.
#[derive(Debug, Clone)]
pub struct SmtpRelay {
    /// The whole URL, for logs through [`Secret::redacted`].
    pub url: Secret,
    pub security: SmtpSecurity,
    pub host: String,
    pub port: u16,
    pub user: Option<String>,
    pub password: Option<Secret>,
}

/// Where mail goes and whom it comes from.
#[derive(Debug, Clone)]
pub struct MailSettings {
    /// `None`: no relay, mail stays in the outbox (and pages say no mail is sent).
    pub relay: Option<SmtpRelay>,
    pub from: Mailbox,
    pub reply_to: Option<Mailbox>,
    /// Set by `entrepairs demo` only (no setting): the admin page « Courriels envoyés (démo) »
    /// shows what the outbox holds, links included.
    pub demo: bool,
}

impl MailSettings {
    /// Checks the three settings; a problem is reported through `bad` naming the setting.
    pub(super) fn from_raw(
        smtp_url: Option<&str>,
        mail_from: Option<&str>,
        mail_reply_to: Option<&str>,
        authority: &str,
        institution_name: &str,
        bad: &mut impl FnMut(&str, String),
    ) -> Option<MailSettings> {
        let relay = match smtp_url.map(str::trim).filter(|u| !u.is_empty()) {
            None => None,
            Some(url) => parse_relay(url).map_err(|m| bad("smtp_url", m)).ok(),
        };
        let from = match mail_from.map(str::trim).filter(|f| !f.is_empty()) {
            Some(text) => parse_mailbox(text),
            None => default_from(authority, institution_name),
        }
        .map_err(|m| bad("mail_from", m))
        .ok();
        let reply_to = match mail_reply_to.map(str::trim).filter(|r| !r.is_empty()) {
            Some(text) => parse_mailbox(text)
                .map_err(|m| bad("mail_reply_to", m))
                .ok(),
            None => None,
        };
        Some(MailSettings {
            relay,
            from: from?,
            reply_to,
            demo: false,
        })
    }
}

/// `Name <a@b.fr>` or `a@b.fr`; CR, LF and other control characters are refused outright.
fn parse_mailbox(text: &str) -> Result<Mailbox, String> {
    if text.chars().any(char::is_control) {
        return Err("must not contain control characters (line breaks)".into());
    }
    text.parse::<Mailbox>()
        .map_err(|e| format!("{text:?} is not an address like Name <agent@example.fr>: {e}"))
}

/// `Institution <noreply@host>`; a node reached by IP address (tests, the demo) sends as
/// `noreply@localhost`, an address that is at least well-formed.
fn default_from(authority: &str, institution_name: &str) -> Result<Mailbox, String> {
    let host = url::Url::parse(&format!("http://{authority}/"))
        .ok()
        .and_then(|u| u.host_str().map(str::to_owned))
        .filter(|h| h.parse::<IpAddr>().is_err() && !h.starts_with('['))
        .unwrap_or_else(|| "localhost".to_owned());
    let name = institution_name.replace(|c: char| c.is_control(), " ");
    lettre::Address::new("noreply", &host)
        .or_else(|_| lettre::Address::new("noreply", "localhost"))
        .map(|address| Mailbox::new(Some(name), address))
        .map_err(|e| format!("no default sender address can be made, set it: {e}"))
}

fn parse_relay(text: &str) -> Result<SmtpRelay, String> {
    let url = url::Url::parse(text).map_err(|e| format!("not a URL like smtp://host:port: {e}"))?;
    let host = url
        .host_str()
        .filter(|h| !h.is_empty())
        .ok_or("names no host")?
        .trim_matches(['[', ']'])
        .to_owned();
    if url.path() != "" && url.path() != "/" || url.query().is_some() || url.fragment().is_some() {
        return Err("must be smtp://[user:pass@]host[:port] with no path or query".into());
    }
    let loopback = host == "localhost"
        || host
            .parse::<IpAddr>()
            .map(|ip| ip.is_loopback())
            .unwrap_or(false);
    let (security, default_port) = match url.scheme() {
        "smtps" => (SmtpSecurity::Tls, 465),
        "smtp" if loopback => (SmtpSecurity::Plain, 25),
        "smtp" => (SmtpSecurity::StartTls, 587),
        other => return Err(format!("scheme {other:?} is not smtp:// or smtps://")),
    };
    let decode = |s: &str| {
        percent_decode(s).ok_or_else(|| "user or password is not valid percent-encoding".to_owned())
    };
    let user = match url.username() {
        "" => None,
        u => Some(decode(u)?),
    };
    let password = url.password().map(decode).transpose()?.map(Secret::new);
    if password.is_some() && user.is_none() {
        return Err("has a password but no user".into());
    }
    Ok(SmtpRelay {
        url: Secret::new(text),
        security,
        port: url.port().unwrap_or(default_port),
        host,
        user,
        password,
    })
}

/// `%40` as `@`: a password may hold any character, percent-encoded in the URL.
fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}
