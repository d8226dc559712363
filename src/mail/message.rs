//! Turns a queued row into the message the relay receives: From, Reply-To, To, Subject,
//! Date, Message-ID, a plain-text and an HTML part, and a session's `.ics` attached. Every
//! header value goes through lettre's encoder and control characters are dropped first, so no
//! name or title can add a header.

use lettre::Message;
use lettre::message::header::{ContentType, HeaderName, HeaderValue};
use lettre::message::{Attachment, Mailbox, MultiPart};

use crate::config::MailSettings;
use crate::db::MailRow;

/// A header value without CR, LF or any other control character.
pub fn header_safe(text: &str) -> String {
    let cleaned: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    cleaned.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `Name <address>` for a recipient; `None` when the address is not one.
pub fn recipient(name: &str, address: &str) -> Option<Mailbox> {
    let address = address.trim();
    if address.chars().any(char::is_control) {
        return None;
    }
    let address = address.parse().ok()?;
    let name = header_safe(name);
    Some(Mailbox::new((!name.is_empty()).then_some(name), address))
}

/// A fresh `<uuid@domain>` in the sender's domain (RFC 5322 §3.6.4).
pub fn new_message_id(settings: &MailSettings) -> String {
    format!(
        "<{}@{}>",
        uuid::Uuid::new_v4().simple(),
        settings.from.email.domain()
    )
}

/// The message for one row; `Err` names what is wrong with it (a final failure).
pub fn build(settings: &MailSettings, row: &MailRow) -> Result<Message, String> {
    let to: Mailbox = row
        .to_address
        .parse()
        .map_err(|e| format!("adresse du destinataire invalide : {e}"))?;
    let mut builder = Message::builder()
        .from(settings.from.clone())
        .to(to)
        .subject(header_safe(&row.subject))
        .message_id(Some(row.message_id.clone()))
        .date_now();
    if let Some(reply_to) = &settings.reply_to {
        builder = builder.reply_to(reply_to.clone());
    }
    if let Some(url) = &row.unsubscribe_url {
        // RFC 8058: a mail client may unsubscribe in one click with a POST to this link.
        builder = builder
            .raw_header(HeaderValue::new(
                HeaderName::new_from_ascii_str("List-Unsubscribe"),
                format!("<{}>", header_safe(url)),
            ))
            .raw_header(HeaderValue::new(
                HeaderName::new_from_ascii_str("List-Unsubscribe-Post"),
                "List-Unsubscribe=One-Click".to_owned(),
            ));
    }
    let body = MultiPart::alternative_plain_html(row.body_text.clone(), row.body_html.clone());
    let body = match &row.attachment_ics {
        // A session reminder: the calendar file beside the text, as calendar clients import it.
        Some(ics) => MultiPart::mixed().multipart(body).singlepart(
            Attachment::new("seance.ics".to_owned()).body(
                ics.clone(),
                ContentType::parse("text/calendar; charset=utf-8; method=PUBLISH")
                    .map_err(|e| e.to_string())?,
            ),
        ),
        None => body,
    };
    builder.multipart(body).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings() -> MailSettings {
        crate::config::RawConfig::default()
            .validate()
            .expect("defaults")
            .mail
    }

    fn row(to: &str, subject: &str) -> MailRow {
        MailRow {
            id: 1,
            kind: "test".into(),
            to_address: to.into(),
            subject: subject.into(),
            body_text: "Bonjour".into(),
            body_html: "<p>Bonjour</p>".into(),
            message_id: "<abc@localhost>".into(),
            state: "queued".into(),
            attempts: 0,
            next_attempt_at: 0,
            last_error: None,
            created_at: 0,
            sent_at: None,
            unsubscribe_url: None,
            attachment_ics: None,
        }
    }

    /// The header block of a formatted message, as the relay receives it.
    fn headers(message: &Message) -> String {
        let raw = String::from_utf8_lossy(&message.formatted()).into_owned();
        raw.split("\r\n\r\n").next().unwrap_or_default().to_owned()
    }

    #[test]
    fn a_line_break_in_a_subject_cannot_add_a_header() {
        let m = build(
            &settings(),
            &row(
                "agent@mairie.fr",
                "Réunion\r\nBcc: espion@evil.fr\nX-Evil: 1",
            ),
        )
        .expect("built");
        let h = headers(&m);
        for line in h.split("\r\n") {
            assert!(
                !line.starts_with("Bcc:") && !line.starts_with("X-Evil:"),
                "injected header in {h}"
            );
        }
        assert!(!h.contains('\n') || h.split("\r\n").all(|l| !l.contains('\n')));
    }

    #[test]
    fn a_line_break_in_a_name_or_an_address_cannot_add_a_header() {
        let to = recipient("Alice\r\nBcc: espion@evil.fr", "alice@mairie.fr").expect("valid");
        let m = build(&settings(), &row(&to.to_string(), "Sujet")).expect("built");
        let h = headers(&m);
        assert!(h.split("\r\n").all(|l| !l.starts_with("Bcc:")), "{h}");
        assert!(recipient("Alice", "alice@mairie.fr\r\nBcc: x@evil.fr").is_none());
        assert!(build(&settings(), &row("a@b.fr\r\nBcc: x@evil.fr", "S")).is_err());
    }

    #[test]
    fn a_message_has_date_message_id_and_two_parts() {
        let m = build(&settings(), &row("agent@mairie.fr", "Bienvenue")).expect("built");
        let raw = String::from_utf8_lossy(&m.formatted()).into_owned();
        for needle in [
            "Date: ",
            "Message-ID: <abc@localhost>",
            "Subject: Bienvenue",
            "multipart/alternative",
            "text/plain",
            "text/html",
        ] {
            assert!(raw.contains(needle), "{needle} missing from {raw}");
        }
    }
}
