//! The messages the node writes, from askama templates (`templates/mail/`): a plain-text and
//! an HTML part, in the recipient's language (`Parts::lang`), every link absolute to the node.

use askama::Template;
use lettre::message::Mailbox;

use super::outbox::Outgoing;
use crate::domain::Ctx;
use crate::http::web::i18n::mail::{MailStrings, strings};
use crate::state::AppState;

#[derive(Template)]
#[template(path = "mail/message.txt")]
struct Text<'a> {
    m: &'a MailStrings,
    name: &'a str,
    before: &'a [String],
    link: &'a str,
    after: &'a [String],
    institution: &'a str,
    base: &'a str,
}

#[derive(Template)]
#[template(path = "mail/message.html")]
struct Html<'a> {
    m: &'a MailStrings,
    subject: &'a str,
    name: &'a str,
    before: &'a [String],
    action: &'a str,
    link: &'a str,
    after: &'a [String],
    institution: &'a str,
    base: &'a str,
    accent: &'a str,
}

/// One message of the usual shape: a greeting, what happened, the link, what else to know.
pub(super) struct Parts<'a> {
    pub kind: &'static str,
    /// The recipient's language (`domain::languages`), not the sender's.
    pub lang: &'a str,
    pub to: Mailbox,
    pub subject: &'a str,
    pub before: Vec<String>,
    pub action: &'a str,
    pub link: &'a str,
    pub after: Vec<String>,
}

pub(super) fn write(state: &Ctx, parts: Parts<'_>) -> Result<Outgoing, askama::Error> {
    let m = strings(parts.lang);
    let institution = state.config.institution_name.as_str();
    let subject = format!("{} — {institution}", parts.subject);
    let name = parts.to.name.clone().unwrap_or_default();
    let base = state.urls.base();
    let text = Text {
        m,
        name: &name,
        before: &parts.before,
        link: parts.link,
        after: &parts.after,
        institution,
        base,
    }
    .render()?;
    let html = Html {
        m,
        subject: &subject,
        name: &name,
        before: &parts.before,
        action: parts.action,
        link: parts.link,
        after: &parts.after,
        institution,
        base,
        accent: &state.config.accent_color,
    }
    .render()?;
    Ok(Outgoing {
        kind: parts.kind,
        to: parts.to,
        subject,
        text,
        html,
    })
}

/// « Mot de passe oublié ? »: the one-hour link.
pub fn password_reset(
    state: &AppState,
    lang: &str,
    to: Mailbox,
    link: &str,
) -> Result<Outgoing, askama::Error> {
    let m = strings(lang);
    write(
        state,
        Parts {
            kind: "password_reset",
            lang,
            to,
            subject: m.reset_subject,
            before: vec![m.reset_body.to_owned()],
            action: m.reset_action,
            link,
            after: vec![m.reset_ignore.to_owned()],
        },
    )
}

/// The admin invited this agent to the node: the week-long link to choose a password.
pub fn invitation(
    state: &AppState,
    lang: &str,
    to: Mailbox,
    username: &str,
    link: &str,
) -> Result<Outgoing, askama::Error> {
    let m = strings(lang);
    write(
        state,
        Parts {
            kind: "invitation",
            lang,
            to,
            subject: m.invite_subject,
            before: vec![
                m.invite_body.to_owned(),
                format!("{} : {username}", m.invite_username),
            ],
            action: m.invite_action,
            link,
            after: Vec::new(),
        },
    )
}
