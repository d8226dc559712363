//! The digest mail (issue 15): for each agent due (`domain::digests`), writes one message
//! across all their communities, in the node's language, HTML and text, every link absolute,
//! with its own one-click unsubscribe link, and queues it in the same transaction that records
//! the period: one digest per agent and period, whatever restarts or processes share the base.

use askama::Template;

use super::message;
use super::outbox::Mailer;
use crate::db::NewMail;
use crate::domain::accounts::{self, Account};
use crate::domain::digests::{self, Content, Period, Section};
use crate::domain::notification_delivery::{Digest, Prefs};
use crate::domain::ports::Notice;
use crate::domain::{Ctx, DomainError, DomainResult, notification_prefs, unsubscribe};
use crate::http::web::format;
use crate::http::web::i18n::digest::{DigestStrings, strings};
use crate::http::web::i18n::mail::MailStrings;

/// One linked line.
struct Item {
    text: String,
    link: String,
}

/// A heading and its lines.
struct Group {
    heading: &'static str,
    items: Vec<Item>,
}

/// A community's part (or « Pour vous »).
struct Part {
    title: String,
    link: String,
    groups: Vec<Group>,
}

#[derive(Template)]
#[template(path = "mail/digest.txt")]
struct Text<'a> {
    m: &'a MailStrings,
    name: &'a str,
    intro: &'a str,
    sections: &'a [Part],
    action: &'a str,
    home: &'a str,
    after: &'a [String],
    institution: &'a str,
    base: &'a str,
}

#[derive(Template)]
#[template(path = "mail/digest.html")]
struct Html<'a> {
    m: &'a MailStrings,
    subject: &'a str,
    name: &'a str,
    intro: &'a str,
    sections: &'a [Part],
    action: &'a str,
    home: &'a str,
    after: &'a [String],
    institution: &'a str,
    base: &'a str,
    accent: &'a str,
}

/// What a run did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct DigestStats {
    /// Digests queued.
    pub queued: u64,
    /// Agents due with nothing to tell (or a weekend they keep quiet): recorded, no mail.
    pub empty: u64,
}

/// Queues every digest due at the domain's clock that is not queued yet, and wakes the mail
/// worker. Without a relay nothing is queued (except in the demo, which keeps its mail).
pub async fn run_due(ctx: &Ctx, mailer: &Mailer) -> DomainResult<DigestStats> {
    let mut stats = DigestStats::default();
    if !mailer.sends() && !ctx.config.mail.demo {
        return Ok(stats);
    }
    let now = ctx.clock.now_ms();
    for rhythm in [Digest::Daily, Digest::Weekly] {
        let Some((period, accounts)) = digests::due(ctx, rhythm, now).await? else {
            continue;
        };
        for id in accounts {
            match one(ctx, &period, id, now).await {
                Ok(true) => stats.queued += 1,
                Ok(false) => stats.empty += 1,
                // One agent's failure (a row gone meanwhile) does not hold back the others.
                Err(e) => tracing::warn!(error = %e, account = id, "digest not queued"),
            }
        }
    }
    if stats.queued > 0 {
        mailer.wakeup.notify_one();
    }
    Ok(stats)
}

/// One agent's digest of `period`: `true` when a mail was queued.
async fn one(ctx: &Ctx, period: &Period, account_id: i64, now: i64) -> DomainResult<bool> {
    let account = accounts::by_id(ctx, account_id).await?;
    let prefs = notification_prefs::load(ctx, account.id).await?;
    let tz = digests::timezone(ctx);
    let store = &ctx.store;
    let content = match digests::since(period, &prefs, &tz) {
        Some(since) => Some(digests::build(ctx, &account, &prefs, since, period.at).await?),
        None => None,
    };
    let to = message::recipient(&account.display_name, &account.email);
    let (Some(content), Some(to)) = (content.filter(|c| c.items() > 0), to) else {
        store
            .record_digest(account.id, &period.key, 0, None)
            .await?;
        return Ok(false);
    };
    let token = unsubscribe::issue(ctx, account.id, unsubscribe::DIGEST).await?;
    let base = ctx.urls.base().trim_end_matches('/').to_owned();
    let unsubscribe_url = format!("{base}/unsubscribe/{token}");
    let written = write(ctx, &account, &prefs, period, &content, &unsubscribe_url)
        .await
        .map_err(|e| DomainError::Internal(e.to_string()))?;
    let message_id = message::new_message_id(&ctx.config.mail);
    let mail = NewMail {
        kind: "digest",
        to_address: &to.to_string(),
        subject: &message::header_safe(&written.0),
        body_text: &written.1,
        body_html: &written.2,
        message_id: &message_id,
        due_at: digests::due_at(&prefs, now, &tz),
        unsubscribe_url: Some(&unsubscribe_url),
        attachment_ics: None,
    };
    let items = i64::try_from(content.items()).unwrap_or(i64::MAX);
    let queued = store
        .record_digest(account.id, &period.key, items, Some(&mail))
        .await?
        .flatten()
        .is_some();
    if queued {
        crate::metrics::mail_queued();
    }
    Ok(queued)
}

fn count(one: &str, many: &str, n: i64) -> String {
    if n == 1 {
        one.to_owned()
    } else {
        many.replace("{n}", &n.to_string())
    }
}

/// The lines of one community's section.
fn section_part(
    ctx: &Ctx,
    lang: &str,
    d: &DigestStrings,
    content: &Content,
    s: &Section,
    base: &str,
) -> Part {
    let tz = ctx.config.timezone.as_str();
    let (title, handle) = s
        .community
        .as_ref()
        .map(|c| (c.name.clone(), c.handle()))
        .unwrap_or_default();
    let community = format!("{base}/communities/{handle}");
    let mut groups = Vec::new();
    let mut push = |heading: &'static str, items: Vec<Item>| {
        if !items.is_empty() {
            groups.push(Group { heading, items });
        }
    };
    push(
        d.new_threads,
        s.new_threads
            .iter()
            .map(|t| Item {
                text: format!(
                    "{} — {} {}",
                    t.title,
                    d.by,
                    content.name_of(&t.attributed_to)
                ),
                link: format!("{base}/discussions/{}", t.id),
            })
            .collect(),
    );
    push(
        d.replied_threads,
        s.replied_threads
            .iter()
            .map(|t| Item {
                text: format!("{} — {}", t.title, count(d.one_reply, d.replies, t.replies)),
                link: format!("{base}/discussions/{}", t.id),
            })
            .collect(),
    );
    push(
        d.resources,
        s.resources
            .iter()
            .map(|r| Item {
                text: if r.created_at >= content.since {
                    format!("{} — {}", r.title, d.new_resource)
                } else {
                    format!(
                        "{} — {}",
                        r.title,
                        d.revised.replace("{n}", &r.revision.to_string())
                    )
                },
                link: format!("{community}/resources/{}", r.slug),
            })
            .collect(),
    );
    push(
        d.sessions,
        s.sessions
            .iter()
            .map(|e| Item {
                text: format!(
                    "{} — {} {} — {}",
                    e.title,
                    d.starts,
                    format::datetime(e.starts_at, tz, lang),
                    e.free
                        .map_or_else(|| d.no_limit.to_owned(), |n| count(d.one_seat, d.seats, n))
                ),
                link: format!("{base}/sessions/{}", e.id),
            })
            .collect(),
    );
    push(
        d.actions,
        s.actions
            .iter()
            .map(|a| Item {
                text: format!(
                    "{} — {} {}",
                    a.title,
                    d.due_on,
                    french_date(&a.due_on, lang)
                ),
                link: format!("{base}/plan/items/{}", a.id),
            })
            .collect(),
    );
    let c = crate::http::web::i18n::notify::strings(lang);
    Part {
        title: format!("{} : {title}", c.mail_in),
        link: community,
        groups,
    }
}

/// `2026-12-14` as `14/12/2026` in French.
fn french_date(iso: &str, lang: &str) -> String {
    match (lang, iso.split('-').collect::<Vec<_>>().as_slice()) {
        ("fr", [y, m, d]) => format!("{d}/{m}/{y}"),
        _ => iso.to_owned(),
    }
}

/// Subject, text and HTML.
async fn write(
    ctx: &Ctx,
    account: &Account,
    prefs: &Prefs,
    period: &Period,
    content: &Content,
    unsubscribe_url: &str,
) -> Result<(String, String, String), askama::Error> {
    // The agent's language, not the node's.
    let lang = crate::domain::languages::for_agent(ctx, account.id).await;
    let d = strings(lang);
    let m = crate::http::web::i18n::mail::strings(lang);
    let n = crate::http::web::i18n::notify::strings(lang);
    let institution = ctx.config.institution_name.as_str();
    let base = ctx.urls.base().trim_end_matches('/').to_owned();
    let mut parts = Vec::new();
    if !content.notices.is_empty() {
        let mut items = Vec::new();
        for row in &content.notices {
            let notice = Notice {
                account_id: account.id,
                kind: row.kind.clone(),
                from: row.actor_ap_id.clone(),
                community_id: row.community_id,
                object: row.post_ap_id.clone(),
                due_at: 0,
            };
            let path = super::notices::target_path(ctx, &notice)
                .await
                .unwrap_or_else(|_| "/notifications".to_owned());
            items.push(Item {
                text: n
                    .subject(&row.kind)
                    .replace("{who}", &content.name_of(&row.actor_ap_id)),
                link: format!("{base}{path}"),
            });
        }
        parts.push(Part {
            title: d.for_you.to_owned(),
            link: format!("{base}/notifications"),
            groups: vec![Group {
                heading: d.for_you,
                items,
            }],
        });
    }
    for s in &content.sections {
        parts.push(section_part(ctx, lang, d, content, s, &base));
    }
    let subject = format!(
        "{} — {institution}",
        match period.rhythm {
            Digest::Daily => d.subject_daily,
            _ => d.subject_weekly,
        }
    );
    let intro = d.intro.replace(
        "{since}",
        &format::datetime(content.since, &ctx.config.timezone, lang),
    );
    let why = match prefs.digest {
        Digest::Daily => d.why_daily,
        _ => d.why_weekly,
    };
    let after = vec![
        d.disconnect.to_owned(),
        why.to_owned(),
        format!("{} : {unsubscribe_url}", d.unsubscribe),
        format!("{} : {base}/profile/notifications", n.unsub_manage),
    ];
    let name = if account.display_name.is_empty() {
        account.username.clone()
    } else {
        message::header_safe(&account.display_name)
    };
    let home = format!("{base}/");
    let text = Text {
        m,
        name: &name,
        intro: &intro,
        sections: &parts,
        action: d.action,
        home: &home,
        after: &after,
        institution,
        base: &base,
    }
    .render()?;
    let html = Html {
        m,
        subject: &subject,
        name: &name,
        intro: &intro,
        sections: &parts,
        action: d.action,
        home: &home,
        after: &after,
        institution,
        base: &base,
        accent: &ctx.config.accent_color,
    }
    .render()?;
    Ok((subject, text, html))
}
