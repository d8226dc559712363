//! Which language an agent reads: her choice (French or English), else what her browser asks
//! (`Accept-Language`, q-values honoured), else the node's `locale`.

use super::accounts::Account;
use super::sessions::token_hash;
use super::{Ctx, DomainError, DomainResult, Rule};

/// The languages the interface, mails and push notifications are written in.
pub const SUPPORTED: [&str; 2] = ["fr", "en"];

/// A supported language as a static string, or `None`.
pub fn supported(tag: &str) -> Option<&'static str> {
    SUPPORTED.into_iter().find(|l| *l == tag)
}

/// Parses a choice from a form or the API: "fr", "en", or "" to let the browser decide.
pub fn parse_choice(choice: &str) -> DomainResult<Option<&'static str>> {
    let choice = choice.trim();
    if choice.is_empty() {
        return Ok(None);
    }
    supported(&choice.to_ascii_lowercase())
        .map(Some)
        .ok_or_else(|| DomainError::invalid("language", Rule::OneOf { options: "fr, en" }))
}

/// Records the agent's own choice (`None`: the browser decides again).
pub async fn set(ctx: &Ctx, agent: &Account, choice: Option<&'static str>) -> DomainResult<()> {
    ctx.store.set_agent_language(agent.id, choice).await?;
    Ok(())
}

/// The language the agent chose, if she chose one.
pub async fn chosen(ctx: &Ctx, account_id: i64) -> DomainResult<Option<&'static str>> {
    Ok(ctx
        .store
        .agent_language(account_id)
        .await?
        .and_then(|l| supported(&l)))
}

/// The language of what is written to an agent away from a page (mails, push): her choice,
/// else the node's.
pub async fn for_agent(ctx: &Ctx, account_id: i64) -> &'static str {
    match chosen(ctx, account_id).await {
        Ok(Some(l)) => l,
        Ok(None) => node(ctx),
        Err(e) => {
            tracing::warn!(error = %e, "agent language unreadable, the node's is used");
            node(ctx)
        }
    }
}

/// The language of a push to the local agent behind `actor_id`: hers, else the node's.
pub async fn for_actor(ctx: &Ctx, actor_id: i64) -> &'static str {
    match ctx.store.actor_language(actor_id).await {
        Ok(l) => l.and_then(|l| supported(&l)).unwrap_or_else(|| node(ctx)),
        Err(e) => {
            tracing::warn!(error = %e, "agent language unreadable, the node's is used");
            node(ctx)
        }
    }
}

/// The node's `locale`.
pub fn node(ctx: &Ctx) -> &'static str {
    supported(&ctx.config.locale).unwrap_or("fr")
}

/// The language chosen by the agent whose session cookie this is.
pub async fn of_session(ctx: &Ctx, token: &str) -> DomainResult<Option<&'static str>> {
    if token.len() > 128 {
        return Ok(None);
    }
    Ok(ctx
        .store
        .session_language(&token_hash(token))
        .await?
        .and_then(|l| supported(&l)))
}

/// The supported language an `Accept-Language` header prefers (RFC 9110 §12.5.4): the highest
/// q-value wins, the first listed on a tie; `fr-CA` counts as `fr`; `*` and q=0 are no choice.
pub fn negotiate(header: &str) -> Option<&'static str> {
    let mut best: Option<(&'static str, u16)> = None;
    for part in header.split(',').take(32) {
        let mut pieces = part.split(';');
        let tag = pieces.next().unwrap_or_default().trim();
        let primary = tag
            .split('-')
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        let Some(lang) = supported(&primary) else {
            continue;
        };
        let q = pieces
            .find_map(|p| p.trim().strip_prefix("q=").map(quality))
            .unwrap_or(Some(1000));
        let Some(q) = q.filter(|q| *q > 0) else {
            continue;
        };
        if best.is_none_or(|(_, b)| q > b) {
            best = Some((lang, q));
        }
    }
    best.map(|(l, _)| l)
}

/// A q-value in thousandths; `None` when unreadable (the range is ignored).
fn quality(s: &str) -> Option<u16> {
    let v: f32 = s.trim().parse().ok()?;
    (0.0..=1.0)
        .contains(&v)
        // In 0..=1000 by the check above.
        .then(|| (v * 1000.0).round() as u16)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_language_honours_q_values() {
        assert_eq!(negotiate("en-US,en;q=0.9,fr;q=0.8"), Some("en"));
        assert_eq!(negotiate("de-DE, fr;q=0.5, en;q=0.7"), Some("en"));
        assert_eq!(negotiate("fr-CA"), Some("fr"));
        assert_eq!(negotiate("en;q=0, fr;q=0.1"), Some("fr"));
        assert_eq!(negotiate("de, it"), None);
        assert_eq!(negotiate("*"), None);
        assert_eq!(negotiate(""), None);
        assert_eq!(negotiate("en;q=abc"), None);
        assert_eq!(negotiate("fr;q=0.5, en;q=0.5"), Some("fr"));
    }

    #[test]
    fn a_choice_is_french_english_or_none() {
        assert_eq!(parse_choice("en").ok(), Some(Some("en")));
        assert_eq!(parse_choice(" FR ").ok(), Some(Some("fr")));
        assert_eq!(parse_choice("").ok(), Some(None));
        assert!(parse_choice("de").is_err());
    }
}
