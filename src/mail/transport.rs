//! The SMTP connection to the relay `smtp_url` names (lettre, tokio, rustls), and how its
//! answers are read: a permanent refusal (5xx) fails the message, anything else is retried.

use std::time::Duration;

use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use crate::config::{SmtpRelay, SmtpSecurity};

/// A relay that answers nothing in this time is treated as down (the message is retried).
const TIMEOUT: Duration = Duration::from_secs(20);

/// What became of one message handed to the relay.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SendOutcome {
    Sent,
    /// The relay refused it for good (5xx): retrying would be refused again.
    Refused(String),
    /// The relay was unreachable or asked us to come back (4xx, timeout, connection).
    Retry(String),
}

/// The node's connection to its relay: pooled, so a burst reuses a few connections.
#[derive(Clone)]
pub struct Transport {
    inner: AsyncSmtpTransport<Tokio1Executor>,
}

impl Transport {
    pub fn new(relay: &SmtpRelay) -> Result<Transport, String> {
        let builder = match relay.security {
            SmtpSecurity::Plain => {
                AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(relay.host.as_str())
            }
            SmtpSecurity::StartTls | SmtpSecurity::Tls => {
                let params = TlsParameters::new(relay.host.clone()).map_err(|e| e.to_string())?;
                let tls = if relay.security == SmtpSecurity::Tls {
                    Tls::Wrapper(params)
                } else {
                    Tls::Required(params)
                };
                AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(relay.host.as_str())
                    .tls(tls)
            }
        };
        let mut builder = builder.port(relay.port).timeout(Some(TIMEOUT));
        if let (Some(user), Some(password)) = (&relay.user, &relay.password) {
            builder =
                builder.credentials(Credentials::new(user.clone(), password.expose().to_owned()));
        }
        Ok(Transport {
            inner: builder.build(),
        })
    }

    /// Hands one message to the relay.
    pub async fn send(&self, message: Message) -> SendOutcome {
        match self.inner.send(message).await {
            Ok(_) => SendOutcome::Sent,
            Err(e) if e.is_permanent() => SendOutcome::Refused(reason(&e)),
            Err(e) => SendOutcome::Retry(reason(&e)),
        }
    }
}

/// The relay's own words when it gave some (`550 5.1.1 unknown user`), for the admin page.
fn reason(e: &lettre::transport::smtp::Error) -> String {
    let mut text = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    text.chars().filter(|c| !c.is_control()).take(500).collect()
}
